"""Row primitives of structured event mentions (issue 13), shared by the public methods
(`annotator.store.event_mentions`), undo/redo (`annotator.store.history`) and the span
writes that must keep argument links whole (`annotator.store.service`).

A mention is named in the action log by its *record*, not its row id (ids change when an
undo re-inserts a row): `{"start", "end", "type", "attributes", "coref", "provenance",
"arguments": [{"role", "start", "end", "label", "provenance"}]}` where `coref` is the
`[start, end, type]` of the mention it corefers with (or None). Every change of a mention
is one step from a record (or None) to a record (or None), applied in place when both
exist, so a mention keeps its id while it is edited, and the same step replays forwards
and backwards.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session
from sqlmodel import select as sm_select

from annotator.store.models import EventArgument, EventMention

MentionRecord = dict[str, Any]
LinkRecord = dict[str, Any]  # {"mention": [start, end, type], "role", "provenance"}


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def mention_key(rec: MentionRecord) -> tuple[int, int, str]:
    return (rec["start"], rec["end"], rec["type"])


def argument_key(arg: dict[str, Any]) -> tuple[str, int, int, str]:
    return (arg["role"], arg["start"], arg["end"], arg["label"])


def sorted_arguments(args: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(args, key=argument_key)


def find_mention(s: Session, doc_id: int, ann_id: int | None,
                 key: tuple[int, int, str] | list[Any]) -> EventMention | None:
    start, end, type_ = key
    return s.exec(sm_select(EventMention).where(
        EventMention.document_id == doc_id, EventMention.annotator_id == ann_id,
        EventMention.start == start, EventMention.end == end, EventMention.type == type_,
    )).first()


def mention_record(s: Session, m: EventMention) -> MentionRecord:
    """The record of a stored mention (its arguments read here)."""
    a = _t(EventArgument)
    args = [{"role": r, "start": st, "end": e, "label": lab, "provenance": p}
            for r, st, e, lab, p in s.execute(
                select(a.c.role, a.c.start, a.c.end, a.c.label, a.c.provenance)
                .where(a.c.mention_id == m.id))]
    coref = None
    if m.coref_of is not None:
        target = s.get(EventMention, m.coref_of)
        if target is not None:
            coref = [target.start, target.end, target.type]
    return {"start": m.start, "end": m.end, "type": m.type,
            "attributes": dict(m.attributes or {}), "coref": coref,
            "provenance": m.provenance, "arguments": sorted_arguments(args)}


def _coref_id(s: Session, doc_id: int, ann_id: int | None,
              coref: list[Any] | None) -> int | None:
    if not coref:
        return None
    target = find_mention(s, doc_id, ann_id, coref)
    return target.id if target is not None else None


def _sync_arguments(s: Session, mention_id: int, old: list[dict[str, Any]],
                    new: list[dict[str, Any]]) -> None:
    """Make the mention's argument rows `new`: rows also in `old` keep their id (their
    provenance is brought up to date), the others are deleted or inserted."""
    a = _t(EventArgument)
    keep = {argument_key(x): x for x in new}
    have = {argument_key(x): x for x in old}
    for role, start, end, label in have.keys() - keep.keys():
        s.execute(a.delete().where(a.c.mention_id == mention_id, a.c.role == role,
                                   a.c.start == start, a.c.end == end, a.c.label == label))
    for key, arg in keep.items():
        if key not in have:
            s.add(EventArgument(mention_id=mention_id, role=arg["role"], start=arg["start"],
                                end=arg["end"], label=arg["label"],
                                provenance=arg.get("provenance")))
        elif (arg.get("provenance") or None) != (have[key].get("provenance") or None):
            role, start, end, label = key
            s.execute(a.update().where(
                a.c.mention_id == mention_id, a.c.role == role, a.c.start == start,
                a.c.end == end, a.c.label == label).values(provenance=arg.get("provenance")))


def apply_mention_change(
    s: Session, doc_id: int, ann_id: int | None, before: MentionRecord | None,
    after: MentionRecord | None, referrers: list[list[Any]] | None = None,
) -> EventMention | None:
    """One step of a mention from `before` to `after` (None: absent). Removing a mention
    clears the coreference of the mentions that pointed to it; inserting one back points
    `referrers` (their `[start, end, type]`) to it again. Returns the mention row (None
    when removed, or when `before` is not there any more)."""
    t = _t(EventMention)
    if before is None:
        assert after is not None and ann_id is not None
        row = EventMention(document_id=doc_id, annotator_id=ann_id, start=after["start"],
                           end=after["end"], type=after["type"],
                           attributes=dict(after.get("attributes") or {}),
                           coref_of=_coref_id(s, doc_id, ann_id, after.get("coref")),
                           provenance=after.get("provenance"))
        s.add(row)
        s.flush()
        assert row.id is not None
        _sync_arguments(s, row.id, [], after.get("arguments", []))
        for key in referrers or ():
            ref = find_mention(s, doc_id, ann_id, key)
            if ref is not None:
                ref.coref_of = row.id
                s.add(ref)
        s.flush()
        return row
    found = find_mention(s, doc_id, ann_id, mention_key(before))
    if found is None:
        return None
    if after is None:
        s.execute(_t(EventArgument).delete().where(
            _t(EventArgument).c.mention_id == found.id))
        s.execute(t.update().where(t.c.coref_of == found.id).values(coref_of=None))
        s.delete(found)
        s.flush()
        return None
    found.start, found.end, found.type = after["start"], after["end"], after["type"]
    found.attributes = dict(after.get("attributes") or {})
    found.coref_of = _coref_id(s, doc_id, ann_id, after.get("coref"))
    found.provenance = after.get("provenance")
    s.add(found)
    s.flush()
    assert found.id is not None
    _sync_arguments(s, found.id, before.get("arguments", []), after.get("arguments", []))
    s.flush()
    return found


def referrers_of(s: Session, m: EventMention) -> list[list[Any]]:
    """`[start, end, type]` of the mentions whose coreference points to `m`."""
    t = _t(EventMention)
    return [[a, b, c] for a, b, c in s.execute(
        select(t.c.start, t.c.end, t.c.type).where(t.c.coref_of == m.id)
        .order_by(t.c.start, t.c.end, t.c.type))]


# ------------------------------------------------------------- span argument links
def _links_query(doc_id: int, ann_id: int | None, start: int, end: int, label: str) -> Any:
    a, t = _t(EventArgument), _t(EventMention)
    return (select(a.c.id, t.c.start, t.c.end, t.c.type, a.c.role, a.c.provenance)
            .join(t, t.c.id == a.c.mention_id)
            .where(t.c.document_id == doc_id, t.c.annotator_id == ann_id,
                   a.c.start == start, a.c.end == end, a.c.label == label)
            .order_by(t.c.start, t.c.end, t.c.type, a.c.role))


def span_links(s: Session, doc_id: int, ann_id: int | None, start: int, end: int,
               label: str) -> list[LinkRecord]:
    """The argument links that name the span `[start, end)` `label` of this annotator."""
    return [{"mention": [ms, me, mt], "role": role, "provenance": p}
            for _i, ms, me, mt, role, p in s.execute(
                _links_query(doc_id, ann_id, start, end, label))]


def drop_span_links(s: Session, doc_id: int, ann_id: int | None, start: int, end: int,
                    label: str) -> list[LinkRecord]:
    """Remove (and return) the argument links that name this span."""
    found = list(s.execute(_links_query(doc_id, ann_id, start, end, label)))
    if found:
        a = _t(EventArgument)
        s.execute(a.delete().where(a.c.id.in_([row[0] for row in found])))
    return [{"mention": [ms, me, mt], "role": role, "provenance": p}
            for _i, ms, me, mt, role, p in found]


def restore_span_links(s: Session, doc_id: int, ann_id: int | None, start: int, end: int,
                       label: str, links: list[LinkRecord]) -> None:
    """Put back links `drop_span_links` returned (those whose mention still stands)."""
    a = _t(EventArgument)
    for link in links:
        m = find_mention(s, doc_id, ann_id, link["mention"])
        if m is None:
            continue
        there = s.execute(select(a.c.id).where(
            a.c.mention_id == m.id, a.c.role == link["role"], a.c.start == start,
            a.c.end == end, a.c.label == label)).first()
        if there is None:
            s.add(EventArgument(mention_id=m.id, role=link["role"], start=start, end=end,
                                label=label, provenance=link.get("provenance")))
    s.flush()


def relabel_span_links(s: Session, doc_id: int, ann_id: int | None, start: int, end: int,
                       old: str, new: str, *, drop: list[LinkRecord] | None = None,
                       fits: Any = None) -> list[LinkRecord]:
    """The span `[start, end)` changed label `old` -> `new`: its links follow it. Links
    that no longer fit are removed and returned: those `fits(type, role, new)` refuses,
    or, on replay, exactly `drop`."""
    links = span_links(s, doc_id, ann_id, start, end, old)
    if drop is None:
        drop = [x for x in links
                if fits is not None and not fits(x["mention"][2], x["role"], new)]
    gone = {(tuple(x["mention"]), x["role"]) for x in drop}
    a = _t(EventArgument)
    rows = list(s.execute(_links_query(doc_id, ann_id, start, end, old)))
    for arg_id, ms, me, mt, role, _p in rows:
        m = find_mention(s, doc_id, ann_id, (ms, me, mt))
        clash = m is not None and s.execute(select(a.c.id).where(
            a.c.mention_id == m.id, a.c.role == role, a.c.start == start, a.c.end == end,
            a.c.label == new)).first() is not None
        if ((ms, me, mt), role) in gone or clash:
            s.execute(a.delete().where(a.c.id == arg_id))
        else:
            s.execute(a.update().where(a.c.id == arg_id).values(label=new))
    s.flush()
    return [x for x in links if (tuple(x["mention"]), x["role"]) in gone]
