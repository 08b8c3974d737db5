"""Adjudication of structured event mentions (issue 13): pure, plain data in and out.

What the annotators who finished a document did with event mentions becomes items to
decide, as spans do:

* **trigger** items (kind ``event_trigger``): the triggers (start, end, type) not every
  annotator has, grouped when their ranges overlap; a version is an annotator's whole
  mentions there (trigger, type, arguments, attributes). Accepting versions puts those
  mentions into gold; editing draws a trigger (range and type, optionally with the
  arguments and attributes of one version); rejecting puts none;
* on a trigger every annotator has (same range and type), **argument** items (kind
  ``event_argument``): one per argument range where the annotators' (role, label) differ
  (a version: an annotator's roles on that range, empty when it is no argument of theirs);
  accept a version, edit (a role and label of the adjudicator's), or reject (no argument
  there);
* **attribute** items (kind ``event_attribute``): one per attribute whose values differ;
  accept a version, edit (a value), reject (gold leaves the attribute unset).

The unanimous rule (`agreed_mentions`, `auto_changes`): a trigger every finisher has goes
into gold with the arguments and attribute values they all share. Decisions are made in
`event_decide`.

An item's key changes whenever any annotator's version of it changes (as span keys do),
so a decision never covers work it did not see. Gold's state of one mention is a
`GoldMention` (what the store writes); provenance names the annotators who had each part.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.agreement.clusters import overlap_clusters
from annotator.events_model import MentionView

KIND_TRIGGER = "event_trigger"
KIND_ARGUMENT = "event_argument"
KIND_ATTRIBUTE = "event_attribute"
EVENT_ITEM_KINDS = (KIND_TRIGGER, KIND_ARGUMENT, KIND_ATTRIBUTE)
KEY_PREFIXES = ("mention:", "argument:", "attribute:")

TriggerKey = tuple[int, int, str]  # (start, end, type)
ArgT = tuple[str, int, int, str]  # (role, start, end, label)


@dataclass(frozen=True)
class Mention:
    """One annotator's mention as plain comparable data."""

    start: int
    end: int
    type: str
    attributes: tuple[tuple[str, Any], ...] = ()  # sorted (name, value)
    arguments: tuple[ArgT, ...] = ()  # sorted

    @property
    def key(self) -> TriggerKey:
        return (self.start, self.end, self.type)

    @classmethod
    def of(cls, view: MentionView) -> Mention:
        return cls(view.start, view.end, view.type,
                   tuple(sorted(view.attributes.items())),
                   tuple(sorted((a.role, a.start, a.end, a.label) for a in view.arguments)))

    def attr(self, name: str) -> Any:
        return dict(self.attributes).get(name)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "type": self.type,
                "attributes": dict(self.attributes),
                "arguments": [{"role": r, "start": s, "end": e, "label": lab}
                              for r, s, e, lab in self.arguments]}


Works = Mapping[str, Sequence[Mention]]


def works_of(views: Mapping[str, Sequence[MentionView]]) -> dict[str, tuple[Mention, ...]]:
    """Annotator -> their mentions as `Mention`s (from the store's `MentionView`s)."""
    return {a: tuple(sorted((Mention.of(v) for v in vs), key=lambda m: m.key))
            for a, vs in views.items()}


@dataclass(frozen=True)
class EventVersion:
    """One way the annotators did an item; annotators who did it the same way share it."""

    annotators: tuple[str, ...]
    mentions: tuple[Mention, ...] = ()  # trigger items
    roles: tuple[tuple[str, str], ...] = ()  # argument items: (role, label)
    value: Any = None  # attribute items (None: not set)

    @property
    def empty(self) -> bool:
        return not self.mentions and not self.roles and self.value is None


@dataclass(frozen=True)
class EventItem:
    """One event-mention item to adjudicate. `start`/`end`: the trigger (cluster) extent;
    `mention`: the agreed trigger an argument or attribute item belongs to; `argument`:
    the argument's range; `attribute`: the attribute's name."""

    key: str
    kind: str
    start: int
    end: int
    versions: tuple[EventVersion, ...]
    mention: TriggerKey | None = None
    argument: tuple[int, int] | None = None
    attribute: str | None = None

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(sorted(a for v in self.versions for a in v.annotators))


@dataclass(frozen=True)
class GoldMention:
    """Gold's state of one mention: what the store writes, with provenance per part
    (``provenance``: the trigger's, with ``attributes``: {name: provenance}; each
    argument ``(role, start, end, label, provenance)``)."""

    start: int
    end: int
    type: str
    attributes: dict[str, Any] = field(default_factory=dict)
    arguments: tuple[tuple[str, int, int, str, dict[str, Any]], ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> TriggerKey:
        return (self.start, self.end, self.type)


@dataclass(frozen=True)
class EventOutcome:
    """An adjudicator's decision on one item. Trigger items: `mentions` replace the
    cluster's gold mentions; argument items: `roles` (role, label, holders) are gold's
    arguments at the item's range; attribute items: `value` (None: unset) with holders."""

    key: str
    kind: str
    outcome: str  # accepted | rejected | edited
    rule: str
    accepted: tuple[int, ...] = ()
    mentions: tuple[tuple[Mention, dict[str, Any]], ...] = ()  # (mention, holders per part)
    roles: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    value: Any = None
    holders: tuple[str, ...] = ()


# ------------------------------------------------------------------ finding items
def _digest(payload: object) -> str:
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                     default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def _group(values: Mapping[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    """Annotators grouped by equal value, groups in the order of their first annotator."""
    groups: dict[str, tuple[list[str], Any]] = {}
    for name in sorted(values):
        k = repr(values[name])
        groups.setdefault(k, ([], values[name]))[0].append(name)
    return [(tuple(names), value) for names, value in groups.values()]


def _content(versions: Sequence[EventVersion]) -> list[Any]:
    return [[list(v.annotators), [m.to_dict() for m in v.mentions], list(v.roles),
             v.value] for v in versions]


def _by_key(works: Works) -> dict[str, dict[TriggerKey, Mention]]:
    return {a: {m.key: m for m in ms} for a, ms in works.items()}


def _agreed_keys(works: Works) -> set[TriggerKey]:
    keys = [set(m.key for m in ms) for ms in works.values()]
    return set.intersection(*keys) if keys else set()


def _trigger_items(works: Works) -> list[EventItem]:
    agreed = _agreed_keys(works)
    every = {m.key for ms in works.values() for m in ms}
    out = []
    for cluster in overlap_clusters(every - agreed):
        members = set(cluster)
        mine = {a: tuple(m for m in ms if m.key in members) for a, ms in works.items()}
        versions = tuple(EventVersion(names, mentions=ms) for names, ms in _group(mine))
        start, end = min(c[0] for c in cluster), max(c[1] for c in cluster)
        out.append(EventItem(f"mention:{start}-{end}:{_digest(_content(versions))}",
                             KIND_TRIGGER, start, end, versions))
    return out


def _structure_items(works: Works, key: TriggerKey) -> list[EventItem]:
    by_key = _by_key(works)
    ms = {a: by_key[a][key] for a in works}
    start, end, typ = key
    out = []
    ranges = sorted({(s, e) for m in ms.values() for _, s, e, _ in m.arguments})
    for s, e in ranges:
        roles = {a: tuple(sorted((r, lab) for r, s2, e2, lab in m.arguments
                                 if (s2, e2) == (s, e))) for a, m in ms.items()}
        if len(set(roles.values())) == 1:
            continue
        versions = tuple(EventVersion(n, roles=v) for n, v in _group(roles))
        out.append(EventItem(
            f"argument:{start}-{end}:{typ}:{s}-{e}:{_digest(_content(versions))}",
            KIND_ARGUMENT, start, end, versions, mention=key, argument=(s, e)))
    for name in sorted({n for m in ms.values() for n, _ in m.attributes}):
        values = {a: m.attr(name) for a, m in ms.items()}
        if len({repr(v) for v in values.values()}) == 1:
            continue
        versions = tuple(EventVersion(n, value=v) for n, v in _group(values))
        out.append(EventItem(
            f"attribute:{start}-{end}:{typ}:{name}:{_digest(_content(versions))}",
            KIND_ATTRIBUTE, start, end, versions, mention=key, attribute=name))
    return out


def find_event_items(works: Works) -> list[EventItem]:
    """Every event-mention item of one document among `works` (its finishers), in reading
    order: by trigger start, a trigger's own items after the disputed triggers there."""
    if len(works) < 2:
        return []
    items = _trigger_items(works)
    for key in sorted(_agreed_keys(works)):
        items += _structure_items(works, key)
    order = {KIND_TRIGGER: 0, KIND_ARGUMENT: 1, KIND_ATTRIBUTE: 2}
    return sorted(items, key=lambda i: (i.start, i.end, order[i.kind], i.key))


def is_event_item_key(key: str) -> bool:
    return key.startswith(KEY_PREFIXES)


# ---------------------------------------------------------------- unanimous rule
def agreed_mentions(works: Works) -> list[Mention]:
    """The triggers every finisher has, each with the arguments and attribute values they
    all share (nothing for fewer than two)."""
    if len(works) < 2:
        return []
    by_key = _by_key(works)
    out = []
    for key in sorted(_agreed_keys(works)):
        ms = [by_key[a][key] for a in sorted(works)]
        args = set.intersection(*(set(m.arguments) for m in ms))
        attrs = set.intersection(*(set(m.attributes) for m in ms))
        out.append(Mention(*key, tuple(sorted(attrs)), tuple(sorted(args))))
    return out


@dataclass(frozen=True)
class AutoChange:
    """What the unanimous rule adds to one gold mention: the whole mention (`new`), or
    the agreed arguments and attribute values gold lacks."""

    mention: Mention
    new: bool
    arguments: tuple[ArgT, ...] = ()
    attributes: tuple[tuple[str, Any], ...] = ()

    @property
    def count(self) -> int:
        return int(self.new) + len(self.arguments) + len(self.attributes)


def auto_changes(works: Works, gold: Sequence[Mention]) -> list[AutoChange]:
    """The agreed items gold does not hold yet. An attribute gold has a value for (an
    adjudicator's decision) is left as it is."""
    have = {m.key: m for m in gold}
    out = []
    for m in agreed_mentions(works):
        g = have.get(m.key)
        if g is None:
            out.append(AutoChange(m, True, m.arguments, m.attributes))
            continue
        args = tuple(a for a in m.arguments if a not in set(g.arguments))
        named = {n for n, _ in g.attributes}
        attrs = tuple((n, v) for n, v in m.attributes if n not in named)
        if args or attrs:
            out.append(AutoChange(m, False, args, attrs))
    return out
