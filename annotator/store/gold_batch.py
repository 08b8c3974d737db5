"""Adjudication state of many documents at once: a handful of queries per batch.

`read_batch` reads, for a batch of documents, everything auto-merge and the corpus counts
need (finishers' work, gold's items, decisions, gold's status, and a *stamp*: the latest
action id of the document, which every change to it moves). `corpus_counts` counts the
open disagreements of a corpus with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection

from annotator.adjudication import Work, find_disagreements
from annotator.adjudication.event_mentions import find_event_items
from annotator.adjudication.model import DOCUMENT_UNIT, Unit
from annotator.store.gold_events import read_mentions
from annotator.store.gold_rows import _table
from annotator.store.models import (
    GOLD,
    STATUS_DONE,
    Action,
    Annotator,
    Assignment,
    Decision,
    EventLabel,
    Span,
)
from annotator.store.service import Store

BATCH = 500  # documents per round of queries (well under SQLite's bound-parameter limit)


@dataclass
class DocState:
    """One document as auto-merge and the counts see it."""

    finishers: dict[int, str]  # annotator id -> name (not gold)
    works: dict[str, Work] = field(default_factory=dict)
    gold: Work = field(default_factory=Work)
    gold_labels: dict[Unit, dict[str, Any]] = field(default_factory=dict)  # -> provenance
    named: set[str] = field(default_factory=set)  # annotators gold's provenance names
    decided: set[str] = field(default_factory=set)
    gold_status: str | None = None
    stamp: int = 0


def stamps(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    """The latest action id of each document (0: none)."""
    t = _table(Action)
    rows = conn.execute(sa_select(t.c.document_id, func.max(t.c.id))
                        .where(t.c.document_id.in_(list(ids))).group_by(t.c.document_id))
    return {d: m for d, m in rows}


def read_batch(conn: Connection, ids: Sequence[int], gold_id: int | None, *,
               with_gold: bool = True) -> dict[int, DocState]:
    """The state of every document of `ids` that two or more annotators finished."""
    a, n, sp, ev, dec = (_table(m) for m in (Assignment, Annotator, Span, EventLabel,
                                              Decision))
    states: dict[int, DocState] = {}
    for doc_id, ann_id, name in conn.execute(
        sa_select(a.c.document_id, a.c.annotator_id, n.c.name)
        .join(n, n.c.id == a.c.annotator_id)
        .where(a.c.document_id.in_(list(ids)), a.c.status == STATUS_DONE, n.c.name != GOLD)
    ):
        states.setdefault(doc_id, DocState({})).finishers[ann_id] = name
    states = {d: st for d, st in states.items() if len(st.finishers) >= 2}
    if not states:
        return states
    docs = list(states)
    wanted = {gold_id} if with_gold and gold_id is not None else set()
    spans: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for doc_id, ann_id, start, end, label, prov in conn.execute(
        sa_select(sp.c.document_id, sp.c.annotator_id, sp.c.start, sp.c.end, sp.c.label,
                  sp.c.provenance).where(sp.c.document_id.in_(docs))
    ):
        if ann_id in states[doc_id].finishers or ann_id in wanted:
            spans.setdefault((doc_id, ann_id), []).append((start, end, label))
            if ann_id == gold_id and isinstance(prov, dict):
                states[doc_id].named.update(prov.get("annotators") or ())
    events: dict[tuple[int, int], list[tuple[str, str, int | None, int | None]]] = {}
    for doc_id, ann_id, label, scope, start, end, prov in conn.execute(
        sa_select(ev.c.document_id, ev.c.annotator_id, ev.c.label, ev.c.scope,
                  ev.c.start, ev.c.end, ev.c.provenance).where(ev.c.document_id.in_(docs))
    ):
        if ann_id in states[doc_id].finishers or ann_id in wanted:
            events.setdefault((doc_id, ann_id), []).append((label, scope, start, end))
            if ann_id == gold_id:
                unit: Unit = DOCUMENT_UNIT if scope == "document" else (scope, start, end)
                states[doc_id].gold_labels.setdefault(unit, {})[label] = prov
                if isinstance(prov, dict):
                    states[doc_id].named.update(prov.get("annotators") or ())
    for doc_id, key in conn.execute(
        sa_select(dec.c.document_id, dec.c.item_key).where(dec.c.document_id.in_(docs))
    ):
        states[doc_id].decided.add(key)
    for doc_id, st in states.items():
        st.works = {name: Work.from_rows(spans.get((doc_id, ann_id), ()),
                                         events.get((doc_id, ann_id), ()))
                    for ann_id, name in st.finishers.items()}
        if gold_id is not None:
            st.gold = Work.from_rows(spans.get((doc_id, gold_id), ()),
                                     events.get((doc_id, gold_id), ()))
    if with_gold and gold_id is not None:
        for doc_id, status in conn.execute(
            sa_select(a.c.document_id, a.c.status)
            .where(a.c.document_id.in_(docs), a.c.annotator_id == gold_id)
        ):
            states[doc_id].gold_status = status
        for doc_id, stamp in stamps(conn, docs).items():
            states[doc_id].stamp = stamp
    return states


@dataclass(frozen=True)
class DocCount:
    """How many disagreements a document has, and how many of them have no decision."""

    items: int
    remaining: int


def corpus_counts(store: Store, doc_ids: Sequence[int],
                  cancelled: Callable[[], bool] | None = None) -> dict[int, DocCount] | None:
    """`DocCount` of every document of `doc_ids` at least two annotators finished (the
    others are left out): the disagreements `load_document` finds (event-mention items
    too), counted with a few
    queries per batch of documents instead of a handful per document. None when
    `cancelled()` turned true between two batches."""
    out: dict[int, DocCount] = {}
    with store.engine.connect() as conn:
        for lo in range(0, len(doc_ids), BATCH):
            if cancelled is not None and cancelled():
                return None
            batch = doc_ids[lo:lo + BATCH]
            mentions = read_mentions(conn, batch, None)  # issue 13: event-mention items
            for doc_id, st in read_batch(conn, batch, None, with_gold=False).items():
                keys = [d.key for d in find_disagreements(st.works)]
                if doc_id in mentions:
                    keys += [i.key for i in find_event_items(mentions[doc_id].works)]
                out[doc_id] = DocCount(len(keys),
                                       sum(1 for k in keys if k not in st.decided))
    return out
