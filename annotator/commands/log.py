"""`annotator log`: the audit trail, one line (or one JSON object) per logged change.

Rows are read in id order, a page at a time (keyset paging on the id, each page its own
short read transaction), so a log of millions of rows streams in constant memory.

- `--user NAME`: the changes NAME made (the row's `by`; on gold rows written before that
  column, the adjudicator the payload names) and the changes to NAME's annotations or
  role, whoever made them (`--user gold`: all of adjudication).
- `--doc EXTERNAL_ID`: the changes to one document (an unknown id is a usage error).
- `--since WHEN`: rows logged at or after WHEN (see `annotator.audit.parse_since`).
- `--last N`: only the N most recent matching rows (still printed oldest first).
- `--json`: JSON Lines on stdout (see `annotator.audit.to_json`).
"""

from __future__ import annotations

import json
import sys
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select

from annotator import audit
from annotator.commands.common import open_store
from annotator.errors import UsageError
from annotator.store.models import Action, Annotator, Document
from annotator.store.service import Store

PAGE = 500  # rows a read transaction fetches
TEXT_CACHE = 64  # documents whose text is kept to quote spans


def _filters(store: Store, *, user: str | None, doc: str | None,
             since: datetime | None) -> list[Any]:
    where: list[Any] = []
    if doc is not None:
        found = store.document_by_external_id(doc)
        if found is None:
            raise UsageError(f"no document with external id {doc!r}")
        where.append(col(Action.document_id) == found.id)
    if user is not None:
        with store.session() as s:
            ann_id = s.exec(select(Annotator.id).where(Annotator.name == user)).first()
        by_payload = col(Action.payload)["by"].as_string()
        who = [col(Action.by) == user, and_(col(Action.by).is_(None), by_payload == user)]
        if ann_id is not None:
            who.append(col(Action.annotator_id) == ann_id)
        where.append(or_(*who))
    if since is not None:
        where.append(col(Action.created_at) >= since)
    return where


COLUMNS = (Action.id, Action.created_at, Action.kind, Annotator.name, Document.external_id,
           Action.state, Action.by, Action.actor, Action.payload, Action.document_id)


def _query(where: list[Any]) -> Any:
    return (select(*COLUMNS)
            .join(Annotator, col(Annotator.id) == col(Action.annotator_id))
            .outerjoin(Document, col(Document.id) == col(Action.document_id))
            .where(*where))


def _first_of_last(store: Store, where: list[Any], last: int) -> int:
    """The id after which the `last` most recent matching rows begin."""
    with store.session() as s:
        nth = s.exec(select(Action.id).where(*where)
                     .order_by(col(Action.id).desc()).offset(last - 1).limit(1)).first()
    return 0 if nth is None else nth - 1


def iter_log(store: Store, *, user: str | None = None, doc: str | None = None,
             since: datetime | None = None, last: int | None = None,
             ) -> Iterator[tuple[audit.LogRow, str]]:
    """The matching rows in id order, each with its summary; a page per read transaction."""
    where = _filters(store, user=user, doc=doc, since=since)
    after = _first_of_last(store, where, last) if last else 0
    texts: OrderedDict[int, str] = OrderedDict()
    while True:
        with store.session() as s:
            page = s.exec(_query(where).where(col(Action.id) > after)
                          .order_by(col(Action.id)).limit(PAGE)).all()
            rows = [audit.LogRow(id=r[0], at=r[1], kind=r[2], annotator=r[3], document=r[4],
                                 state=r[5], by=r[6], actor=r[7], payload=r[8] or {})
                    for r in page]
            needed = {r[9] for r, row in zip(page, rows, strict=True)
                      if r[9] is not None and audit.needs_text(row.kind, row.payload)}
            page_texts = {d: texts[d] for d in needed if d in texts}
            missing = needed - set(page_texts)
            if missing:
                page_texts.update(s.exec(select(Document.id, Document.text)
                                         .where(col(Document.id).in_(missing))).all())
        for doc_id in needed:  # the page's documents become the most recently used
            if doc_id in page_texts:
                texts[doc_id] = page_texts[doc_id]
                texts.move_to_end(doc_id)
        while len(texts) > TEXT_CACHE:
            texts.popitem(last=False)
        for r, row in zip(page, rows, strict=True):
            text = page_texts.get(r[9]) if r[9] is not None else None
            yield row, audit.summarize(row.kind, row.payload, text)
        if len(page) < PAGE:
            return
        after = page[-1][0]


def run_log(db: str | None, *, user: str | None = None, doc: str | None = None,
            since: str | None = None, json_out: bool = False, last: int | None = None) -> int:
    try:
        since_at = audit.parse_since(since) if since is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if last is not None and last < 1:
        raise UsageError("--last needs a number of rows ≥ 1")
    store, _schema = open_store(db)
    out = sys.stdout
    shown = 0
    try:
        for row, summary in iter_log(store, user=user, doc=doc, since=since_at, last=last):
            if json_out:
                out.write(json.dumps(audit.to_json(row, summary), ensure_ascii=False,
                                     default=str) + "\n")
            else:
                out.write(audit.format_line(row, summary) + "\n")
            shown += 1
        out.flush()
    finally:
        store.close()
    if not shown and not json_out:
        print("annotator: no logged change matches", file=sys.stderr)
    return 0
