"""Pilot tests of the adjudicate screen: resolve each kind of disagreement with real keys,
then check the gold rows, their provenance, the decisions, undo/redo and gold-done."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from adjudication_example import SENTENCES, TEXT, add_disputed_document
from textual.pilot import Pilot
from tui_helpers import run

from annotator.adjudication import edit
from annotator.commands.common import open_store
from annotator.labelschema import LabelSchema
from annotator.store.gold import auto_merge, decide, load_document
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session
from annotator.tui.screens.adjudicate import AdjudicateApp, AdjudicateScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.versions_panel import VersionsPanel


@pytest.fixture
def adj(tmp_path: Path) -> Iterator[tuple[Store, LabelSchema, int]]:
    store, schema = open_store(str(tmp_path / "adj.db"))
    doc_id = add_disputed_document(store, "d1", "t")
    store.set_role("carol", "adjudicator")
    auto_merge(store)
    yield store, schema, doc_id
    store.close()


def screen(pilot) -> AdjudicateScreen:  # noqa: ANN001
    s = pilot.app.screen
    assert isinstance(s, AdjudicateScreen), type(s)
    return s


@asynccontextmanager
async def adjudicating(
    store: Store, schema: LabelSchema, size: tuple[int, int] = (120, 36)
) -> AsyncIterator[tuple[Pilot, AdjudicateScreen]]:
    """Run the adjudicate app as carol; yield the pilot and the screen once it has settled."""
    app = AdjudicateApp(Session(store, schema, "carol", "app"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield pilot, screen(pilot)


def gold(store: Store, doc_id: int) -> dict[tuple[int, int, str], dict]:
    return {(s.start, s.end, s.label): s.provenance for s in store.spans(doc_id, GOLD)}


def gold_events(store: Store, doc_id: int) -> dict[tuple[str, int | None, str], dict]:
    return {(e.scope, e.start, e.label): e.provenance for e in store.events(doc_id, GOLD)}


def test_resolve_each_kind_then_gold_done(adj) -> None:
    store, schema, doc_id = adj

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            assert s.state is not None and s.state.remaining == 5
            assert s.corpus_remaining == 5
            # 1. the document's event labels differ: tick both versions, Enter
            assert s.item is not None and s.item.kind == "event" and s.item.start is None
            await pilot.press("m", "1", "2", "enter")
            await pilot.pause()
            ev = gold_events(store, doc_id)
            assert ev[("document", None, "COOPERATE")]["annotators"] == ["alice"]
            assert ev[("document", None, "COOPERATE")]["by"] == "carol"
            assert ev[("document", None, "STATEMENT")]["rule"] == "unanimous"
            # 2. label mismatch at عبد الوافي لفتيت: take bob's (version 2)
            assert s.item.kind == "label" and s.article.caret.selection == (18, 34)
            await pilot.press("2")
            await pilot.pause()
            assert gold(store, doc_id)[(18, 34, "ORG")]["annotators"] == ["bob"]
            assert (18, 34, "PERS") not in gold(store, doc_id)
            # 3. a sentence's event label only alice has: accept alice's version
            assert s.item.kind == "event" and s.item.start == 66
            await pilot.press("1")
            await pilot.pause()
            assert gold_events(store, doc_id)[("sentence", 66, "COOPERATE")][
                "outcome"] == "accepted"
            # 4. a span only alice has (المغرب): reject all
            assert s.item.kind == "missing"
            await pilot.press("r")
            await pilot.pause()
            assert not any(k[0] == 74 for k in gold(store, doc_id))
            assert s.corpus_remaining == 1 and "1 left in corpus" in str(
                s.query_one("#adj-header").render())
            # 5. boundary mismatch للاتحاد: edit alice's span, drop the clitic with `]`
            assert s.item.kind == "boundary"
            await pilot.press("e")
            assert s.mode == "edit" and s.article.caret.selection == (92, 108)
            await pilot.press("right_square_bracket", "4")  # `]` then ORG's label key
            await pilot.pause()
            prov = gold(store, doc_id)[(93, 108, "ORG")]
            assert prov["rule"] == "edited" and prov["annotators"] == ["bob"]
            assert TEXT[93:108] == "لاتحاد الأوروبي"
            assert s.mode == "pick"
            assert s.state.remaining == 0 and s.corpus_remaining == 0
            assert store.status(doc_id, GOLD) == "done"
            # undo the last decision: the span goes, the document is open again
            await pilot.press("u")
            await pilot.pause()
            assert (93, 108, "ORG") not in gold(store, doc_id)
            assert store.status(doc_id, GOLD) == "in_progress"
            assert s.state.remaining == 1 and s.item.kind == "boundary"
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert (93, 108, "ORG") in gold(store, doc_id)
            assert store.status(doc_id, GOLD) == "done"

    run(scenario())
    state = load_document(store, doc_id)
    assert state is not None and state.remaining == 0
    outcomes = sorted(d.outcome for d in state.decisions.values())
    assert outcomes == ["accepted", "accepted", "accepted", "edited", "rejected"]
    assert all(d.by == "carol" for d in state.decisions.values())


def test_keys_in_the_wrong_mode_do_nothing(adj) -> None:
    store, schema, doc_id = adj

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            await pilot.press("n")  # the label mismatch
            assert s.item is not None and s.item.kind == "label"
            await pilot.press("9")  # no 9th version: bell, nothing written
            await pilot.press("m", "enter")  # nothing ticked
            await pilot.press("escape")
            assert s.mode == "pick"
            await pilot.press("p")
            assert s.item.kind == "event"
            await pilot.press("e")  # no edit for event labels
            assert s.mode == "pick"
            panel = s.query_one(VersionsPanel)
            assert "alice" in str(panel.render())
            await pilot.press("tab")  # the next item without a decision
            assert s.item.kind == "label"

    run(scenario())
    state = load_document(store, doc_id)
    assert state is not None and state.decisions == {}
    assert (18, 34, "ORG") not in gold(store, doc_id)


def test_nothing_to_adjudicate(tmp_path: Path) -> None:
    store, schema = open_store(str(tmp_path / "empty.db"))

    async def scenario() -> None:
        async with adjudicating(store, schema, size=(100, 30)) as (pilot, s):
            assert s.state is None
            await pilot.press("1", "r", "n", "u")
            assert "Nothing to adjudicate" in str(s.query_one(VersionsPanel).render())

    try:
        run(scenario())
    finally:
        store.close()


def test_annotate_stays_blind_after_adjudication(adj) -> None:
    """alice's annotate screen shows her own spans only: not bob's, not gold's."""
    store, schema, doc_id = adj
    item = next(d for d in load_document(store, doc_id).items  # type: ignore[union-attr]
                if d.kind == "boundary")
    decide(store, doc_id, "carol", edit(item, (94, 108, "ORG")))
    assert (94, 108, "ORG") in gold(store, doc_id)

    async def scenario() -> None:
        app = AnnotatorApp(Session(store, schema, "alice", "app"), start_doc=doc_id)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            s = pilot.app.screen
            assert isinstance(s, AnnotateScreen)
            shown = {(r.start, r.end, r.label) for r in s.article.index.spans}
            assert shown == {(4, 17, "OCC"), (18, 34, "PERS"), (57, 64, "GPE"),
                             (74, 80, "GPE"), (92, 108, "ORG")}

    run(scenario())


def test_accept_several_nested_spans(tmp_path: Path) -> None:
    """alice marked the title+name as OCC, bob the name as PERS: take both (nested)."""
    store, schema = open_store(str(tmp_path / "nested.db"))
    doc, _ = store.add_document(external_id="n1", title="t", text=TEXT, sentences=SENTENCES)
    assert doc.id is not None
    store.import_annotations(doc.id, "alice", [(4, 34, "OCC")], [])
    store.import_annotations(doc.id, "bob", [(18, 34, "PERS")], [])
    store.set_role("carol", "adjudicator")

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            assert s.item is not None and s.item.kind == "label"
            await pilot.press("m", "1", "2")
            assert s.ticked == {0, 1} and "☑" in str(s.query_one(VersionsPanel).render())
            await pilot.press("2", "enter")  # untick bob's again: only alice's is taken
            await pilot.pause()
            assert set(gold(store, doc.id)) == {(4, 34, "OCC")}
            await pilot.press("u", "m", "1", "2", "enter")
            await pilot.pause()

    try:
        run(scenario())
        rows = gold(store, doc.id)
        assert set(rows) == {(4, 34, "OCC"), (18, 34, "PERS")}
        assert rows[(4, 34, "OCC")]["annotators"] == ["alice"]
        assert rows[(18, 34, "PERS")]["annotators"] == ["bob"]
        assert store.status(doc.id, "gold") == "done"
    finally:
        store.close()
