"""Auto-merge in short transactions: resumable after a kill, and a document that changes
between the unlocked read and the write is merged again under its lock."""

from __future__ import annotations

import pytest
from adjudication_example import add_disputed_corpus

from annotator.store import gold_auto
from annotator.store.gold import auto_merge, gold_spans
from annotator.store.models import GOLD
from annotator.store.service import Store

AGREED = {(4, 17, "OCC"), (57, 64, "GPE")}  # what alice and bob both marked


class Killed(Exception):
    pass


def _auto_actions(store: Store) -> int:
    gold = store.annotator(GOLD).id
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM action WHERE annotator_id = :g AND "
                                 "kind = 'auto_merge'"), {"g": gold}).scalar()


def test_a_killed_run_resumes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = add_disputed_corpus(store, 30)
    monkeypatch.setattr(gold_auto, "READ_BATCH", 8)
    monkeypatch.setattr(gold_auto, "WRITE_BATCH", 3)
    calls = []

    def kill_after_two(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise Killed

    with pytest.raises(Killed):
        auto_merge(store, by="carol", progress=kill_after_two)
    merged = [d for d in ids if set(gold_spans(store, d)) == AGREED]
    assert len(merged) == 16  # two batches of 8 were written before the kill
    assert all(gold_spans(store, d) == [] for d in ids if d not in merged)

    report = auto_merge(store, by="carol")  # run again: takes up where it stopped
    assert report.documents == 30 and report.spans_taken == 2 * 14
    assert all(set(gold_spans(store, d)) == AGREED for d in ids)
    assert _auto_actions(store) == 30  # one log row per document, none twice
    assert auto_merge(store, by="carol").taken == 0


def test_a_document_changed_between_read_and_write_is_merged_again(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = add_disputed_corpus(store, 4)
    victim = ids[2]
    real_read = gold_auto.read_batch
    changed = []

    def read_then_someone_edits(conn, batch, gold_id, **kw):  # noqa: ANN001, ANN202
        states = real_read(conn, batch, gold_id, **kw)
        if not changed and len(batch) > 1:  # the unlocked batch read, not the re-merge
            conn.rollback()
            bob = [s for s in store.spans(victim, "bob") if (s.start, s.end) == (4, 17)]
            assert store.remove_span(bob[0].id or 0, "bob")  # OCC is agreed no more
            changed.append(victim)
        return states

    monkeypatch.setattr(gold_auto, "read_batch", read_then_someone_edits)
    report = auto_merge(store, by="carol")
    assert changed == [victim] and report.retried == 1
    assert set(gold_spans(store, victim)) == {(57, 64, "GPE")}  # not the stale plan
    assert all(set(gold_spans(store, d)) == AGREED for d in ids if d != victim)
