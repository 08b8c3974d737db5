"""Bulk import: a batch of documents (and one annotator's annotations on them) in one
short transaction of set-based statements.

`Store.add_document` / `Store.import_annotations` take one document per transaction
through ORM objects: right for one article, 15–20× slower than the work itself for a
corpus. Here a batch (a few hundred documents) costs a handful of statements whatever
its size: one query for the known hashes, executemany inserts of documents, sentences,
spans, event labels, assignments and log rows, aggregate counts before and after. The
transaction holds the write lock for one batch only, never across the corpus.

What each document gets is what the one-document path gives it: the same rows, the same
`import` action per document under the annotator, gold following the annotators on
documents gold has worked on (`reconcile_gold`), the same renaming of an external id
another text already holds (`id-2`, `id-3`, …).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, Table, any_, bindparam, func, select
from sqlmodel import Session

from annotator.store.bulk_mentions import insert_mentions
from annotator.store.errors import StoreError
from annotator.store.models import (
    STATUS_DONE,
    Action,
    Assignment,
    Document,
    EventLabel,
    Sentence,
    Span,
    utcnow,
)
from annotator.store.pg_copy import copy_insert

if TYPE_CHECKING:
    from annotator.store.service import Store

Range = tuple[int, int]
# (label, scope, start or None, end or None)
EventTuple = tuple[str, str, int | None, int | None]


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


@dataclass
class NewDocument:
    """One document to import, ready to store: text already cleaned and NFC, `sha` its
    hash. `sentences` may stay None until the batch knows the text is new (a duplicate is
    never split again). `annotate`: store `spans`/`events` as the annotator's work."""

    where: str  # file:line, for messages
    external_id: str
    title: str
    text: str
    sha: str
    source_path: str
    meta: dict[str, Any]
    sentences: list[Range] | None = None
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    events: list[EventTuple] = field(default_factory=list)
    annotate: bool = False
    known_only: bool = False  # read only as far as its hash: the text must be stored
    # structured event mentions: {"start", "end", "type", "attributes", "coref": index of
    # an earlier mention or None, "arguments": [{"role", "start", "end", "label"}]}
    mentions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Outcome:
    """What the batch did with one `NewDocument`."""

    doc_id: int
    external_id: str  # as stored (renamed when another text held the id)
    created: bool
    spans: int = 0  # added for the annotator (already there: not counted)
    events: int = 0
    mentions: int = 0  # event mentions added (one the annotator had, same trigger and
    # type, is left as it was, not counted)


@dataclass
class Known:
    doc_id: int
    external_id: str


class StoreBulkImport:
    """Mixin of `Store`: reads and writes of a whole import batch."""

    def known_by_sha(self: Store, shas: Sequence[str]) -> dict[str, Known]:
        """The stored documents among these text hashes (one query)."""
        with self.session() as s:
            return self._known_in(s, shas)

    def stored_hashes(self: Store, limit: int) -> set[str] | None:
        """Every stored text's hash, or None when there are more than `limit`."""
        t = _t(Document)
        with self.session() as s:
            n = s.execute(select(func.count()).select_from(t)).scalar_one()
            if n > limit:
                return None
            return set(s.execute(select(t.c.sha256)).scalars())

    def sentence_ranges(self: Store, doc_ids: Sequence[int]) -> dict[int, list[Range]]:
        """Each document's sentences as (start, end), in order (one query)."""
        t = _t(Sentence)
        out: dict[int, list[Range]] = {i: [] for i in doc_ids}
        with self.session() as s:
            for doc_id, start, end in s.execute(
                    select(t.c.document_id, t.c.start, t.c.end)
                    .where(self._one_of(t.c.document_id, doc_ids))
                    .order_by(t.c.document_id, t.c.index)):
                out[doc_id].append((start, end))
        return out

    def import_batch(self: Store, docs: Sequence[NewDocument],
                     annotator: str | None = None) -> list[Outcome]:
        """Store the batch in one transaction; one `Outcome` per document, in order.

        A document whose text is known (stored before, or earlier in the batch) is not
        stored again; with `annotator`, annotations of documents marked `annotate` are
        added to that annotator's work (already present ones are not counted) and their
        status set to done. Every new document must have its `sentences`."""
        if annotator is not None:
            self._not_gold(annotator)
        with self.write(self._batch_locks(docs)) as s:
            known = self._known_in(s, [d.sha for d in docs])
            outcomes = self._insert_documents(s, docs, known)
            if annotator is not None:
                self._insert_annotations(s, docs, outcomes, annotator)
            s.commit()
        return outcomes

    # ------------------------------------------------------------------ helpers
    def _one_of(self: Store, column: Any, values: Sequence[Any]) -> Any:
        """`column IN (values)`; on PostgreSQL `column = ANY(:array)`, one parameter (a
        500-item IN list costs the client more to build and parse than the server to
        answer)."""
        values = sorted(set(values))
        if self.is_sqlite:
            return column.in_(values)
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))

    def _batch_locks(self: Store, docs: Sequence[NewDocument]) -> list[int] | None:
        """PostgreSQL: the advisory locks of the known documents whose annotations change
        (a new document is invisible to other writers until we commit). SQLite's write
        lock is the database's: None."""
        if self.is_sqlite:
            return None
        shas = [d.sha for d in docs if d.annotate]
        return sorted(k.doc_id for k in self.known_by_sha(shas).values()) if shas else []

    def _known_in(self: Store, s: Session, shas: Sequence[str]) -> dict[str, Known]:
        t = _t(Document)
        rows = s.execute(select(t.c.sha256, t.c.id, t.c.external_id)
                         .where(self._one_of(t.c.sha256, shas))).all()
        return {sha: Known(i, eid) for sha, i, eid in rows}

    def _insert_many(self: Store, s: Session, table: Table, rows: list[dict[str, Any]], *,
                     ignore: bool = True) -> None:
        """INSERT the rows (dicts with the same keys); see `_insert_rows`."""
        if rows:
            cols = list(rows[0])
            self._insert_rows(s, table, cols, [tuple(r[c] for c in cols) for r in rows],
                              ignore=ignore)

    def _insert_rows(self: Store, s: Session, table: Table, cols: list[str],
                     rows: list[tuple[Any, ...]], *, ignore: bool = True) -> None:
        """INSERT the rows (tuples in `cols` order; `ignore`: ON CONFLICT DO NOTHING): the
        driver's executemany on SQLite, with values converted once per column type (not
        SQLAlchemy's per-row parameter processing); COPY on PostgreSQL (`pg_copy`)."""
        if not rows:
            return
        if not self.is_sqlite:
            copy_insert(s, table, cols, rows, ignore=ignore)
            return
        dialect = self.engine.dialect
        procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in cols]
        names = ", ".join(f'"{c}"' for c in cols)
        sql = (f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(cols))})'
               + (" ON CONFLICT DO NOTHING" if ignore else ""))
        s.connection().exec_driver_sql(sql, _converted(rows, procs))

    def _free_ids(self: Store, s: Session, wanted: list[str]) -> list[str]:
        """The external ids to store: each wanted one, or `id-2`, `id-3`, … when another
        text (stored, or earlier in this batch) holds it."""
        t = _t(Document)
        taken = set(s.execute(select(t.c.external_id)
                              .where(self._one_of(t.c.external_id, wanted))).scalars())
        out: list[str] = []
        used: set[str] = set()
        for eid in wanted:
            if eid not in taken and eid not in used:
                out.append(eid)
                used.add(eid)
                continue
            n = 2
            while True:
                candidate = f"{eid}-{n}"
                if candidate not in used and s.execute(
                        select(t.c.id).where(t.c.external_id == candidate)).first() is None:
                    break
                n += 1
            out.append(candidate)
            used.add(candidate)
        return out

    def _insert_documents(self: Store, s: Session, docs: Sequence[NewDocument],
                          known: dict[str, Known]) -> list[Outcome]:
        new: dict[str, NewDocument] = {}
        for d in docs:
            if d.known_only and d.sha not in known:
                raise StoreError(f"{d.where}: its text was stored when the import began, "
                                 "but is gone: import the record again")
            if d.sha not in known and d.sha not in new:
                if d.sentences is None:
                    raise ValueError(f"{d.where}: a new document needs its sentences")
                new[d.sha] = d
        ids = self._free_ids(s, [d.external_id for d in new.values()]) if new else []
        now = utcnow()
        dt = _t(Document)
        if new:
            self._insert_many(s, dt, [_document_row(dt, d, eid, now)
                                      for d, eid in zip(new.values(), ids, strict=True)])
            stored = self._known_in(s, list(new))
            missing = [d for d in new.values() if d.sha not in stored]
            if missing:  # a concurrent import took one of the ids in between: rename
                for d in missing:
                    eid = self._free_ids(s, [d.external_id])[0]
                    self._insert_many(s, dt, [_document_row(dt, d, eid, now)])
                stored = self._known_in(s, list(new))
            mine = {sha: stored[sha] for sha, eid in zip(new, ids, strict=True)
                    if sha in stored and sha not in known}
            sentence_rows = [
                {"document_id": mine[sha].doc_id, "index": i, "start": a, "end": b}
                for sha, d in new.items() if sha in mine
                for i, (a, b) in enumerate(d.sentences or [])
            ]
            self._insert_many(s, _t(Sentence), sentence_rows, ignore=False)
        else:
            mine = {}
        outcomes: list[Outcome] = []
        created: set[str] = set()
        for d in docs:
            if d.sha in mine and d.sha not in created:
                created.add(d.sha)
                k = mine[d.sha]
                outcomes.append(Outcome(k.doc_id, k.external_id, True))
            else:
                k = known.get(d.sha) or mine.get(d.sha) or self._known_in(s, [d.sha])[d.sha]
                outcomes.append(Outcome(k.doc_id, k.external_id, False))
        return outcomes

    def _existing(self: Store, s: Session, model: Any, cols: tuple[str, ...], ann_id: int,
                  doc_ids: Sequence[int]) -> set[tuple[Any, ...]]:
        """(document_id, *cols) of the annotator's rows on these documents (one query)."""
        if not doc_ids:
            return set()
        t = _t(model)
        return {tuple(r) for r in s.execute(
            select(t.c.document_id, *(t.c[c] for c in cols))
            .where(t.c.annotator_id == ann_id, self._one_of(t.c.document_id, doc_ids)))}

    def _insert_annotations(self: Store, s: Session, docs: Sequence[NewDocument],
                            outcomes: list[Outcome], annotator: str) -> None:
        from annotator.store.gold_sync import reconcile_gold
        from annotator.store.service import os_actor

        ann_id = self._ann_id(s, annotator)
        todo = [(d, o) for d, o in zip(docs, outcomes, strict=True) if d.annotate]
        if not todo:
            return
        ids = sorted({o.doc_id for _, o in todo})
        old = sorted({o.doc_id for _, o in todo if not o.created})
        now = utcnow()
        # what the annotator has already is not added again, nor counted
        seen_spans = self._existing(s, Span, ("start", "end", "label"), ann_id, old)
        seen_events = self._existing(s, EventLabel, ("scope", "start", "end", "label"),
                                     ann_id, old)
        added: dict[int, list[int]] = {i: [0, 0] for i in ids}  # doc -> [spans, events]
        span_rows, event_rows = [], []
        for d, o in todo:
            for a, b, label in d.spans:
                key = (o.doc_id, a, b, label)
                if key not in seen_spans:
                    seen_spans.add(key)
                    span_rows.append((o.doc_id, ann_id, a, b, label, now))
                    added[o.doc_id][0] += 1
            for label, scope, a, b in d.events:
                key = (o.doc_id, scope, a, b, label)
                if key not in seen_events:
                    seen_events.add(key)
                    event_rows.append((o.doc_id, ann_id, label, scope, a, b, now))
                    added[o.doc_id][1] += 1
        # no conflict can arise: what was there is left out above, and no one else writes
        # these documents meanwhile (the write lock: SQLite's, or each known document's
        # advisory lock; a new document is seen by no one before the commit)
        self._insert_rows(s, _t(Span), ["document_id", "annotator_id", "start", "end",
                                        "label", "created_at"], span_rows, ignore=False)
        self._insert_rows(s, _t(EventLabel), ["document_id", "annotator_id", "label", "scope",
                                              "start", "end", "created_at"], event_rows,
                          ignore=False)
        mention_counts = insert_mentions(self, s, [(d.mentions, o.doc_id) for d, o in todo],
                                         ann_id, old, now)
        at = _t(Assignment)
        self._insert_many(s, at, [
            {"document_id": i, "annotator_id": ann_id, "status": STATUS_DONE,
             "updated_at": now} for i in ids])
        s.execute(at.update().where(at.c.annotator_id == ann_id,
                                    self._one_of(at.c.document_id, ids),
                                    at.c.status != STATUS_DONE)
                  .values(status=STATUS_DONE, updated_at=now))
        act = _t(Action)
        if old:  # a new change discards the annotator's redo stack on these documents
            s.execute(act.update().where(act.c.annotator_id == ann_id,
                                         self._one_of(act.c.document_id, old),
                                         act.c.state == "undone")
                      .values(state="dead"))
        logged: set[int] = set()
        action_rows = []
        for _d, o in todo:
            if o.doc_id in logged:  # the same text twice in one batch: counted once
                continue
            logged.add(o.doc_id)
            o.spans, o.events = added[o.doc_id]
            o.mentions = mention_counts.get(o.doc_id, 0)
            action_rows.append({
                "document_id": o.doc_id, "annotator_id": ann_id, "kind": "import",
                "payload": {"spans": o.spans, "events": o.events,
                            **({"event_mentions": o.mentions} if o.mentions else {})},
                "state": "done",
                "created_at": now, "by": annotator, "actor": os_actor()})
        self._insert_many(s, act, action_rows, ignore=False)
        if old:
            for doc_id in self._gold_worked_on(s, old):
                reconcile_gold(self, s, doc_id, changed_by=ann_id)

    def _gold_worked_on(self: Store, s: Session, doc_ids: Sequence[int]) -> list[int]:
        """Those of the documents gold has a status on (one query): only there can an
        annotator's import change gold."""
        from annotator.store.gold_sync import gold_id

        gid = gold_id(s)
        if gid is None:
            return []
        at = _t(Assignment)
        return sorted(s.execute(select(at.c.document_id).where(
            at.c.annotator_id == gid, self._one_of(at.c.document_id, doc_ids))).scalars())


def _converted(rows: list[tuple[Any, ...]], procs: list[Any]) -> list[tuple[Any, ...]]:
    """Each value through its column's bind processor (once per distinct object: a batch
    shares one timestamp)."""
    todo = [(i, p) for i, p in enumerate(procs) if p is not None]
    if not todo:
        return rows
    values = [list(r) for r in rows]
    for i, proc in todo:
        done: dict[int, Any] = {}
        for v in values:
            key = id(v[i])
            if key not in done:
                done[key] = proc(v[i])
            v[i] = done[key]
    return [tuple(v) for v in values]


def _document_row(table: Table, d: NewDocument, external_id: str, now: Any) -> dict[str, Any]:
    row = {"external_id": external_id, "title": d.title, "text": d.text, "sha256": d.sha,
           "source_path": d.source_path, "meta": d.meta, "created_at": now}
    if "list_key" in table.c:  # the documents list's search key
        from annotator.store.doc_list import list_key

        row["list_key"] = list_key(external_id, d.title)
    return row
