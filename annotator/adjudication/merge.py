"""The unanimous rule: what every annotator of a document marked goes into gold as it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from annotator.adjudication.model import SpanT, Unit, Work


@dataclass(frozen=True)
class Agreed:
    """Items every annotator has: spans, and event labels per unit."""

    spans: frozenset[SpanT] = frozenset()
    events: Mapping[Unit, frozenset[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.spans) + sum(len(v) for v in self.events.values())


def agreed_items(works: Mapping[str, Work]) -> Agreed:
    """The spans and event labels all of `works` share (nothing for fewer than two)."""
    names = sorted(works)
    if len(names) < 2:
        return Agreed()
    spans = frozenset.intersection(*(works[n].spans for n in names))
    units = set.intersection(*(set(works[n].events) for n in names))
    events: dict[Unit, frozenset[str]] = {}
    for unit in units:
        labels = frozenset.intersection(*(works[n].labels(unit) for n in names))
        if labels:
            events[unit] = labels
    return Agreed(spans, events)


def auto_plan(works: Mapping[str, Work], gold: Work) -> Agreed:
    """The agreed items gold does not hold yet (what `adjudicate --auto` adds)."""
    agreed = agreed_items(works)
    events = {
        unit: labels - gold.labels(unit)
        for unit, labels in agreed.events.items()
        if labels - gold.labels(unit)
    }
    return Agreed(agreed.spans - gold.spans, events)
