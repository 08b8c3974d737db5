"""Gold's row-level primitives, shared by auto-merge, decisions and undo/redo.

Each takes an open write session (`Store.write`) and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session, col, select

from annotator.adjudication import Work
from annotator.adjudication.model import DOCUMENT_UNIT, Unit
from annotator.store.models import (
    GOLD,
    SCOPE_SENTENCE,
    STATUS_DONE,
    STATUS_NEW,
    Action,
    Annotator,
    Assignment,
    Decision,
    EventLabel,
    Span,
    utcnow,
)
from annotator.store.service import Store

UNSEEN = object()  # a decision call without `seen`: no check of what the caller saw

KIND_AUTO = "auto_merge"
KIND_DECISION = "adjudicate"


def _works(s: Session, doc_id: int) -> dict[str, Work]:
    """The work of every annotator (not gold) who marked the document done."""
    rows = s.exec(
        select(Annotator.id, Annotator.name)
        .join(Assignment, col(Assignment.annotator_id) == col(Annotator.id))
        .where(Assignment.document_id == doc_id, Assignment.status == STATUS_DONE,
               Annotator.name != GOLD)
    ).all()
    return {name: _work(s, doc_id, ann_id) for ann_id, name in rows}


def _work(s: Session, doc_id: int, ann_id: int | None) -> Work:
    spans = s.exec(select(Span.start, Span.end, Span.label).where(
        Span.document_id == doc_id, Span.annotator_id == ann_id)).all()
    events = s.exec(select(EventLabel.label, EventLabel.scope, EventLabel.start,
                           EventLabel.end).where(
        EventLabel.document_id == doc_id, EventLabel.annotator_id == ann_id)).all()
    return Work.from_rows([tuple(r) for r in spans], [tuple(r) for r in events])


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _gold_id(store: Store, s: Session) -> int:
    """The gold annotator's id (created, insert-or-ignore, inside a write session)."""
    ann = store._annotator(s, GOLD)
    assert ann.id is not None
    return ann.id


def _decision_keys(s: Session, doc_id: int) -> set[str]:
    return set(s.exec(select(Decision.item_key).where(Decision.document_id == doc_id)))


def _status(s: Session, doc_id: int, gold_id: int) -> str:
    a = s.exec(select(Assignment).where(Assignment.document_id == doc_id,
                                        Assignment.annotator_id == gold_id)).first()
    return a.status if a else STATUS_NEW


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _discard_redo(s: Session, doc_ids: int | Sequence[int], gold_id: int) -> None:
    """A new gold change on a document discards gold's redo stack there."""
    ids = [doc_ids] if isinstance(doc_ids, int) else list(doc_ids)
    if not ids:
        return
    t = _table(Action)
    s.execute(t.update().where(
        t.c.document_id.in_(ids), t.c.annotator_id == gold_id, t.c.state == "undone",
        t.c.kind.in_([KIND_AUTO, KIND_DECISION])).values(state="dead"))


def _set_status(s: Session, store: Store, doc_id: int, gold_id: int, status: str) -> str:
    """Set gold's status on the document; return the status before."""
    a = store._assignment(s, doc_id, gold_id)
    assert a is not None
    before = a.status
    if before != status:
        a.status = status
        a.updated_at = utcnow()
        s.add(a)
    return before


def _unit_rows(s: Session, store: Store, doc_id: int, gold_id: int,
               unit: Unit) -> list[EventLabel]:
    return store._event_rows(s, doc_id, gold_id, unit[0], unit[1], unit[2])


def _set_unit(s: Session, store: Store, doc_id: int, gold_id: int, unit: Unit,
              labels: dict[str, Any]) -> None:
    """Make gold's labels on `unit` exactly `labels` (label -> provenance)."""
    rows = _unit_rows(s, store, doc_id, gold_id, unit)
    for r in rows:
        if r.label not in labels:
            s.delete(r)
        elif r.provenance != labels[r.label]:
            r.provenance = labels[r.label]
            s.add(r)
    have = {r.label for r in rows}
    sentence = unit[0] == SCOPE_SENTENCE
    for label in sorted(set(labels) - have):
        s.add(EventLabel(document_id=doc_id, annotator_id=gold_id, label=label, scope=unit[0],
                         start=unit[1] if sentence else None, end=unit[2] if sentence else None,
                         provenance=labels[label]))
    s.flush()


def _unit_order(item: tuple[Unit, Any]) -> tuple[bool, int, int]:
    unit = item[0]
    return (unit != DOCUMENT_UNIT, unit[1] or 0, unit[2] or 0)
