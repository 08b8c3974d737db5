"""When gold's event mentions no longer stand (issue 13): the `stale` rules for mentions.

After an annotator's change, using the participants' *current* work (the finishers, and
everyone gold's provenance or a decision names):

* a gold trigger, argument or attribute value is stale when an annotator its provenance
  names no longer has exactly it (a trigger going takes its arguments along);
* a decision on an event-mention item is stale when its item no longer exists as it was
  decided; a stale decision goes with every part it wrote (provenance ``item``), so the
  item is open again and decided afresh.

Plain data in and out: `annotator.store.gold_events_follow` applies the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from annotator.adjudication.event_mentions import (
    GoldMention,
    Mention,
    TriggerKey,
    Works,
    find_event_items,
    is_event_item_key,
)


def _names(prov: Any) -> list[str]:
    if isinstance(prov, dict) and isinstance(prov.get("annotators"), list):
        return [str(n) for n in prov["annotators"]]
    return []


def _item(prov: Any) -> Any:
    return prov.get("item") if isinstance(prov, dict) else None


def named(gold: Iterable[GoldMention]) -> set[str]:
    """Everyone gold's mentions name in their provenance."""
    out: set[str] = set()
    for g in gold:
        out.update(_names(g.provenance))
        for prov in (g.provenance.get("attributes") or {}).values():
            out.update(_names(prov))
        for *_, prov in g.arguments:
            out.update(_names(prov))
    return out


def stale_event_decisions(works: Works, keys: Iterable[str]) -> set[str]:
    """The event-item decision keys (of `keys`) whose item is gone."""
    live = {i.key for i in find_event_items(works)} if len(works) >= 2 else set()
    return {k for k in keys if is_event_item_key(k) and k not in live}


def followed(works: Works, gold: Mapping[TriggerKey, GoldMention],
             stale: set[str]) -> dict[TriggerKey, GoldMention | None]:
    """The gold mentions that change (key -> new state, None: gone) given the
    participants' `works` and the `stale` decision keys."""
    mine: dict[str, dict[TriggerKey, Mention]] = {
        n: {m.key: m for m in ms} for n, ms in works.items()}

    def has(name: str, key: TriggerKey) -> Mention | None:
        return mine.get(name, {}).get(key)

    out: dict[TriggerKey, GoldMention | None] = {}
    for key, g in gold.items():
        if _item(g.provenance) in stale or any(
                has(n, key) is None for n in _names(g.provenance)):
            out[key] = None
            continue
        args = tuple(a for a in g.arguments if _item(a[4]) not in stale and all(
            a[:4] in (has(n, key).arguments  # type: ignore[union-attr]
                      if has(n, key) is not None else ()) for n in _names(a[4])))
        provs = dict(g.provenance.get("attributes") or {})
        attrs = dict(g.attributes)
        for name in list(attrs):
            prov = provs.get(name)
            if _item(prov) in stale or any(
                    has(n, key) is None or has(n, key).attr(name) != attrs[name]  # type: ignore[union-attr]
                    for n in _names(prov)):
                attrs.pop(name)
                provs.pop(name, None)
        new = replace(g, attributes=attrs, arguments=args,
                      provenance={**g.provenance, "attributes": provs})
        if new != g:
            out[key] = new
    return out
