"""Gold: the store side of adjudication (loading, decisions, undo/redo; auto-merge is in
`gold_auto`, batch reads in `gold_batch`, row primitives in `gold_rows`).

Gold annotations live under the reserved annotator `gold`, each with provenance
``{"annotators": [...], "rule": ..., "by": ..., "at": ...}``. Every function that writes
is one short committed transaction on one document, holding the write lock from its
start (`Store.write`), and logs one `Action` under the gold annotator (kind
``auto_merge`` or ``adjudicate``; ``by`` and ``payload["by"]`` name the adjudicator),
which is what `undo_decision` / `redo_decision` replay. The gold annotator's
`Assignment` is ``done`` when no disagreement of the document is left without a
decision. Annotators' later changes are followed by `gold_sync`.

The decisions themselves are computed by `annotator.adjudication` from plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from annotator.adjudication import Disagreement, Outcome, Work, find_disagreements
from annotator.adjudication.event_mentions import (
    EventItem,
    GoldMention,
    TriggerKey,
    find_event_items,
)
from annotator.adjudication.model import RULE_UNANIMOUS, SpanT
from annotator.errors import PermissionDenied
from annotator.store.gold_auto import AutoReport, auto_merge, merge_document
from annotator.store.gold_batch import DocCount, corpus_counts
from annotator.store.gold_events import read_mentions
from annotator.store.gold_rows import (
    KIND_AUTO,
    KIND_DECISION,
    UNSEEN,
    _decision_keys,
    _discard_redo,
    _gold_id,
    _iso,
    _set_status,
    _set_unit,
    _status,
    _unit_rows,
    _work,
    _works,
)
from annotator.store.models import (
    GOLD,
    ROLE_ADJUDICATOR,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Action,
    Annotator,
    Assignment,
    Decision,
    Document,
    Sentence,
    Span,
    utcnow,
)
from annotator.store.retry import retrying
from annotator.store.service import Store, StoreError

AUTO = "auto"  # what older databases recorded as the `by` of auto-merged gold items


# --------------------------------------------------------------------- roles
def is_adjudicator(store: Store, user: str) -> bool:
    with store.session() as s:
        ann = s.exec(select(Annotator).where(Annotator.name == user)).first()
        return ann is not None and ann.role == ROLE_ADJUDICATOR


def require_adjudicator(store: Store, user: str, what: str = "adjudicate") -> None:
    """Raise PermissionDenied (one line, exit 1) unless `user` has the adjudicator role."""
    if user == GOLD:
        raise PermissionDenied(f"{GOLD!r} is reserved for adjudicated annotations")
    if not is_adjudicator(store, user):
        raise PermissionDenied(
            f"{user} may not {what}: only adjudicators can "
            f"(grant the role with `annotator role {user} adjudicator`)"
        )


# ------------------------------------------------------------------- loading
@dataclass
class DecisionInfo:
    key: str
    kind: str
    outcome: str
    versions: list[Any]
    by: str
    at: datetime


@dataclass
class DocAdjudication:
    """One document as the adjudicator sees it: every finisher's work, gold, decisions."""

    doc_id: int
    external_id: str
    title: str
    text: str
    sentences: list[tuple[int, int]]
    works: dict[str, Work]
    gold: Work
    gold_spans: list[tuple[int, int, str, Any]]
    items: list[Disagreement]
    decisions: dict[str, DecisionInfo] = field(default_factory=dict)
    status: str = STATUS_NEW
    # issue 13: the event-mention items (trigger, argument, attribute), gold's mentions
    event_items: list[EventItem] = field(default_factory=list)
    gold_mentions: dict[TriggerKey, GoldMention] = field(default_factory=dict)

    @property
    def annotators(self) -> list[str]:
        return sorted(self.works)

    @property
    def all_items(self) -> list[Disagreement | EventItem]:
        """What the adjudicator walks through: the span and event-label items, then the
        event-mention items (an argument must be a gold span: spans are decided first)."""
        return [*self.items, *self.event_items]

    @property
    def remaining(self) -> int:
        """Items without a decision, event-mention items included."""
        return sum(1 for d in self.all_items if d.key not in self.decisions)


def _load_doc(s: Session, doc: Document, gold_id: int) -> DocAdjudication | None:
    assert doc.id is not None
    works = _works(s, doc.id)
    if len(works) < 2:
        return None
    decisions = {
        d.item_key: DecisionInfo(d.item_key, d.kind, d.outcome, d.versions, d.by, d.at)
        for d in s.exec(select(Decision).where(Decision.document_id == doc.id))
    }
    gold_spans = [tuple(r) for r in s.exec(
        select(Span.start, Span.end, Span.label, Span.provenance)
        .where(Span.document_id == doc.id, Span.annotator_id == gold_id)
        .order_by(Span.start, Span.end))]
    sentences = [tuple(r) for r in s.exec(
        select(Sentence.start, Sentence.end).where(Sentence.document_id == doc.id)
        .order_by(Sentence.index))]
    mentions = read_mentions(s.connection(), [doc.id], gold_id).get(doc.id)
    return DocAdjudication(
        doc_id=doc.id, external_id=doc.external_id, title=doc.title, text=doc.text,
        sentences=sentences,  # type: ignore[arg-type]
        works=works, gold=_work(s, doc.id, gold_id),
        gold_spans=gold_spans,  # type: ignore[arg-type]
        items=find_disagreements(works), decisions=decisions,
        status=_status(s, doc.id, gold_id),
        event_items=find_event_items(mentions.works) if mentions else [],
        gold_mentions=mentions.gold if mentions else {},
    )


def adjudicable_ids(store: Store) -> list[int]:
    """Documents at least two annotators (not gold) marked done, by external id."""
    with store.session() as s:
        rows = s.exec(
            select(Assignment.document_id, Document.external_id)
            .join(Annotator, col(Annotator.id) == col(Assignment.annotator_id))
            .join(Document, col(Document.id) == col(Assignment.document_id))
            .where(Assignment.status == STATUS_DONE, Annotator.name != GOLD)
        ).all()
    count: dict[int, int] = {}
    eid: dict[int, str] = {}
    for doc_id, external_id in rows:
        count[doc_id] = count.get(doc_id, 0) + 1
        eid[doc_id] = external_id
    return sorted((d for d, n in count.items() if n >= 2), key=lambda d: eid[d])


def load_document(store: Store, doc_id: int, *,
                  merge_by: str | None = None) -> DocAdjudication | None:
    """The document's adjudication state; None when fewer than two annotators finished it.

    With `merge_by` (the adjudicator), what all finishers agree on is first taken into
    gold for this one document (`merge_document`, its own short transaction)."""
    if merge_by is not None:
        retrying(lambda: merge_document(store, doc_id, by=merge_by))
    gold_id = store._annotator_id(GOLD)
    with store.session() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise StoreError(f"no document with id {doc_id}")
        return _load_doc(s, doc, gold_id)


def gold_done_ids(store: Store) -> set[int]:
    """Documents whose gold status is done (as last written: an annotator may have changed
    their work since, which `corpus_counts` would see): a cheap hint of where nothing is
    left to decide). A document with event-mention items left without a decision is not
    done, whatever its status says (one written before those items were there)."""
    from annotator.store.gold_batch import BATCH
    from annotator.store.gold_events import open_event_items

    with store.session() as s:
        done = set(s.exec(
            select(Assignment.document_id)
            .join(Annotator, col(Annotator.id) == col(Assignment.annotator_id))
            .where(Annotator.name == GOLD, Assignment.status == STATUS_DONE)
        ).all())
        ids, conn = sorted(done), s.connection()
        for lo in range(0, len(ids), BATCH):
            done -= set(open_event_items(conn, ids[lo:lo + BATCH]))
        return done


def load_adjudication(store: Store) -> list[DocAdjudication]:
    """Every document at least two annotators finished, by external id."""
    out = []
    for doc_id in adjudicable_ids(store):
        state = load_document(store, doc_id)
        if state is not None:
            out.append(state)
    return out


# --------------------------------------------------------------- decisions
def _unanimous(provenance: Any) -> bool:
    return isinstance(provenance, dict) and provenance.get("rule") == RULE_UNANIMOUS


@dataclass
class DecisionResult:
    key: str
    outcome: str
    spans_added: int
    spans_removed: int
    remaining: int  # disagreements of the document still without a decision
    status: str  # gold's status on the document after the decision


def _decision_dict(d: Decision | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"item_key": d.item_key, "kind": d.kind, "outcome": d.outcome,
            "versions": d.versions, "by": d.by, "at": _iso(d.at),
            "before": d.before, "after": d.after}


def _put_decision(s: Session, doc_id: int, key: str, data: dict[str, Any] | None) -> None:
    row = s.exec(select(Decision).where(Decision.document_id == doc_id,
                                        Decision.item_key == key)).first()
    if data is None:
        if row is not None:
            s.delete(row)
        return
    row = row or Decision(document_id=doc_id, item_key=key, kind=data["kind"],
                          outcome=data["outcome"], by=data["by"])
    row.kind, row.outcome, row.by = data["kind"], data["outcome"], data["by"]
    row.versions = data["versions"]
    row.at = datetime.fromisoformat(data["at"])
    row.before, row.after = data["before"], data["after"]
    s.add(row)


_UNSEEN = UNSEEN


def prior_decision(s: Session, doc_id: int, key: str, seen: Any, what: str
                   ) -> Decision | None:
    """The decision already taken on the item `key`, if any; refused when `seen` (what the
    caller loaded: a DecisionInfo, or None for none; `_UNSEEN`: no check) is no longer
    it, i.e. another adjudicator decided (or undid) it since."""
    old = s.exec(select(Decision).where(Decision.document_id == doc_id,
                                        Decision.item_key == key)).first()
    if seen is not _UNSEEN and not _same_decision(old, seen):
        who = f"{old.by} ({old.outcome})" if old is not None else "an undo"
        raise StoreError(f"{what} was decided by {who} since you loaded it: reloaded, "
                         "look again")
    return old


def _same_decision(row: Decision | None, seen: DecisionInfo | None) -> bool:
    if row is None or seen is None:
        return row is None and seen is None
    return (row.by, row.outcome, _iso(row.at)) == (seen.by, seen.outcome, _iso(seen.at))


def decide(store: Store, doc_id: int, user: str, outcome: Outcome,
           when: datetime | None = None, *, seen: Any = _UNSEEN) -> DecisionResult:
    """Write one decision into gold: one transaction, one Action (undoable).

    Deciding an item that already has a decision replaces it (the spans the earlier
    decision added are removed). Refuses when the annotators' work changed since the
    item was computed (its key no longer exists), and, given `seen` (the item's decision
    as the caller saw it: a `DecisionInfo`, or None for none), when another adjudicator
    has decided the item since.
    """
    when = when or utcnow()
    for (_start, _end, label), _holders in outcome.spans:
        store._check_label("entity", label)
    for label, _holders in outcome.labels:
        store._check_label("event", label)
    with store.write(doc_id) as s:
        gold_id = _gold_id(store, s)
        works = _works(s, doc_id)
        items = {d.key: d for d in find_disagreements(works)}
        item = items.get(outcome.key)
        if item is None:
            raise StoreError("this disagreement is no longer there (an annotator changed "
                             "their work): reload")
        old = prior_decision(s, doc_id, item.key, seen, "this disagreement")
        decision_before = _decision_dict(old)
        base = {"rule": outcome.rule, "by": user, "at": _iso(when), "outcome": outcome.outcome,
                "item": item.key}
        removed: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        if old is not None:
            for sp in old.after.get("spans", []):
                if store._delete_span(s, doc_id, gold_id, sp["start"], sp["end"], sp["label"]):
                    removed.append(sp)
        for (start, end, label), holders in outcome.spans:
            store._check_range(s, doc_id, start, end)
            prov = {"annotators": list(holders), **base}
            if store._insert_span(s, doc_id, gold_id, start, end, label, prov):
                added.append({"start": start, "end": end, "label": label, "provenance": prov})
        if item.is_event:
            assert item.unit is not None
            before = {r.label: r.provenance for r in _unit_rows(s, store, doc_id, gold_id,
                                                                    item.unit)}
            # labels every finisher gave keep their unanimous provenance
            after = {lab: (before[lab] if _unanimous(before.get(lab)) else
                           {"annotators": list(holders), **base})
                     for lab, holders in outcome.labels}
            _set_unit(s, store, doc_id, gold_id, item.unit, after)
            events.append({"unit": list(item.unit), "before": before, "after": after})
        decision_after = {
            "item_key": item.key, "kind": item.kind, "outcome": outcome.outcome,
            "versions": [list(item.versions[i].annotators) for i in outcome.accepted],
            "by": user, "at": _iso(when),
            "before": {"spans": removed, "labels": events[0]["before"] if events else {}},
            "after": {"spans": added, "labels": events[0]["after"] if events else {}},
        }
        _put_decision(s, doc_id, item.key, decision_after)
        decided = _decision_keys(s, doc_id) | {item.key}
        left = sum(1 for k in items if k not in decided)
        status = STATUS_DONE if left == 0 and not _events_open(s, doc_id) \
            else STATUS_IN_PROGRESS
        status_before = _set_status(s, store, doc_id, gold_id, status)
        _discard_redo(s, doc_id, gold_id)
        store._audit(s, doc_id, gold_id, KIND_DECISION, {
            "by": user, "item_key": item.key, "spans_added": added, "spans_removed": removed,
            "events": events, "decision_before": decision_before,
            "decision_after": decision_after, "status_before": status_before,
            "status_after": status,
        }, by=user)
        s.commit()
        return DecisionResult(item.key, outcome.outcome, len(added), len(removed), left, status)


# ---------------------------------------------------------------- undo/redo
def _check_replay(store: Store, action: Action, *, inverse: bool) -> None:
    """Undo and redo write gold labels like a decision does: each must be in the schema."""
    p = action.payload
    for sp in p["spans_removed"] if inverse else p["spans_added"]:
        store._check_label("entity", sp["label"])
    for ev in p["events"]:
        for label in ev["before"] if inverse else ev["after"]:
            store._check_label("event", label)


def _apply(s: Session, store: Store, action: Action, *, inverse: bool) -> None:
    p = action.payload
    doc_id, gold_id = action.document_id, action.annotator_id
    assert doc_id is not None
    to_remove = p["spans_added"] if inverse else p["spans_removed"]
    to_add = p["spans_removed"] if inverse else p["spans_added"]
    for sp in to_remove:
        store._delete_span(s, doc_id, gold_id, sp["start"], sp["end"], sp["label"])
    for sp in to_add:
        store._insert_span(s, doc_id, gold_id, sp["start"], sp["end"], sp["label"],
                           sp.get("provenance"))
    for ev in p["events"]:
        unit = tuple(ev["unit"])
        _set_unit(s, store, doc_id, gold_id, unit,  # type: ignore[arg-type]
                  ev["before"] if inverse else ev["after"])
    if "event_mentions" in p:  # a decision on an event-mention item (gold_events)
        from annotator.store.gold_events import replay_event_mentions

        replay_event_mentions(s, doc_id, gold_id, p["event_mentions"], inverse=inverse)
    if action.kind == KIND_DECISION:
        _put_decision(s, doc_id, p["item_key"],
                      p["decision_before"] if inverse else p["decision_after"])
    # the status recorded with the action can be stale (another adjudicator decided or
    # undid since): done only when no disagreement is left without a decision
    status = p["status_before"] if inverse else p["status_after"]
    works = _works(s, doc_id)
    if len(works) >= 2:  # else nothing to compare: keep the recorded status
        decided = _decision_keys(s, doc_id)
        left = sum(1 for d in find_disagreements(works) if d.key not in decided)
        if left and status == STATUS_DONE:
            status = STATUS_IN_PROGRESS
        elif not left:
            status = STATUS_IN_PROGRESS if _events_open(s, doc_id) else STATUS_DONE
    _set_status(s, store, doc_id, gold_id, status)


def _events_open(s: Session, doc_id: int) -> bool:
    """Whether event-mention items of the document are left without a decision."""
    from annotator.store.gold_events import open_event_items

    return bool(open_event_items(s.connection(), [doc_id]))


def _superseded(s: Session, action: Action) -> bool:
    """True when the decision this action wrote has since been replaced (another
    adjudicator decided the item again): undoing it would undo their work."""
    p = action.payload
    row = s.exec(select(Decision).where(Decision.document_id == action.document_id,
                                        Decision.item_key == p["item_key"])).first()
    after = p["decision_after"]
    return row is None or row.by != after["by"] or row.after != after["after"]


def _step(store: Store, doc_id: int, user: str, *, undo: bool) -> Action | None:
    with store.write(doc_id) as s:
        gold_id = _gold_id(store, s)
        q = select(Action).where(
            Action.document_id == doc_id, Action.annotator_id == gold_id,
            Action.kind == KIND_DECISION, Action.state == ("done" if undo else "undone"),
        ).order_by(col(Action.id).desc() if undo else col(Action.id))
        action = None
        for a in s.exec(q).all():
            if a.payload.get("by") != user:
                continue
            if undo and _superseded(s, a):
                a.state = "dead"  # replaced by a later decision: no longer on the stack
                s.add(a)
                continue
            action = a
            break
        if action is None:
            s.commit()
            return None
        try:
            _check_replay(store, action, inverse=undo)
        except StoreError as exc:
            raise StoreError(f"cannot {'undo' if undo else 'redo'}: {exc}") from None
        _apply(s, store, action, inverse=undo)
        action.state = "undone" if undo else "done"
        s.add(action)
        store._audit(s, doc_id, gold_id, "undo" if undo else "redo",
                     {"by": user, "action": action.id, "kind": action.kind,
                      "item_key": action.payload.get("item_key")}, by=user)
        s.commit()
        return action


def undo_decision(store: Store, doc_id: int, user: str) -> Action | None:
    """Revert this adjudicator's latest decision on the document; None when there is none."""
    return _step(store, doc_id, user, undo=True)


def redo_decision(store: Store, doc_id: int, user: str) -> Action | None:
    """Re-apply this adjudicator's earliest undone decision on the document."""
    return _step(store, doc_id, user, undo=False)


def gold_spans(store: Store, doc_id: int) -> list[SpanT]:
    gold_id = store._annotator_id(GOLD)
    with store.session() as s:
        return [tuple(r) for r in s.exec(  # type: ignore[misc]
            select(Span.start, Span.end, Span.label)
            .where(Span.document_id == doc_id, Span.annotator_id == gold_id)
            .order_by(Span.start, Span.end, Span.label))]


__all__: Sequence[str] = (
    "AUTO", "KIND_AUTO", "AutoReport", "DecisionInfo", "DecisionResult", "DocAdjudication",
    "DocCount",
    "adjudicable_ids", "auto_merge", "corpus_counts", "decide", "gold_done_ids",
    "gold_spans", "is_adjudicator", "merge_document",
    "load_adjudication", "load_document", "redo_decision", "require_adjudicator",
    "undo_decision",
)
