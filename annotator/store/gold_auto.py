"""Auto-merge: what all finishers of a document agree on goes into gold (the unanimous rule).

Never one long write transaction. `auto_merge` reads a batch of documents without any
lock, plans each in memory, then writes the batch in short transactions of a few
documents each, holding the write lock only for the inserts. A document whose stamp (its
latest action id) moved between the read and the write was changed meanwhile: it is
merged again on its own, read and written under the lock (`merge_document`, also what the
adjudicate screen calls for the document it opens). Idempotent, so a killed run resumes by
running again. Every document it changes gets one `auto_merge` log row naming the
adjudicator who ran it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from annotator.adjudication import auto_plan, find_disagreements
from annotator.adjudication.model import RULE_UNANIMOUS
from annotator.store.gold_batch import DocState, read_batch, stamps
from annotator.store.gold_events import open_event_items
from annotator.store.gold_events_auto import merge_mentions, pending_mention_docs
from annotator.store.gold_rows import KIND_AUTO, _discard_redo, _iso, _table, _unit_order
from annotator.store.models import (
    GOLD,
    SCOPE_SENTENCE,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    Action,
    Assignment,
    EventLabel,
    Span,
    utcnow,
)
from annotator.store.retry import retrying
from annotator.store.service import Store, default_user, os_actor

READ_BATCH = 200  # documents read per round, without a lock
WRITE_BATCH = 25  # documents written per write transaction
PAUSE = 0.002  # seconds between two write transactions: waiting writers get the lock


@dataclass
class AutoReport:
    documents: int = 0  # documents at least two annotators finished
    spans_taken: int = 0
    events_taken: int = 0
    disagreements_left: int = 0
    documents_with_disagreements: int = 0
    gold_done: int = 0
    retried: int = 0  # documents changed between read and write, merged again
    mentions_taken: int = 0  # event-mention items: triggers, arguments, attribute values

    @property
    def taken(self) -> int:
        return self.spans_taken + self.events_taken + self.mentions_taken

    def add(self, other: AutoReport) -> None:
        for name in ("documents", "spans_taken", "events_taken", "disagreements_left",
                     "documents_with_disagreements", "gold_done", "retried",
                     "mentions_taken"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Plan:
    """The rows one document's merge writes."""

    doc_id: int
    spans: list[dict[str, Any]]
    units: list[dict[str, Any]]
    labels: list[tuple[Any, str]]  # (unit, label) to insert
    left: int
    status: str
    status_before: str | None
    prov: dict[str, Any]
    mentions_taken: int = 0  # set by `_write` (gold_events.merge_mentions)

    @property
    def changes(self) -> bool:
        return bool(self.spans or self.units or self.status_before != self.status)


def plan_document(doc_id: int, st: DocState, by: str, when: datetime) -> _Plan:
    names = sorted(st.works)
    prov = {"annotators": names, "rule": RULE_UNANIMOUS, "by": by, "at": _iso(when)}
    plan = auto_plan(st.works, st.gold)
    spans = [{"start": s, "end": e, "label": lab, "provenance": dict(prov)}
             for s, e, lab in sorted(plan.spans)]
    units, labels = [], []
    for unit, new in sorted(plan.events.items(), key=_unit_order):
        before = dict(st.gold_labels.get(unit, {}))
        after = before | {lab: dict(prov) for lab in new}
        units.append({"unit": list(unit), "before": before, "after": after})
        labels += [(unit, lab) for lab in sorted(new)]
    left = sum(1 for d in find_disagreements(st.works) if d.key not in st.decided)
    # done: nothing left to decide, and nobody whose work gold names is reworking it
    done = not left and st.named <= set(names)
    return _Plan(doc_id, spans, units, labels, left,
                 STATUS_DONE if done else STATUS_IN_PROGRESS, st.gold_status, prov)


def _events_left(plan: _Plan, n: int) -> None:
    """Event-mention items left without a decision count as disagreements left: gold's
    document is not done while any is."""
    plan.left += n
    if n and plan.status == STATUS_DONE:
        plan.status = STATUS_IN_PROGRESS


def _insert(store: Store, model: Any) -> Any:
    return (sqlite_insert if store.is_sqlite else pg_insert)(_table(model))


def _write(store: Store, conn: Any, gold_id: int, plans: Sequence[_Plan], by: str) -> None:
    """Write the plans' rows with a few statements (inside the caller's transaction)."""
    now = utcnow()
    span_rows = [{"document_id": p.doc_id, "annotator_id": gold_id, "start": sp["start"],
                  "end": sp["end"], "label": sp["label"], "provenance": sp["provenance"],
                  "created_at": now} for p in plans for sp in p.spans]
    if span_rows:
        conn.execute(_insert(store, Span).on_conflict_do_nothing(), span_rows)
    label_rows = [{"document_id": p.doc_id, "annotator_id": gold_id, "label": lab,
                   "scope": unit[0],
                   "start": unit[1] if unit[0] == SCOPE_SENTENCE else None,
                   "end": unit[2] if unit[0] == SCOPE_SENTENCE else None,
                   "provenance": dict(p.prov), "created_at": now}
                  for p in plans for unit, lab in p.labels]
    if label_rows:
        conn.execute(_insert(store, EventLabel).on_conflict_do_nothing(), label_rows)
    mentions = merge_mentions(conn, gold_id, [p.doc_id for p in plans], by,
                              plans[0].prov["at"] if plans else _iso(now))
    for p in plans:
        p.mentions_taken = mentions[p.doc_id][1] if p.doc_id in mentions else 0
    moved = [p for p in plans if p.status_before != p.status]
    if moved:
        stmt = _insert(store, Assignment)
        stmt = stmt.on_conflict_do_update(
            index_elements=["document_id", "annotator_id"],
            set_={"status": stmt.excluded.status, "updated_at": stmt.excluded.updated_at})
        conn.execute(stmt, [{"document_id": p.doc_id, "annotator_id": gold_id,
                             "status": p.status, "updated_at": now} for p in moved])
    changed = [p for p in plans if p.changes or p.doc_id in mentions]
    if changed:
        _discard_redo_conn(conn, [p.doc_id for p in changed], gold_id)
        conn.execute(_table(Action).insert(), [{
            "document_id": p.doc_id, "annotator_id": gold_id, "kind": KIND_AUTO,
            "state": "done", "created_at": now, "by": by, "actor": os_actor(),
            "payload": {"by": by, "spans_added": p.spans, "spans_removed": [],
                        "events": p.units, "status_before": p.status_before or "new",
                        "status_after": p.status,
                        **({"event_mentions": mentions[p.doc_id][0]}
                           if p.doc_id in mentions else {})}} for p in changed])


def _discard_redo_conn(conn: Any, doc_ids: list[int], gold_id: int) -> None:
    from sqlmodel import Session

    with Session(bind=conn) as s:
        _discard_redo(s, doc_ids, gold_id)


def _count(report: AutoReport, plan: _Plan) -> None:
    report.documents += 1
    report.spans_taken += len(plan.spans)
    report.events_taken += len(plan.labels)
    report.disagreements_left += plan.left
    report.documents_with_disagreements += plan.left > 0
    report.gold_done += plan.status == STATUS_DONE
    report.mentions_taken += plan.mentions_taken


def _gold(store: Store) -> int:
    return store._annotator_id(GOLD)


def merge_document(store: Store, doc_id: int, *, by: str | None = None,
                   when: datetime | None = None) -> AutoReport:
    """Merge one document, read and written under its write lock: one transaction."""
    by, when = by or default_user(), when or utcnow()
    gold_id = _gold(store)
    report = AutoReport()
    with store.write(doc_id) as s:
        conn = s.connection()
        state = read_batch(conn, [doc_id], gold_id).get(doc_id)
        if state is None:
            return report
        plan = plan_document(doc_id, state, by, when)
        _events_left(plan, open_event_items(conn, [doc_id]).get(doc_id, 0))
        _write(store, conn, gold_id, [plan], by)
        _count(report, plan)
        s.commit()
    return report


def _write_checked(store: Store, gold_id: int, plans: list[_Plan],
                   read_stamps: dict[int, int], by: str) -> list[int]:
    """Write the plans whose document has not changed since it was read; return the ids
    of those that did (to be merged again)."""
    ids = [p.doc_id for p in plans]
    with store.write(ids) as s:
        conn = s.connection()
        now = stamps(conn, ids)
        fresh = [p for p in plans if now.get(p.doc_id, 0) == read_stamps[p.doc_id]]
        _write(store, conn, gold_id, fresh, by)
        s.commit()
    return [p.doc_id for p in plans if p not in fresh]


def auto_merge(store: Store, when: datetime | None = None, *, by: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> AutoReport:
    """Merge every document at least two annotators finished (see the module): short
    transactions only, transient failures retried. `progress(done, total)` after each
    batch of writes."""
    from annotator.store.gold import adjudicable_ids

    by, when = by or default_user(), when or utcnow()
    report = AutoReport()
    doc_ids = adjudicable_ids(store)
    gold_id = _gold(store)
    done = 0
    for lo in range(0, len(doc_ids), READ_BATCH):
        with store.engine.connect() as conn:
            states = read_batch(conn, doc_ids[lo:lo + READ_BATCH], gold_id)
            pending = pending_mention_docs(conn, list(states), gold_id)
            open_items = open_event_items(conn, list(states))
        plans = [plan_document(d, st, by, when) for d, st in states.items()]
        for p in plans:
            _events_left(p, open_items.get(p.doc_id, 0))
        for k in range(0, len(plans), WRITE_BATCH):
            part = plans[k:k + WRITE_BATCH]
            writing = [p for p in part if p.changes or p.doc_id in pending]
            moved: list[int] = []
            if writing:
                read = {p.doc_id: states[p.doc_id].stamp for p in writing}
                moved = retrying(lambda w=writing, r=read: _write_checked(
                    store, gold_id, w, r, by))
                time.sleep(PAUSE)
            for p in part:
                if p.doc_id not in moved:
                    _count(report, p)
            for doc_id in moved:
                report.retried += 1
                report.add(retrying(lambda d=doc_id: merge_document(store, d, by=by,
                                                                    when=when)))
        done = min(len(doc_ids), lo + READ_BATCH)
        if progress is not None:
            progress(done, len(doc_ids))
    return report
