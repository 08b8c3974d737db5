"""The unanimous rule for gold's event mentions (issue 13): `adjudicate --auto` and opening
a document take the triggers every finisher has, with the arguments and attribute values
they all share (`annotator.adjudication.event_mentions.auto_changes`). `gold_auto` calls
`pending_mention_docs` in its unlocked read and `merge_mentions` inside each short write
transaction: a few set-based queries per batch of documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

from annotator.adjudication.event_decide import gold_mention
from annotator.adjudication.event_mentions import GoldMention, Mention, auto_changes
from annotator.adjudication.model import RULE_UNANIMOUS
from annotator.store.gold_events import _set_mention, read_mentions, snapshot


def _mention_of(g: GoldMention) -> Mention:
    return Mention(g.start, g.end, g.type, tuple(sorted(g.attributes.items())),
                   tuple(sorted(a[:4] for a in g.arguments)))  # type: ignore[misc]


def pending_mention_docs(conn: Connection, doc_ids: Sequence[int],
                         gold_id: int | None) -> set[int]:
    """The documents of `doc_ids` where finishers agree on event-mention items gold lacks
    (read without a lock; `merge_mentions` re-reads under it)."""
    states = read_mentions(conn, doc_ids, gold_id)
    return {d for d, st in states.items()
            if auto_changes(st.works, [_mention_of(g) for g in st.gold.values()])}


def _merged(g: GoldMention | None, change: Any, prov: dict[str, Any]) -> GoldMention:
    """Gold's mention with the unanimous change applied."""
    holders = {"trigger": prov["annotators"],
               "arguments": {a: prov["annotators"] for a in change.arguments},
               "attributes": {n: prov["annotators"] for n, _ in change.attributes}}
    base = {k: v for k, v in prov.items() if k != "annotators"}
    if g is None:
        return gold_mention(change.mention, holders, base)
    part = gold_mention(Mention(g.start, g.end, g.type, change.attributes, change.arguments),
                        holders, base)
    attrs = {**g.attributes, **part.attributes}
    provs = {**(g.provenance.get("attributes") or {}), **part.provenance["attributes"]}
    return GoldMention(g.start, g.end, g.type, attrs,
                       tuple(sorted(g.arguments + part.arguments, key=lambda a: a[:4])),
                       {**g.provenance, "attributes": provs})


def merge_mentions(conn: Connection, gold_id: int, doc_ids: Iterable[int], by: str,
                   at: str) -> dict[int, tuple[dict[str, Any], int]]:
    """Take into gold the event-mention items all finishers of each document agree on
    (inside the caller's write transaction; `at`: the ISO time their provenance gives).
    Returns, per document changed, the action payload part (``{"before": [...],
    "after": [...]}``) and the number of items taken."""
    ids = list(doc_ids)
    if not ids:
        return {}
    states = read_mentions(conn, ids, gold_id)
    out: dict[int, tuple[dict[str, Any], int]] = {}
    with Session(bind=conn) as s:
        for doc_id, st in states.items():
            changes = auto_changes(st.works, [_mention_of(g) for g in st.gold.values()])
            if not changes:
                continue
            prov = {"annotators": sorted(st.views), "rule": RULE_UNANIMOUS, "by": by,
                    "at": at}
            before, after = [], []
            for change in changes:
                key = change.mention.key
                old = st.gold.get(key)
                new = _merged(old, change, prov)
                _set_mention(s, doc_id, gold_id, key, new)
                before.append({"key": list(key), "mention": snapshot(old)})
                after.append({"key": list(key), "mention": snapshot(new)})
            out[doc_id] = ({"before": before, "after": after},
                           sum(c.count for c in changes))
        s.flush()
    return out
