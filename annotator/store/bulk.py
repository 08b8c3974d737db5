"""Bulk reads for exporters and reports: a handful of queries, never one per document.

`Store` answers per-document questions (what the TUI needs); these functions read the
whole corpus in batches of documents (`WHERE document_id IN (...)`, answered from the
document/annotator indexes), so exporting 10,000 documents is tens of queries, and memory
stays bounded by one batch. They use SQLAlchemy Core on the SQLModel tables, so they work
on every database the engine supports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select, union
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from annotator.store.engine import codepoint
from annotator.store.models import (
    STATUS_DONE,
    Annotator,
    Assignment,
    Document,
    EventLabel,
    Sentence,
    Span,
)
from annotator.store.service import Store

BATCH = 500  # documents per round of queries (well under SQLite's bound-parameter limit)

# (start, end, label, provenance or None)
SpanRow = tuple[int, int, str, dict[str, Any] | None]
# (label, scope, start or None, end or None, provenance or None)
EventRow = tuple[str, str, int | None, int | None, dict[str, Any] | None]


def driver_rows(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """All rows of ``query`` as the driver's own tuples (SQLAlchemy Core builds the
    statement; no Row object per row, no result processing: only for columns the driver
    gives as they are, integers and text). Its parameters (document and annotator ids:
    integers only) are rendered into the statement."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return cursor.fetchall()  # type: ignore[no-any-return]
    finally:
        cursor.close()


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


@dataclass
class DocumentBundle:
    """One document with its sentences and the annotations of the requested annotators."""

    id: int
    external_id: str
    title: str
    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    spans: dict[str, list[SpanRow]] = field(default_factory=dict)
    events: dict[str, list[EventRow]] = field(default_factory=dict)


def annotator_ids(store: Store) -> dict[str, int]:
    """Every annotator name (gold included) with its row id."""
    t = _t(Annotator)
    with store.engine.connect() as conn:
        return {name: i for i, name in conn.execute(select(t.c.id, t.c.name))}


def statuses_by_document(store: Store, status: str = STATUS_DONE) -> dict[int, list[str]]:
    """document id -> names of the annotators (gold included) with this status, in code
    point order."""
    a, n = _t(Assignment), _t(Annotator)
    q = (
        select(a.c.document_id, n.c.name)
        .join(n, n.c.id == a.c.annotator_id)
        .where(a.c.status == status)
        .order_by(a.c.document_id, codepoint(n.c.name))
    )
    out: dict[int, list[str]] = {}
    with store.engine.connect() as conn:
        for doc_id, name in conn.execute(q):
            out.setdefault(doc_id, []).append(name)
    return out


def documents_annotated_by(store: Store, annotator_id: int) -> set[int]:
    """Documents on which this annotator has at least one span or event label."""
    s, e = _t(Span), _t(EventLabel)
    q = union(
        select(s.c.document_id).where(s.c.annotator_id == annotator_id),
        select(e.c.document_id).where(e.c.annotator_id == annotator_id),
    )
    with store.engine.connect() as conn:
        return {row[0] for row in conn.execute(q)}


def ordered_documents(store: Store) -> list[tuple[int, str]]:
    """(id, external_id) of every document, in external id order (the export order: code
    point order on every backend, whatever the database's collation)."""
    d = _t(Document)
    with store.engine.connect() as conn:
        return [(i, e) for i, e in conn.execute(
            select(d.c.id, d.c.external_id).order_by(codepoint(d.c.external_id)))]


def _annotation_rows(
    conn: Connection, table: Table, columns: list[Any], ids: list[int], ann_ids: list[int],
    provenance: bool,
) -> Iterator[tuple[int, int, tuple[Any, ...]]]:
    """(document id, annotator id, (*columns, provenance or None)) of a span or event table,
    for a batch of documents and annotators. Without provenance (a JSON column: read
    through SQLAlchemy, which decodes it), the rows come as the driver gives them."""
    cols = [table.c.document_id, table.c.annotator_id, *columns]
    if provenance:
        cols.append(table.c.provenance)
    query = select(*cols).where(
        table.c.document_id.in_(ids), table.c.annotator_id.in_(ann_ids)
    )
    if provenance:
        for row in conn.execute(query):
            yield row[0], row[1], tuple(row[2:])
    else:
        for row in driver_rows(conn, query):
            yield row[0], row[1], (*row[2:], None)


def iter_bundles(
    store: Store,
    doc_ids: Sequence[int],
    annotators: dict[str, int],
    *,
    provenance: bool = False,
    batch: int = BATCH,
) -> Iterator[DocumentBundle]:
    """Bundles for `doc_ids`, in that order, with the spans and events of `annotators`
    (name -> id). Four queries per batch of documents. `provenance` also reads the
    provenance column (only gold rows carry one)."""
    d, se, sp, ev = _t(Document), _t(Sentence), _t(Span), _t(EventLabel)
    names = {i: name for name, i in annotators.items()}
    ann_ids = list(names)
    with store.engine.connect() as conn:
        for lo in range(0, len(doc_ids), batch):
            ids = list(doc_ids[lo : lo + batch])
            bundles: dict[int, DocumentBundle] = {}
            for i, ext, title, text in driver_rows(conn, select(
                d.c.id, d.c.external_id, d.c.title, d.c.text).where(d.c.id.in_(ids))
            ):
                bundles[i] = DocumentBundle(i, ext, title or "", text)
            for doc_id, start, end in driver_rows(conn,
                select(se.c.document_id, se.c.start, se.c.end)
                .where(se.c.document_id.in_(ids))
                .order_by(se.c.document_id, se.c.index)
            ):
                bundles[doc_id].sentences.append((start, end))
            if ann_ids:
                for doc_id, ann_id, values in _annotation_rows(
                    conn, sp, [sp.c.start, sp.c.end, sp.c.label], ids, ann_ids, provenance
                ):
                    bundles[doc_id].spans.setdefault(names[ann_id], []).append(values)
                for doc_id, ann_id, values in _annotation_rows(
                    conn, ev, [ev.c.label, ev.c.scope, ev.c.start, ev.c.end], ids, ann_ids,
                    provenance,
                ):
                    bundles[doc_id].events.setdefault(names[ann_id], []).append(values)
            for i in ids:
                if i in bundles:
                    yield bundles[i]
