"""The one store/service layer: every read and write of the corpus goes through `Store`.

Each public mutating method is one committed transaction and writes one `Action` row
(who, when, what, before/after, the operating-system user@host), which is also what undo
and redo replay. Every write transaction is opened by `Store.write`, which takes the write
lock before the first read (SQLite ``BEGIN IMMEDIATE``; on PostgreSQL a transaction-scoped
advisory lock on the document), so a read-then-write can never act on a stale read.
"""

from __future__ import annotations

import getpass
import hashlib
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import case, func, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from annotator.store import engine as engine_settings
from annotator.store import event_mention_rows as event_rows
from annotator.store.bulk_import import StoreBulkImport
from annotator.store.doc_list import StoreDocList, list_key
from annotator.store.engine import BEGIN_OPTION, LOCK_WAIT_OPTION, make_engine
from annotator.store.errors import StoreError
from annotator.store.event_mentions import StoreEventMentions
from annotator.store.history import StoreHistory
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
from annotator.store.reads import DocumentRow, StoreReads
from annotator.store.schema_store import StoreLabelSchema
from annotator.store.suggestions import StoreSuggestions

__all__ = ["DocumentRow", "Store", "StoreError", "default_user", "os_actor", "sha256_text"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def os_actor() -> str:
    """The operating-system user@host a change is made from (for the audit trail)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        user = "?"
    return f"{user}@{socket.gethostname()}"


def default_user() -> str:
    """$ANNOTATOR_USER, else the login name: who a change is by when no name is given."""
    import os

    return os.environ.get("ANNOTATOR_USER") or os_actor().split("@", 1)[0]


GLOBAL_LOCK = 0  # advisory lock key of writes that belong to no document


class Store(StoreEventMentions,
            StoreReads, StoreDocList, StoreHistory, StoreBulkImport, StoreSuggestions,
            StoreLabelSchema):
    """Writes (each one transaction, logged) and the helpers they share; the reads are in
    `StoreReads`, undo/redo in `StoreHistory`."""

    def __init__(self, engine: Engine, label_checker: Any | None = None) -> None:
        self.engine = engine
        # object with .entity_names() and .event_names(); None = accept any label
        self.label_checker = label_checker
        # facts that never change once committed: annotator ids, document lengths
        self._ids: dict[str, int] = {}
        self._lengths: dict[int, int] = {}
        # how long a write waits for SQLite's write lock before it fails (transient)
        self.lock_wait = engine_settings.BUSY_TIMEOUT_MS / 1000

    @classmethod
    def open(cls, db: str | None = None, label_checker: Any | None = None) -> Store:
        engine = make_engine(db)
        migrate(engine)
        return cls(engine, label_checker)

    def session(self) -> Session:
        """A session for reading (a write here would take the lock late: use `write`)."""
        return Session(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self, doc_id: int | Sequence[int] | None = None) -> Iterator[Session]:
        """A session whose transaction holds the write lock from its start: SQLite
        ``BEGIN IMMEDIATE``; PostgreSQL an advisory lock on the document(s) (taken in id
        order, so two writers never wait on each other crosswise), or on the corpus-wide
        key. The caller commits; leaving without a commit rolls back."""
        if self.is_sqlite:
            bind = self.engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE",
                                                    LOCK_WAIT_OPTION: self.lock_wait})
            with Session(bind, expire_on_commit=False) as s:
                s.connection()  # BEGIN IMMEDIATE now, not at the first statement
                yield s
            return
        keys = ([GLOBAL_LOCK] if doc_id is None else [doc_id] if isinstance(doc_id, int)
                else sorted(set(doc_id)))
        with Session(self.engine, expire_on_commit=False) as s:
            if len(keys) == 1:
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": keys[0]})
            elif keys:  # one round trip for a batch, still taken in id order
                s.execute(text("SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT "
                               "unnest(CAST(:keys AS bigint[])) AS k ORDER BY 1) AS ordered"),
                          {"keys": keys})
            yield s

    def close(self) -> None:
        self.engine.dispose()

    def _insert_ignore(self, s: Session, model: Any, values: dict[str, Any],
                       keys: list[str]) -> None:
        """INSERT … ON CONFLICT (keys) DO NOTHING, on either backend."""
        table = model.__table__
        make = sqlite_insert if self.is_sqlite else pg_insert
        s.execute(make(table).values(**values).on_conflict_do_nothing(index_elements=keys))

    # ------------------------------------------------------------------ settings
    def set_setting(self, key: str, value: str) -> None:
        table = Setting.__table__  # type: ignore[attr-defined]
        make = sqlite_insert if self.is_sqlite else pg_insert
        stmt = make(table).values(key=key, value=value)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        with self.write() as s:
            s.execute(stmt)
            s.commit()

    # ---------------------------------------------------------------- annotators
    def _annotator(self, s: Session, name: str, role: str | None = None) -> Annotator:
        """The annotator row, created if need be (insert-or-ignore: two processes starting
        the same new user at once both get the one row)."""
        ann = s.exec(select(Annotator).where(Annotator.name == name)).first()
        if ann is None:
            default = ROLE_GOLD if name == GOLD else ROLE_ANNOTATOR
            self._insert_ignore(s, Annotator, {"name": name, "role": role or default},
                                ["name"])
            ann = s.exec(select(Annotator).where(Annotator.name == name)).one()
        return ann

    def _ann_id(self, s: Session, name: str) -> int:
        """The annotator's id inside a write session (created when new). Ids found in the
        database are remembered; one created here is not until it is committed."""
        found = self._ids.get(name)
        if found is None:
            found = s.exec(select(Annotator.id).where(Annotator.name == name)).first()
            if found is None:
                ann = self._annotator(s, name)
                assert ann.id is not None
                return ann.id
            self._ids[name] = found
        return found

    def _annotator_id(self, name: str) -> int:
        """The annotator's id, created in its own short transaction when new (so a reading
        method never writes inside its read)."""
        if name in self._ids:
            return self._ids[name]
        with self.session() as s:
            found = s.exec(select(Annotator.id).where(Annotator.name == name)).first()
        if found is None:
            ann = self.annotator(name)
            assert ann.id is not None
            found = ann.id
        self._ids[name] = found
        return found

    def annotator(self, name: str) -> Annotator:
        with self.write() as s:
            ann = self._annotator(s, name)
            s.commit()
            return ann

    def set_role(self, name: str, role: str, by: str | None = None) -> Annotator:
        """Grant `name` the role; logged (who granted it, from where, before/after)."""
        if role not in (ROLE_ANNOTATOR, ROLE_ADJUDICATOR):
            raise StoreError(f"unknown role {role!r}: use annotator or adjudicator")
        if name == GOLD:
            raise StoreError(f"{GOLD!r} is reserved for adjudicated annotations")
        with self.write() as s:
            ann = self._annotator(s, name)
            before = ann.role
            ann.role = role
            s.add(ann)
            if before != role:
                self._audit(s, None, ann.id, "role", {"before": before, "after": role},
                            by=by)
            s.commit()
            return ann

    # ----------------------------------------------------------------- documents
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
        with self.write() as s:
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
                list_key=list_key(eid, title),
            )
            s.add(doc)
            s.flush()
            assert doc.id is not None
            for i, (start, end) in enumerate(sentences):
                s.add(Sentence(document_id=doc.id, index=i, start=start, end=end))
            s.commit()
            return doc, True

    # --------------------------------------------------------------- annotations
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
            self._insert_ignore(s, Assignment, {
                "document_id": doc_id, "annotator_id": annotator_id, "status": STATUS_NEW,
                "updated_at": utcnow()}, ["document_id", "annotator_id"])
            a = s.exec(select(Assignment).where(
                Assignment.document_id == doc_id, Assignment.annotator_id == annotator_id,
            )).one()
        return a

    def _touch(self, s: Session, doc_id: int, annotator_id: int | None) -> None:
        """The annotator is working on the document: new becomes in progress."""
        table = Assignment.__table__  # type: ignore[attr-defined]
        now = utcnow()
        done = s.execute(
            table.update()
            .where(table.c.document_id == doc_id, table.c.annotator_id == annotator_id)
            .values(status=case((table.c.status == STATUS_NEW, STATUS_IN_PROGRESS),
                                else_=table.c.status), updated_at=now))
        if not done.rowcount:  # type: ignore[attr-defined]
            self._insert_ignore(s, Assignment, {
                "document_id": doc_id, "annotator_id": annotator_id,
                "status": STATUS_IN_PROGRESS, "updated_at": now},
                ["document_id", "annotator_id"])

    def _check_label(self, kind: str, label: str) -> None:
        self._check_labels(kind, (label,))

    def _check_labels(self, kind: str, labels: Iterable[str]) -> None:
        """Every one of `labels` must be a `kind` (entity | event) type of the schema: one
        look at the schema for a batch, however many labels."""
        if self.label_checker is None:
            return
        names = set(
            self.label_checker.entity_names() if kind == "entity"
            else self.label_checker.event_names()
        )
        unknown = sorted(set(labels) - names)
        if unknown:
            raise StoreError(f"label {unknown[0]!r} is not an {kind} type of the label schema")

    def _check_range(self, s: Session, doc_id: int, start: int, end: int) -> None:
        n = self._lengths.get(doc_id)
        if n is None:
            n = s.exec(select(func.length(Document.text)).where(Document.id == doc_id)).first()
            if n is None:
                raise StoreError(f"no document with id {doc_id}")
            self._lengths[doc_id] = n
        if not (0 <= start < end <= n):
            raise StoreError(f"span [{start}, {end}) is outside the document (0..{n})")

    def _audit(
        self, s: Session, doc_id: int | None, annotator_id: int | None, kind: str,
        payload: dict[str, Any], *, by: str | None = None, state: str = "done",
    ) -> Action:
        """One row of the action log: whose annotations (`annotator_id`), who did it
        (`by`, default the annotator), from where (OS user@host), when, what."""
        assert annotator_id is not None
        if by is None:
            by = s.exec(select(Annotator.name).where(Annotator.id == annotator_id)).one()
        action = Action(document_id=doc_id, annotator_id=annotator_id, kind=kind,
                        payload=payload, state=state, by=by, actor=os_actor())
        s.add(action)
        return action

    def _log(
        self, s: Session, doc_id: int, annotator_id: int | None, kind: str,
        payload: dict[str, Any], by: str | None = None,
    ) -> None:
        # a new change discards the redo stack of this user on this document
        table = Action.__table__  # type: ignore[attr-defined]
        s.execute(table.update().where(
            table.c.document_id == doc_id, table.c.annotator_id == annotator_id,
            table.c.state == "undone").values(state="dead"))
        self._audit(s, doc_id, annotator_id, kind, payload, by=by)
        self._gold_follows(s, doc_id, annotator_id, kind)

    def _gold_follows(self, s: Session, doc_id: int, annotator_id: int | None,
                      kind: str) -> None:
        """An annotator's change on a document gold took items from: gold drops what no
        longer stands and reopens what is disputed again (same transaction).

        Gold rests only on the work of annotators who finished the document, so an edit by
        someone who has never finished it (no status change, no import on record) cannot
        touch gold: that common case costs one indexed query."""
        from annotator.store.gold_sync import reconcile_gold

        if kind not in ("set_status", "import"):
            t = Action.__table__  # type: ignore[attr-defined]
            ever_finished = s.execute(
                select(t.c.id).where(t.c.document_id == doc_id,
                                     t.c.annotator_id == annotator_id,
                                     t.c.kind.in_(("set_status", "import"))).limit(1)
            ).first()
            if ever_finished is None:
                return
        reconcile_gold(self, s, doc_id, changed_by=annotator_id)

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
        if result.rowcount:  # a span gone is an argument no more (event mentions)
            event_rows.drop_span_links(s, doc_id, ann_id, start, end, label)
        return bool(result.rowcount)

    def add_span(
        self, doc_id: int, user: str, start: int, end: int, label: str,
        provenance: dict[str, Any] | None = None,
    ) -> Span | None:
        """Mark [start, end) with label; None when this user already has that exact span."""
        self._check_label("entity", label)
        with self.write(doc_id) as s:
            self._check_range(s, doc_id, start, end)
            ann_id = self._ann_id(s, user)
            span = self._insert_span(s, doc_id, ann_id, start, end, label, provenance)
            if span is None:
                return None
            self._touch(s, doc_id, ann_id)
            record = {"start": start, "end": end, "label": label, "provenance": provenance}
            self._log(s, doc_id, ann_id, "add_span", {"span": record}, by=user)
            s.commit()
            return span

    @contextmanager
    def _own_span(self, span_id: int, user: str) -> Iterator[tuple[Session, int, Span] | None]:
        """A write session on the span's document, with the user's id and the span; None
        when the span is gone or is not theirs."""
        with self.session() as s:
            doc_id = s.exec(select(Span.document_id).where(Span.id == span_id)).first()
        if doc_id is None:
            yield None
            return
        with self.write(doc_id) as s:
            ann_id = self._ann_id(s, user)
            span = s.get(Span, span_id)
            yield (s, ann_id, span) if span is not None and span.annotator_id == ann_id \
                else None

    def remove_span(self, span_id: int, user: str) -> bool:
        with self._own_span(span_id, user) as found:
            if found is None:
                return False
            s, ann_id, span = found
            record = {"start": span.start, "end": span.end, "label": span.label,
                      "provenance": span.provenance}
            # the argument links naming it go with it (recorded: undo puts them back)
            links = event_rows.drop_span_links(s, span.document_id, ann_id, span.start,
                                               span.end, span.label)
            s.delete(span)
            self._touch(s, span.document_id, ann_id)
            self._log(s, span.document_id, ann_id, "remove_span",
                      {"span": record, **({"links": links} if links else {})}, by=user)
            s.commit()
            return True

    def relabel_span(self, span_id: int, user: str, label: str) -> Span | None:
        """Give this user's span another label, same extent: one transaction, logged as
        `relabel_span` (before/after), undoable. None when the span is gone or not theirs;
        a refusal when they already have a span of that label there."""
        self._check_label("entity", label)
        with self._own_span(span_id, user) as found:
            if found is None:
                return None
            s, ann_id, span = found
            doc_id = span.document_id
            before = span.label
            if before == label:
                return span
            taken = s.exec(select(Span.id).where(
                Span.document_id == doc_id, Span.annotator_id == ann_id,
                Span.start == span.start, Span.end == span.end, Span.label == label,
            )).first()
            if taken is not None:
                raise StoreError(f"[{span.start}, {span.end}) is already marked {label}")
            span.label = label
            s.add(span)
            s.flush()
            # argument links follow the span; those the new label does not fit go (logged)
            dropped = event_rows.relabel_span_links(s, doc_id, ann_id, span.start, span.end,
                                                    before, label, fits=self._role_fits())
            self._touch(s, doc_id, ann_id)
            record = {"start": span.start, "end": span.end, "label": label,
                      "provenance": span.provenance}
            self._log(s, doc_id, ann_id, "relabel_span",
                      {"span": record, "before": before, "after": label,
                       **({"links_dropped": dropped} if dropped else {})}, by=user)
            s.commit()
            return span

    def _relabel(self, s: Session, doc_id: int, ann_id: int | None, start: int, end: int,
                 old: str, new: str) -> None:
        """Replay of a relabel: the span [start, end) labelled `old` takes `new`."""
        table = Span.__table__  # type: ignore[attr-defined]
        where = (table.c.document_id == doc_id, table.c.annotator_id == ann_id,
                 table.c.start == start, table.c.end == end)
        if s.execute(select(table.c.id).where(*where, table.c.label == new)).first():
            s.execute(table.delete().where(*where, table.c.label == old))
        else:
            s.execute(table.update().where(*where, table.c.label == old).values(label=new))

    def _not_gold(self, user: str) -> None:
        if user == GOLD:
            raise StoreError(f"{GOLD!r} is made only by adjudication")

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
        s.flush()
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
        with self.write(doc_id) as s:
            if scope == SCOPE_SENTENCE:
                if start is None or end is None:
                    raise StoreError("a sentence event label needs the sentence's start and end")
                self._check_range(s, doc_id, start, end)
            ann_id = self._ann_id(s, user)
            before = self._replace_events(s, doc_id, ann_id, scope, start, end, wanted, provenance)
            if before == wanted:
                s.rollback()
                return False
            self._touch(s, doc_id, ann_id)
            self._log(s, doc_id, ann_id, "set_events", {
                "scope": scope, "start": start, "end": end, "before": before, "after": wanted,
            }, by=user)
            s.commit()
            return True

    def set_status(self, doc_id: int, user: str, status: str) -> bool:
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        with self.write(doc_id) as s:
            ann_id = self._ann_id(s, user)
            a = self._assignment(s, doc_id, ann_id)
            assert a is not None
            if a.status == status:
                s.rollback()
                return False
            before = a.status
            a.status = status
            a.updated_at = utcnow()
            s.add(a)
            s.flush()
            self._log(s, doc_id, ann_id, "set_status", {"before": before, "after": status},
                      by=user)
            s.commit()
            return True

    # -------------------------------------------------------------------- import
    def import_annotations(
        self, doc_id: int, user: str,
        spans: Iterable[tuple[int, int, str]],
        events: Iterable[tuple[str, str, int | None, int | None]],
        status: str = STATUS_DONE,
    ) -> tuple[int, int]:
        """Store annotations made elsewhere as this user's, in one transaction.

        `events` are (label, scope, start, end). Returns (spans added, event labels added).
        Gold cannot be imported: it is made only by adjudication.
        """
        spans, events = list(spans), list(events)
        self._not_gold(user)
        for _s, _e, label in spans:
            self._check_label("entity", label)
        for label, *_ in events:
            self._check_label("event", label)
        with self.write(doc_id) as s:
            ann_id = self._ann_id(s, user)
            n_spans = 0
            for start, end, label in spans:
                self._check_range(s, doc_id, start, end)
                n_spans += self._insert_span(s, doc_id, ann_id, start, end, label) is not None
            units: dict[tuple[str, int | None, int | None], set[str]] = {}
            for label, scope, start, end in events:
                units.setdefault((scope, start, end), set()).add(label)
            n_events = 0
            for (scope, start, end), labels in units.items():
                had = {r.label for r in self._event_rows(s, doc_id, ann_id, scope, start, end)}
                before = self._replace_events(s, doc_id, ann_id, scope, start, end, labels | had)
                n_events += len(labels - set(before))
            a = self._assignment(s, doc_id, ann_id)
            assert a is not None
            a.status = status
            a.updated_at = utcnow()
            s.add(a)
            s.flush()
            self._log(s, doc_id, ann_id, "import", {"spans": n_spans, "events": n_events},
                      by=user)
            s.commit()
            return n_spans, n_events
