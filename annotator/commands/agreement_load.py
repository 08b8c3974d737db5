"""Load the finished work that `annotator agreement` compares: one `DocumentUnit` per
document, read in batches of documents.

The report reads every span of every annotator compared (a million rows on a real
corpus), so this path reads them with `bulk.driver_rows` (plain tuples, no Row object per
row), a batch of documents at a time, so the report can tally each batch and let it go.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.agreement.span_table import SpanTable, presence, table_of
from annotator.errors import UsageError
from annotator.store.bulk import (
    BATCH,
    annotator_ids,
    driver_rows,
    ordered_documents,
    statuses_by_document,
)
from annotator.store.event_mentions import mention_views
from annotator.store.models import GOLD, Document, EventLabel, Sentence, Span
from annotator.store.service import Store
from annotator.text.token_arrays import token_arrays

NO_TOKENS = np.zeros((0, 2), dtype=np.int32)


def batch_units(
    conn: Connection, ids: list[int], done: dict[int, list[str]], wanted: dict[str, int],
) -> Iterator[DocumentUnit]:
    """The units of the documents ``ids`` (those that exist), with the work of the wanted
    annotators who finished each (``done``)."""
    units, rows = _read(conn, ids, done, wanted)
    spans: dict[tuple[int, int], set[SpanAnn]] = {}
    make, tail = SpanAnn._make, itemgetter(slice(2, None))
    for key, group in groupby(rows, itemgetter(0, 1)):
        spans[key] = set(map(make, map(tail, group)))
    for doc_id, unit in units:
        for name, work in unit.work.items():
            work.spans = spans.pop((doc_id, wanted[name]), set())
        yield unit


def batch_table(
    conn: Connection, ids: list[int], done: dict[int, list[str]], wanted: dict[str, int],
    annotators: list[str],
) -> tuple[list[DocumentUnit], SpanTable]:
    """`batch_units`, with the spans of the annotators compared (``annotators``, in that
    order) as a `SpanTable` instead: the units' works carry no spans until
    `span_table.fill_spans` gives them theirs."""
    read, rows = _read(conn, ids, done, wanted)
    units = [unit for _, unit in read]
    present = presence(units, annotators)
    n = len(rows)

    def column(k: int) -> np.ndarray:
        return np.fromiter(map(itemgetter(k), rows), dtype=np.int64, count=n)

    doc = _positions(column(0), [doc_id for doc_id, _ in read])
    ann = _positions(column(1), [wanted[a] for a in annotators])
    keep = (doc >= 0) & (ann >= 0)
    keep[keep] = present[doc[keep], ann[keep]]  # only the work of who finished it
    labels = list(map(itemgetter(4), rows))
    if not keep.all():
        labels = [x for x, k in zip(labels, keep.tolist(), strict=True) if k]
    return units, table_of(doc[keep], ann[keep], column(2)[keep], column(3)[keep], labels,
                           present)


def _positions(values: np.ndarray, keys: list[int]) -> np.ndarray:
    """The position of each value in ``keys`` (distinct), -1 where it is not there."""
    if not keys:
        return np.full(len(values), -1, dtype=np.int64)
    key_array = np.array(keys, dtype=np.int64)
    order = np.argsort(key_array)
    at = np.minimum(np.searchsorted(key_array[order], values), len(keys) - 1)
    found = key_array[order][at] == values
    return np.where(found, order[at], -1)


def _read(
    conn: Connection, ids: list[int], done: dict[int, list[str]], wanted: dict[str, int],
) -> tuple[list[tuple[int, DocumentUnit]], list[tuple[Any, ...]]]:
    """(document id, unit) per document of ``ids`` that exists, in that order, its works
    without spans; and the span rows (document id, annotator id, start, end, label) of the
    wanted annotators, by document and annotator."""
    d, se, sp, ev = (m.__table__ for m in (Document, Sentence, Span, EventLabel))  # type: ignore[attr-defined]
    ann_ids = list(wanted.values())
    docs = {i: (ext, text) for i, ext, text in driver_rows(conn, select(
        d.c.id, d.c.external_id, d.c.text).where(d.c.id.in_(ids)))}
    sentences: dict[int, list[tuple[int, int]]] = {}
    for doc_id, start, end in driver_rows(conn, select(se.c.document_id, se.c.start, se.c.end)
                                    .where(se.c.document_id.in_(ids))
                                    .order_by(se.c.document_id, se.c.index)):
        sentences.setdefault(doc_id, []).append((start, end))
    rows = driver_rows(conn, select(sp.c.document_id, sp.c.annotator_id, sp.c.start, sp.c.end,
                              sp.c.label)
                 .where(sp.c.document_id.in_(ids), sp.c.annotator_id.in_(ann_ids))
                 .order_by(sp.c.document_id, sp.c.annotator_id))
    doc_events: dict[tuple[int, int], set[str]] = {}
    sent_events: dict[tuple[int, int], dict[tuple[int, int], set[str]]] = {}
    for doc_id, ann_id, label, scope, start, end in driver_rows(conn, select(
            ev.c.document_id, ev.c.annotator_id, ev.c.label, ev.c.scope, ev.c.start, ev.c.end)
            .where(ev.c.document_id.in_(ids), ev.c.annotator_id.in_(ann_ids))):
        key = (doc_id, ann_id)
        if scope == "document":
            doc_events.setdefault(key, set()).add(label)
        elif start is not None and end is not None:
            sent_events.setdefault(key, {}).setdefault((start, end), set()).add(label)
    mentions = mention_views(conn, ids, ann_ids)
    units = []
    for doc_id in ids:
        if doc_id not in docs:
            continue
        ext, text = docs[doc_id]
        work = {}
        for name in done[doc_id]:
            key = (doc_id, wanted[name])
            work[name] = AnnotatorWork(
                spans=set(),
                doc_events=frozenset(doc_events.get(key, ())),
                sent_events={k: frozenset(v) for k, v in sent_events.get(key, {}).items()},
                mentions=mentions.get(key, []),
            )
        units.append((doc_id, DocumentUnit(doc_id=ext, text=text,
                                           sentences=sentences.get(doc_id, []),
                                           tokens=NO_TOKENS, work=work)))
    return units, rows


@dataclass
class LoadPlan:
    """What to read: the annotators compared, who finished which document, the order."""

    names: list[str]
    done: dict[int, list[str]]  # document id -> the wanted annotators who finished it
    wanted: dict[str, int]  # name -> annotator id (gold's too when asked)
    order: list[int]  # document ids, in external-id order


def plan_units(store: Store, names: list[str] | None, *, with_gold: bool = False) -> LoadPlan:
    """The documents that some of `names` (default: every annotator but gold) finished, in
    external-id order. `with_gold`: gold's work is read too where gold finished (gold is
    not among the names)."""
    def wanted_name(n: str) -> bool:
        if n == GOLD:
            return with_gold
        return n in names if names is not None else True

    done = {
        doc_id: [n for n in finished if wanted_name(n)]
        for doc_id, finished in statuses_by_document(store).items()
    }
    done = {doc_id: finished for doc_id, finished in done.items() if finished}
    if names is None:
        names = sorted({n for finished in done.values() for n in finished if n != GOLD})
    ids = annotator_ids(store)
    unknown = [n for n in names if n not in ids]
    if unknown:
        known = ", ".join(sorted(n for n in ids if n != GOLD)) or "none yet"
        raise UsageError(f"--annotators: no annotator named {', '.join(map(repr, unknown))} "
                         f"(known: {known})")
    wanted = {n: ids[n] for n in names if n in ids}
    if with_gold and GOLD in ids:
        wanted[GOLD] = ids[GOLD]
    order = [doc_id for doc_id, _ext in ordered_documents(store) if doc_id in done]
    return LoadPlan(names, done, wanted, order)


def unit_batches(store: Store, plan: LoadPlan, *, batch: int = BATCH
                 ) -> Iterator[list[DocumentUnit]]:
    """The plan's documents as units, a batch at a time; only the documents two or more
    finished are tokenized (token agreement looks at no other)."""
    with store.engine.connect() as conn:
        for lo in range(0, len(plan.order), batch):
            units = list(batch_units(conn, plan.order[lo:lo + batch], plan.done, plan.wanted))
            tokenize(units)
            yield units


def tokenize(units: list[DocumentUnit]) -> None:
    """Give the units two or more annotators finished their token offsets."""
    compared = [u for u in units if len(u.work) >= 2]
    for unit, tokens in zip(compared, token_arrays([u.text for u in compared]), strict=True):
        unit.tokens = tokens


def load_units(
    store: Store, names: list[str] | None, *, with_gold: bool = False, batch: int = BATCH,
) -> tuple[list[DocumentUnit], list[str]]:
    """Every unit of `plan_units(store, names, with_gold=...)`, in one list, and the names
    compared."""
    plan = plan_units(store, names, with_gold=with_gold)
    return [u for part in unit_batches(store, plan, batch=batch) for u in part], plan.names
