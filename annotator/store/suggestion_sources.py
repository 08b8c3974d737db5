"""What the suggestion sources read and keep besides suggestions (a mixin of `Store`,
the base of `StoreSuggestions`): pages of an annotator's unfinished and finished
documents, texts and spans a page at a time, the gazetteer's rows, and each annotator's
model (base64 in the `setting` table, key ``suggest_model:<user>``).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, func, select
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from annotator.store.errors import StoreError
from annotator.store.models import (
    GOLD,
    STATUS_DONE,
    Annotator,
    Assignment,
    Document,
    GazetteerEntry,
    Setting,
    Span,
    utcnow,
)

if TYPE_CHECKING:
    from annotator.store.service import Store

MODEL_KEY = "suggest_model:{user}"
SpanTuple = tuple[int, int, str]


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


class StoreSuggestionSources:
    """Mixin of `Store` (through `StoreSuggestions`): reads for the sources, gazetteer
    rows, models."""


    # --------------------------------------------------------------- documents
    def unfinished_page(self: Store, user: str, after: int = 0,
                        limit: int = 200) -> list[int]:
        """Ids (ascending, greater than `after`) of documents the user has not marked done:
        one page of them, one indexed query."""
        ann_id = self._annotator_id(user)
        d, a = _t(Document), _t(Assignment)
        done = select(a.c.document_id).where(a.c.annotator_id == ann_id,
                                             a.c.status == STATUS_DONE)
        with self.session() as s:
            return list(s.execute(
                select(d.c.id).where(d.c.id > after, d.c.id.not_in(done))
                .order_by(d.c.id).limit(limit)).scalars())

    def finished_page(self: Store, user: str, after: int = 0, limit: int = 200) -> list[int]:
        """Ids (ascending, greater than `after`) of documents the user marked done."""
        ann_id = self._annotator_id(user)
        a = _t(Assignment)
        with self.session() as s:
            return list(s.execute(
                select(a.c.document_id).where(a.c.annotator_id == ann_id,
                                              a.c.status == STATUS_DONE,
                                              a.c.document_id > after)
                .order_by(a.c.document_id).limit(limit)).scalars())

    def documents_with_spans(self: Store, user: str) -> list[int]:
        """Ids of the documents where `user` has a span (one query)."""
        t = _t(Span)
        with self.session() as s:
            ann_id = s.exec(orm_select(Annotator.id).where(Annotator.name == user)).first()
            return [] if ann_id is None else list(s.execute(
                select(t.c.document_id).where(t.c.annotator_id == ann_id).distinct()
                .order_by(t.c.document_id)).scalars())

    def external_ids(self: Store, doc_ids: Sequence[int]) -> dict[int, str]:
        """The documents' external ids (one query)."""
        if not doc_ids:
            return {}
        d = _t(Document)
        with self.session() as s:
            return dict(s.execute(select(d.c.id, d.c.external_id).where(  # type: ignore[arg-type]
                self._one_of(d.c.id, doc_ids))).all())

    def texts(self: Store, doc_ids: Sequence[int]) -> dict[int, str]:
        """The documents' texts (one query)."""
        if not doc_ids:
            return {}
        d = _t(Document)
        with self.session() as s:
            return dict(s.execute(select(d.c.id, d.c.text).where(
                self._one_of(d.c.id, doc_ids))).all())

    def spans_of(self: Store, user: str, doc_ids: Sequence[int]) -> dict[int, list[SpanTuple]]:
        """The user's spans on these documents as (start, end, label), in text order."""
        out: dict[int, list[SpanTuple]] = {d: [] for d in doc_ids}
        if not doc_ids:
            return out
        with self.session() as s:  # a name never seen (gold before adjudication) is not made
            ann_id = s.exec(orm_select(Annotator.id).where(Annotator.name == user)).first()
            if ann_id is None:
                return out
            for d, a, b, label in sorted(self._user_spans(s, ann_id, doc_ids)):
                out[d].append((a, b, label))
        return out

    def _user_spans(self: Store, s: Session, ann_id: int | None,
                    doc_ids: Sequence[int]) -> list[tuple[int, int, int, str]]:
        t = _t(Span)
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(t.c.document_id, t.c.start, t.c.end, t.c.label).where(
                t.c.annotator_id == ann_id, self._one_of(t.c.document_id, doc_ids)))]

    def _doc_lengths(self: Store, s: Session, doc_ids: Sequence[int]) -> dict[int, int]:
        d = _t(Document)
        return dict(s.execute(select(d.c.id, func.length(d.c.text)).where(
            self._one_of(d.c.id, doc_ids))).all())

    # ---------------------------------------------------------------- gazetteer
    def add_gazetteer(self: Store, entries: Iterable[tuple[str, str]], source: str,
                      by: str | None = None) -> int:
        """Add (name, label) entries (keyed on the Arabic match key); those already there
        (same key and label) are left as they are. One transaction; the number added."""
        from annotator.suggest.gazetteer import gazetteer_key

        now = utcnow()
        entries = list(entries)
        self._check_labels("entity", {label for _name, label in entries})
        rows: dict[tuple[str, str], tuple[Any, ...]] = {}
        for name, label in entries:
            key = gazetteer_key(name)
            if key and (key, label) not in rows:
                rows[(key, label)] = (name, key, label, source, now)
        t = _t(GazetteerEntry)
        with self.write() as s:
            before = s.execute(select(func.count()).select_from(t)).scalar_one()
            self._insert_rows(s, t, ["name", "key", "label", "source", "created_at"],
                              list(rows.values()), ignore=True)
            added = s.execute(select(func.count()).select_from(t)).scalar_one() - before
            if added:
                self._audit_gazetteer(s, by, {"added": added, "source": source})
            s.commit()
        return int(added)

    def gazetteer_entries(self: Store, label: str | None = None) -> list[GazetteerEntry]:
        with self.session() as s:
            q = orm_select(GazetteerEntry)
            if label is not None:
                q = q.where(GazetteerEntry.label == label)
            return list(s.exec(q.order_by(  # type: ignore[call-overload]
                col(GazetteerEntry.label), col(GazetteerEntry.key), col(GazetteerEntry.id))))

    def remove_gazetteer(self: Store, names: Sequence[str] = (), *, label: str | None = None,
                         source: str | None = None, by: str | None = None) -> int:
        """Remove the entries named (matched on their key, any label unless `label` is
        given), or every entry of `label`, or of `source`; the number removed."""
        from annotator.suggest.gazetteer import gazetteer_key

        t = _t(GazetteerEntry)
        where = []
        if names:
            where.append(self._one_of(t.c.key, [gazetteer_key(n) for n in names]))
        if label is not None:
            where.append(t.c.label == label)
        if source is not None:
            where.append(t.c.source == source)
        if not where:
            raise StoreError("name the entries to remove, or a label or a source")
        with self.write() as s:
            n = s.execute(t.delete().where(*where)).rowcount  # type: ignore[attr-defined]
            if n:
                self._audit_gazetteer(s, by, {"removed": n, "names": list(names)[:20],
                                              "label": label, "source": source})
            s.commit()
        return int(n)

    def _audit_gazetteer(self: Store, s: Session, by: str | None,
                         payload: dict[str, Any]) -> None:
        """A `gazetteer` row in the action log, under `by` when they are a known annotator
        or adjudicator (a log row needs one; an operating-system name running the
        command is not made an annotator by it)."""
        ann_id = s.exec(orm_select(Annotator.id).where(Annotator.name == by)).first() \
            if by else None
        if ann_id is not None:
            self._audit(s, None, ann_id, "gazetteer", payload, by=by)

    # ------------------------------------------------------------------- models
    def save_model(self: Store, user: str, data: bytes) -> None:
        """The user's suggestion model (base64 in the `setting` table)."""
        self.set_setting(MODEL_KEY.format(user=user), base64.b64encode(data).decode("ascii"))

    def suggestion_sources_there(self: Store, user: str) -> list[str]:
        """Which of the stored sources exist: "gazetteer" (any entry), "model" (the user
        has one); two small queries, nothing decoded."""
        with self.session() as s:
            gazetteer = s.execute(select(_t(GazetteerEntry).c.id).limit(1)).first()
            setting = _t(Setting)
            model = s.execute(select(setting.c.key).where(
                setting.c.key == MODEL_KEY.format(user=user))).first()
        return [name for name, there in (("gazetteer", gazetteer), ("model", model)) if there]

    def load_model(self: Store, user: str) -> bytes | None:
        value = self.get_setting(MODEL_KEY.format(user=user))
        return base64.b64decode(value) if value else None

    def gold_done_page(self: Store, after: int = 0, limit: int = 200) -> list[int]:
        """Ids of documents whose gold is done (adjudicated), one page."""
        a, ann = _t(Assignment), _t(Annotator)
        with self.session() as s:
            return list(s.execute(
                select(a.c.document_id).join(ann, ann.c.id == a.c.annotator_id)
                .where(ann.c.name == GOLD, a.c.status == STATUS_DONE,
                       a.c.document_id > after)
                .order_by(a.c.document_id).limit(limit)).scalars())
