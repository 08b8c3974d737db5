"""Event mentions in export records (issue 13): read in bulk, chosen per source, written
as the record's `event_mentions`.

A record's `event_mentions` is a list of `{"id": "E1", "type", "trigger": {"start",
"end", "text"}, "attributes": {...}, "arguments": [{"role", "start", "end", "text",
"label"}]}` (plus `"coref_of": "E3"` when the mention corefers with an earlier one),
ordered by (trigger start, end, type), arguments by (role, start, end); ids `E1…` in that
order, attributes by name. Gold's stored provenance goes to `meta.provenance.event_mentions`
in the same order. The majority source keeps a mention when more than half of the voters
have it whole (trigger, type, attributes and arguments equal).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, null, select

from annotator.events_model import ArgumentView, MentionView
from annotator.io.majority import majority
from annotator.store.models import EventArgument, EventMention
from annotator.store.service import Store

Provenance = dict[str, Any] | None
# a mention with its stored provenance and its arguments' (by argument id)
MentionRow = tuple[MentionView, Provenance, dict[int, Provenance]]


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def read_mentions(store: Store, doc_ids: Sequence[int], ann_ids: Sequence[int], *,
                  provenance: bool = False) -> dict[tuple[int, int], list[MentionRow]]:
    """(document id, annotator id) -> that annotator's mentions there, in record order
    (two queries)."""
    if not doc_ids or not ann_ids:
        return {}
    t, a = _t(EventMention), _t(EventArgument)
    where = (t.c.document_id.in_(list(doc_ids)), t.c.annotator_id.in_(list(ann_ids)))
    args: dict[int, list[ArgumentView]] = {}
    arg_prov: dict[int, dict[int, Provenance]] = {}
    out: dict[tuple[int, int], list[MentionRow]] = {}
    with store.engine.connect() as conn:
        found = list(conn.execute(select(
            t.c.id, t.c.document_id, t.c.annotator_id, t.c.start, t.c.end, t.c.type,
            t.c.attributes, t.c.coref_of,
            t.c.provenance if provenance else null().label("provenance"),
        ).where(*where)))
        if not found:
            return {}
        for mid, aid, role, start, end, label, prov in conn.execute(select(
                a.c.mention_id, a.c.id, a.c.role, a.c.start, a.c.end, a.c.label,
                a.c.provenance if provenance else null().label("provenance"),
        ).join(t, t.c.id == a.c.mention_id).where(*where)):
            args.setdefault(mid, []).append(ArgumentView(aid, role, start, end, label))
            arg_prov.setdefault(mid, {})[aid] = prov if provenance else None
    for mid, doc_id, ann_id, start, end, type_, attrs, coref, prov in found:
        view = MentionView(mid, start, end, type_, dict(attrs or {}),
                           tuple(sorted(args.get(mid, ()), key=ArgumentView.sort_key)), coref)
        out.setdefault((doc_id, ann_id), []).append(
            (view, prov if provenance else None, arg_prov.get(mid, {})))
    for rows in out.values():
        rows.sort(key=lambda r: r[0].sort_key())
    return out


def _whole(view: MentionView) -> tuple[Any, ...]:
    """A mention as one hashable vote: trigger, type, attributes, arguments."""
    return (view.start, view.end, view.type, tuple(sorted(view.attributes.items())),
            tuple((x.role, x.start, x.end, x.label) for x in view.arguments))


def majority_mentions(votes: dict[str, list[MentionRow]],
                      voters: Sequence[str]) -> list[MentionRow]:
    """The mentions more than half of `voters` have whole (coreference left out)."""
    keyed = {v: [_whole(r[0]) for r in votes.get(v, ())] for v in voters}
    kept = majority(keyed, voters)
    out: list[MentionRow] = []
    for n, key in enumerate(sorted(kept, key=lambda k: (k[0], k[1], k[2]))):
        start, end, type_, attrs, args = key
        view = MentionView(-1 - n, start, end, type_, dict(attrs),
                           tuple(ArgumentView(-1, *x) for x in args), None)
        out.append((view, None, {}))
    return out


def mention_entries(text: str, rows: list[MentionRow],
                    provenance: bool = False) -> tuple[list[dict[str, Any]],
                                                       list[dict[str, Any]]]:
    """The record's `event_mentions` and (with `provenance`) their provenance entries."""
    rows = sorted(rows, key=lambda r: r[0].sort_key())
    ids = {r[0].id: f"E{n}" for n, r in enumerate(rows, 1)}
    entries: list[dict[str, Any]] = []
    provs: list[dict[str, Any]] = []
    for view, prov, arg_prov in rows:
        entry: dict[str, Any] = {
            "id": ids[view.id],
            "type": view.type,
            "trigger": {"start": view.start, "end": view.end,
                        "text": text[view.start:view.end]},
            "attributes": dict(sorted(view.attributes.items())),
            "arguments": [{"role": x.role, "start": x.start, "end": x.end,
                           "text": text[x.start:x.end], "label": x.label}
                          for x in view.arguments],
        }
        if view.coref_of is not None and view.coref_of in ids:
            entry["coref_of"] = ids[view.coref_of]
        entries.append(entry)
        if provenance:
            p: dict[str, Any] = {"id": ids[view.id], "start": view.start, "end": view.end,
                                 "type": view.type, **(prov or {})}
            if any(arg_prov.get(x.id) for x in view.arguments):
                p["arguments"] = [{"role": x.role, "start": x.start, "end": x.end,
                                   "label": x.label, **(arg_prov.get(x.id) or {})}
                                  for x in view.arguments]
            provs.append(p)
    return entries, provs
