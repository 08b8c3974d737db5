"""Suggestion rows in the store: per annotator, never an annotation until accepted; accept
and reject are one transaction each and undoable; a rejected one never comes back.
Runs on SQLite and (with $ANNOTATOR_TEST_PG) PostgreSQL."""

from __future__ import annotations

import pytest

from annotator.store.models import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Action,
    Suggestion,
)
from annotator.store.service import Store, StoreError
from annotator.suggest.proposal import Proposal
from annotator.text.segment import split_sentences

TEXT = ("زار وزير الخارجية المغرب أمس. وقال إن المغرب شريك، وأكد أن للمغرب دورا. "
        "ثم غادر إلى الرباط.")


def at(sub: str, n: int = 1) -> tuple[int, int]:
    i = -1
    for _ in range(n):
        i = TEXT.index(sub, i + 1)
    return i, i + len(sub)


M1, M2, M3 = at("المغرب"), at("المغرب", 2), at("مغرب", 3)
RABAT = at("الرباط")


def _doc(store: Store, eid: str = "d1", text: str = TEXT) -> int:
    doc, _ = store.add_document(external_id=eid, title=eid, text=text,
                                sentences=split_sentences(text))
    assert doc.id is not None
    return doc.id


def P(rng: tuple[int, int], label: str = "GPE", source: str = "occurrences",
      score: float = 1.0) -> Proposal:
    return Proposal(rng[0], rng[1], label, source, score)


def _actions(store: Store, doc: int, user: str) -> list[Action]:
    return [a for a in store.actions(doc, user) if a.kind.endswith("_suggestion")]


def test_add_skips_what_is_there(store: Store) -> None:
    doc = _doc(store)
    store.add_span(doc, "alice", *M1, "GPE")
    proposals = [P(M1), P(M2), P(M3), P(RABAT, source="gazetteer", score=0.5), P(M2)]
    assert store.add_suggestions("alice", doc, proposals) == 3  # M1 is her span; M2 twice
    rows = store.suggestions(doc, "alice")
    assert [(r.start, r.end, r.label, r.source, r.state) for r in rows] == [
        (*M2, "GPE", "occurrences", "pending"), (*M3, "GPE", "occurrences", "pending"),
        (*RABAT, "GPE", "gazetteer", "pending")]
    assert rows[-1].score == pytest.approx(0.5)
    # the same again adds nothing; another label on the same range is a new suggestion
    assert store.add_suggestions("alice", doc, proposals) == 0
    assert store.add_suggestions("alice", doc, [P(RABAT, "LOC", "model", 0.7)]) == 1
    # pending suggestions are not annotations: the document is still new, no span added
    assert store.status(doc, "alice") == STATUS_IN_PROGRESS  # from her own span
    assert len(store.spans(doc, "alice")) == 1
    assert store.suggestion_counts("alice", doc) == {"occurrences": 2, "gazetteer": 1,
                                                     "model": 1}


def test_suggestions_are_per_annotator(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M1), P(M2)])
    assert store.suggestions(doc, "bob") == []
    assert store.suggestion_counts("bob") == {}
    assert store.status(doc, "alice") == STATUS_NEW
    # bob cannot decide alice's suggestions
    sid = store.suggestions(doc, "alice")[0].id
    assert store.accept_suggestion(sid, "bob") is None
    assert store.reject_suggestion(sid, "bob") is False
    assert store.spans(doc, "bob") == [] and store.spans(doc, "alice") == []
    assert [r.state for r in store.suggestions(doc, "alice", None)] == ["pending"] * 2


@pytest.mark.parametrize("bad, needle", [
    (Proposal(0, 3, "GPE", "guess"), "unknown suggestion source"),
    (Proposal(0, 3, "NOPE", "model"), "not an entity type"),
    (Proposal(0, 10_000, "GPE", "model"), "outside the document"),
    (Proposal(5, 5, "GPE", "model"), "outside the document"),
])
def test_bad_proposals_are_refused(store: Store, bad: Proposal, needle: str) -> None:
    doc = _doc(store)
    with pytest.raises(StoreError, match=needle):
        store.add_suggestions("alice", doc, [P(M1), bad])
    assert store.suggestions(doc, "alice", None) == []  # all or nothing


def test_gold_gets_no_suggestions(store: Store) -> None:
    doc = _doc(store)
    with pytest.raises(StoreError, match="adjudication"):
        store.add_suggestions("gold", doc, [P(M1)])


def test_accept_is_a_span_with_provenance_undo_redo(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M2, score=0.9), P(M3)])
    sid = store.suggestions(doc, "alice")[0].id
    assert sid is not None
    span = store.accept_suggestion(sid, "alice")
    assert span is not None and (span.start, span.end, span.label) == (*M2, "GPE")
    assert span.provenance == {"suggested_by": "occurrences", "score": 0.9}
    assert TEXT[span.start:span.end] == "المغرب"
    assert store.status(doc, "alice") == STATUS_IN_PROGRESS
    states = {r.id: r.state for r in store.suggestions(doc, "alice", None)}
    assert states[sid] == "accepted"
    assert store.accept_suggestion(sid, "alice") is None  # not pending any more
    [act] = _actions(store, doc, "alice")
    assert act.kind == "accept_suggestion" and act.payload["items"][0]["suggestion"] == sid

    undone = store.undo(doc, "alice")
    assert undone is not None and undone.kind == "accept_suggestion"
    assert store.spans(doc, "alice") == []
    assert {r.id: r.state for r in store.suggestions(doc, "alice", None)}[sid] == "pending"

    redone = store.redo(doc, "alice")
    assert redone is not None and redone.kind == "accept_suggestion"
    [again] = store.spans(doc, "alice")
    assert (again.start, again.end, again.provenance) == (
        *M2, {"suggested_by": "occurrences", "score": 0.9})
    assert {r.id: r.state for r in store.suggestions(doc, "alice", None)}[sid] == "accepted"


def test_accept_over_an_existing_span_keeps_it_on_undo(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M2)])
    sid = store.suggestions(doc, "alice")[0].id
    store.add_span(doc, "alice", *M2, "GPE")  # she marked it herself meanwhile
    assert store.accept_suggestion(sid, "alice") is None
    assert store.suggestions(doc, "alice", "accepted")[0].id == sid
    store.undo(doc, "alice")  # the accept: the suggestion is pending, her span stays
    assert len(store.spans(doc, "alice")) == 1
    assert store.suggestions(doc, "alice")[0].id == sid


def test_reject_never_comes_back_and_is_undoable(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M2), P(M3)])
    first, second = store.suggestions(doc, "alice")
    assert store.reject_suggestion(first.id, "alice") is True
    assert store.reject_suggestion(first.id, "alice") is False
    assert store.add_suggestions("alice", doc, [P(M2), P(M3)]) == 0
    assert [s.id for s in store.suggestions(doc, "alice")] == [second.id]
    assert store.status(doc, "alice") == STATUS_NEW  # a rejection adds no annotation
    undone = store.undo(doc, "alice")
    assert undone is not None and undone.kind == "reject_suggestion"
    assert {s.id for s in store.suggestions(doc, "alice")} == {first.id, second.id}
    store.redo(doc, "alice")
    assert [s.id for s in store.suggestions(doc, "alice", "rejected")] == [first.id]


def test_accept_all_is_one_transaction_one_action(store: Store) -> None:
    doc = _doc(store)
    other = _doc(store, "d2", "المغرب والرباط.")
    store.add_suggestions("alice", doc, [P(M1), P(M2), P(M3), P(RABAT, "LOC", "model")])
    ids = [s.id for s in store.suggestions(doc, "alice")]
    assert store.accept_suggestions(ids[:3], "alice") == 3
    assert len(_actions(store, doc, "alice")) == 1
    assert sorted((s.start, s.end) for s in store.spans(doc, "alice")) == [M1, M2, M3]
    assert store.undo(doc, "alice") is not None  # one undo takes all three back
    assert store.spans(doc, "alice") == []
    assert len(store.suggestions(doc, "alice")) == 4
    assert store.reject_suggestions(ids, "alice") == 4
    assert store.suggestions(doc, "alice") == []
    assert len(_actions(store, doc, "alice")) == 2
    assert store.suggestions(other, "alice", None) == []
    assert store.accept_suggestions([], "alice") == 0


def test_accept_checks_the_schema_on_redo_too(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M1)])
    sid = store.suggestions(doc, "alice")[0].id
    store.accept_suggestion(sid, "alice")
    store.undo(doc, "alice")

    class Narrow:
        def entity_names(self) -> list[str]:
            return ["PERS"]

        def event_names(self) -> list[str]:
            return []

    store.label_checker = Narrow()
    with pytest.raises(StoreError, match="cannot redo"):
        store.redo(doc, "alice")


def test_stats_and_counts(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M1), P(M2), P(RABAT, source="gazetteer")])
    store.add_suggestions("bob", doc, [P(M1, source="model", score=0.4)])
    a = {(s.start, s.end): s.id for s in store.suggestions(doc, "alice")}
    store.accept_suggestion(a[M1], "alice")
    store.reject_suggestion(a[RABAT], "alice")
    assert store.suggestion_stats() == [
        ("alice", "gazetteer", "rejected", 1), ("alice", "occurrences", "accepted", 1),
        ("alice", "occurrences", "pending", 1), ("bob", "model", "pending", 1)]
    assert store.suggestion_counts("alice") == {"occurrences": 1}
    assert store.suggestion_counts("bob", doc) == {"model": 1}


def test_pages_and_taken_ranges(store: Store) -> None:
    ids = [_doc(store, f"d{i}", f"نص رقم {i} عن المغرب.") for i in range(5)]
    store.set_status(ids[1], "alice", STATUS_DONE)
    assert store.unfinished_page("alice", limit=2) == [ids[0], ids[2]]
    assert store.unfinished_page("alice", after=ids[2], limit=10) == ids[3:]
    assert store.finished_page("alice") == [ids[1]]
    assert store.unfinished_page("bob") == ids
    store.add_span(ids[0], "alice", 0, 2, "GPE")
    store.add_span(ids[0], "bob", 3, 6, "GPE")
    store.add_suggestions("alice", ids[0], [Proposal(10, 12, "GPE", "model"),
                                            Proposal(3, 6, "LOC", "model")])
    [sid] = [x.id for x in store.suggestions(ids[0], "alice") if x.start == 3]
    store.reject_suggestion(sid, "alice")
    taken = store.taken_ranges("alice", ids[:2])
    # her span and her pending suggestion; not bob's span, not her rejected suggestion
    assert taken == {ids[0]: {(0, 2), (10, 12)}, ids[1]: set()}
    assert store.spans_of("alice", ids[:1]) == {ids[0]: [(0, 2, "GPE")]}
    assert store.spans_of("gold", ids[:1]) == {ids[0]: []}
    assert "gold" not in {a.name for a in store.annotators()}
    assert store.texts(ids[:1]) == {ids[0]: "نص رقم 0 عن المغرب."}


def test_model_bytes_per_annotator(store: Store) -> None:
    assert store.load_model("alice") is None
    blob = bytes(range(256)) * 3
    store.save_model("alice", blob)
    store.save_model("alice", blob[::-1])
    assert store.load_model("alice") == blob[::-1]
    assert store.load_model("bob") is None


def test_which_stored_sources_are_there(store: Store) -> None:
    assert store.suggestion_sources_there("alice") == []
    store.save_model("alice", b"model")
    assert store.suggestion_sources_there("alice") == ["model"]
    assert store.suggestion_sources_there("bob") == []
    store.add_gazetteer([("الرباط", "GPE")], "g.txt")
    assert store.suggestion_sources_there("alice") == ["gazetteer", "model"]
    assert store.suggestion_sources_there("bob") == ["gazetteer"]


def test_suggestions_go_with_their_document_rows_only(store: Store) -> None:
    doc = _doc(store)
    store.add_suggestions("alice", doc, [P(M1)])
    with store.session() as s:
        from sqlmodel import select

        [row] = s.exec(select(Suggestion)).all()
    assert row.document_id == doc and row.state == "pending" and row.decided_at is None


def test_adding_a_batch_costs_the_same_statements_whatever_its_size(store: Store) -> None:
    """Set-based: a page of documents is a fixed handful of statements (no per-row ORM)."""
    from sqlalchemy import event

    ids = [_doc(store, f"b{i}", f"{TEXT} {i}") for i in range(60)]
    store.annotator("alice")
    store.add_suggestions("alice", ids[0], [P(M3)])  # alice exists, her id is known
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if statement.lstrip().split(" ", 1)[0].upper() in ("SELECT", "INSERT", "UPDATE",
                                                           "DELETE"):
            statements.append(statement)  # not a new connection's PRAGMAs, not BEGIN

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        costs = []
        for batch in (ids[1:4], ids[4:60]):
            statements.clear()
            n = store.add_suggestions_many("alice", {
                d: [P(M1), P(M2), P(RABAT, "LOC", "model", 0.5)] for d in batch})
            assert n == 3 * len(batch)
            costs.append(len(statements))
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert costs[0] == costs[1], costs
    assert costs[0] <= 12, statements
