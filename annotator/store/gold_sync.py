"""Gold follows the annotators: run inside every annotator's write transaction.

When an annotator changes a document gold took items from (reopens it, removes or
relabels a span, changes event labels, marks it done again), `reconcile_gold` removes
from gold what no longer stands, drops the decisions that settled a disagreement that
has since changed (so it is open again), and recomputes gold's status on the document
(`annotator.adjudication.stale` has the rules). It writes one log row under gold when it
changed anything. Documents gold never touched cost one indexed query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, delete, select

from annotator.adjudication.model import Work
from annotator.adjudication.stale import (
    DecisionRef,
    find_stale,
    gold_done,
    participants,
    unit_of,
)
from annotator.store.models import (
    GOLD,
    SCOPE_SENTENCE,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    Annotator,
    Assignment,
    Decision,
    EventLabel,
    Span,
    utcnow,
)

if TYPE_CHECKING:
    from annotator.store.service import Store

KIND_REOPENED = "gold_follows"


def gold_id(s: Session) -> int | None:
    return s.exec(select(Annotator.id).where(Annotator.name == GOLD)).first()


def _decision_ref(d: Decision, glabels: list[tuple[Any, str, Any]]) -> DecisionRef:
    """The decision with the gold items it wrote: its spans are recorded with it; its
    event labels are the gold labels whose provenance names its item."""
    after = d.after or {}
    spans = tuple((sp["start"], sp["end"], sp["label"]) for sp in after.get("spans", []))
    labels = tuple((unit, lab) for unit, lab, prov in glabels
                   if isinstance(prov, dict) and prov.get("item") == d.item_key)
    names = tuple(sorted({str(n) for v in (d.versions or []) for n in v}))
    return DecisionRef(d.item_key, spans, labels, names)


def works_of(s: Session, doc_id: int, names: set[str]) -> dict[str, Work]:
    """The current work of these annotators on the document (whatever their status)."""
    if not names:
        return {}
    ids = dict(s.exec(select(Annotator.name, Annotator.id)
                      .where(col(Annotator.name).in_(sorted(names)))).all())
    by_id = {i: n for n, i in ids.items()}
    spans: dict[str, list] = {n: [] for n in ids}
    events: dict[str, list] = {n: [] for n in ids}
    for ann_id, start, end, label in s.exec(
            select(Span.annotator_id, Span.start, Span.end, Span.label)
            .where(Span.document_id == doc_id, col(Span.annotator_id).in_(list(by_id)))):
        spans[by_id[ann_id]].append((start, end, label))
    for ann_id, label, scope, start, end in s.exec(
            select(EventLabel.annotator_id, EventLabel.label, EventLabel.scope,
                   EventLabel.start, EventLabel.end)
            .where(EventLabel.document_id == doc_id,
                   col(EventLabel.annotator_id).in_(list(by_id)))):
        events[by_id[ann_id]].append((label, scope, start, end))
    return {n: Work.from_rows(spans[n], events[n]) for n in ids}


def finishers(s: Session, doc_id: int) -> list[str]:
    return list(s.exec(
        select(Annotator.name)
        .join(Assignment, col(Assignment.annotator_id) == col(Annotator.id))
        .where(Assignment.document_id == doc_id, Assignment.status == STATUS_DONE,
               Annotator.name != GOLD)))


def reconcile_gold(store: Store, s: Session, doc_id: int, *,
                   changed_by: int | None) -> None:
    """Bring gold on `doc_id` in line with the annotators' current work (see module)."""
    gid = store._ids.get(GOLD)
    if gid is None:
        gid = gold_id(s)
        if gid is None:
            return  # no gold anywhere yet
        store._ids[GOLD] = gid
    if changed_by == gid:
        return
    gold_status = s.exec(select(Assignment).where(
        Assignment.document_id == doc_id, Assignment.annotator_id == gid)).first()
    if gold_status is None:
        return  # gold never touched this document
    gspans = [tuple(r) for r in s.exec(
        select(Span.start, Span.end, Span.label, Span.provenance)
        .where(Span.document_id == doc_id, Span.annotator_id == gid))]
    glabels = [(unit_of(r.scope, r.start, r.end), r.label, r.provenance) for r in s.exec(
        select(EventLabel).where(EventLabel.document_id == doc_id,
                                 EventLabel.annotator_id == gid))]
    rows = list(s.exec(select(Decision).where(Decision.document_id == doc_id)))
    decisions = [_decision_ref(d, glabels) for d in rows]
    done_names = finishers(s, doc_id)
    who = participants(done_names, gspans, glabels, decisions)  # type: ignore[arg-type]
    works = works_of(s, doc_id, who)
    stale = find_stale(works, gspans, glabels, decisions)  # type: ignore[arg-type]
    removed_spans, removed_labels = [], []
    for start, end, label in sorted(stale.spans):
        if store._delete_span(s, doc_id, gid, start, end, label):
            removed_spans.append({"start": start, "end": end, "label": label})
    for unit, label in sorted(stale.labels, key=repr):
        q = delete(EventLabel).where(
            col(EventLabel.document_id) == doc_id, col(EventLabel.annotator_id) == gid,
            col(EventLabel.scope) == unit[0], col(EventLabel.label) == label)
        if unit[0] == SCOPE_SENTENCE:
            q = q.where(col(EventLabel.start) == unit[1], col(EventLabel.end) == unit[2])
        if s.exec(q).rowcount:  # type: ignore[call-overload]
            removed_labels.append({"unit": list(unit), "label": label})
    dropped = []
    for d in rows:
        if d.item_key in stale.decisions:
            dropped.append({"item_key": d.item_key, "kind": d.kind, "outcome": d.outcome,
                            "by": d.by})
            s.delete(d)
    s.flush()
    # gold's event mentions (issue 13) follow too, and their decisions
    from annotator.adjudication.event_mentions import is_event_item_key
    from annotator.store.gold_events import open_event_items
    from annotator.store.gold_events_follow import reconcile_mentions

    mentions = reconcile_mentions(s, doc_id, gid, done_names, [
        d for d in rows if is_event_item_key(d.item_key) and d.item_key not in stale.decisions])
    dropped += mentions.get("decisions_dropped", [])
    finisher_works = {n: works[n] for n in done_names if n in works}
    decided = [d.key for d in decisions if d.key not in stale.decisions]
    gold_work = Work.from_rows(
        [(a, b, c) for a, b, c, _ in gspans if (a, b, c) not in stale.spans],
        [(lab, u[0], u[1], u[2]) for u, lab, _ in glabels if (u, lab) not in stale.labels])
    status = STATUS_DONE if gold_done(finisher_works, who, gold_work, decided) \
        and not open_event_items(s.connection(), [doc_id]) else STATUS_IN_PROGRESS
    before = gold_status.status
    if before != status:
        gold_status.status = status
        gold_status.updated_at = utcnow()
        s.add(gold_status)
    if stale.any or before != status or mentions:
        who_changed = s.exec(select(Annotator.name).where(Annotator.id == changed_by)).first()
        store._audit(s, doc_id, gid, KIND_REOPENED, {
            "by": who_changed, "spans_removed": removed_spans, "labels_removed": removed_labels,
            "decisions_dropped": dropped, "status_before": before, "status_after": status,
            **({"event_mentions": mentions["event_mentions"]} if mentions else {}),
        }, by=who_changed, state="dead")
