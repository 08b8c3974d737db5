"""Gold is never stale: an annotator's change after adjudication reopens what it touched."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from adjudication_example import add_disputed_document
from sqlalchemy.exc import IntegrityError

from annotator.adjudication import choose
from annotator.io.records import iter_records, parse_source, select_documents
from annotator.store.gold import auto_merge, decide, gold_spans, load_document, redo_decision
from annotator.store.models import GOLD, EventLabel
from annotator.store.service import Store, StoreError

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def _setup(store: Store) -> int:
    doc = add_disputed_document(store)
    store.set_role("carol", "adjudicator")
    store.set_role("dave", "adjudicator")
    auto_merge(store, WHEN, by="carol")
    return doc


def _item_at(store: Store, doc: int, start: int):  # noqa: ANN202
    state = load_document(store, doc)
    assert state is not None
    return state, next(i for i in state.items if i.start == start)


def _decide_all(store: Store, doc: int) -> None:
    state = load_document(store, doc)
    assert state is not None
    for item in state.items:
        decide(store, doc, "carol", choose(item, [0]), WHEN)


def _gold_export(store: Store) -> list[dict]:
    sel = select_documents(store, parse_source("gold"))
    return list(iter_records(store, sel, schema_version=1))


def _span_id(store: Store, doc: int, user: str, span: tuple[int, int, str]) -> int:
    found = [s.id for s in store.spans(doc, user) if (s.start, s.end, s.label) == span]
    assert found and found[0] is not None
    return found[0]


def test_the_reported_scenario_reopens_the_item(store: Store) -> None:
    """carol accepts alice's PERS; alice reopens, removes it, marks done again."""
    doc = _setup(store)
    _state, item = _item_at(store, doc, 18)
    version = next(i for i, v in enumerate(item.versions) if "alice" in v.annotators)
    decide(store, doc, "carol", choose(item, [version]), WHEN)
    assert (18, 34, "PERS") in gold_spans(store, doc)

    store.set_status(doc, "alice", "in_progress")
    assert store.remove_span(_span_id(store, doc, "alice", (18, 34, "PERS")), "alice")
    store.set_status(doc, "alice", "done")

    assert (18, 34, "PERS") not in gold_spans(store, doc)
    state = load_document(store, doc)
    assert state is not None and state.status != "done"
    reopened = next(i for i in state.items if i.start == 18)
    assert reopened.key not in state.decisions  # open again, to be decided afresh
    for record in _gold_export(store):
        assert all(s["label"] != "PERS" or s["start"] != 18 for s in record["spans"])


def test_a_finished_gold_document_leaves_the_export_when_its_work_changes(
        store: Store) -> None:
    doc = _setup(store)
    _decide_all(store, doc)
    state = load_document(store, doc)
    assert state is not None and state.status == "done" and state.remaining == 0
    assert [r["id"] for r in _gold_export(store)] == ["d1"]

    store.set_status(doc, "bob", "in_progress")  # bob reworks the document
    assert _gold_export(store) == []  # gold is no longer done
    assert load_document(store, doc) is None or load_document(store, doc).status != "done"

    store.set_status(doc, "bob", "done")  # nothing changed after all: done again
    state = load_document(store, doc)
    assert state is not None and state.status == "done"
    assert [r["id"] for r in _gold_export(store)] == ["d1"]


def test_a_unanimous_item_leaves_gold_when_one_annotator_drops_it(store: Store) -> None:
    doc = _setup(store)
    assert (4, 17, "OCC") in gold_spans(store, doc)
    store.remove_span(_span_id(store, doc, "bob", (4, 17, "OCC")), "bob")
    assert (4, 17, "OCC") not in gold_spans(store, doc)
    state = load_document(store, doc)
    assert state is not None
    assert any(i.start == 4 and i.key not in state.decisions for i in state.items)


def test_relabel_and_undo_are_followed_too(store: Store) -> None:
    doc = _setup(store)
    store.remove_span(_span_id(store, doc, "alice", (4, 17, "OCC")), "alice")
    store.add_span(doc, "alice", 4, 17, "PERS")  # relabelled
    assert (4, 17, "OCC") not in gold_spans(store, doc)
    store.undo(doc, "alice")
    store.undo(doc, "alice")  # back to OCC: agreed again, auto-merge takes it
    auto_merge(store, WHEN, by="carol")
    assert (4, 17, "OCC") in gold_spans(store, doc)


def test_event_labels_follow(store: Store) -> None:
    doc = _setup(store)
    state, _ = _item_at(store, doc, 18)
    unit_item = next(i for i in state.items if i.is_event and i.unit == ("document", None,
                                                                         None))
    version = next(i for i, v in enumerate(unit_item.versions) if "alice" in v.annotators)
    decide(store, doc, "carol", choose(unit_item, [version]), WHEN)
    assert {e.label for e in store.events(doc, GOLD) if e.scope == "document"} == {
        "STATEMENT", "COOPERATE"}
    store.set_events(doc, "alice", "document", ["STATEMENT", "MEET"])
    labels = {e.label for e in store.events(doc, GOLD) if e.scope == "document"}
    assert "COOPERATE" not in labels and "STATEMENT" in labels


def test_a_decision_on_a_stale_view_is_refused(store: Store) -> None:
    doc = _setup(store)
    state, item = _item_at(store, doc, 18)
    seen = state.decisions.get(item.key)  # carol's screen: undecided
    decide(store, doc, "dave", choose(item, [0]), WHEN, seen=None)  # dave first
    with pytest.raises(StoreError, match="decided by dave"):
        decide(store, doc, "carol", choose(item, [1]), WHEN, seen=seen)
    fresh = load_document(store, doc)
    assert fresh is not None
    decide(store, doc, "carol", choose(item, [1]), WHEN, seen=fresh.decisions[item.key])


def test_gold_event_labels_are_unique(store: Store) -> None:
    doc = _setup(store)
    gold = store.annotator(GOLD).id
    with store.write(doc) as s:
        s.add(EventLabel(document_id=doc, annotator_id=gold, label="STATEMENT",
                         scope="document"))
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_import_into_gold_is_refused(store: Store) -> None:
    doc = _setup(store)
    with pytest.raises(StoreError, match="only by adjudication"):
        store.import_annotations(doc, GOLD, [(4, 17, "OCC")], [])


class _Labels:
    def __init__(self, entities: set[str], events: set[str]) -> None:
        self._entities, self._events = entities, events

    def entity_names(self) -> set[str]:
        return self._entities

    def event_names(self) -> set[str]:
        return self._events


def test_redo_checks_the_label_schema(store: Store) -> None:
    doc = add_disputed_document(store)
    store.label_checker = _Labels({"PERS", "ORG"}, {"MEET"})
    assert store.add_span(doc, "erin", 0, 3, "PERS") is not None
    assert store.undo(doc, "erin") is not None
    store.label_checker = _Labels({"ORG"}, {"MEET"})  # PERS left the schema
    with pytest.raises(StoreError, match="cannot redo: label 'PERS'"):
        store.redo(doc, "erin")
    assert store.spans(doc, "erin") == []


def test_gold_redo_checks_the_label_schema(store: Store) -> None:
    doc = _setup(store)
    _state, item = _item_at(store, doc, 18)
    version = next(i for i, v in enumerate(item.versions) if "alice" in v.annotators)
    decide(store, doc, "carol", choose(item, [version]), WHEN)
    from annotator.store.gold import undo_decision

    assert undo_decision(store, doc, "carol") is not None
    store.label_checker = _Labels({"OCC", "ORG", "GPE"}, {"STATEMENT", "COOPERATE", "MEET"})
    with pytest.raises(StoreError, match="cannot redo"):
        redo_decision(store, doc, "carol")
    assert (18, 34, "PERS") not in gold_spans(store, doc)
