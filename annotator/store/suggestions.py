"""Suggestions: adding, reading and deciding them (a mixin of `Store`; the reads the
sources need, the gazetteer's rows and the models are in `suggestion_sources`).

A suggestion is a proposed span for one annotator on one document (`Suggestion` rows):
it is never another annotator's, and never an annotation (agreement, status counts and
exports read spans only) until it is accepted. Accepting makes it that annotator's span
exactly as `add_span` would, with provenance ``{"suggested_by": source, "score": score}``,
in one transaction logged as one undoable `accept_suggestion` action per document; its
undo removes the span and puts the suggestion back to pending. A rejection
(`reject_suggestion`, undoable too) keeps the row, so the same range and label is never
proposed again. Inserts are set-based, one short transaction per batch of documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, func, select
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from annotator.store.errors import StoreError
from annotator.store.models import (
    SUGGESTION_ACCEPTED,
    SUGGESTION_PENDING,
    SUGGESTION_REJECTED,
    SUGGESTION_SOURCES,
    Annotator,
    Span,
    Suggestion,
    utcnow,
)
from annotator.store.suggestion_sources import StoreSuggestionSources

if TYPE_CHECKING:
    from annotator.store.service import Store
    from annotator.suggest.proposal import Proposal

ACCEPT_KIND = "accept_suggestion"
REJECT_KIND = "reject_suggestion"
Range = tuple[int, int]


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def provenance_of(source: str, score: float) -> dict[str, Any]:
    """The provenance an accepted suggestion's span carries."""
    return {"suggested_by": source, "score": score}


class StoreSuggestions(StoreSuggestionSources):
    """Mixin of `Store`: suggestion rows and their decisions (and, inherited, the
    sources' reads, the gazetteer and the models)."""

    # ------------------------------------------------------------------ adding
    def add_suggestions(self: Store, user: str, doc_id: int,
                        proposals: Sequence[Proposal]) -> int:
        """Store new pending suggestions for `user` on the document; the number added. A
        proposal whose range and label is already a suggestion (in any state: a rejected
        one never comes back) or whose range is already one of the user's spans is
        skipped. One short transaction, set-based."""
        return self.add_suggestions_many(user, {doc_id: proposals})

    def add_suggestions_many(self: Store, user: str,
                             by_doc: Mapping[int, Sequence[Proposal]]) -> int:
        """`add_suggestions` for a batch of documents, in one transaction (the bulk path
        of `annotator suggest --all`: a few statements whatever the batch's size)."""
        self._not_gold(user)
        by_doc = {d: list(ps) for d, ps in by_doc.items() if ps}
        if not by_doc:
            return 0
        proposed = [p for proposals in by_doc.values() for p in proposals]
        unknown = {p.source for p in proposed} - set(SUGGESTION_SOURCES)
        if unknown:
            raise StoreError(f"unknown suggestion source {sorted(unknown)[0]!r}")
        self._check_labels("entity", {p.label for p in proposed})
        doc_ids = sorted(by_doc)
        with self.write(doc_ids) as s:
            ann_id = self._ann_id(s, user)
            lengths = self._doc_lengths(s, doc_ids)
            spans = {(d, a, b) for d, a, b, _ in self._user_spans(s, ann_id, doc_ids)}
            seen = {tuple(r) for r in s.execute(
                select(Suggestion.document_id, Suggestion.start, Suggestion.end,
                       Suggestion.label)
                .where(Suggestion.annotator_id == ann_id,
                       self._one_of(Suggestion.document_id, doc_ids)))}
            now = utcnow()
            rows: list[tuple[Any, ...]] = []
            for doc_id in doc_ids:
                if doc_id not in lengths:
                    raise StoreError(f"no document with id {doc_id}")
                for p in by_doc[doc_id]:
                    if not 0 <= p.start < p.end <= lengths[doc_id]:
                        raise StoreError(f"suggestion [{p.start}, {p.end}) is outside the "
                                         f"document (0..{lengths[doc_id]})")
                    key = (doc_id, p.start, p.end, p.label)
                    if key in seen or key[:3] in spans:
                        continue
                    seen.add(key)
                    rows.append((doc_id, ann_id, p.start, p.end, p.label, p.source,
                                 float(p.score), SUGGESTION_PENDING, now))
            # the documents' locks are held and `seen` read under them: no conflict left
            # but a concurrent first insert on SQLite-less paths, hence ignore
            self._insert_rows(s, _t(Suggestion), [
                "document_id", "annotator_id", "start", "end", "label", "source", "score",
                "state", "created_at"], rows, ignore=True)
            s.commit()
        return len(rows)

    # ------------------------------------------------------------------- reads
    def suggestions(self: Store, doc_id: int, user: str,
                    state: str | None = SUGGESTION_PENDING) -> list[Suggestion]:
        """The user's suggestions on the document (one state, or all with None), in text
        order."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            q = orm_select(Suggestion).where(Suggestion.document_id == doc_id,
                                         Suggestion.annotator_id == ann_id)
            if state is not None:
                q = q.where(Suggestion.state == state)
            q = q.order_by(col(Suggestion.start), col(Suggestion.end).desc(),
                           col(Suggestion.label), col(Suggestion.source))
            return list(s.exec(q))  # type: ignore[call-overload]

    def pending_suggestions(self: Store, user: str,
                            doc_ids: Sequence[int]) -> list[Suggestion]:
        """The user's pending suggestions on these documents (one query), by document."""
        if not doc_ids:
            return []
        ann_id = self._annotator_id(user)
        with self.session() as s:
            return list(s.exec(orm_select(Suggestion).where(  # type: ignore[call-overload]
                Suggestion.annotator_id == ann_id, Suggestion.state == SUGGESTION_PENDING,
                self._one_of(Suggestion.document_id, doc_ids))
                .order_by(col(Suggestion.document_id), col(Suggestion.start),
                          col(Suggestion.end).desc(), col(Suggestion.label))))

    def suggestion_counts(self: Store, user: str, doc_id: int | None = None) -> dict[str, int]:
        """Pending suggestions per source, for the user (on one document, or all)."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            q = (select(Suggestion.source, func.count())
                 .where(Suggestion.annotator_id == ann_id,
                        Suggestion.state == SUGGESTION_PENDING)
                 .group_by(Suggestion.source))
            if doc_id is not None:
                q = q.where(Suggestion.document_id == doc_id)
            return {source: n for source, n in s.execute(q)}

    def suggestion_stats(self: Store) -> list[tuple[str, str, str, int]]:
        """(annotator, source, state, count) over the whole corpus, for `status`."""
        with self.session() as s:
            rows = s.execute(
                select(Annotator.name, Suggestion.source, Suggestion.state, func.count())
                .join(Annotator, col(Annotator.id) == col(Suggestion.annotator_id))
                .group_by(Annotator.name, Suggestion.source, Suggestion.state))
            return sorted((a, src, st, n) for a, src, st, n in rows)

    def taken_ranges(self: Store, user: str,
                     doc_ids: Sequence[int]) -> dict[int, set[Range]]:
        """Per document, the ranges a source should not propose again: the user's spans
        and their pending or accepted suggestions (two queries)."""
        out: dict[int, set[Range]] = {d: set() for d in doc_ids}
        if not doc_ids:
            return out
        ann_id = self._annotator_id(user)
        with self.session() as s:
            for d, a, b, _label in self._user_spans(s, ann_id, doc_ids):
                out[d].add((a, b))
            t = _t(Suggestion)
            for d, a, b in s.execute(select(t.c.document_id, t.c.start, t.c.end).where(
                    t.c.annotator_id == ann_id, t.c.state != SUGGESTION_REJECTED,
                    self._one_of(t.c.document_id, doc_ids))):
                out[d].add((a, b))
        return out

    # --------------------------------------------------------------- decisions
    def accept_suggestion(self: Store, suggestion_id: int, user: str) -> Span | None:
        """Make the pending suggestion the user's span (one transaction, one undoable
        `accept_suggestion` action); the span, or None when the suggestion is not the
        user's, not pending, or its span was already there."""
        found = self._decide([suggestion_id], user, accept=True)
        if not found or not found[0][1]:
            return None
        doc_id, start, end, label = found[0][0]
        ann_id = self._annotator_id(user)
        with self.session() as s:
            return s.exec(orm_select(Span).where(  # type: ignore[call-overload]
                Span.document_id == doc_id, Span.annotator_id == ann_id,
                Span.start == start, Span.end == end, Span.label == label)).first()

    def accept_suggestions(self: Store, ids: Iterable[int], user: str) -> int:
        """Accept these pending suggestions of the user: one transaction, one undoable
        action per document (accept-all in a sentence or document is one). The number
        accepted."""
        return len(self._decide(ids, user, accept=True))

    def reject_suggestion(self: Store, suggestion_id: int, user: str) -> bool:
        """Reject the user's pending suggestion (kept, so it is never proposed again;
        undoable)."""
        return bool(self._decide([suggestion_id], user, accept=False))

    def reject_suggestions(self: Store, ids: Iterable[int], user: str) -> int:
        return len(self._decide(ids, user, accept=False))

    def _decide(self: Store, ids: Iterable[int], user: str, *,
                accept: bool) -> list[tuple[tuple[int, int, int, str], bool]]:
        """Accept or reject; per suggestion decided, its (document, start, end, label)
        and whether a span was added (an accepted one's span may be there already)."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        self._not_gold(user)
        with self.session() as s:
            doc_ids = sorted(set(s.execute(select(Suggestion.document_id).where(
                self._one_of(Suggestion.id, wanted))).scalars()))
        if not doc_ids:
            return []
        with self.write(doc_ids) as s:
            ann_id = self._ann_id(s, user)
            rows = list(s.exec(orm_select(Suggestion).where(  # type: ignore[call-overload]
                Suggestion.annotator_id == ann_id, Suggestion.state == SUGGESTION_PENDING,
                self._one_of(Suggestion.id, wanted)).order_by(col(Suggestion.id))))
            if accept:
                self._check_labels("entity", {row.label for row in rows})
            spans = {(d, a, b, lab) for d, a, b, lab in
                     self._user_spans(s, ann_id, sorted({r.document_id for r in rows}))}
            per_doc: dict[int, list[dict[str, Any]]] = defaultdict(list)
            done: list[tuple[tuple[int, int, int, str], bool]] = []
            for row in rows:
                key = (row.document_id, row.start, row.end, row.label)
                item = {"suggestion": row.id, "start": row.start, "end": row.end,
                        "label": row.label, "source": row.source, "score": row.score}
                if accept:
                    item["span_added"] = key not in spans
                    spans.add(key)
                done.append((key, bool(item.get("span_added", False))))
                per_doc[row.document_id].append(item)
            if not per_doc:
                return []
            for doc_id, items in per_doc.items():
                self._apply_decision(s, doc_id, ann_id, items, accept=accept, inverse=False)
                if accept:
                    self._touch(s, doc_id, ann_id)
                self._log(s, doc_id, ann_id, ACCEPT_KIND if accept else REJECT_KIND,
                          {"items": items}, by=user)
            s.commit()
        return done

    def _apply_decision(self: Store, s: Session, doc_id: int, ann_id: int | None,
                        items: Sequence[Mapping[str, Any]], *, accept: bool,
                        inverse: bool) -> None:
        """Write an accept (reject) of `items` (the action's payload items), or its undo:
        spans added (removed), suggestions' state set. Shared with undo/redo."""
        if accept:
            for it in items:
                if not it.get("span_added", True):
                    continue
                if inverse:
                    self._delete_span(s, doc_id, ann_id, it["start"], it["end"], it["label"])
                else:
                    self._insert_span(s, doc_id, ann_id, it["start"], it["end"], it["label"],
                                      provenance_of(it["source"], it["score"]))
        state = SUGGESTION_PENDING if inverse else (
            SUGGESTION_ACCEPTED if accept else SUGGESTION_REJECTED)
        t = _t(Suggestion)
        s.execute(t.update().where(
            self._one_of(t.c.id, [it["suggestion"] for it in items]),
            t.c.annotator_id == ann_id)
            .values(state=state, decided_at=None if inverse else utcnow()))
        s.flush()
