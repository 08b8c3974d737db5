"""Pilot tests of the adjudicate screen's event-mention items (issue 13): alice and bob mark
the same VISIT trigger (inside وزيارة) with different roles for one argument and a
different polarity; the adjudicator decides with the screen's keys (1…9, e + a picker,
n / p, u) and the gold rows, their provenance and the Decision rows are checked. The
corpus counts and gold's status count the open event items. Both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rich.text import Text
from sqlalchemy import update
from sqlmodel import select
from textual.pilot import Pilot
from tui_helpers import run

from annotator.adjudication.event_mentions import (
    KIND_ARGUMENT,
    KIND_ATTRIBUTE,
    KIND_TRIGGER,
    EventItem,
    EventVersion,
    Mention,
)
from annotator.labelschema import LabelSchema
from annotator.store.gold import (
    corpus_counts,
    gold_done_ids,
    load_document,
    merge_document,
)
from annotator.store.gold_events import load_event_items
from annotator.store.models import GOLD, STATUS_DONE, Assignment, Decision
from annotator.store.service import Store
from annotator.tui.context import Session
from annotator.tui.screens.adjudicate import AdjudicateApp, AdjudicateScreen
from annotator.tui.screens.choice_picker import ChoicePicker
from annotator.tui.widgets.event_versions_panel import event_item_text
from annotator.tui.widgets.versions_panel import VersionsPanel

TEXT = ("أعلن الديوان الملكي وزيارة رئيس الحكومة الإسبانية بيدرو سانشيز إلى الرباط "
        "يوم الثلاثاء.")
TRIGGER = (TEXT.index("وزيارة") + 1, TEXT.index("وزيارة") + len("وزيارة"))  # زيارة
SANCHEZ = (TEXT.index("بيدرو"), TEXT.index("سانشيز") + len("سانشيز"), "PERS")
RABAT = (TEXT.index("الرباط"), TEXT.index("الرباط") + len("الرباط"), "GPE")
# alice: Rabat is the Origin, polarity positive; bob: Rabat is the Place, negative
WORK = {"alice": ("Origin", "positive"), "bob": ("Place", "negative")}


def build(store: Store, external_id: str = "v1",
          triggers: dict[str, tuple[int, int]] | None = None) -> int:
    """The document with alice's and bob's work, both marked done."""
    doc, _ = store.add_document(external_id=external_id, title="t", text=TEXT,
                                sentences=[(0, len(TEXT))])
    assert doc.id is not None
    for name, (role, polarity) in WORK.items():
        ids = {lab: store.add_span(doc.id, name, s, e, lab).id for s, e, lab in (SANCHEZ, RABAT)}
        trigger = (triggers or {}).get(name, TRIGGER)
        m = store.add_event_mention(doc.id, name, *trigger, "VISIT", {"polarity": polarity})
        assert m is not None and m.id is not None
        assert store.add_event_argument(m.id, name, "Agent", ids["PERS"])
        assert store.add_event_argument(m.id, name, role, ids["GPE"])
        store.set_status(doc.id, name, STATUS_DONE)
    store.set_role("carol", "adjudicator")
    return doc.id


@asynccontextmanager
async def adjudicating(store: Store, schema: LabelSchema) -> AsyncIterator[
        tuple[Pilot, AdjudicateScreen]]:
    app = AdjudicateApp(Session(store, schema, "carol", "off"))
    async with app.run_test(size=(130, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        s = app.screen
        assert isinstance(s, AdjudicateScreen)
        yield pilot, s


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def gold_mention(store: Store, doc: int) -> Any:
    (g,) = load_event_items(store, doc).gold.values()
    return g


def decisions(store: Store, doc: int) -> dict[str, tuple[str, str, list]]:
    with store.session() as s:
        return {d.kind: (d.outcome, d.by, d.versions)
                for d in s.exec(select(Decision).where(Decision.document_id == doc))}


def panel_text(s: AdjudicateScreen) -> str:
    rendered = s.query_one(VersionsPanel).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def test_pilot_argument_and_attribute_then_undo(store: Store, schema: LabelSchema) -> None:
    doc = build(store)

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            state = s.state
            assert state is not None and not state.items  # no span disagreement
            assert [i.kind for i in state.all_items] == [KIND_ARGUMENT, KIND_ATTRIBUTE]
            assert state.remaining == 2 and s.corpus_remaining == 2
            # opening the document took the agreed trigger and Agent into gold
            g = gold_mention(store, doc)
            assert g.key == (*TRIGGER, "VISIT") and g.provenance["rule"] == "unanimous"
            assert s.article is not None and s.article.triggers == [g.key]  # drawn as such
            assert [a[:4] for a in g.arguments] == [("Agent", *SANCHEZ)]
            # the panel shows each version as text; the trigger is selected
            assert isinstance(s.item, EventItem) and s.item.kind == KIND_ARGUMENT
            shown = panel_text(s)
            assert "VISIT  «زيارة» Origin=GPE «الرباط»" in shown
            assert "VISIT  «زيارة» Place=GPE «الرباط»" in shown
            # gold's mention so far: the agreed Agent; attributes at their defaults
            assert "gold now:\n     VISIT  «زيارة» Agent=PERS «بيدرو سانشيز»\n" in shown
            assert s.article is not None and s.article.caret.target() == TRIGGER
            # n / p move between the event items
            await pilot.press("n")
            assert s.item is not None and s.item.kind == KIND_ATTRIBUTE
            assert "polarity=negative" in panel_text(s)
            await pilot.press("p")
            assert s.item is not None and s.item.kind == KIND_ARGUMENT
            # 2: bob's version (Place); the screen moves on to the attribute item
            await pilot.press("2")
            await settle(pilot)
            assert s.item is not None and s.item.kind == KIND_ATTRIBUTE
            assert s.state is not None and s.state.remaining == 1 and s.corpus_remaining == 1
            # 1: alice's polarity (positive); the document is gold-done
            await pilot.press("1")
            await settle(pilot)
            assert s.state is not None and s.state.remaining == 0 and s.corpus_remaining == 0
            assert s.corpus_done == 1
            g = gold_mention(store, doc)
            args = {a[:4]: a[4] for a in g.arguments}
            assert set(args) == {("Agent", *SANCHEZ), ("Place", *RABAT)}
            place = args[("Place", *RABAT)]
            assert (place["annotators"], place["rule"], place["by"], place["outcome"]) == (
                ["bob"], "adjudicated", "carol", "accepted")
            assert g.attributes["polarity"] == "positive"
            pol = g.provenance["attributes"]["polarity"]
            assert (pol["annotators"], pol["by"], pol["outcome"]) == (
                ["alice"], "carol", "accepted")
            assert decisions(store, doc) == {
                "event_argument": ("accepted", "carol", [["bob"]]),
                "event_attribute": ("accepted", "carol", [["alice"]])}
            assert doc in gold_done_ids(store)
            # u: the attribute decision is undone (the argument's stands)
            await pilot.press("u")
            await settle(pilot)
            assert s.item is not None and s.item.kind == KIND_ATTRIBUTE
            assert s.state is not None and s.state.remaining == 1 and s.corpus_remaining == 1
            g = gold_mention(store, doc)
            assert "polarity" not in g.attributes
            assert ("Place", *RABAT) in {a[:4] for a in g.arguments}
            assert set(decisions(store, doc)) == {"event_argument"}
            assert doc not in gold_done_ids(store)
            # ctrl+r redoes it
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert gold_mention(store, doc).attributes["polarity"] == "positive"

    run(scenario())


def test_edit_argument_and_attribute_with_pickers(store: Store, schema: LabelSchema) -> None:
    doc = build(store)

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            assert s.item is not None and s.item.kind == KIND_ARGUMENT
            await pilot.press("e")
            await pilot.pause()
            picker = pilot.app.screen
            assert isinstance(picker, ChoicePicker)
            # the VISIT roles a GPE fits: Agent, Place, Origin (not Time)
            assert [c.value for c in picker.choices] == [
                "Agent|GPE", "Place|GPE", "Origin|GPE"]
            await pilot.press("escape")  # cancelled: nothing decided
            await pilot.pause()
            assert pilot.app.screen is s and decisions(store, doc) == {}
            await pilot.press("e", "a")  # Agent
            await settle(pilot)
            assert s.item is not None and s.item.kind == KIND_ATTRIBUTE
            await pilot.press("e")
            await pilot.pause()
            picker = pilot.app.screen
            assert isinstance(picker, ChoicePicker)
            assert [c.value for c in picker.choices] == ["positive", "negative"]
            await pilot.press("2")
            await settle(pilot)
            g = gold_mention(store, doc)
            args = {a[:4]: a[4] for a in g.arguments}
            assert ("Agent", *RABAT) in args and ("Place", *RABAT) not in args
            assert (args[("Agent", *RABAT)]["rule"], args[("Agent", *RABAT)]["outcome"]) == (
                "edited", "edited")
            assert g.attributes["polarity"] == "negative"
            assert g.provenance["attributes"]["polarity"]["annotators"] == ["bob"]
            assert {k: v[0] for k, v in decisions(store, doc).items()} == {
                "event_argument": "edited", "event_attribute": "edited"}

    run(scenario())


def test_trigger_item_reject_then_edit_type(store: Store, schema: LabelSchema) -> None:
    token = (TRIGGER[0] - 1, TRIGGER[1])  # bob: the whole token وزيارة
    doc = build(store, triggers={"bob": token})

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            item = s.item
            assert isinstance(item, EventItem) and item.kind == KIND_TRIGGER
            assert [i.kind for i in s.state.all_items] == [KIND_TRIGGER]  # type: ignore[union-attr]
            assert "VISIT  «وزيارة» Agent=PERS «بيدرو سانشيز» Place=GPE «الرباط» " \
                   "polarity=negative" in panel_text(s)
            assert s.article is not None and s.article.triggers == []  # no gold trigger yet
            await pilot.press("r")
            await settle(pilot)
            assert load_event_items(store, doc).gold == {}
            assert s.article.triggers == []
            assert decisions(store, doc)[KIND_TRIGGER][0] == "rejected"
            # e: edit mode on the first version's trigger; ⇧← widens nothing here, Enter:
            # the type picker; v: VISIT, with alice's arguments (gold spans)
            await pilot.press("e")
            assert s.mode == "edit" and s.article is not None
            assert s.article.caret.target() == TRIGGER
            await pilot.press("1")  # an entity label key: refused on a trigger
            assert decisions(store, doc)[KIND_TRIGGER][0] == "rejected"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ChoicePicker)
            await pilot.press("v")
            await settle(pilot)
            g = gold_mention(store, doc)
            assert g.key == (*TRIGGER, "VISIT") and g.provenance["rule"] == "edited"
            assert s.article.triggers == [(*TRIGGER, "VISIT")]  # gold's trigger, drawn
            assert {a[:4] for a in g.arguments} == {("Agent", *SANCHEZ), ("Origin", *RABAT)}
            assert decisions(store, doc)[KIND_TRIGGER][0] == "edited"

    run(scenario())


def test_counts_and_remaining_include_event_items(store: Store) -> None:
    doc = build(store)
    state = load_document(store, doc)
    assert state is not None and state.items == [] and len(state.event_items) == 2
    assert state.remaining == 2
    counts = corpus_counts(store, [doc])
    assert counts is not None and (counts[doc].items, counts[doc].remaining) == (2, 2)
    # a status written "done" while event items are open (an older database): not done
    merge_document(store, doc, by="carol")
    gold = store.annotator(GOLD)
    with store.session() as s:
        s.exec(update(Assignment).where(  # type: ignore[call-overload]
            Assignment.document_id == doc, Assignment.annotator_id == gold.id)
            .values(status=STATUS_DONE))
        s.commit()
        assert s.exec(select(Assignment.status).where(
            Assignment.document_id == doc, Assignment.annotator_id == gold.id)).one() == "done"
    assert doc not in gold_done_ids(store)


def test_version_text() -> None:
    m = Mention(*TRIGGER, "VISIT", (("polarity", "negative"), ("tense", "past")),
                (("Agent", *SANCHEZ), ("Place", *RABAT)))
    item = EventItem("mention:x", KIND_TRIGGER, *TRIGGER,
                     (EventVersion(("bob",), mentions=(m,)), EventVersion(("alice",))))
    text = event_item_text(item, TEXT, defaults={"VISIT": {"polarity": "positive",
                                                           "tense": "past"}},
                           bidi="off", style=lambda _: Text().style).plain
    assert "[1] bob\n     VISIT  «زيارة» Agent=PERS «بيدرو سانشيز» Place=GPE «الرباط» " \
           "polarity=negative\n" in text  # tense is the default: not shown
    assert "[2] alice\n    (no mention here)" in text


def test_an_argument_whose_span_is_not_gold_yet_is_refused(store: Store,
                                                           schema: LabelSchema) -> None:
    """Only alice has the Rabat span (linked as Place): the span item comes first; taking
    alice's argument before the span is a ✗ line, nothing written, the screen alive."""
    doc, _ = store.add_document(external_id="v2", title="t", text=TEXT,
                                sentences=[(0, len(TEXT))])
    assert doc.id is not None
    for name in ("alice", "bob"):
        spans = (SANCHEZ, RABAT) if name == "alice" else (SANCHEZ,)
        ids = {lab: store.add_span(doc.id, name, s, e, lab).id for s, e, lab in spans}
        m = store.add_event_mention(doc.id, name, *TRIGGER, "VISIT")
        assert m is not None and m.id is not None
        assert store.add_event_argument(m.id, name, "Agent", ids["PERS"])
        if name == "alice":
            assert store.add_event_argument(m.id, name, "Place", ids["GPE"])
        store.set_status(doc.id, name, STATUS_DONE)
    store.set_role("carol", "adjudicator")

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            state = s.state
            assert state is not None and [i.kind for i in state.all_items] == [
                "missing", KIND_ARGUMENT]
            await pilot.press("n")
            assert s.item is not None and s.item.kind == KIND_ARGUMENT
            alice = next(i for i, v in enumerate(s.item.versions) if v.annotators == ("alice",))
            await pilot.press(str(alice + 1))
            await settle(pilot)
            notice = s.query_one("#adj-notice").render()
            assert "not a gold span yet" in str(notice)
            assert decisions(store, doc.id) == {}
            assert s.item is not None and s.item.kind == KIND_ARGUMENT  # still there
            # the span first (alice's version), then the argument goes in
            await pilot.press("p", "1")
            await settle(pilot)
            assert s.item is not None and s.item.kind == KIND_ARGUMENT
            await pilot.press(str(alice + 1))
            await settle(pilot)
            assert ("Place", *RABAT) in {a[:4] for a in gold_mention(store, doc.id).arguments}
            assert s.state is not None and s.state.remaining == 0

    run(scenario())
