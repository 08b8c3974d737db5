"""The documents list at any size: one page of rows at a time, counts by aggregate queries.

A mixin of `Store` (annotator/store/service.py). The documents screen never reads the
whole corpus: it asks for the number of documents its filter keeps (`document_list_count`),
for one page of them in its order (`document_page`), for where a document falls in that
order (`document_list_position`), and for the corpus's progress (`document_counts`).
`neighbour_document` answers n / p / N / P (the next document in the list's default
order, the external id's) with one indexed query.

The filter matches the *match key* (``annotator.text.keys.match_key``, the key the
in-document search uses: hamza/alef forms, ta marbuta, alef maqsura, harakat, tatweel,
digits and case folded) of the external id and the title, kept in `Document.list_key`
(schema v5; `list_key` below makes it, the importers fill it), with
``list_key LIKE '%' || key(query) || '%'`` on both backends.

Status is this user's (`Assignment`; no row means ``new``). Orders offered (`SORTS`):
by external id, by title, by status (new, in progress, done), by last change (the user's
`Assignment.updated_at`, never-touched documents last, by id); each can be reversed;
ties are broken by external id. Text is ordered by code point on both backends (`codepoint`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col

from annotator.store.engine import codepoint
from annotator.store.models import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Assignment,
    Document,
    EventLabel,
    Span,
)
from annotator.store.reads import DocumentRow
from annotator.text.keys import match_key

__all__ = ["ListQuery", "ListCounts", "SORTS", "STATUS_FILTERS", "StoreDocList", "list_key",
           "like_pattern"]

KEY_SEPARATOR = "\n"  # between the id's key and the title's: a query never spans both

#: the orders offered: name -> (what the screen shows, descending by default)
SORTS: dict[str, tuple[str, bool]] = {
    "id": ("id", False),
    "title": ("title", False),
    "status": ("status", False),
    "changed": ("last change", True),
}
UNFINISHED = "unfinished"  # a status filter: new or in progress
#: the status filters offered, in the order `f` cycles through them (None: every status)
STATUS_FILTERS: tuple[str | None, ...] = (None, STATUS_NEW, STATUS_IN_PROGRESS, STATUS_DONE,
                                          UNFINISHED)


def list_key(external_id: str, title: str) -> str:
    """`Document.list_key`: the match key of the external id and of the title (what the
    documents list's filter searches), one line each."""
    return match_key(external_id or "") + KEY_SEPARATOR + match_key(title or "")


def like_pattern(query: str) -> str | None:
    """The LIKE pattern (escape character ``\\``) finding ``query``'s match key anywhere in
    a list key; None for a query with nothing to find."""
    key = match_key(" ".join(query.split()))
    if not key:
        return None
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class ListQuery:
    """What the documents list shows: a text filter (id or title), a status filter, an
    order (a key of `SORTS`) and its direction (None: the order's default)."""

    text: str = ""
    status: str | None = None
    sort: str = "id"
    descending: bool | None = None

    @property
    def is_descending(self) -> bool:
        return SORTS[self.sort][1] if self.descending is None else self.descending

    @property
    def filtered(self) -> bool:
        return self.status is not None or like_pattern(self.text) is not None


@dataclass(frozen=True)
class ListCounts:
    """The corpus's progress for one user (every document, whatever the filter)."""

    documents: int
    new: int
    in_progress: int
    done: int
    spans: int
    events: int
    longest_id: int = 0  # characters of the longest external id (the id column's width)


def _status() -> ColumnElement[Any]:
    return func.coalesce(col(Assignment.status), STATUS_NEW)


def _joined(ann_id: int, *columns: Any) -> Select[Any]:
    """SELECT columns FROM document LEFT JOIN this user's assignment."""
    return select(*columns).select_from(Document).outerjoin(
        Assignment, and_(col(Assignment.document_id) == col(Document.id),
                         col(Assignment.annotator_id) == ann_id))


def _where(q: Select[Any], query: ListQuery) -> Select[Any]:
    pattern = like_pattern(query.text)
    if pattern is not None:
        q = q.where(col(Document.list_key).like(pattern, escape="\\"))
    status = col(Assignment.status)
    if query.status == STATUS_NEW:
        q = q.where(or_(status.is_(None), status == STATUS_NEW))
    elif query.status == UNFINISHED:
        q = q.where(or_(status.is_(None), status != STATUS_DONE))
    elif query.status is not None:
        q = q.where(status == query.status)
    return q


def _order(query: ListQuery) -> list[Any]:
    """ORDER BY of the list: the order's keys, then the external id (unique)."""
    desc = query.is_descending
    eid = codepoint(col(Document.external_id))

    def way(e: Any) -> Any:
        return e.desc() if desc else e.asc()

    if query.sort == "title":
        return [way(codepoint(col(Document.title))), way(eid)]
    if query.sort == "status":
        rank = case((col(Assignment.status) == STATUS_DONE, 2),
                    (col(Assignment.status) == STATUS_IN_PROGRESS, 1), else_=0)
        return [way(rank), way(eid)]
    if query.sort == "changed":
        never = case((col(Assignment.updated_at).is_(None), 1), else_=0)
        return [never.asc(), way(col(Assignment.updated_at)), eid.asc()]
    return [way(eid)]


class StoreDocList:
    """Paged, filtered, sorted reads of the documents list (mixed into `Store`)."""

    def session(self) -> Session:  # pragma: no cover - defined by Store
        raise NotImplementedError

    def _annotator_id(self, name: str) -> int:  # pragma: no cover - defined by Store
        raise NotImplementedError

    def document_counts(self, user: str) -> ListCounts:
        """Documents, this user's documents per status, spans and event labels: aggregate
        queries only."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            n = s.execute(select(func.count()).select_from(Document)).scalar_one()
            by_status = dict(s.execute(
                select(Assignment.status, func.count()).where(
                    col(Assignment.annotator_id) == ann_id).group_by(Assignment.status)
            ).all())
            spans = s.execute(select(func.count()).select_from(Span).where(
                col(Span.annotator_id) == ann_id)).scalar_one()
            events = s.execute(select(func.count()).select_from(EventLabel).where(
                col(EventLabel.annotator_id) == ann_id)).scalar_one()
            longest = s.execute(select(func.max(func.length(col(Document.external_id)))))
            longest_id = longest.scalar_one() or 0
        going = by_status.get(STATUS_IN_PROGRESS, 0)
        done = by_status.get(STATUS_DONE, 0)
        return ListCounts(documents=n, new=n - going - done, in_progress=going, done=done,
                          spans=spans, events=events, longest_id=longest_id)

    def document_list_count(self, user: str, query: ListQuery) -> int:
        """How many documents the list shows with this filter."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            if not query.filtered:
                return s.execute(select(func.count()).select_from(Document)).scalar_one()
            q = _where(_joined(ann_id, func.count()), query)
            return s.execute(q).scalar_one()

    def document_page(self, user: str, query: ListQuery, offset: int,
                      limit: int) -> list[DocumentRow]:
        """Rows `offset` … `offset + limit - 1` of the list: the page's ids first (the
        filter and the order), then their details (status, this user's counts)."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            ids_q = (_where(_joined(ann_id, col(Document.id)), query)
                     .order_by(*_order(query)).offset(max(offset, 0)).limit(limit))
            ids = list(s.execute(ids_q).scalars())
            if not ids:
                return []
            spans = (select(func.count()).select_from(Span).where(
                col(Span.document_id) == col(Document.id),
                col(Span.annotator_id) == ann_id).scalar_subquery())
            events = (select(func.count()).select_from(EventLabel).where(
                col(EventLabel.document_id) == col(Document.id),
                col(EventLabel.annotator_id) == ann_id).scalar_subquery())
            rows = s.execute(
                _joined(ann_id, col(Document.id), col(Document.external_id),
                        col(Document.title), func.length(col(Document.text)), _status(),
                        spans, events)
                .where(col(Document.id).in_(ids))).all()
        by_id = {r[0]: r for r in rows}
        return [DocumentRow(id=i, external_id=e, title=t or "", length=n or 0, status=st,
                            spans=sp, events=ev)
                for i, e, t, n, st, sp, ev in (by_id[i] for i in ids if i in by_id)]

    def document_list_position(self, user: str, query: ListQuery, doc_id: int) -> int | None:
        """The document's index (from 0) in the list, None when the filter hides it. By
        external id: one indexed count; in another order: a window function."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            here = s.execute(_where(_joined(ann_id, col(Document.external_id)), query)
                             .where(col(Document.id) == doc_id)).scalar_one_or_none()
            if here is None:
                return None
            if query.sort == "id":
                eid = codepoint(col(Document.external_id))
                ahead = (eid > codepoint(literal(here)) if query.is_descending
                         else eid < codepoint(literal(here)))
                q = _where(_joined(ann_id, func.count()), query).where(ahead)
                return s.execute(q).scalar_one()
            ranked = (_where(_joined(ann_id, col(Document.id).label("doc"),
                                     func.row_number().over(order_by=_order(query))
                                     .label("n")), query).subquery())
            n = s.execute(select(ranked.c.n).where(ranked.c.doc == doc_id)).scalar_one()
            return int(n) - 1

    def neighbour_document(self, user: str, doc_id: int, step: int, *,
                           unfinished: bool = False) -> int | None:
        """The document `step` (1 or -1) places from `doc_id` in the list's default order
        (external id), or the nearest one that way this user has not marked done; None at
        the end of the list (or when `doc_id` is gone). One indexed query."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            eid = s.execute(select(Document.external_id).where(
                col(Document.id) == doc_id)).scalar_one_or_none()
            if eid is None:
                return None
            key = codepoint(col(Document.external_id))
            there = codepoint(literal(eid))
            q = _joined(ann_id, col(Document.id)).where(key > there if step > 0 else key < there)
            if unfinished:
                q = _where(q, ListQuery(status=UNFINISHED))
            q = q.order_by(key.asc() if step > 0 else key.desc()).limit(1)
            return s.execute(q).scalar_one_or_none()


def fill_list_keys(rows: Sequence[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """UPDATE parameters (``i``, ``k``) giving each (id, external id, title) its list key."""
    return [{"i": i, "k": list_key(e, t)} for i, e, t in rows]
