"""An adjudicator's choice on one disagreement, as the gold items it writes.

* `choose`: take one or several versions (their union);
* `reject`: take none (for an event unit, gold keeps only the labels all annotators gave);
* `edit`: take a span the adjudicator drew (spans only).

Each gold item carries the annotators who had exactly that item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from annotator.adjudication.model import (
    OUTCOME_ACCEPTED,
    OUTCOME_EDITED,
    OUTCOME_REJECTED,
    RULE_ADJUDICATED,
    RULE_EDITED,
    Disagreement,
    Outcome,
    SpanT,
)


def _event_outcome(item: Disagreement, labels: set[str], outcome: str,
                   accepted: tuple[int, ...]) -> Outcome:
    return Outcome(
        key=item.key, outcome=outcome, rule=RULE_ADJUDICATED, accepted=accepted,
        labels=tuple((lab, item.holders_of_label(lab)) for lab in sorted(labels)),
        unit=item.unit,
    )


T = TypeVar("T")


def picked_versions(versions: Sequence[T], accepted: Sequence[int]) -> tuple[tuple[int, ...],
                                                                             list[T]]:
    """The (0-based) indices chosen, sorted and checked, and those versions."""
    picked = tuple(sorted(set(accepted)))
    if not picked:
        raise ValueError("choose at least one version (or reject all)")
    for i in picked:
        if not 0 <= i < len(versions):
            raise ValueError(f"there is no version {i + 1} (this item has "
                             f"{len(versions)})")
    return picked, [versions[i] for i in picked]


def choose(item: Disagreement, accepted: Sequence[int]) -> Outcome:
    """Take the versions at these (0-based) indices."""
    picked, versions = picked_versions(item.versions, accepted)
    if item.is_event:
        labels = set(item.agreed).union(*(v.labels for v in versions))
        return _event_outcome(item, labels, OUTCOME_ACCEPTED, picked)
    spans = sorted(set().union(*(v.spans for v in versions)))
    return Outcome(
        key=item.key, outcome=OUTCOME_ACCEPTED, rule=RULE_ADJUDICATED, accepted=picked,
        spans=tuple((s, item.holders_of_span(s)) for s in spans),
    )


def reject(item: Disagreement) -> Outcome:
    """Take none of the versions."""
    if item.is_event:
        return _event_outcome(item, set(item.agreed), OUTCOME_REJECTED, ())
    return Outcome(key=item.key, outcome=OUTCOME_REJECTED, rule=RULE_ADJUDICATED)


def edit(item: Disagreement, span: SpanT) -> Outcome:
    """Take a span the adjudicator drew (e.g. a version with an edge moved)."""
    if item.is_event:
        raise ValueError("an event label disagreement is decided by taking versions")
    start, end, _label = span
    if not 0 <= start < end:
        raise ValueError(f"bad span [{start}, {end})")
    return Outcome(
        key=item.key, outcome=OUTCOME_EDITED, rule=RULE_EDITED,
        spans=((span, item.holders_of_span(span)),),
    )
