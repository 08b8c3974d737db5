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

from annotator.adjudication.event_mentions import GoldMention, Mention, TriggerKey
from annotator.adjudication.event_stale import followed, named, stale_event_decisions
from annotator.store.gold_events import _set_mention, snapshot
from annotator.store.gold_rows import _table
from annotator.store.models import Annotator, Decision, EventArgument, EventMention


def _read(s: Session, doc_id: int, gold_id: int) -> tuple[
        dict[str, list[Mention]], dict[TriggerKey, GoldMention]]:
    """Every annotator's mentions on the document (whatever their status), and gold's."""
    em, ea, n = _table(EventMention), _table(EventArgument), _table(Annotator)
    conn = s.connection()
    args: dict[int, list[tuple[Any, ...]]] = {}
    for mid, role, start, end, label, prov in conn.execute(
        sa_select(ea.c.mention_id, ea.c.role, ea.c.start, ea.c.end, ea.c.label,
                  ea.c.provenance).join(em, em.c.id == ea.c.mention_id)
        .where(em.c.document_id == doc_id)
    ):
        args.setdefault(mid, []).append((role, start, end, label, prov or {}))
    works: dict[str, list[Mention]] = {}
    gold: dict[TriggerKey, GoldMention] = {}
    for mid, ann_id, name, start, end, typ, attrs, prov in conn.execute(
        sa_select(em.c.id, em.c.annotator_id, n.c.name, em.c.start, em.c.end, em.c.type,
                  em.c.attributes, em.c.provenance).join(n, n.c.id == em.c.annotator_id)
        .where(em.c.document_id == doc_id)
    ):
        mine = sorted(args.get(mid, ()), key=lambda a: a[:4])
        if ann_id == gold_id:
            gold[(start, end, typ)] = GoldMention(start, end, typ, dict(attrs or {}),
                                                  tuple(mine), prov or {})
        else:
            works.setdefault(name, []).append(Mention(
                start, end, typ, tuple(sorted((attrs or {}).items())),
                tuple(a[:4] for a in mine)))
    return works, gold


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
