"""The store: pragmas, one committed action per change, undo/redo, blindness, migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.store.engine import database_url
from annotator.store.migrations import SCHEMA_VERSION, current_version
from annotator.store.models import GOLD
from annotator.store.service import Store, StoreError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEXT = "أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني. وقال إن المغرب شريك."


@pytest.fixture
def doc_id(store: Store) -> int:
    doc, created = store.add_document(
        external_id="d1", title="t", text=TEXT, sentences=[(0, 55), (56, len(TEXT))]
    )
    assert created and doc.id is not None
    return doc.id


def test_pragmas(db_path: Path) -> None:  # SQLite only
    store = Store.open(str(db_path))
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    finally:
        store.close()


def test_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    assert database_url(None) == "sqlite:///annotations.db"
    assert database_url("x/y.db") == "sqlite:///x/y.db"
    assert database_url("postgresql://u@h/db") == "postgresql://u@h/db"
    monkeypatch.setenv("ANNOTATOR_DB", "/tmp/z.db")
    assert database_url(None) == "sqlite:////tmp/z.db"
    assert database_url("given.db") == "sqlite:///given.db"


def test_duplicate_text_is_noop(store: Store, doc_id: int) -> None:
    doc, created = store.add_document(external_id="other", title="t", text=TEXT, sentences=[])
    assert not created and doc.id == doc_id
    assert store.count_documents() == 1


def test_span_roundtrip_and_status(store: Store, doc_id: int) -> None:
    assert store.status(doc_id, "alice") == "new"
    span = store.add_span(doc_id, "alice", 18, 34, "PERS")
    assert span is not None
    assert TEXT[span.start:span.end] == "عبد الوافي لفتيت"
    assert store.add_span(doc_id, "alice", 18, 34, "PERS") is None  # exact duplicate
    assert store.status(doc_id, "alice") == "in_progress"
    # nested and overlapping spans are allowed
    assert store.add_span(doc_id, "alice", 4, 17, "OCC") is not None
    assert store.add_span(doc_id, "alice", 9, 17, "ORG") is not None
    assert [(s.start, s.end) for s in store.spans(doc_id, "alice")] == [(4, 17), (9, 17), (18, 34)]


def test_bad_spans_rejected(store: Store, doc_id: int) -> None:
    with pytest.raises(StoreError):
        store.add_span(doc_id, "alice", 5, 5, "PERS")
    with pytest.raises(StoreError):
        store.add_span(doc_id, "alice", 0, len(TEXT) + 1, "PERS")
    with pytest.raises(StoreError):
        store.add_span(doc_id, "alice", 0, 3, "NOT_A_LABEL")
    with pytest.raises(StoreError):
        store.set_events(doc_id, "alice", "document", ["NOT_AN_EVENT"])
    assert store.spans(doc_id, "alice") == []


def test_blindness(store: Store, doc_id: int) -> None:
    store.add_span(doc_id, "alice", 18, 34, "PERS")
    store.set_events(doc_id, "alice", "document", ["STATEMENT"])
    assert store.spans(doc_id, "bob") == []
    assert store.events(doc_id, "bob") == []
    rows = {r.external_id: r for r in store.document_rows("bob")}
    assert rows["d1"].spans == 0 and rows["d1"].status == "new"


def test_every_change_is_logged_and_undoable(store: Store, doc_id: int) -> None:
    store.add_span(doc_id, "alice", 18, 34, "PERS")
    store.set_events(doc_id, "alice", "sentence", ["STATEMENT", "COOPERATE"], start=0, end=55)
    store.set_events(doc_id, "alice", "document", ["COOPERATE"])
    span = store.spans(doc_id, "alice")[0]
    assert store.remove_span(span.id, "alice")
    assert store.set_status(doc_id, "alice", "done")
    kinds = [a.kind for a in store.actions(doc_id, "alice")]
    assert kinds == ["add_span", "set_events", "set_events", "remove_span", "set_status"]

    assert store.undo(doc_id, "alice").kind == "set_status"
    assert store.status(doc_id, "alice") == "in_progress"
    assert store.undo(doc_id, "alice").kind == "remove_span"
    assert [(s.start, s.end, s.label) for s in store.spans(doc_id, "alice")] == [(18, 34, "PERS")]
    assert store.undo(doc_id, "alice").kind == "set_events"
    assert [e.scope for e in store.events(doc_id, "alice")] == ["sentence", "sentence"]
    assert store.redo(doc_id, "alice").kind == "set_events"
    assert {e.label for e in store.events(doc_id, "alice") if e.scope == "document"} == {
        "COOPERATE"
    }
    # a new change discards the redo stack
    store.add_span(doc_id, "alice", 0, 3, "DATE")
    assert store.redo(doc_id, "alice") is None
    # bob's undo never touches alice's work
    assert store.undo(doc_id, "bob") is None


def test_second_connection_sees_committed_work(db: str, store: Store, doc_id: int) -> None:
    store.add_span(doc_id, "alice", 18, 34, "PERS")
    other = Store.open(db)
    try:
        other.add_span(doc_id, "bob", 18, 34, "PERS")
        assert len(other.spans(doc_id, "alice")) == 1
    finally:
        other.close()
    assert len(store.spans(doc_id, "bob")) == 1


def test_roles(store: Store) -> None:
    assert store.set_role("carol", "adjudicator").role == "adjudicator"
    with pytest.raises(StoreError):
        store.set_role("carol", "king")
    with pytest.raises(StoreError):
        store.set_role(GOLD, "annotator")


def test_migrates_first_version_database(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", old)
    store = Store.open(str(old))
    try:
        with store.engine.connect() as conn:
            assert current_version(conn) == SCHEMA_VERSION
        doc = store.document_by_external_id("old_001")
        assert doc is not None
        spans = store.spans(doc.id, "alice")
        assert [(s.start, s.end, s.label) for s in spans] == [(18, 34, "PERS")]
        assert doc.text[18:34] == "عبد الوافي لفتيت"
        assert [e.label for e in store.events(doc.id, "alice")] == ["STATEMENT"]
        assert store.status(doc.id, "alice") == "done"
        # the new column works, and the old action log still undoes
        assert store.add_span(doc.id, GOLD, 18, 34, "PERS", provenance={"rule": "t"}) is not None
        assert store.spans(doc.id, GOLD)[0].provenance == {"rule": "t"}
        assert store.undo(doc.id, "alice").kind == "add_span"
        assert store.spans(doc.id, "alice") == []
    finally:
        store.close()
    # opening again is a no-op
    again = Store.open(str(old))
    assert again.document_by_external_id("old_001") is not None
    again.close()


def test_undo_never_claims_to_revert_an_import(store: Store, doc_id: int) -> None:
    store.add_span(doc_id, "alice", 0, 3, "DATE")
    store.import_annotations(doc_id, "alice", [(18, 34, "PERS")],
                             [("STATEMENT", "document", None, None)])
    # the import is logged (audit) but cannot be replayed: undo passes over it
    assert [a.kind for a in store.actions(doc_id, "alice")] == ["add_span", "import"]
    undone = store.undo(doc_id, "alice")
    assert undone is not None and undone.kind == "add_span"
    assert [(s.start, s.end) for s in store.spans(doc_id, "alice")] == [(18, 34)]
    assert store.undo(doc_id, "alice") is None
    redone = store.redo(doc_id, "alice")
    assert redone is not None and redone.kind == "add_span"
    assert store.redo(doc_id, "alice") is None
    assert len(store.spans(doc_id, "alice")) == 2 and store.status(doc_id, "alice") == "done"


def test_relabel_is_one_undoable_action(store: Store, doc_id: int) -> None:
    span = store.add_span(doc_id, "alice", 65, 71, "GPE")
    assert span is not None and span.id is not None
    relabelled = store.relabel_span(span.id, "alice", "LOC")
    assert relabelled is not None and relabelled.id == span.id
    assert [(s.start, s.end, s.label) for s in store.spans(doc_id, "alice")] == [
        (65, 71, "LOC")]
    last = store.actions(doc_id, "alice")[-1]
    assert last.kind == "relabel_span"
    assert last.payload["before"] == "GPE" and last.payload["after"] == "LOC"
    undone = store.undo(doc_id, "alice")
    assert undone is not None and undone.kind == "relabel_span"
    assert [(s.start, s.end, s.label) for s in store.spans(doc_id, "alice")] == [
        (65, 71, "GPE")]
    assert store.redo(doc_id, "alice") is not None
    assert [s.label for s in store.spans(doc_id, "alice")] == ["LOC"]


def test_relabel_refuses_a_taken_label_and_others_spans(store: Store, doc_id: int) -> None:
    gpe = store.add_span(doc_id, "alice", 65, 71, "GPE")
    assert store.add_span(doc_id, "alice", 65, 71, "LOC") is not None
    assert gpe is not None and gpe.id is not None
    with pytest.raises(StoreError, match="already marked LOC"):
        store.relabel_span(gpe.id, "alice", "LOC")
    assert store.relabel_span(gpe.id, "bob", "ORG") is None  # not bob's span
    assert store.relabel_span(10**6, "alice", "ORG") is None  # gone
    assert sorted(s.label for s in store.spans(doc_id, "alice")) == ["GPE", "LOC"]
    assert [a.kind for a in store.actions(doc_id, "alice")] == ["add_span", "add_span"]


def test_document_position_is_the_list_order(store: Store) -> None:
    for eid in ("b", "B", "a", "ا"):
        store.add_document(external_id=eid, title="", text=f"نص {eid}", sentences=[])
    order = [r.external_id for r in store.document_rows("alice")]
    for i, eid in enumerate(order, 1):
        doc = store.document_by_external_id(eid)
        assert doc is not None and doc.id is not None
        assert store.document_position(doc.id) == (i, len(order))
    assert store.document_position(10_000) is None
