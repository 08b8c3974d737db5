"""The store's reads: documents, per-user annotations and statuses, reports, the log.

A mixin of `Store` (annotator/store/service.py), which holds the writes. Reads open a
plain session (no write lock) and never write; an annotator's id is found (or created,
in its own short write) by `Store._annotator_id` before the read begins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal
from sqlmodel import Session, col, select

from annotator.store.engine import codepoint
from annotator.store.errors import StoreError
from annotator.store.models import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Action,
    Annotator,
    Assignment,
    Document,
    EventLabel,
    Sentence,
    Setting,
    Span,
)


@dataclass(frozen=True)
class DocumentRow:
    """One line of the documents screen / status report, for one user."""

    id: int
    external_id: str
    title: str
    length: int
    status: str
    spans: int
    events: int


class StoreReads:
    """Read-only queries over the corpus (mixed into `Store`)."""

    def session(self) -> Session:  # pragma: no cover - defined by Store
        raise NotImplementedError

    def _annotator_id(self, name: str) -> int:  # pragma: no cover - defined by Store
        raise NotImplementedError

    def _assignment(self, s: Session, doc_id: int, annotator_id: int | None, *,
                    create: bool = True) -> Assignment | None:  # pragma: no cover
        raise NotImplementedError

    def get_setting(self, key: str) -> str | None:
        with self.session() as s:
            row = s.get(Setting, key)
            return row.value if row else None

    def labels_in_use(self) -> tuple[set[str], set[str]]:
        """Every entity label and every event label stored, by anyone (gold included)."""
        with self.session() as s:
            entities = set(s.exec(select(Span.label).distinct()))
            events = set(s.exec(select(EventLabel.label).distinct()))
            return entities, events

    def annotators(self) -> list[Annotator]:
        with self.session() as s:
            return list(s.exec(select(Annotator).order_by(codepoint(col(Annotator.name)))))

    def document_by_sha(self, sha: str) -> Document | None:
        with self.session() as s:
            return s.exec(select(Document).where(Document.sha256 == sha)).first()

    def documents(self) -> list[Document]:
        with self.session() as s:
            return list(s.exec(select(Document).order_by(codepoint(
                col(Document.external_id)))))

    def document(self, doc_id: int) -> Document:
        with self.session() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                raise StoreError(f"no document with id {doc_id}")
            return doc

    def document_by_external_id(self, external_id: str) -> Document | None:
        with self.session() as s:
            return s.exec(select(Document).where(Document.external_id == external_id)).first()

    def count_documents(self) -> int:
        with self.session() as s:
            return s.exec(select(func.count()).select_from(Document)).one()

    def document_position(self, doc_id: int) -> tuple[int, int] | None:
        """(i, n): the document is the i-th (from 1) of n in the documents list's order
        (external id, code point order): two indexed counts, not the whole list."""
        with self.session() as s:
            eid = s.exec(select(Document.external_id).where(Document.id == doc_id)).first()
            if eid is None:
                return None
            before = s.exec(select(func.count()).select_from(Document).where(
                codepoint(col(Document.external_id)) < codepoint(literal(eid)))).one()
            total = s.exec(select(func.count()).select_from(Document)).one()
            return before + 1, total

    def sentences(self, doc_id: int) -> list[Sentence]:
        with self.session() as s:
            q = select(Sentence).where(Sentence.document_id == doc_id).order_by(Sentence.index)
            return list(s.exec(q))

    def document_rows(self, user: str) -> list[DocumentRow]:
        """Every document with this user's status and counts (their own annotations only)."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            statuses = dict(
                s.exec(
                    select(Assignment.document_id, Assignment.status).where(
                        Assignment.annotator_id == ann_id
                    )
                ).all()
            )
            span_counts = dict(
                s.exec(
                    select(Span.document_id, func.count())
                    .where(Span.annotator_id == ann_id)
                    .group_by(Span.document_id)
                ).all()
            )
            event_counts = dict(
                s.exec(
                    select(EventLabel.document_id, func.count())
                    .where(EventLabel.annotator_id == ann_id)
                    .group_by(EventLabel.document_id)
                ).all()
            )
            rows = s.exec(
                select(Document.id, Document.external_id, Document.title,
                       func.length(Document.text))
                .order_by(codepoint(col(Document.external_id)))
            ).all()
            return [
                DocumentRow(
                    id=i, external_id=e, title=t, length=n,
                    status=statuses.get(i, STATUS_NEW),
                    spans=span_counts.get(i, 0), events=event_counts.get(i, 0),
                )
                for i, e, t, n in rows
            ]

    def status_report(self) -> dict[str, Any]:
        """Documents, and per annotator: documents new/in_progress/done, spans, event labels."""
        with self.session() as s:
            n_docs = s.exec(select(func.count()).select_from(Document)).one()
            report: dict[str, Any] = {"documents": n_docs, "annotators": {}}
            for ann in s.exec(select(Annotator).order_by(codepoint(col(Annotator.name)))):
                by_status = dict(
                    s.exec(
                        select(Assignment.status, func.count())
                        .where(Assignment.annotator_id == ann.id)
                        .group_by(Assignment.status)
                    ).all()
                )
                started = sum(by_status.get(k, 0) for k in (STATUS_IN_PROGRESS, STATUS_DONE))
                n_spans = s.exec(
                    select(func.count()).select_from(Span).where(Span.annotator_id == ann.id)
                ).one()
                n_events = s.exec(
                    select(func.count())
                    .select_from(EventLabel)
                    .where(EventLabel.annotator_id == ann.id)
                ).one()
                report["annotators"][ann.name] = {
                    "role": ann.role,
                    "new": n_docs - started,
                    "in_progress": by_status.get(STATUS_IN_PROGRESS, 0),
                    "done": by_status.get(STATUS_DONE, 0),
                    "spans": n_spans,
                    "events": n_events,
                }
            return report

    def spans(self, doc_id: int, user: str) -> list[Span]:
        ann_id = self._annotator_id(user)
        with self.session() as s:
            q = (
                select(Span)
                .where(Span.document_id == doc_id, Span.annotator_id == ann_id)
                .order_by(Span.start, col(Span.end).desc(), Span.label)
            )
            return list(s.exec(q))

    def events(self, doc_id: int, user: str) -> list[EventLabel]:
        ann_id = self._annotator_id(user)
        with self.session() as s:
            q = (
                select(EventLabel)
                .where(EventLabel.document_id == doc_id, EventLabel.annotator_id == ann_id)
                .order_by(EventLabel.scope, EventLabel.start, EventLabel.label)
            )
            return list(s.exec(q))

    def status(self, doc_id: int, user: str) -> str:
        ann_id = self._annotator_id(user)
        with self.session() as s:
            a = self._assignment(s, doc_id, ann_id, create=False)
            return a.status if a else STATUS_NEW

    def annotators_with_status(self, doc_id: int, status: str = STATUS_DONE) -> list[str]:
        with self.session() as s:
            q = (
                select(Annotator.name)
                .join(Assignment, col(Assignment.annotator_id) == col(Annotator.id))
                .where(Assignment.document_id == doc_id, Assignment.status == status)
                .order_by(codepoint(col(Annotator.name)))
            )
            return list(s.exec(q))

    def actions(self, doc_id: int, user: str | None = None) -> list[Action]:
        with self.session() as s:
            q = select(Action).where(Action.document_id == doc_id)
            if user is not None:
                q = q.where(Action.annotator_id == self._annotator_id(user))
            return list(s.exec(q.order_by(col(Action.id))))
