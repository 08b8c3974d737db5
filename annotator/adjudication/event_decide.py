"""An adjudicator's decision on one event-mention item (see `event_mentions`), and the
state of gold's mentions it leads to. Pure.

* `choose`: take versions (several only for a trigger item);
* `reject`: take none (no mention in the cluster, no argument at the range, the attribute
  unset);
* `edit_trigger` / `edit_argument` / `edit_attribute`: what the adjudicator drew or chose.

`gold_after` turns a decision into the new state of the gold mentions it touches, each
part with its provenance (the annotators who had exactly that part).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from annotator.adjudication.decide import picked_versions
from annotator.adjudication.event_mentions import (
    KIND_ARGUMENT,
    KIND_ATTRIBUTE,
    KIND_TRIGGER,
    EventItem,
    EventOutcome,
    EventVersion,
    GoldMention,
    Mention,
    TriggerKey,
)
from annotator.adjudication.model import (
    OUTCOME_ACCEPTED,
    OUTCOME_EDITED,
    OUTCOME_REJECTED,
    RULE_ADJUDICATED,
    RULE_EDITED,
)


# --------------------------------------------------------------------- decisions
def _holders(works_versions: Sequence[EventVersion], picked: Mention) -> dict[str, Any]:
    """Who had exactly this trigger, each argument, each attribute value (among the
    versions' annotators)."""
    def names(pred: Any) -> list[str]:
        return sorted(a for v in works_versions for m in v.mentions if pred(m)
                      for a in v.annotators)

    return {
        "trigger": names(lambda m: m.key == picked.key),
        "arguments": {arg: names(lambda m, x=arg: m.key == picked.key and x in m.arguments)
                      for arg in picked.arguments},
        "attributes": {n: names(lambda m, n=n, v=v: m.key == picked.key and m.attr(n) == v)
                       for n, v in picked.attributes},
    }


def choose(item: EventItem, accepted: Sequence[int]) -> EventOutcome:
    """Take the versions at these (0-based) indices (several only for trigger items)."""
    picked, versions = picked_versions(item.versions, accepted)
    if item.kind == KIND_TRIGGER:
        chosen: dict[TriggerKey, Mention] = {}
        for v in versions:
            for m in v.mentions:
                chosen.setdefault(m.key, m)
        mentions = tuple((m, _holders(item.versions, m)) for _, m in sorted(chosen.items()))
        return EventOutcome(item.key, item.kind, OUTCOME_ACCEPTED, RULE_ADJUDICATED, picked,
                            mentions=mentions)
    if len(picked) > 1:
        raise ValueError("an argument or attribute takes one version")
    v = versions[0]
    if item.kind == KIND_ARGUMENT:
        roles = tuple((r, lab, _role_holders(item, r, lab)) for r, lab in v.roles)
        return EventOutcome(item.key, item.kind, OUTCOME_ACCEPTED, RULE_ADJUDICATED, picked,
                            roles=roles)
    return EventOutcome(item.key, item.kind, OUTCOME_ACCEPTED, RULE_ADJUDICATED, picked,
                        value=v.value, holders=v.annotators)


def _role_holders(item: EventItem, role: str, label: str) -> tuple[str, ...]:
    return tuple(sorted(a for v in item.versions if (role, label) in v.roles
                        for a in v.annotators))


def reject(item: EventItem) -> EventOutcome:
    """Take none of the versions: no mention in the cluster, no argument at the range,
    the attribute unset."""
    return EventOutcome(item.key, item.kind, OUTCOME_REJECTED, RULE_ADJUDICATED)


def edit_trigger(item: EventItem, start: int, end: int, type_: str,
                 base: int | None = None) -> EventOutcome:
    """A trigger the adjudicator drew; with `base`, the arguments and attributes of that
    version's (first) mention come with it."""
    if item.kind != KIND_TRIGGER:
        raise ValueError("only a trigger item takes a drawn trigger")
    if not 0 <= start < end:
        raise ValueError(f"bad trigger [{start}, {end})")
    m = Mention(start, end, type_)
    if base is not None:
        if not 0 <= base < len(item.versions) or not item.versions[base].mentions:
            raise ValueError(f"version {base + 1} has no mention to start from")
        b = item.versions[base].mentions[0]
        m = replace(m, attributes=b.attributes, arguments=b.arguments)
    return EventOutcome(item.key, item.kind, OUTCOME_EDITED, RULE_EDITED,
                        mentions=((m, _holders(item.versions, m)),))


def edit_argument(item: EventItem, role: str, label: str) -> EventOutcome:
    """The argument at the item's range in a role (and entity label) the adjudicator
    chose."""
    if item.kind != KIND_ARGUMENT:
        raise ValueError("only an argument item takes a role")
    return EventOutcome(item.key, item.kind, OUTCOME_EDITED, RULE_EDITED,
                        roles=((role, label, _role_holders(item, role, label)),))


def edit_attribute(item: EventItem, value: Any) -> EventOutcome:
    """The attribute set to a value the adjudicator chose."""
    if item.kind != KIND_ATTRIBUTE:
        raise ValueError("only an attribute item takes a value")
    holders = tuple(sorted(a for v in item.versions if v.value == value
                           for a in v.annotators))
    return EventOutcome(item.key, item.kind, OUTCOME_EDITED, RULE_EDITED, value=value,
                        holders=holders)


# ------------------------------------------------------------ gold's new state
def _prov(names: Sequence[str], base: Mapping[str, Any]) -> dict[str, Any]:
    return {"annotators": list(names), **base}


def gold_mention(m: Mention, holders: Mapping[str, Any], base: Mapping[str, Any]) -> GoldMention:
    """`m` as a gold mention whose parts carry provenance `base` (rule, by, at, …) and the
    annotators `holders` names for each part."""
    attrs = {n: _prov(holders.get("attributes", {}).get(n, []), base) for n, _ in m.attributes}
    return GoldMention(
        m.start, m.end, m.type, dict(m.attributes),
        tuple((r, s, e, lab, _prov(holders.get("arguments", {}).get((r, s, e, lab), []), base))
              for r, s, e, lab in m.arguments),
        {**_prov(holders.get("trigger", []), base), "attributes": attrs})


def gold_after(item: EventItem, outcome: EventOutcome, gold: Mapping[TriggerKey, GoldMention],
               base: Mapping[str, Any]) -> dict[TriggerKey, GoldMention | None]:
    """The gold mentions a decision changes: key -> new state (None: no such mention).
    Raises ValueError when an argument or attribute item's trigger is not in gold."""
    if outcome.key != item.key:
        raise ValueError("the outcome is not for this item")
    if item.kind == KIND_TRIGGER:
        out: dict[TriggerKey, GoldMention | None] = {
            m.key: None for v in item.versions for m in v.mentions if m.key in gold}
        for m, holders in outcome.mentions:
            out[m.key] = gold_mention(m, holders, base)
        return out
    assert item.mention is not None
    g = gold.get(item.mention)
    if g is None:
        s, e, t = item.mention
        raise ValueError(f"the {t} trigger [{s}, {e}) is not in gold yet (every annotator "
                         "has it: `adjudicate --auto` or opening the document takes it)")
    if item.kind == KIND_ARGUMENT:
        assert item.argument is not None
        s, e = item.argument
        args = [a for a in g.arguments if (a[1], a[2]) != (s, e)]
        args += [(r, s, e, lab, _prov(h, base)) for r, lab, h in outcome.roles]
        return {g.key: replace(g, arguments=tuple(sorted(args, key=lambda a: a[:4])))}
    assert item.attribute is not None
    name = item.attribute
    attrs = dict(g.attributes)
    provs = dict(g.provenance.get("attributes") or {})
    attrs.pop(name, None)
    provs.pop(name, None)
    if outcome.value is not None:
        attrs[name] = outcome.value
        provs[name] = _prov(outcome.holders, base)
    return {g.key: replace(g, attributes=attrs,
                           provenance={**g.provenance, "attributes": provs})}


def _trigger_prov(g: GoldMention) -> dict[str, Any]:
    return {k: v for k, v in g.provenance.items() if k != "attributes"}


def apply_change(current: GoldMention | None, frm: GoldMention | None,
                 to: GoldMention | None) -> GoldMention | None:
    """`current` with the change `frm` -> `to` of one gold mention applied part by part
    (what undo, redo and a replaced decision use): only the arguments and attributes that
    change between `frm` and `to` are touched, so the other decisions on the same mention
    (another argument, another attribute) stand."""
    if to is None:
        return None
    if frm is None or current is None:
        return to
    args = {a[:4]: a for a in current.arguments}
    kept = {a[:4]: a for a in to.arguments}
    for a in frm.arguments:
        if a[:4] not in kept:
            args.pop(a[:4], None)
    old = {a[:4]: a for a in frm.arguments}
    for k, a in kept.items():
        if old.get(k) != a:
            args[k] = a
    attrs = dict(current.attributes)
    provs = dict(current.provenance.get("attributes") or {})
    p_frm = frm.provenance.get("attributes") or {}
    p_to = to.provenance.get("attributes") or {}
    for name in set(frm.attributes) | set(to.attributes):
        if (name in frm.attributes, frm.attributes.get(name), p_frm.get(name)) == (
                name in to.attributes, to.attributes.get(name), p_to.get(name)):
            continue
        if name in to.attributes:
            attrs[name] = to.attributes[name]
            provs[name] = p_to.get(name)
        else:
            attrs.pop(name, None)
            provs.pop(name, None)
    trigger = _trigger_prov(current)
    if _trigger_prov(frm) != _trigger_prov(to):
        trigger = _trigger_prov(to)
    return GoldMention(current.start, current.end, current.type, attrs,
                       tuple(sorted(args.values(), key=lambda a: a[:4])),
                       {**trigger, "attributes": provs})
