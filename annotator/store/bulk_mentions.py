"""Event mentions of an import batch (issue 13), set-based: a handful of statements per
batch whatever its size.

The mentions go in by one multi-row insert (executemany on SQLite, COPY on PostgreSQL),
then their ids are read back by the unique key (document, annotator, start, end, type) in
one query (SQLite's executemany returns no ids), then the argument rows go in by one more
insert, and the few coreference links by one executemany UPDATE. A mention the annotator
already has (same trigger and type) is left as it is and not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, select
from sqlmodel import Session

from annotator.store.models import EventArgument, EventMention

if TYPE_CHECKING:
    from annotator.store.service import Store

Key = tuple[int, int, int, str]  # (document id, start, end, type)


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def insert_mentions(store: Store, s: Session, items: Sequence[tuple[list[dict[str, Any]], int]],
                    ann_id: int, old: Sequence[int], now: datetime) -> dict[int, int]:
    """Store each (mentions, document id) of `items` as the annotator's; returns document
    id -> mentions added. `old`: the batch's documents stored before (only there can the
    annotator have mentions already)."""
    if not any(m for m, _ in items):
        return {}
    t = _t(EventMention)
    seen: set[Key] = {(d, a, b, ty) for d, a, b, ty in store._existing(
        s, EventMention, ("start", "end", "type"), ann_id, old)}
    rows: list[tuple[Any, ...]] = []
    chosen: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
    added: dict[int, int] = {}
    for mentions, doc_id in items:
        for m in mentions:
            key = (doc_id, m["start"], m["end"], m["type"])
            if key in seen:
                continue
            seen.add(key)
            rows.append((doc_id, ann_id, m["start"], m["end"], m["type"], m["attributes"],
                         now))
            chosen.append((doc_id, m, mentions))
            added[doc_id] = added.get(doc_id, 0) + 1
    if not rows:
        return {}
    store._insert_rows(s, t, ["document_id", "annotator_id", "start", "end", "type",
                              "attributes", "created_at"], rows, ignore=False)
    docs = sorted(added)
    ids: dict[Key, int] = {(d, a, b, ty): i for i, d, a, b, ty in s.execute(
        select(t.c.id, t.c.document_id, t.c.start, t.c.end, t.c.type)
        .where(t.c.annotator_id == ann_id, store._one_of(t.c.document_id, docs)))}
    arg_rows: list[tuple[Any, ...]] = []
    corefs: list[dict[str, int]] = []
    for doc_id, m, mentions in chosen:
        mid = ids[(doc_id, m["start"], m["end"], m["type"])]
        for a in m["arguments"]:
            arg_rows.append((mid, a["role"], a["start"], a["end"], a["label"]))
        if m.get("coref") is not None:
            target = mentions[m["coref"]]
            cid = ids.get((doc_id, target["start"], target["end"], target["type"]))
            if cid is not None:
                corefs.append({"mid": mid, "cid": cid})
    store._insert_rows(s, _t(EventArgument), ["mention_id", "role", "start", "end", "label"],
                       arg_rows, ignore=False)
    if corefs:
        s.execute(t.update().where(t.c.id == bindparam("mid"))
                  .values(coref_of=bindparam("cid")), corefs)
    return added
