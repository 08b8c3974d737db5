"""The one store/service layer: every read and write of the corpus goes through `Store`.

Each public mutating method is one committed transaction and writes one `Action` row
(who, when, what, before/after), which is also what undo and redo replay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from annotator.errors import AnnotatorError
from annotator.store.engine import make_engine
from annotator.store.migrations import migrate
from annotator.store.models import (
    GOLD,
    ROLE_ADJUDICATOR,
    ROLE_ANNOTATOR,
    ROLE_GOLD,
    SCOPE_DOCUMENT,
    SCOPE_SENTENCE,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUSES,
    Action,
    Annotator,
    Assignment,
    Document,
    EventLabel,
    Sentence,
    Setting,
    Span,
    utcnow,
)


class StoreError(AnnotatorError):
    pass


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


class Store:
    def __init__(self, engine: Engine, label_checker: Any | None = None) -> None:
        self.engine = engine
        # object with .entity_names() and .event_names(); None = accept any label
        self.label_checker = label_checker

    @classmethod
    def open(cls, db: str | None = None, label_checker: Any | None = None) -> Store:
        engine = make_engine(db)
        migrate(engine)
        return cls(engine, label_checker)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ settings
    def get_setting(self, key: str) -> str | None:
        with self.session() as s:
            row = s.get(Setting, key)
            return row.value if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.session() as s:
            row = s.get(Setting, key) or Setting(key=key, value=value)
            row.value = value
            s.add(row)
            s.commit()

    def labels_in_use(self) -> tuple[set[str], set[str]]:
        """Every entity label and every event label stored, by anyone (gold included)."""
        with self.session() as s:
            entities = set(s.exec(select(Span.label).distinct()))
            events = set(s.exec(select(EventLabel.label).distinct()))
            return entities, events

    # ---------------------------------------------------------------- annotators
    def _annotator(self, s: Session, name: str, role: str | None = None) -> Annotator:
        ann = s.exec(select(Annotator).where(Annotator.name == name)).first()
        if ann is None:
            default = ROLE_GOLD if name == GOLD else ROLE_ANNOTATOR
            ann = Annotator(name=name, role=role or default)
            s.add(ann)
            s.flush()
        return ann

    def annotator(self, name: str) -> Annotator:
        with self.session() as s:
            ann = self._annotator(s, name)
            s.commit()
            return ann

    def annotators(self) -> list[Annotator]:
        with self.session() as s:
            return list(s.exec(select(Annotator).order_by(Annotator.name)))

    def set_role(self, name: str, role: str) -> Annotator:
        if role not in (ROLE_ANNOTATOR, ROLE_ADJUDICATOR):
            raise StoreError(f"unknown role {role!r}: use annotator or adjudicator")
        if name == GOLD:
            raise StoreError(f"{GOLD!r} is reserved for adjudicated annotations")
        with self.session() as s:
            ann = self._annotator(s, name)
            ann.role = role
            s.add(ann)
            s.commit()
            return ann

    # ----------------------------------------------------------------- documents
    def document_by_sha(self, sha: str) -> Document | None:
        with self.session() as s:
            return s.exec(select(Document).where(Document.sha256 == sha)).first()

    def add_document(
        self,
        *,
        external_id: str,
        title: str,
        text: str,
        sentences: Sequence[tuple[int, int]],
        source_path: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> tuple[Document, bool]:
        """Insert a document and its sentences; (existing, False) when the text is known."""
        sha = sha256_text(text)
        with self.session() as s:
            existing = s.exec(select(Document).where(Document.sha256 == sha)).first()
            if existing is not None:
                return existing, False
            eid, n = external_id, 1
            while s.exec(select(Document.id).where(Document.external_id == eid)).first():
                n += 1
                eid = f"{external_id}-{n}"
            doc = Document(
                external_id=eid, title=title, text=text, sha256=sha,
                source_path=source_path, meta=dict(meta or {}),
            )
            s.add(doc)
            s.flush()
            assert doc.id is not None
            for i, (start, end) in enumerate(sentences):
                s.add(Sentence(document_id=doc.id, index=i, start=start, end=end))
            s.commit()
            return doc, True

    def documents(self) -> list[Document]:
        with self.session() as s:
            return list(s.exec(select(Document).order_by(Document.external_id)))

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

    def sentences(self, doc_id: int) -> list[Sentence]:
        with self.session() as s:
            q = select(Sentence).where(Sentence.document_id == doc_id).order_by(Sentence.index)
            return list(s.exec(q))

    def document_rows(self, user: str) -> list[DocumentRow]:
        """Every document with this user's status and counts (their own annotations only)."""
        with self.session() as s:
            ann = self._annotator(s, user)
            s.commit()
            statuses = dict(
                s.exec(
                    select(Assignment.document_id, Assignment.status).where(
                        Assignment.annotator_id == ann.id
                    )
                ).all()
            )
            span_counts = dict(
                s.exec(
                    select(Span.document_id, func.count())
                    .where(Span.annotator_id == ann.id)
                    .group_by(Span.document_id)
                ).all()
            )
            event_counts = dict(
                s.exec(
                    select(EventLabel.document_id, func.count())
                    .where(EventLabel.annotator_id == ann.id)
                    .group_by(EventLabel.document_id)
                ).all()
            )
            rows = s.exec(
                select(Document.id, Document.external_id, Document.title,
                       func.length(Document.text)).order_by(Document.external_id)
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
            for ann in s.exec(select(Annotator).order_by(Annotator.name)):
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

    # --------------------------------------------------------------- annotations
    def spans(self, doc_id: int, user: str) -> list[Span]:
        with self.session() as s:
            ann = self._annotator(s, user)
            s.commit()
            q = (
                select(Span)
                .where(Span.document_id == doc_id, Span.annotator_id == ann.id)
                .order_by(Span.start, col(Span.end).desc(), Span.label)
            )
            return list(s.exec(q))

    def events(self, doc_id: int, user: str) -> list[EventLabel]:
        with self.session() as s:
            ann = self._annotator(s, user)
            s.commit()
            q = (
                select(EventLabel)
                .where(EventLabel.document_id == doc_id, EventLabel.annotator_id == ann.id)
                .order_by(EventLabel.scope, EventLabel.start, EventLabel.label)
            )
            return list(s.exec(q))

    def status(self, doc_id: int, user: str) -> str:
        with self.session() as s:
            ann = self._annotator(s, user)
            s.commit()
            a = self._assignment(s, doc_id, ann.id, create=False)
            return a.status if a else STATUS_NEW

    def annotators_with_status(self, doc_id: int, status: str = STATUS_DONE) -> list[str]:
        with self.session() as s:
            q = (
                select(Annotator.name)
                .join(Assignment, col(Assignment.annotator_id) == col(Annotator.id))
                .where(Assignment.document_id == doc_id, Assignment.status == status)
                .order_by(Annotator.name)
            )
            return list(s.exec(q))

    def _assignment(
        self, s: Session, doc_id: int, annotator_id: int | None, *, create: bool = True
    ) -> Assignment | None:
        a = s.exec(
            select(Assignment).where(
                Assignment.document_id == doc_id, Assignment.annotator_id == annotator_id
            )
        ).first()
        if a is None and create:
            assert annotator_id is not None
            a = Assignment(document_id=doc_id, annotator_id=annotator_id, status=STATUS_NEW)
            s.add(a)
            s.flush()
        return a

    def _touch(self, s: Session, doc_id: int, annotator_id: int | None) -> None:
        a = self._assignment(s, doc_id, annotator_id)
        assert a is not None
        if a.status == STATUS_NEW:
            a.status = STATUS_IN_PROGRESS
        a.updated_at = utcnow()
        s.add(a)

    def _check_label(self, kind: str, label: str) -> None:
        if self.label_checker is None:
            return
        names = (
            self.label_checker.entity_names() if kind == "entity"
            else self.label_checker.event_names()
        )
        if label not in names:
            raise StoreError(f"label {label!r} is not an {kind} type of the label schema")

    def _check_range(self, s: Session, doc_id: int, start: int, end: int) -> None:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise StoreError(f"no document with id {doc_id}")
        if not (0 <= start < end <= len(doc.text)):
            raise StoreError(f"span [{start}, {end}) is outside the document (0..{len(doc.text)})")

    def _log(
        self, s: Session, doc_id: int, annotator_id: int | None, kind: str, payload: dict[str, Any]
    ) -> None:
        # a new change discards the redo stack of this user on this document
        for old in s.exec(
            select(Action).where(
                Action.document_id == doc_id,
                Action.annotator_id == annotator_id,
                Action.state == "undone",
            )
        ):
            old.state = "dead"
            s.add(old)
        assert annotator_id is not None
        s.add(Action(document_id=doc_id, annotator_id=annotator_id, kind=kind, payload=payload))

    # span primitives, shared by the public methods, import, undo and redo
    def _insert_span(
        self, s: Session, doc_id: int, ann_id: int | None, start: int, end: int, label: str,
        provenance: dict[str, Any] | None = None,
    ) -> Span | None:
        exists = s.exec(
            select(Span).where(
                Span.document_id == doc_id, Span.annotator_id == ann_id,
                Span.start == start, Span.end == end, Span.label == label,
            )
        ).first()
        if exists is not None:
            return None
        assert ann_id is not None
        span = Span(document_id=doc_id, annotator_id=ann_id, start=start, end=end, label=label,
                    provenance=provenance)
        s.add(span)
        s.flush()
        return span

    def _delete_span(
        self, s: Session, doc_id: int, ann_id: int | None, start: int, end: int, label: str
    ) -> bool:
        result = s.exec(  # type: ignore[call-overload]
            delete(Span).where(
                col(Span.document_id) == doc_id, col(Span.annotator_id) == ann_id,
                col(Span.start) == start, col(Span.end) == end, col(Span.label) == label,
            )
        )
        return bool(result.rowcount)

    def add_span(
        self, doc_id: int, user: str, start: int, end: int, label: str,
        provenance: dict[str, Any] | None = None,
    ) -> Span | None:
        """Mark [start, end) with label; None when this user already has that exact span."""
        self._check_label("entity", label)
        with self.session() as s:
            self._check_range(s, doc_id, start, end)
            ann = self._annotator(s, user)
            span = self._insert_span(s, doc_id, ann.id, start, end, label, provenance)
            if span is None:
                return None
            self._touch(s, doc_id, ann.id)
            record = {"start": start, "end": end, "label": label, "provenance": provenance}
            self._log(s, doc_id, ann.id, "add_span", {"span": record})
            s.commit()
            return span

    def remove_span(self, span_id: int, user: str) -> bool:
        with self.session() as s:
            ann = self._annotator(s, user)
            span = s.get(Span, span_id)
            if span is None or span.annotator_id != ann.id:
                return False
            record = {"start": span.start, "end": span.end, "label": span.label,
                      "provenance": span.provenance}
            s.delete(span)
            self._touch(s, span.document_id, ann.id)
            self._log(s, span.document_id, ann.id, "remove_span", {"span": record})
            s.commit()
            return True

    # event primitives
    def _event_rows(
        self, s: Session, doc_id: int, ann_id: int | None, scope: str,
        start: int | None, end: int | None,
    ) -> list[EventLabel]:
        q = select(EventLabel).where(
            EventLabel.document_id == doc_id, EventLabel.annotator_id == ann_id,
            EventLabel.scope == scope,
        )
        if scope == SCOPE_SENTENCE:
            q = q.where(EventLabel.start == start, EventLabel.end == end)
        return list(s.exec(q))

    def _replace_events(
        self, s: Session, doc_id: int, ann_id: int | None, scope: str,
        start: int | None, end: int | None, labels: Iterable[str],
        provenance: dict[str, dict[str, Any]] | None = None,
    ) -> list[str]:
        """Set the label set of one unit; return the labels it had before (sorted)."""
        rows = self._event_rows(s, doc_id, ann_id, scope, start, end)
        before = sorted({r.label for r in rows})
        wanted = set(labels)
        for r in rows:
            if r.label not in wanted:
                s.delete(r)
        have = {r.label for r in rows}
        assert ann_id is not None
        for label in sorted(wanted - have):
            s.add(EventLabel(
                document_id=doc_id, annotator_id=ann_id, label=label, scope=scope,
                start=start if scope == SCOPE_SENTENCE else None,
                end=end if scope == SCOPE_SENTENCE else None,
                provenance=(provenance or {}).get(label),
            ))
        return before

    def set_events(
        self, doc_id: int, user: str, scope: str, labels: Iterable[str],
        start: int | None = None, end: int | None = None,
        provenance: dict[str, dict[str, Any]] | None = None,
    ) -> bool:
        """Replace this user's event labels on one unit (the document, or one sentence)."""
        if scope not in (SCOPE_DOCUMENT, SCOPE_SENTENCE):
            raise StoreError(f"unknown event scope {scope!r}")
        wanted = sorted(set(labels))
        for label in wanted:
            self._check_label("event", label)
        if scope == SCOPE_DOCUMENT:
            start = end = None
        with self.session() as s:
            if scope == SCOPE_SENTENCE:
                if start is None or end is None:
                    raise StoreError("a sentence event label needs the sentence's start and end")
                self._check_range(s, doc_id, start, end)
            ann = self._annotator(s, user)
            before = self._replace_events(s, doc_id, ann.id, scope, start, end, wanted, provenance)
            if before == wanted:
                s.rollback()
                return False
            self._touch(s, doc_id, ann.id)
            self._log(s, doc_id, ann.id, "set_events", {
                "scope": scope, "start": start, "end": end, "before": before, "after": wanted,
            })
            s.commit()
            return True

    def set_status(self, doc_id: int, user: str, status: str) -> bool:
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        with self.session() as s:
            ann = self._annotator(s, user)
            a = self._assignment(s, doc_id, ann.id)
            assert a is not None
            if a.status == status:
                s.rollback()
                return False
            before = a.status
            a.status = status
            a.updated_at = utcnow()
            s.add(a)
            self._log(s, doc_id, ann.id, "set_status", {"before": before, "after": status})
            s.commit()
            return True

    # ------------------------------------------------------------------ undo/redo
    # the kinds `_apply` can replay; an "import" (annotations made elsewhere, merged in)
    # stays in the log for the audit but is not on the undo stack
    UNDOABLE = ("add_span", "remove_span", "set_events", "set_status")

    def _apply(self, s: Session, action: Action, *, inverse: bool) -> None:
        p = action.payload
        doc_id, ann_id = action.document_id, action.annotator_id
        if action.kind in ("add_span", "remove_span"):
            sp = p["span"]
            adding = (action.kind == "add_span") != inverse
            if adding:
                self._insert_span(s, doc_id, ann_id, sp["start"], sp["end"], sp["label"],
                                  sp.get("provenance"))
            else:
                self._delete_span(s, doc_id, ann_id, sp["start"], sp["end"], sp["label"])
        elif action.kind == "set_events":
            labels = p["before"] if inverse else p["after"]
            self._replace_events(s, doc_id, ann_id, p["scope"], p["start"], p["end"], labels)
        elif action.kind == "set_status":
            a = self._assignment(s, doc_id, ann_id)
            assert a is not None
            a.status = p["before"] if inverse else p["after"]
            a.updated_at = utcnow()
            s.add(a)

    def undo(self, doc_id: int, user: str) -> Action | None:
        """Revert this user's latest change on the document; None when there is none."""
        with self.session() as s:
            ann = self._annotator(s, user)
            action = s.exec(
                select(Action)
                .where(Action.document_id == doc_id, Action.annotator_id == ann.id,
                       Action.state == "done", col(Action.kind).in_(self.UNDOABLE))
                .order_by(col(Action.id).desc())
            ).first()
            if action is None:
                return None
            self._apply(s, action, inverse=True)
            action.state = "undone"
            s.add(action)
            s.commit()
            return action

    def redo(self, doc_id: int, user: str) -> Action | None:
        with self.session() as s:
            ann = self._annotator(s, user)
            action = s.exec(
                select(Action)
                .where(Action.document_id == doc_id, Action.annotator_id == ann.id,
                       Action.state == "undone", col(Action.kind).in_(self.UNDOABLE))
                .order_by(col(Action.id))
            ).first()
            if action is None:
                return None
            self._apply(s, action, inverse=False)
            action.state = "done"
            s.add(action)
            s.commit()
            return action

    def actions(self, doc_id: int, user: str | None = None) -> list[Action]:
        with self.session() as s:
            q = select(Action).where(Action.document_id == doc_id)
            if user is not None:
                ann = self._annotator(s, user)
                q = q.where(Action.annotator_id == ann.id)
            return list(s.exec(q.order_by(col(Action.id))))

    # -------------------------------------------------------------------- import
    def import_annotations(
        self, doc_id: int, user: str,
        spans: Iterable[tuple[int, int, str]],
        events: Iterable[tuple[str, str, int | None, int | None]],
        status: str = STATUS_DONE,
    ) -> tuple[int, int]:
        """Store annotations made elsewhere as this user's, in one transaction.

        `events` are (label, scope, start, end). Returns (spans added, event labels added).
        """
        spans, events = list(spans), list(events)
        for _s, _e, label in spans:
            self._check_label("entity", label)
        for label, *_ in events:
            self._check_label("event", label)
        with self.session() as s:
            ann = self._annotator(s, user)
            n_spans = 0
            for start, end, label in spans:
                self._check_range(s, doc_id, start, end)
                n_spans += self._insert_span(s, doc_id, ann.id, start, end, label) is not None
            units: dict[tuple[str, int | None, int | None], set[str]] = {}
            for label, scope, start, end in events:
                units.setdefault((scope, start, end), set()).add(label)
            n_events = 0
            for (scope, start, end), labels in units.items():
                had = {r.label for r in self._event_rows(s, doc_id, ann.id, scope, start, end)}
                before = self._replace_events(s, doc_id, ann.id, scope, start, end, labels | had)
                n_events += len(labels - set(before))
            a = self._assignment(s, doc_id, ann.id)
            assert a is not None
            a.status = status
            a.updated_at = utcnow()
            s.add(a)
            self._log(s, doc_id, ann.id, "import", {"spans": n_spans, "events": n_events})
            s.commit()
            return n_spans, n_events
