"""Gold's event mentions: the store side of adjudicating structured events (issue 13).

Gold's mentions and arguments are `EventMention` / `EventArgument` rows of the reserved
annotator `gold`, each with provenance (``{"annotators", "rule", "by", "at", …}``; a
mention's also holds ``attributes``: {name: provenance}). The items and decisions are
computed by `annotator.adjudication.event_mentions` / `event_decide` from plain data.

* `load_event_items`: a document's finishers' mentions, gold's, the open items and their
  decisions (what an adjudication screen shows);
* `decide_event`: one decision, one transaction under the document's write lock: gold's
  rows, a `Decision` row (audit; kind event_trigger | event_argument | event_attribute)
  and one ``adjudicate`` action whose payload's ``event_mentions`` holds the touched gold
  mentions before and after, which `gold.undo_decision` / `redo_decision` replay through
  `replay_event_mentions`;
* the unanimous rule for `adjudicate --auto` is in `gold_events_auto`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from annotator.adjudication.disagreements import find_disagreements
from annotator.adjudication.event_decide import apply_change, gold_after
from annotator.adjudication.event_mentions import (
    EventItem,
    EventOutcome,
    GoldMention,
    Mention,
    TriggerKey,
    find_event_items,
    works_of,
)
from annotator.events_model import MentionView
from annotator.store.errors import StoreError
from annotator.store.event_mention_rows import apply_mention_change, find_mention, mention_record
from annotator.store.gold_rows import (
    KIND_DECISION,
    UNSEEN,
    _discard_redo,
    _gold_id,
    _iso,
    _set_status,
    _table,
    _works,
)
from annotator.store.mention_reads import gold_of, mention_rows, view_of
from annotator.store.models import (
    GOLD,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    Annotator,
    Assignment,
    Decision,
    Span,
    utcnow,
)
from annotator.store.service import Store

Snapshot = dict[str, Any]  # a gold mention as stored in a decision / action payload


# ------------------------------------------------------------------ reading rows
@dataclass
class DocMentions:
    """One document's event mentions: the finishers' (name -> views) and gold's."""

    finishers: dict[int, str] = field(default_factory=dict)
    views: dict[str, list[MentionView]] = field(default_factory=dict)
    gold: dict[TriggerKey, GoldMention] = field(default_factory=dict)

    @property
    def works(self) -> dict[str, tuple[Mention, ...]]:
        return works_of(self.views)


def read_mentions(conn: Connection, doc_ids: Sequence[int],
                  gold_id: int | None) -> dict[int, DocMentions]:
    """The mentions of the finishers (two or more) of `doc_ids`, and gold's: three queries
    for the whole batch."""
    a, n = _table(Assignment), _table(Annotator)
    out: dict[int, DocMentions] = {}
    for doc_id, ann_id, name in conn.execute(
        sa_select(a.c.document_id, a.c.annotator_id, n.c.name)
        .join(n, n.c.id == a.c.annotator_id)
        .where(a.c.document_id.in_(list(doc_ids)), a.c.status == STATUS_DONE,
               n.c.name != GOLD)
    ):
        out.setdefault(doc_id, DocMentions()).finishers[ann_id] = name
    out = {d: st for d, st in out.items() if len(st.finishers) >= 2}
    if not out:
        return out
    for st in out.values():
        st.views = {name: [] for name in st.finishers.values()}
    for row in mention_rows(conn, list(out)):
        st = out[row.document_id]
        if row.annotator_id in st.finishers:
            st.views[st.finishers[row.annotator_id]].append(view_of(row))
        elif gold_id is not None and row.annotator_id == gold_id:
            st.gold[(row.start, row.end, row.type)] = gold_of(row)
    return out


def _doc_mentions(s: Session, doc_id: int, gold_id: int) -> DocMentions:
    return read_mentions(s.connection(), [doc_id], gold_id).get(doc_id) or DocMentions()


# ------------------------------------------------------------------ writing rows
def snapshot(g: GoldMention | None) -> Snapshot | None:
    if g is None:
        return None
    return {"start": g.start, "end": g.end, "type": g.type, "attributes": g.attributes,
            "provenance": g.provenance,
            "arguments": [{"role": r, "start": s, "end": e, "label": lab, "provenance": p}
                          for r, s, e, lab, p in g.arguments]}


def from_snapshot(d: Snapshot | None) -> GoldMention | None:
    if d is None:
        return None
    return GoldMention(d["start"], d["end"], d["type"], dict(d["attributes"]),
                       tuple((a["role"], a["start"], a["end"], a["label"], a["provenance"])
                             for a in d["arguments"]), dict(d["provenance"]))


def _set_mention(s: Session, doc_id: int, gold_id: int, key: TriggerKey,
                 g: GoldMention | None) -> None:
    """Make gold's mention `key` exactly `g` (None: no such mention), arguments too: one
    step of `event_mention_rows.apply_mention_change`, as an annotator's edit is."""
    found = find_mention(s, doc_id, gold_id, key)
    if found is None and g is None:
        return
    apply_mention_change(s, doc_id, gold_id,
                         None if found is None else mention_record(s, found), snapshot(g))


def _gold_of(s: Session, doc_id: int, gold_id: int) -> dict[TriggerKey, GoldMention]:
    """Gold's mentions on the document, whoever finished it."""
    return {(r.start, r.end, r.type): gold_of(r)
            for r in mention_rows(s, [doc_id], [gold_id])}


def _changes(data: Mapping[str, Any], *, inverse: bool) -> list[
        tuple[TriggerKey, GoldMention | None, GoldMention | None]]:
    """(key, from, to) of each gold mention a recorded change touched."""
    out = []
    for b, a in zip(data["before"], data["after"], strict=True):
        frm, to = from_snapshot(b["mention"]), from_snapshot(a["mention"])
        key: TriggerKey = tuple(a["key"])  # type: ignore[assignment]
        out.append((key, to, frm) if inverse else (key, frm, to))
    return out


def replay_event_mentions(s: Session, doc_id: int, gold_id: int, data: Mapping[str, Any], *,
                          inverse: bool) -> None:
    """Undo (`inverse`) or redo what a decision did to gold's mentions, part by part
    (`event_decide.apply_change`: later decisions on other parts stand)."""
    gold = _gold_of(s, doc_id, gold_id)
    for key, frm, to in _changes(data, inverse=inverse):
        _set_mention(s, doc_id, gold_id, key, apply_change(gold.get(key), frm, to))


def open_event_items(conn: Connection, doc_ids: Sequence[int]) -> dict[int, int]:
    """Per document of `doc_ids` (two or more finishers), the event-mention items without
    a decision (documents with none are left out): gold's document is done only when
    this is 0 too."""
    states = read_mentions(conn, doc_ids, None)
    if not states:
        return {}
    dec = _table(Decision)
    decided: dict[int, set[str]] = {}
    for doc_id, key in conn.execute(sa_select(dec.c.document_id, dec.c.item_key)
                                    .where(dec.c.document_id.in_(list(states)))):
        decided.setdefault(doc_id, set()).add(key)
    out = {}
    for doc_id, st in states.items():
        n = sum(1 for i in find_event_items(st.works) if i.key not in decided.get(doc_id, ()))
        if n:
            out[doc_id] = n
    return out


# ------------------------------------------------------------------- decisions
@dataclass
class EventDocState:
    """A document's event mentions as an adjudication screen shows them."""

    doc_id: int
    views: dict[str, list[MentionView]]
    gold: dict[TriggerKey, GoldMention]
    items: list[EventItem]
    decisions: dict[str, Any]  # item key -> gold.DecisionInfo

    @property
    def remaining(self) -> int:
        return sum(1 for i in self.items if i.key not in self.decisions)


def load_event_items(store: Store, doc_id: int) -> EventDocState:
    """The finishers' mentions, gold's, the open event items and their decisions."""
    from annotator.store.gold import DecisionInfo

    gold_id = store._annotator_id(GOLD)
    with store.session() as s:
        st = _doc_mentions(s, doc_id, gold_id)
        items = find_event_items(st.works)
        keys = {i.key for i in items}
        decisions = {
            d.item_key: DecisionInfo(d.item_key, d.kind, d.outcome, d.versions, d.by, d.at)
            for d in s.exec(select(Decision).where(Decision.document_id == doc_id))
            if d.item_key in keys}
    return EventDocState(doc_id, st.views, st.gold, items, decisions)


@dataclass
class EventDecisionResult:
    key: str
    outcome: str
    mentions_changed: int
    remaining: int  # event items of the document still without a decision
    status: str  # gold's status on the document after the decision


def _check(store: Store, s: Session, doc_id: int, gold_id: int,
           states: Mapping[TriggerKey, GoldMention | None],
           gold: Mapping[TriggerKey, GoldMention]) -> None:
    """Every type in the schema; every argument it adds a span gold has."""
    spans = {tuple(r) for r in s.exec(select(Span.start, Span.end, Span.label).where(
        Span.document_id == doc_id, Span.annotator_id == gold_id))}
    for key, g in states.items():
        if g is None:
            continue
        store._check_label("event", g.type)
        store._check_range(s, doc_id, g.start, g.end)
        had = {a[:4] for a in gold[key].arguments} if key in gold else set()
        for role, start, end, label, _ in g.arguments:
            if (role, start, end, label) not in had and (start, end, label) not in spans:
                raise StoreError(f"the {role} argument [{start}, {end}) {label} is not a "
                                 "gold span yet: decide that span first")


def decide_event(store: Store, doc_id: int, user: str, outcome: EventOutcome,
                 when: datetime | None = None, *, seen: Any = UNSEEN) -> EventDecisionResult:
    """Write one decision on an event-mention item into gold: one transaction, one
    ``adjudicate`` action (undone and redone by `gold.undo_decision` /
    `redo_decision`). Deciding an item again replaces the earlier decision. Refused
    when the annotators' work changed since the item was computed (its key is gone),
    and, given `seen` (a DecisionInfo, or None for none), when another adjudicator
    decided it since that was loaded."""
    from annotator.store.gold import _decision_dict, _put_decision, prior_decision

    when = when or utcnow()
    with store.write(doc_id) as s:
        gold_id = _gold_id(store, s)
        st = _doc_mentions(s, doc_id, gold_id)
        items = {i.key: i for i in find_event_items(st.works)}
        item = items.get(outcome.key)
        if item is None:
            raise StoreError("this event item is no longer there (an annotator changed "
                             "their work): reload")
        old = prior_decision(s, doc_id, item.key, seen, "this event item")
        work: dict[TriggerKey, GoldMention | None] = dict(st.gold)
        undo_old = [] if old is None else _changes(
            {"before": old.before.get("event_mentions", []),
             "after": old.after.get("event_mentions", [])}, inverse=True)
        for key, frm, to in undo_old:  # what the earlier decision wrote goes first
            work[key] = apply_change(work.get(key), frm, to)
        gold = {k: g for k, g in work.items() if g is not None}
        base = {"rule": outcome.rule, "by": user, "at": _iso(when),
                "outcome": outcome.outcome, "item": item.key}
        try:
            states = gold_after(item, outcome, gold, base)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        _check(store, s, doc_id, gold_id, states, gold)
        touched = sorted({k for k, _, _ in undo_old} | set(states))
        final = {k: states[k] if k in states else gold.get(k) for k in touched}
        before = [{"key": list(k), "mention": snapshot(st.gold.get(k))} for k in touched]
        after = [{"key": list(k), "mention": snapshot(final[k])} for k in touched]
        for k in touched:
            _set_mention(s, doc_id, gold_id, k, final[k])  # type: ignore[arg-type]
        decision_before = _decision_dict(old)
        decision_after = {
            "item_key": item.key, "kind": item.kind, "outcome": outcome.outcome,
            "versions": [list(item.versions[i].annotators) for i in outcome.accepted],
            "by": user, "at": _iso(when),
            "before": {"event_mentions": before}, "after": {"event_mentions": after}}
        _put_decision(s, doc_id, item.key, decision_after)
        decided = set(s.exec(select(Decision.item_key).where(
            Decision.document_id == doc_id))) | {item.key}
        left = sum(1 for k in items if k not in decided)
        spans_left = sum(1 for d in find_disagreements(_works(s, doc_id))
                         if d.key not in decided)
        status = STATUS_DONE if left + spans_left == 0 else STATUS_IN_PROGRESS
        status_before = _set_status(s, store, doc_id, gold_id, status)
        _discard_redo(s, doc_id, gold_id)
        store._audit(s, doc_id, gold_id, KIND_DECISION, {
            "by": user, "item_key": item.key, "spans_added": [], "spans_removed": [],
            "events": [], "event_mentions": {"before": before, "after": after},
            "decision_before": decision_before, "decision_after": decision_after,
            "status_before": status_before, "status_after": status}, by=user)
        s.commit()
    changed = sum(1 for b, a in zip(before, after, strict=True) if b != a)
    return EventDecisionResult(item.key, outcome.outcome, changed, left, status)


__all__: Sequence[str] = (
    "DocMentions", "EventDecisionResult", "EventDocState", "decide_event",
    "load_event_items", "read_mentions",
    "replay_event_mentions",
)
