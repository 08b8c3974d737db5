"""Gold in the store: auto-merge (idempotent), decisions with provenance, undo/redo, roles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from adjudication_example import SENTENCES, TEXT, add_disputed_document

from annotator.adjudication import choose, edit, reject
from annotator.errors import PermissionDenied
from annotator.store.gold import (
    DocCount,
    adjudicable_ids,
    auto_merge,
    corpus_counts,
    decide,
    gold_done_ids,
    gold_spans,
    load_adjudication,
    load_document,
    redo_decision,
    require_adjudicator,
    undo_decision,
)
from annotator.store.models import GOLD
from annotator.store.service import Store, StoreError

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def build(store: Store) -> tuple[int, int, int]:
    """d1: agreements and one disagreement of each kind; d2: full agreement; d3: alice only."""
    d1 = add_disputed_document(store, "d1", "t1")
    d2, _ = store.add_document(external_id="d2", title="t2", text=TEXT + " ثانية",
                               sentences=SENTENCES)
    d3, _ = store.add_document(external_id="d3", title="t3", text=TEXT + " ثالثة",
                               sentences=SENTENCES)
    assert d1 and d2.id and d3.id
    for name in ("alice", "bob"):
        store.import_annotations(d2.id, name, [(18, 34, "PERS")],
                                 [("STATEMENT", "document", None, None)])
    store.import_annotations(d3.id, "alice", [(18, 34, "PERS")], [])
    store.set_role("carol", "adjudicator")
    return d1, d2.id, d3.id


def gold_events(store: Store, doc_id: int) -> dict[tuple, dict]:
    return {(e.scope, e.start, e.label): e.provenance for e in store.events(doc_id, GOLD)}


def test_auto_merge_takes_agreed_items_and_is_idempotent(store: Store) -> None:
    d1, d2, d3 = build(store)
    report = auto_merge(store, WHEN, by="carol")
    assert report.documents == 2
    assert (report.spans_taken, report.events_taken) == (3, 3)  # d1: 2+2, d2: 1+1
    assert report.disagreements_left == 5 and report.documents_with_disagreements == 1
    assert report.gold_done == 1
    assert gold_spans(store, d1) == [(4, 17, "OCC"), (57, 64, "GPE")]
    prov = store.spans(d1, GOLD)[0].provenance
    assert prov == {"annotators": ["alice", "bob"], "rule": "unanimous", "by": "carol",
                    "at": "2025-01-02T03:04:05+00:00"}
    assert set(gold_events(store, d1)) == {("document", None, "STATEMENT"),
                                           ("sentence", 0, "MEET")}
    assert store.status(d1, GOLD) == "in_progress"
    assert store.status(d2, GOLD) == "done"
    assert store.spans(d3, GOLD) == []
    n_actions = len(store.actions(d1))
    again = auto_merge(store)
    assert again.taken == 0 and again.disagreements_left == 5
    assert len(store.actions(d1)) == n_actions  # a second run changes nothing


def test_auto_count_matches_expectation(store: Store) -> None:
    build(store)
    assert auto_merge(store, WHEN).taken == 6


def test_decisions_write_gold_with_provenance(store: Store) -> None:
    d1, _, _ = build(store)
    auto_merge(store, WHEN)
    state = load_document(store, d1)
    assert state is not None and state.remaining == 5
    kinds = {d.kind + str(d.start): d for d in state.items}
    assert sorted(kinds) == ["boundary92", "event66", "eventNone", "label18", "missing74"]

    r = decide(store, d1, "carol", choose(kinds["label18"], [1]), WHEN)
    assert (r.spans_added, r.remaining, r.status) == (1, 4, "in_progress")
    org = next(s for s in store.spans(d1, GOLD) if s.start == 18)
    assert org.label == "ORG"
    assert org.provenance["annotators"] == ["bob"] and org.provenance["by"] == "carol"
    assert org.provenance["rule"] == "adjudicated" and org.provenance["outcome"] == "accepted"

    decide(store, d1, "carol", reject(kinds["missing74"]), WHEN)
    assert all(s.start != 74 for s in store.spans(d1, GOLD))

    decide(store, d1, "carol", edit(kinds["boundary92"], (93, 108, "ORG")), WHEN)
    edited = next(s for s in store.spans(d1, GOLD) if s.start == 93)
    assert edited.provenance["rule"] == "edited" and edited.provenance["annotators"] == ["bob"]
    assert TEXT[93:108] == "لاتحاد الأوروبي"

    decide(store, d1, "carol", choose(kinds["eventNone"], [0]), WHEN)
    events = gold_events(store, d1)
    assert events[("document", None, "COOPERATE")]["annotators"] == ["alice"]
    assert events[("document", None, "STATEMENT")]["rule"] == "unanimous"  # kept

    r = decide(store, d1, "carol", reject(kinds["event66"]), WHEN)
    assert (r.remaining, r.status) == (0, "done")
    assert store.status(d1, GOLD) == "done"
    final = load_document(store, d1)
    assert final is not None and final.remaining == 0
    assert final.decisions[kinds["label18"].key].versions == [["bob"]]
    assert final.decisions[kinds["missing74"].key].outcome == "rejected"

    # undo: gold and status go back; redo re-applies
    assert undo_decision(store, d1, "carol") is not None
    assert store.status(d1, GOLD) == "in_progress"
    assert load_document(store, d1).remaining == 1  # type: ignore[union-attr]
    assert undo_decision(store, d1, "carol") is not None  # the document event decision
    assert "COOPERATE" not in {e.label for e in store.events(d1, GOLD) if e.scope == "document"}
    assert redo_decision(store, d1, "carol") is not None
    assert gold_events(store, d1)[("document", None, "COOPERATE")]["by"] == "carol"
    assert undo_decision(store, d1, "dave") is None  # another user's stack is empty


def test_undo_of_span_decision_and_redecision(store: Store) -> None:
    d1, _, _ = build(store)
    auto_merge(store, WHEN)
    item = next(d for d in load_document(store, d1).items if d.kind == "label")  # type: ignore
    decide(store, d1, "carol", choose(item, [0]), WHEN)
    assert (18, 34, "PERS") in gold_spans(store, d1)
    # deciding again replaces the earlier decision's spans
    r = decide(store, d1, "carol", choose(item, [0, 1]), WHEN)
    assert (r.spans_added, r.spans_removed) == (2, 1)
    assert {(18, 34, "PERS"), (18, 34, "ORG")} <= set(gold_spans(store, d1))
    undo_decision(store, d1, "carol")
    assert (18, 34, "ORG") not in gold_spans(store, d1)
    assert (18, 34, "PERS") in gold_spans(store, d1)
    undo_decision(store, d1, "carol")
    assert not any(s[0] == 18 for s in gold_spans(store, d1))
    assert item.key not in load_document(store, d1).decisions  # type: ignore[union-attr]
    # a new decision discards the redo stack
    decide(store, d1, "carol", reject(item), WHEN)
    assert redo_decision(store, d1, "carol") is None


def test_stale_item_is_refused(store: Store) -> None:
    d1, _, _ = build(store)
    item = load_document(store, d1).items[1]  # type: ignore[union-attr]
    store.set_status(d1, "bob", "in_progress")  # bob reopens: fewer than two finishers
    with pytest.raises(StoreError):
        decide(store, d1, "carol", reject(item))
    assert load_document(store, d1) is None
    assert [s.external_id for s in load_adjudication(store)] == ["d2"]


def test_only_adjudicators(store: Store) -> None:
    build(store)
    require_adjudicator(store, "carol")
    with pytest.raises(PermissionDenied, match="only adjudicators"):
        require_adjudicator(store, "alice")
    with pytest.raises(PermissionDenied):
        require_adjudicator(store, GOLD)
    with pytest.raises(PermissionDenied):
        require_adjudicator(store, "nobody")


def test_annotators_stay_blind_to_gold(store: Store) -> None:
    d1, _, _ = build(store)
    auto_merge(store, WHEN)
    alice = {(s.start, s.end, s.label) for s in store.spans(d1, "alice")}
    assert (93, 108, "ORG") not in alice  # bob's version is not alice's
    assert all(s.provenance is None for s in store.spans(d1, "alice"))
    rows = {r.external_id: r for r in store.document_rows("alice")}
    assert rows["d1"].spans == 5


def test_two_adjudicators_undo_never_corrupts_the_others_decision(store: Store) -> None:
    d1, _, _ = build(store)
    store.set_role("dave", "adjudicator")
    auto_merge(store, WHEN)
    items = load_document(store, d1).items  # type: ignore[union-attr]
    label = next(d for d in items if d.kind == "label")
    for it in items:
        decide(store, d1, "carol", choose(it, [0]) if it is label else reject(it), WHEN)
    assert load_document(store, d1).status == "done"  # type: ignore[union-attr]
    decide(store, d1, "dave", choose(label, [1]), WHEN)  # dave re-decides carol's item
    ours = {(18, 34, "PERS"), (18, 34, "ORG")} & set(gold_spans(store, d1))
    while undo_decision(store, d1, "carol") is not None:
        pass
    # carol's superseded decision is not hers to undo: dave's decision and span stay
    doc = load_document(store, d1)
    assert doc is not None and set(doc.decisions) == {label.key}
    assert doc.decisions[label.key].by == "dave"
    assert {(18, 34, "PERS"), (18, 34, "ORG")} & set(gold_spans(store, d1)) == ours
    assert doc.status == "in_progress"
    # dave's undo brings carol's decision back; four items are still undecided, so gold
    # is not done (the status stored with dave's action said done)
    assert undo_decision(store, d1, "dave") is not None
    doc = load_document(store, d1)
    assert doc is not None and doc.decisions[label.key].by == "carol"
    assert doc.remaining == len(items) - 1 and doc.status == "in_progress"


def test_auto_merge_on_an_in_memory_database() -> None:
    store = Store.open("sqlite://")
    try:
        d1, d2, _ = build(store)
        assert auto_merge(store, WHEN).documents == 2
        assert (18, 34, "PERS") in gold_spans(store, d2)
    finally:
        store.close()


def test_undo_after_an_annotator_reopened_keeps_gold_unfinished(store: Store) -> None:
    d1, _, _ = build(store)
    item = load_document(store, d1).items[0]  # type: ignore[union-attr]
    decide(store, d1, "carol", reject(item), WHEN)
    store.set_status(d1, "bob", "in_progress")  # one finisher left: nothing to compare
    assert undo_decision(store, d1, "carol") is not None
    with store.session() as s:
        from annotator.store.gold import _gold_id, _status
        assert _status(s, d1, _gold_id(store, s)) != "done"


def test_corpus_counts_agree_with_load_document(store: Store) -> None:
    d1, d2, d3 = build(store)
    auto_merge(store, WHEN)
    items = load_document(store, d1).items  # type: ignore[union-attr]
    decide(store, d1, "carol", reject(items[0]), WHEN)
    decide(store, d1, "carol", choose(items[1], [1]), WHEN)
    ids = [d1, d2, d3]
    counts = corpus_counts(store, ids)
    assert counts == {d1: DocCount(5, 3), d2: DocCount(0, 0)}  # d3: one finisher only
    for doc_id, count in counts.items():
        state = load_document(store, doc_id)
        assert state is not None and count == DocCount(len(state.items), state.remaining)
    assert adjudicable_ids(store) == [d1, d2]
    assert gold_done_ids(store) == {d2}
    assert corpus_counts(store, ids, cancelled=lambda: True) is None
