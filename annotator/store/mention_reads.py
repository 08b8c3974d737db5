"""Reading stored event mentions (issue 13): one reader of mention and argument rows for
every caller (the annotators' views, gold's mentions for adjudication, gold following the
annotators, the agreement loader), two queries for any number of documents.

A `MentionRow` holds everything stored for a mention, its arguments in (role, start, end,
label) order; `view_of` and `gold_of` turn it into what the callers work with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Table, select

from annotator.adjudication.event_mentions import GoldMention
from annotator.events_model import ArgumentView, MentionView
from annotator.store.models import EventArgument, EventMention


class ArgumentRow(NamedTuple):
    id: int
    role: str
    start: int
    end: int
    label: str
    provenance: dict[str, Any]


@dataclass(frozen=True)
class MentionRow:
    id: int
    document_id: int
    annotator_id: int
    start: int
    end: int
    type: str
    attributes: dict[str, Any]
    coref_of: int | None
    provenance: dict[str, Any]
    arguments: tuple[ArgumentRow, ...]


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def mention_rows(conn: Any, doc_ids: Sequence[int],
                 ann_ids: Sequence[int] | None = None) -> list[MentionRow]:
    """The mentions of ``doc_ids`` (of ``ann_ids`` only, when given), in (document,
    annotator, start, end, type) order; ``conn`` a connection or a session."""
    if not doc_ids or (ann_ids is not None and not ann_ids):
        return []
    t, a = _t(EventMention), _t(EventArgument)
    where = [t.c.document_id.in_(list(doc_ids))]
    if ann_ids is not None:
        where.append(t.c.annotator_id.in_(list(ann_ids)))
    found = list(conn.execute(
        select(t.c.id, t.c.document_id, t.c.annotator_id, t.c.start, t.c.end, t.c.type,
               t.c.attributes, t.c.coref_of, t.c.provenance).where(*where)))
    args: dict[int, list[ArgumentRow]] = {}
    if found:
        for mid, *arg in conn.execute(
                select(a.c.mention_id, a.c.id, a.c.role, a.c.start, a.c.end, a.c.label,
                       a.c.provenance).join(t, t.c.id == a.c.mention_id).where(*where)):
            arg[-1] = arg[-1] or {}
            args.setdefault(mid, []).append(ArgumentRow(*arg))
    rows = [
        MentionRow(mid, doc_id, ann_id, start, end, type_, dict(attrs or {}), coref,
                   prov or {}, tuple(sorted(args.get(mid, ()), key=lambda x: x[1:5])))
        for mid, doc_id, ann_id, start, end, type_, attrs, coref, prov in found
    ]
    rows.sort(key=lambda r: (r.document_id, r.annotator_id, r.start, r.end, r.type))
    return rows


def view_of(row: MentionRow) -> MentionView:
    return MentionView(row.id, row.start, row.end, row.type, dict(row.attributes),
                       tuple(ArgumentView(x.id, x.role, x.start, x.end, x.label)
                             for x in row.arguments), row.coref_of)


def gold_of(row: MentionRow) -> GoldMention:
    return GoldMention(row.start, row.end, row.type, dict(row.attributes),
                       tuple((x.role, x.start, x.end, x.label, x.provenance)
                             for x in row.arguments), row.provenance)
