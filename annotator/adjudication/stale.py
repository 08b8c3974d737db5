"""When gold no longer stands: an annotator changed work that gold took items from.

Gold items carry the annotators who had them (provenance ``annotators``); decisions carry
the key of the disagreement they settled (the key changes when any annotator's version
of it changes). After an annotator's change, using everyone's *current* work:

* a gold item is stale when an annotator its provenance names no longer has it;
* a decision is stale when its disagreement no longer exists as it was decided, or when
  any item it put into gold is stale. A stale decision goes with every item it wrote, so
  its disagreement is open again and is decided afresh;
* gold's document is done only when at least two annotators finished it, no annotator
  whose work stands in gold is reworking it, no disagreement is left without a decision
  and nothing all finishers agree on is missing from gold.

Plain data in, plain data out: `annotator.store.gold_sync` applies the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.adjudication.disagreements import find_disagreements
from annotator.adjudication.event_mentions import is_event_item_key
from annotator.adjudication.merge import auto_plan
from annotator.adjudication.model import DOCUMENT_UNIT, SpanT, Unit, Work

# a gold span: (start, end, label, provenance); a gold event label: (unit, label, provenance)
GoldSpan = tuple[int, int, str, Any]
GoldLabel = tuple[Unit, str, Any]


@dataclass(frozen=True)
class DecisionRef:
    """What reconciliation needs of a stored decision."""

    key: str
    spans: tuple[SpanT, ...] = ()  # the spans it put into gold
    labels: tuple[tuple[Unit, str], ...] = ()  # the event labels it put into gold
    annotators: tuple[str, ...] = ()  # the annotators of the versions it accepted


@dataclass
class Staleness:
    spans: set[SpanT] = field(default_factory=set)  # gold spans to remove
    labels: set[tuple[Unit, str]] = field(default_factory=set)  # gold labels to remove
    decisions: set[str] = field(default_factory=set)  # decision keys to drop

    @property
    def any(self) -> bool:
        return bool(self.spans or self.labels or self.decisions)


def _named(provenance: Any) -> tuple[str, ...]:
    if isinstance(provenance, dict):
        names = provenance.get("annotators")
        if isinstance(names, list):
            return tuple(str(n) for n in names)
    return ()


def participants(finishers: Iterable[str], gold_spans: Iterable[GoldSpan],
                 gold_labels: Iterable[GoldLabel],
                 decisions: Iterable[DecisionRef]) -> set[str]:
    """Whose work the document's gold rests on: the finishers, and everyone named in a
    gold item or a decision (they may be reworking the document now)."""
    out = set(finishers)
    for *_, prov in gold_spans:
        out.update(_named(prov))
    for *_, prov in gold_labels:
        out.update(_named(prov))
    for d in decisions:
        out.update(d.annotators)
    return out


def find_stale(works: Mapping[str, Work], gold_spans: Iterable[GoldSpan],
               gold_labels: Iterable[GoldLabel],
               decisions: Iterable[DecisionRef]) -> Staleness:
    """What of gold no longer stands on `works` (the participants' current work)."""
    out = Staleness()
    empty = Work()
    for start, end, label, prov in gold_spans:
        span = (start, end, label)
        if any(span not in works.get(n, empty).spans for n in _named(prov)):
            out.spans.add(span)
    for unit, label, prov in gold_labels:
        if any(label not in works.get(n, empty).labels(unit) for n in _named(prov)):
            out.labels.add((unit, label))
    live = {d.key for d in find_disagreements(works)} if len(works) >= 2 else set()
    for d in decisions:
        # a decision on an event-mention item is not a span or event-label disagreement
        if ((d.key not in live and not is_event_item_key(d.key))
                or out.spans.intersection(d.spans)
                or out.labels.intersection(d.labels)):
            out.decisions.add(d.key)
            out.spans.update(d.spans)
            out.labels.update(d.labels)
    return out


def gold_done(finisher_works: Mapping[str, Work], participants_: Iterable[str],
              gold: Work, decided: Iterable[str]) -> bool:
    """Whether gold's document may be done (see the module's rule)."""
    if len(finisher_works) < 2 or not set(participants_) <= set(finisher_works):
        return False
    keys = set(decided)
    if any(d.key not in keys for d in find_disagreements(finisher_works)):
        return False
    return auto_plan(finisher_works, gold).count == 0


def unit_of(scope: str, start: int | None, end: int | None) -> Unit:
    return DOCUMENT_UNIT if scope == "document" else (scope, start, end)
