"""Gold's event mentions follow the annotators (issue 13), inside `gold_sync.reconcile_gold`
(the annotator's own write transaction): what no longer stands is dropped and the
decisions on event items that changed are dropped, so they are open again
(`annotator.adjudication.event_stale` has the rules). Two queries when gold has event
mentions or event decisions on the document, none otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from annotator.adjudication.event_mentions import GoldMention, Mention, TriggerKey, works_of
from annotator.adjudication.event_stale import followed, named, stale_event_decisions
from annotator.events_model import MentionView
from annotator.store.gold_events import _set_mention, snapshot
from annotator.store.gold_rows import _table
from annotator.store.mention_reads import gold_of, mention_rows, view_of
from annotator.store.models import Annotator, Decision, EventMention


def _read(s: Session, doc_id: int, gold_id: int) -> tuple[
        dict[str, tuple[Mention, ...]], dict[TriggerKey, GoldMention]]:
    """Every annotator's mentions on the document (whatever their status), and gold's."""
    rows = mention_rows(s, [doc_id])
    n = _table(Annotator)
    names = {i: name for i, name in s.execute(sa_select(n.c.id, n.c.name).where(
        n.c.id.in_(sorted({r.annotator_id for r in rows}))))}
    views: dict[str, list[MentionView]] = {}
    gold: dict[TriggerKey, GoldMention] = {}
    for r in rows:
        if r.annotator_id == gold_id:
            gold[(r.start, r.end, r.type)] = gold_of(r)
        else:
            views.setdefault(names[r.annotator_id], []).append(view_of(r))
    return works_of(views), gold


def reconcile_mentions(s: Session, doc_id: int, gold_id: int, finishers: Sequence[str],
                       decisions: Sequence[Decision]) -> dict[str, Any]:
    """Bring gold's mentions on `doc_id` in line with the annotators' current work.
    `decisions`: the document's decisions on event items. Returns what changed, for the
    ``gold_follows`` log row (``{}``: nothing)."""
    if not decisions and not s.execute(
            sa_select(func.count()).select_from(_table(EventMention)).where(
                _table(EventMention).c.document_id == doc_id,
                _table(EventMention).c.annotator_id == gold_id)).scalar():
        return {}
    works, gold = _read(s, doc_id, gold_id)
    who = set(finishers) | named(gold.values())
    who.update(str(name) for d in decisions for v in (d.versions or []) for name in v)
    participants = {name: tuple(sorted(works.get(name, ()), key=lambda m: m.key))
                    for name in who}
    stale = stale_event_decisions(participants, [d.item_key for d in decisions])
    changes = followed(participants, gold, stale)
    before, after = [], []
    for key in sorted(changes):
        _set_mention(s, doc_id, gold_id, key, changes[key])
        before.append({"key": list(key), "mention": snapshot(gold[key])})
        after.append({"key": list(key), "mention": snapshot(changes[key])})
    dropped = []
    for d in decisions:
        if d.item_key in stale:
            dropped.append({"item_key": d.item_key, "kind": d.kind, "outcome": d.outcome,
                            "by": d.by})
            s.delete(d)
    s.flush()
    if not (before or dropped):
        return {}
    return {"event_mentions": {"before": before, "after": after},
            "decisions_dropped": dropped}
