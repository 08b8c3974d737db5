"""Adjudication of structured event mentions (issue 13): the items (trigger, argument,
attribute), the unanimous rule in `adjudicate --auto`, decisions with provenance and a
Decision row, undo/redo through gold's decision stack. The store cases run on both
backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from adjudication_example import SENTENCES, TEXT
from sqlmodel import select

from annotator.adjudication.event_decide import (
    choose,
    edit_attribute,
    edit_trigger,
    reject,
)
from annotator.adjudication.event_mentions import (
    KIND_ARGUMENT,
    KIND_ATTRIBUTE,
    KIND_TRIGGER,
    GoldMention,
    Mention,
    agreed_mentions,
    auto_changes,
    find_event_items,
)
from annotator.audit import summarize
from annotator.commands.adjudicate import auto_summary
from annotator.store.gold import auto_merge, load_document, redo_decision, undo_decision
from annotator.store.gold_events import decide_event, load_event_items
from annotator.store.models import GOLD, Decision
from annotator.store.service import Store, StoreError

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
AT = "2025-01-02T03:04:05+00:00"
COOP = (39, 46)  # التعاون
PERS = (18, 34, "PERS")  # عبد الوافي لفتيت
SPAIN = (57, 64, "GPE")  # إسبانيا
SAID = (TEXT.index("وقال"), TEXT.index("وقال") + len("وقال"))


# ------------------------------------------------------------------- pure rules
def m(start: int, end: int, typ: str, attrs: dict | None = None,
      *args: tuple[str, int, int, str]) -> Mention:
    return Mention(start, end, typ, tuple(sorted((attrs or {}).items())), tuple(sorted(args)))


def test_items_of_each_kind() -> None:
    works = {
        "alice": (m(39, 46, "COOPERATE", {"polarity": "positive"},
                    ("Entity", 18, 34, "PERS"), ("Entity", 57, 64, "GPE")),
                  m(66, 70, "STATEMENT")),
        "bob": (m(39, 46, "COOPERATE", {"polarity": "negative"},
                  ("Entity", 18, 34, "PERS"), ("Place", 57, 64, "GPE")),),
    }
    items = find_event_items(works)
    assert [i.kind for i in items] == [KIND_ARGUMENT, KIND_ATTRIBUTE, KIND_TRIGGER]
    arg, attr, trig = items
    assert arg.argument == (57, 64) and arg.mention == (39, 46, "COOPERATE")
    assert [(v.annotators, v.roles) for v in arg.versions] == [
        (("alice",), (("Entity", "GPE"),)), (("bob",), (("Place", "GPE"),))]
    assert [v.value for v in attr.versions] == ["positive", "negative"]
    assert [v.annotators for v in trig.versions] == [("alice",), ("bob",)]
    assert trig.versions[1].empty
    agreed = agreed_mentions(works)
    assert agreed == [m(39, 46, "COOPERATE", None, ("Entity", 18, 34, "PERS"))]
    # gold holding the agreed mention already: nothing more to take
    assert auto_changes(works, agreed) == []
    # a changed version changes the item's key
    works2 = {**works, "bob": (m(39, 46, "COOPERATE", {"polarity": "negative"},
                                 ("Entity", 18, 34, "PERS"), ("Time", 57, 64, "GPE")),)}
    assert find_event_items(works2)[0].key != arg.key


def test_outcomes() -> None:
    works = {"alice": (m(66, 70, "STATEMENT", {"tense": "past"}),), "bob": ()}
    (item,) = find_event_items(works)
    taken = choose(item, [0])
    assert [(x.key, h["trigger"]) for x, h in taken.mentions] == [((66, 70, "STATEMENT"),
                                                                    ["alice"])]
    assert reject(item).mentions == ()
    drawn = edit_trigger(item, 67, 70, "STATEMENT", base=0)
    assert drawn.mentions[0][0].attributes == (("tense", "past"),)
    with pytest.raises(ValueError):
        choose(item, [2])
    with pytest.raises(ValueError):
        edit_attribute(item, "x")


# ------------------------------------------------------------------ the store
def span_id(store: Store, doc: int, user: str, span: tuple[int, int, str]) -> int:
    return next(s.id for s in store.spans(doc, user)
                if (s.start, s.end, s.label) == span)  # type: ignore[misc]


def build(store: Store) -> int:
    """alice and bob agree on a COOPERATE trigger and its PERS Entity; alice links Spain as
    Entity, bob as Place; bob says polarity negative; only alice marks a STATEMENT."""
    doc, _ = store.add_document(external_id="d1", title="t1", text=TEXT, sentences=SENTENCES)
    assert doc.id is not None
    for name in ("alice", "bob"):
        store.import_annotations(doc.id, name, [PERS, SPAIN], [])
    for name, role, polarity in (("alice", "Entity", "positive"),
                                 ("bob", "Place", "negative")):
        coop = store.add_event_mention(doc.id, name, *COOP, "COOPERATE",
                                       {"polarity": polarity})
        assert coop is not None and coop.id is not None
        assert store.add_event_argument(coop.id, name, "Entity",
                                        span_id(store, doc.id, name, PERS))
        assert store.add_event_argument(coop.id, name, role,
                                        span_id(store, doc.id, name, SPAIN))
    assert store.add_event_mention(doc.id, "alice", *SAID, "STATEMENT")
    store.set_role("carol", "adjudicator")
    return doc.id


def gold_args(store: Store, doc: int) -> dict[tuple, dict]:
    (g,) = [g for k, g in load_event_items(store, doc).gold.items() if k[2] == "COOPERATE"]
    return {a[:4]: a[4] for a in g.arguments}


def test_auto_takes_what_both_agree_on(store: Store) -> None:
    doc = build(store)
    n_attrs = len(store.event_mentions(doc, "alice")[0].attributes)
    report = auto_merge(store, WHEN, by="carol")
    assert report.disagreements_left == 3 and report.gold_done == 0  # 3 event items
    # the trigger, the PERS Entity, every attribute but polarity
    assert report.mentions_taken == 1 + 1 + (n_attrs - 1)
    state = load_event_items(store, doc)
    (g,) = state.gold.values()
    assert g.key == (*COOP, "COOPERATE") and "polarity" not in g.attributes
    assert g.provenance["annotators"] == ["alice", "bob"]
    assert g.provenance["rule"] == "unanimous" and g.provenance["by"] == "carol"
    assert g.provenance["attributes"]["tense"]["rule"] == "unanimous"
    assert gold_args(store, doc) == {("Entity", *PERS): {
        "annotators": ["alice", "bob"], "rule": "unanimous", "by": "carol", "at": AT}}
    assert [i.kind for i in state.items] == [KIND_ARGUMENT, KIND_ATTRIBUTE, KIND_TRIGGER]
    assert auto_merge(store, WHEN, by="carol").taken == 0  # a second run changes nothing
    assert f"{report.mentions_taken} event-mention items" in auto_summary(report)
    (row,) = [a for a in store.actions(doc) if a.kind == "auto_merge"]
    assert summarize(row.kind, row.payload).startswith("+2 spans +0 event labels; "
                                                        "+COOPERATE [39,46)")


def test_opening_a_document_takes_its_agreed_mentions(store: Store) -> None:
    doc = build(store)
    load_document(store, doc, merge_by="carol")  # what the adjudicate screen does
    assert list(load_event_items(store, doc).gold) == [(*COOP, "COOPERATE")]


def test_a_disputed_argument_decided(store: Store) -> None:
    doc = build(store)
    auto_merge(store, WHEN, by="carol")
    item = load_event_items(store, doc).items[0]
    assert item.kind == KIND_ARGUMENT and item.argument == SPAIN[:2]
    bob = next(i for i, v in enumerate(item.versions) if v.annotators == ("bob",))
    result = decide_event(store, doc, "carol", choose(item, [bob]), WHEN)
    assert result.mentions_changed == 1 and result.remaining == 2
    assert gold_args(store, doc)[("Place", *SPAIN)] == {
        "annotators": ["bob"], "rule": "adjudicated", "by": "carol", "at": AT,
        "outcome": "accepted", "item": item.key}
    assert ("Entity", *SPAIN) not in gold_args(store, doc)
    last = store.actions(doc)[-1]
    assert (last.kind, last.by) == ("adjudicate", "carol")
    assert summarize(last.kind, last.payload) == (
        "accepted event_argument (bob): ~COOPERATE [39,46)")
    with store.session() as s:
        row = s.exec(select(Decision).where(Decision.item_key == item.key)).one()
    assert (row.kind, row.outcome, row.by, row.versions) == (
        "event_argument", "accepted", "carol", [["bob"]])
    state = load_event_items(store, doc)
    assert item.key in state.decisions and state.remaining == 2

    # undo and redo go through gold's decision stack
    assert undo_decision(store, doc, "carol") is not None
    assert ("Place", *SPAIN) not in gold_args(store, doc)
    assert item.key not in load_event_items(store, doc).decisions
    assert redo_decision(store, doc, "carol") is not None
    assert ("Place", *SPAIN) in gold_args(store, doc)

    # deciding again replaces the decision; auto-merge leaves it alone
    alice = 1 - bob
    decide_event(store, doc, "carol", choose(item, [alice]), WHEN)
    assert set(gold_args(store, doc)) == {("Entity", *PERS), ("Entity", *SPAIN)}
    assert auto_merge(store, WHEN, by="carol").taken == 0
    assert set(gold_args(store, doc)) == {("Entity", *PERS), ("Entity", *SPAIN)}

    # an annotator's unrelated change does not drop the event decision (gold follows)
    store.add_span(doc, "bob", 74, 80, "GPE")
    assert item.key in load_event_items(store, doc).decisions


def gold_arg_ids(store: Store, doc: int) -> dict[tuple, int]:
    gold = store.event_mentions(doc, "gold")
    return {(a.role, a.start, a.end, a.label): a.id for m in gold for a in m.arguments}


def test_deciding_one_argument_keeps_gold_other_rows(store: Store) -> None:
    """Gold's mention changes in place, as an annotator's does: a decision on one argument
    leaves the mention's id and its other arguments' ids alone, undo too."""
    doc = build(store)
    auto_merge(store, WHEN, by="carol")
    (mention,) = store.event_mentions(doc, "gold")
    before = gold_arg_ids(store, doc)
    item = load_event_items(store, doc).items[0]
    bob = next(i for i, v in enumerate(item.versions) if v.annotators == ("bob",))
    decide_event(store, doc, "carol", choose(item, [bob]), WHEN)
    after = gold_arg_ids(store, doc)
    assert [m.id for m in store.event_mentions(doc, "gold")] == [mention.id]
    assert len(after) == len(before) + 1
    assert all(after[k] == i for k, i in before.items())
    assert undo_decision(store, doc, "carol") is not None
    assert gold_arg_ids(store, doc) == before


def test_trigger_and_attribute_decisions(store: Store) -> None:
    doc = build(store)
    auto_merge(store, WHEN, by="carol")
    state = load_event_items(store, doc)
    attr = next(i for i in state.items if i.kind == KIND_ATTRIBUTE)
    trig = next(i for i in state.items if i.kind == KIND_TRIGGER)
    decide_event(store, doc, "carol", edit_attribute(attr, "positive"), WHEN)
    (coop,) = [g for g in load_event_items(store, doc).gold.values()
               if g.type == "COOPERATE"]
    assert coop.attributes["polarity"] == "positive"
    assert coop.provenance["attributes"]["polarity"]["annotators"] == ["alice"]
    assert coop.provenance["attributes"]["polarity"]["rule"] == "edited"

    decide_event(store, doc, "carol", reject(trig), WHEN)
    assert (*SAID, "STATEMENT") not in load_event_items(store, doc).gold
    decide_event(store, doc, "carol", choose(trig, [0]), WHEN)  # alice's version
    said = load_event_items(store, doc).gold[(*SAID, "STATEMENT")]
    assert said.provenance["annotators"] == ["alice"]
    assert said.provenance["rule"] == "adjudicated"
    assert load_event_items(store, doc).remaining == 1  # the argument is left
    assert store.status(doc, GOLD) == "in_progress"  # gold is not done while one is open
    arg = load_event_items(store, doc).items[0]
    result = decide_event(store, doc, "carol", choose(arg, [0]), WHEN)
    assert (result.remaining, result.status) == (0, "done")
    assert store.status(doc, GOLD) == "done"
    assert undo_decision(store, doc, "carol") is not None
    assert store.status(doc, GOLD) == "in_progress"


def test_refusals(store: Store) -> None:
    doc = build(store)
    state = load_event_items(store, doc)  # before auto: gold has no COOPERATE yet
    arg = state.items[0]
    with pytest.raises(StoreError, match="not in gold yet"):
        decide_event(store, doc, "carol", choose(arg, [0]), WHEN)
    auto_merge(store, WHEN, by="carol")
    # bob changes the role: the item carol saw is gone
    (coop,) = store.event_mentions(doc, "bob")
    place = next(a for a in coop.arguments if a.role == "Place")
    assert store.remove_event_argument(place.id, "bob")
    with pytest.raises(StoreError, match="no longer there"):
        decide_event(store, doc, "carol", choose(arg, [0]), WHEN)
    assert GOLD not in load_event_items(store, doc).views


# ------------------------------------------------------------ gold follows
def test_gold_follows_an_annotators_change(store: Store) -> None:
    doc = build(store)
    auto_merge(store, WHEN, by="carol")
    state = load_event_items(store, doc)
    arg, attr = state.items[0], state.items[1]
    decide_event(store, doc, "carol", choose(arg, [1]), WHEN)  # bob's Place
    decide_event(store, doc, "carol", edit_attribute(attr, "positive"), WHEN)

    # bob drops his Place link: the argument item changed, so its decision goes with the
    # argument it wrote; the attribute decision stands
    (coop,) = store.event_mentions(doc, "bob")
    place = next(a for a in coop.arguments if a.role == "Place")
    assert store.remove_event_argument(place.id, "bob")
    state = load_event_items(store, doc)
    assert arg.key not in state.decisions and attr.key in state.decisions
    assert set(gold_args(store, doc)) == {("Entity", *PERS)}
    follows = [a for a in store.actions(doc) if a.kind == "gold_follows"][-1]
    assert "~COOPERATE [39,46)" in summarize(follows.kind, follows.payload)

    # bob now says positive too: the attribute item is gone, its decision and the value it
    # wrote go; auto-merge takes the value again, unanimous
    assert store.set_mention_attributes(coop.id, "bob", {"polarity": "positive"})
    state = load_event_items(store, doc)
    assert attr.key not in state.decisions
    assert "polarity" not in state.gold[(*COOP, "COOPERATE")].attributes
    auto_merge(store, WHEN, by="carol")
    g = load_event_items(store, doc).gold[(*COOP, "COOPERATE")]
    assert g.attributes["polarity"] == "positive"
    assert g.provenance["attributes"]["polarity"]["rule"] == "unanimous"

    # alice removes her trigger: gold's unanimous mention no longer stands
    (mine,) = [x for x in store.event_mentions(doc, "alice") if x.type == "COOPERATE"]
    assert store.remove_event_mention(mine.id, "alice")
    assert (*COOP, "COOPERATE") not in load_event_items(store, doc).gold


def test_decisions_on_one_mention_stand_apart(store: Store) -> None:
    """Re-deciding or undoing an argument leaves another adjudicator's attribute decision
    on the same mention as it is (changes are replayed part by part)."""
    doc = build(store)
    store.set_role("dave", "adjudicator")
    auto_merge(store, WHEN, by="carol")
    arg, attr = load_event_items(store, doc).items[:2]
    decide_event(store, doc, "carol", choose(arg, [1]), WHEN)  # bob's Place
    decide_event(store, doc, "dave", edit_attribute(attr, "negative"), WHEN)
    decide_event(store, doc, "carol", choose(arg, [0]), WHEN)  # alice's Entity instead

    def coop() -> GoldMention:
        return load_event_items(store, doc).gold[(*COOP, "COOPERATE")]

    assert coop().attributes["polarity"] == "negative"
    assert set(gold_args(store, doc)) == {("Entity", *PERS), ("Entity", *SPAIN)}
    assert undo_decision(store, doc, "carol") is not None  # back to bob's Place
    assert set(gold_args(store, doc)) == {("Entity", *PERS), ("Place", *SPAIN)}
    assert coop().attributes["polarity"] == "negative"
    assert undo_decision(store, doc, "dave") is not None
    assert "polarity" not in coop().attributes
    assert set(gold_args(store, doc)) == {("Entity", *PERS), ("Place", *SPAIN)}
