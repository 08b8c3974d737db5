"""Load the finished work that `annotator agreement` compares: one `DocumentUnit` per
document, read in batches of documents.

The report reads every span of every annotator compared (a million rows on a real
corpus), so this path reads them through the driver's own cursor (SQLAlchemy Core builds
each statement; the rows come back as plain tuples, with no Row object per row), a batch
of documents at a time, so the report can tally each batch and let it go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, groupby
from multiprocessing import get_context
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.errors import UsageError
from annotator.io.parallel import Ready
from annotator.io.token_split import tokens_of
from annotator.store.bulk import BATCH, annotator_ids, ordered_documents, statuses_by_document
from annotator.store.event_mentions import mention_views
from annotator.store.models import GOLD, Document, EventLabel, Sentence, Span
from annotator.store.service import Store

NO_TOKENS = np.zeros((0, 2), dtype=np.int32)


def token_array(text: str) -> np.ndarray:
    """Token offsets of ``text`` as an (n, 2) int32 array (a fraction of a list's memory)."""
    flat = np.fromiter(chain.from_iterable(tokens_of(text)), dtype=np.int32)
    return flat.reshape(-1, 2)


def _rows(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """All rows of ``query`` as the driver's tuples. Its parameters (document and annotator
    ids: integers only) are rendered into the statement."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return cursor.fetchall()  # type: ignore[no-any-return]
    finally:
        cursor.close()


def batch_units(
    conn: Connection, ids: list[int], done: dict[int, list[str]], wanted: dict[str, int],
) -> Iterator[DocumentUnit]:
    d, se, sp, ev = (m.__table__ for m in (Document, Sentence, Span, EventLabel))  # type: ignore[attr-defined]
    names = {i: n for n, i in wanted.items()}
    ann_ids = list(names)
    docs = {i: (ext, text) for i, ext, text in _rows(conn, select(
        d.c.id, d.c.external_id, d.c.text).where(d.c.id.in_(ids)))}
    sentences: dict[int, list[tuple[int, int]]] = {}
    for doc_id, start, end in _rows(conn, select(se.c.document_id, se.c.start, se.c.end)
                                    .where(se.c.document_id.in_(ids))
                                    .order_by(se.c.document_id, se.c.index)):
        sentences.setdefault(doc_id, []).append((start, end))
    spans: dict[tuple[int, int], set[SpanAnn]] = {}
    make, tail = SpanAnn._make, itemgetter(slice(2, None))
    rows = _rows(conn, select(sp.c.document_id, sp.c.annotator_id, sp.c.start, sp.c.end,
                              sp.c.label)
                 .where(sp.c.document_id.in_(ids), sp.c.annotator_id.in_(ann_ids))
                 .order_by(sp.c.document_id, sp.c.annotator_id))
    for key, group in groupby(rows, itemgetter(0, 1)):
        spans[key] = set(map(make, map(tail, group)))
    doc_events: dict[tuple[int, int], set[str]] = {}
    sent_events: dict[tuple[int, int], dict[tuple[int, int], set[str]]] = {}
    for doc_id, ann_id, label, scope, start, end in _rows(conn, select(
            ev.c.document_id, ev.c.annotator_id, ev.c.label, ev.c.scope, ev.c.start, ev.c.end)
            .where(ev.c.document_id.in_(ids), ev.c.annotator_id.in_(ann_ids))):
        key = (doc_id, ann_id)
        if scope == "document":
            doc_events.setdefault(key, set()).add(label)
        elif start is not None and end is not None:
            sent_events.setdefault(key, {}).setdefault((start, end), set()).add(label)
    mentions = mention_views(conn, ids, ann_ids)
    for doc_id in ids:
        if doc_id not in docs:
            continue
        ext, text = docs[doc_id]
        finished = done[doc_id]
        work = {}
        for name in finished:
            key = (doc_id, wanted[name])
            work[name] = AnnotatorWork(
                spans=spans.pop(key, set()),
                doc_events=frozenset(doc_events.get(key, ())),
                sent_events={k: frozenset(v) for k, v in sent_events.get(key, {}).items()},
                mentions=mentions.get(key, []),
            )
        yield DocumentUnit(doc_id=ext, text=text, sentences=sentences.get(doc_id, []),
                           tokens=NO_TOKENS, work=work)


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
    done, order = plan.done, plan.order
    paired = sum(len(done[i]) >= 2 for i in order)
    with _tokenizer(parallel=paired >= PARALLEL_TOKENS) as tokenize, \
            store.engine.connect() as conn:
        ready = None  # the batch read before, with its tokens on their way
        for lo in range(0, len(order), batch):
            new = list(batch_units(conn, order[lo:lo + batch], done, plan.wanted))
            compared = [u for u in new if len(u.work) >= 2]
            if ready is not None:
                yield _tokenized(*ready)
            ready = (new, compared, tokenize([u.text for u in compared]))
        if ready is not None:
            yield _tokenized(*ready)


def _tokenized(units: list[DocumentUnit], compared: list[DocumentUnit], arrays: Any
               ) -> list[DocumentUnit]:
    for unit, tokens in zip(compared, arrays.result(), strict=True):
        unit.tokens = tokens
    return units


def load_units(
    store: Store, names: list[str] | None, *, with_gold: bool = False, batch: int = BATCH,
) -> tuple[list[DocumentUnit], list[str]]:
    """Every unit of `plan_units(store, names, with_gold=...)`, in one list, and the names
    compared."""
    plan = plan_units(store, names, with_gold=with_gold)
    return [u for part in unit_batches(store, plan, batch=batch) for u in part], plan.names


# documents to tokenize from which tokenizing runs in a second process, beside the reads
PARALLEL_TOKENS = 500


def token_arrays(texts: list[str]) -> list[np.ndarray]:
    return [token_array(t) for t in texts]


@contextmanager
def _tokenizer(*, parallel: bool) -> Iterator[Callable[[list[str]], Any]]:
    """`tokenize(texts)` -> a future of their token arrays. On a corpus, a forked process
    tokenizes while this one reads and builds the spans (tokenizing is a third of the load;
    the machine has a second core); a few documents are tokenized here and now."""
    if not parallel:
        yield lambda texts: Ready(token_arrays(texts))
        return
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        yield lambda texts: pool.submit(token_arrays, texts)

