"""Agreement on event labels, per scope ("document" or "sentence").

The value an annotator gives a unit is their *set* of labels (possibly empty); a unit in a
document the annotator has not finished is missing. Measures: Krippendorff's alpha with
the nominal distance (sets equal or not) and with the MASI distance, Fleiss' kappa on the
units every annotator finished, pairwise Cohen's kappa, percent agreement, and per label a
binary presence/absence agreement. For the per-label figure we use Krippendorff's nominal
alpha (not Fleiss' kappa) because it accepts missing values and any number of
annotators, so it uses every unit at least two annotators finished.

Units are counted by *pattern* (the tuple of every annotator's value, None when missing):
a corpus has far fewer patterns than units, and every measure only depends on how many
units show each pattern. Per label, a pattern reduces to (coders, coders with the label).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .categorical import (
    alpha,
    cohen_kappa,
    fleiss_kappa,
    masi_distance,
    nominal_distance,
    percent_agreement,
)
from .model import DocumentUnit
from .pairs import pair_key, pairs
from .scores import undefined

SCOPES = ("document", "sentence")

Pattern = tuple[frozenset[str] | None, ...]  # one value per annotator, None when missing


class EventUnit(NamedTuple):
    doc_id: str
    start: int | None  # None for document scope
    end: int | None
    values: dict[str, frozenset[str]]  # annotator -> label set, only annotators who finished


@dataclass
class EventTally:
    """Unit patterns, and the units whose labels differ: the first ``limit`` listed (None:
    all), every one counted (``per_doc``: how many in each document)."""

    patterns: Counter[Pattern]
    disagreements: list[dict[str, Any]]
    units: int
    limit: int | None = None
    per_doc: Counter[str] = field(default_factory=Counter)

    @property
    def disagreements_total(self) -> int:
        return sum(self.per_doc.values())

    def full(self) -> bool:
        return self.limit is not None and len(self.disagreements) >= self.limit

    def merge(self, other: EventTally) -> None:
        """Add a later batch's tally (its disagreements come after these)."""
        self.patterns.update(other.patterns)
        self.disagreements.extend(other.disagreements)
        if self.limit is not None:
            del self.disagreements[self.limit:]
        self.per_doc.update(other.per_doc)
        self.units += other.units


def _disagreement(doc: DocumentUnit, unit: EventUnit) -> dict[str, Any]:
    text = "" if unit.start is None else doc.text[unit.start : unit.end]
    return {
        "doc_id": unit.doc_id,
        "start": unit.start,
        "end": unit.end,
        "text": text,
        "labels": {a: sorted(v) for a, v in unit.values.items()},
    }


def event_tally(docs: Sequence[DocumentUnit], annotators: list[str], scope: str,
                tally: EventTally | None = None, *, limit: int | None = None) -> EventTally:
    """Add the event units of ``docs`` to ``tally`` (a new one listing at most ``limit``
    disagreements when None): a corpus can be tallied a batch of documents at a time. The
    sentences no annotator labelled are counted at once (their pattern is every finished
    annotator's empty set)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    tally = EventTally(Counter(), [], 0, limit) if tally is None else tally
    per_doc = tally.per_doc
    patterns, empty = tally.patterns, frozenset[str]()
    for doc in docs:
        works = [doc.work.get(a) for a in annotators]
        if scope == "document":
            units = [(None, None)]
            values = [[None if w is None else frozenset(w.doc_events) for w in works]]
        else:
            labelled = set().union(*(w.sent_events for w in works if w is not None))
            quiet = len(set(doc.sentences) - labelled)
            if quiet:
                patterns[tuple(None if w is None else empty for w in works)] += quiet
                tally.units += quiet
            units = sorted(labelled)
            values = [[None if w is None else frozenset(w.sent_events.get(u, empty))
                       for w in works] for u in units]
        tally.units += len(units)
        for (start, end), pattern in zip(units, values, strict=True):
            patterns[tuple(pattern)] += 1
            given = [v for v in pattern if v is not None]
            if len(given) >= 2 and any(v != given[0] for v in given):
                per_doc[doc.doc_id] += 1
                if tally.full():
                    continue
                tally.disagreements.append(_disagreement(doc, EventUnit(
                    doc.doc_id, start, end,
                    {a: v for a, v in zip(annotators, pattern, strict=True)
                     if v is not None})))
    return tally


def _values(pattern: Pattern, annotators: list[str]) -> dict[str, frozenset[str]]:
    return {a: v for a, v in zip(annotators, pattern, strict=True) if v is not None}


def _cohen(patterns: Counter[Pattern], i: int, j: int) -> dict[str, Any]:
    both = [(p[i], p[j], w) for p, w in patterns.items() if p[i] is not None and p[j] is not None]
    score = cohen_kappa([x for x, _, _ in both], [y for _, y, _ in both], [w for *_, w in both])
    n = sum(w for *_, w in both)
    agree = sum(w for x, y, w in both if x == y)
    return {
        "kappa": score.value,
        "percent_agreement": agree / n if n else None,
        "n": score.n,
        "reason": score.reason,
    }


def _fleiss(patterns: Counter[Pattern], annotators: list[str]) -> dict[str, Any]:
    if len(annotators) < 2:
        return undefined(0, "undefined: fewer than 2 annotators").to_dict()
    complete = [(p, w) for p, w in patterns.items() if all(v is not None for v in p)]
    if not complete:
        idle = [a for i, a in enumerate(annotators) if all(p[i] is None for p in patterns)]
        reason = "undefined: no unit was finished by every annotator"
        if idle:
            reason += f" (nothing finished by: {', '.join(idle)})"
        return undefined(0, reason).to_dict()
    return fleiss_kappa([list(p) for p, _ in complete], [w for _, w in complete]).to_dict()


def _presence(patterns: Counter[Pattern], label: str) -> Counter[tuple[int, int]]:
    """How many units have m coders of whom k marked ``label``, per (m, k)."""
    out: Counter[tuple[int, int]] = Counter()
    for p, w in patterns.items():
        values = [v for v in p if v is not None]
        out[len(values), sum(label in v for v in values)] += w
    return out


def _per_label(patterns: Counter[Pattern], labels: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label in labels:
        counts = _presence(patterns, label)
        binary = [{i: i < k for i in range(m)} for m, k in counts]
        weights = list(counts.values())
        score = alpha(binary, nominal_distance, weights)
        agreement = percent_agreement(binary, weights)
        out[label] = {
            "alpha": score.value,
            "percent_agreement": agreement.value,
            "n": score.n,
            "reason": score.reason,
        }
    return out


def event_section(
    docs: Sequence[DocumentUnit], annotators: list[str], scope: str
) -> dict[str, Any]:
    return event_section_of(event_tally(docs, annotators, scope), annotators)


def event_section_of(tally: EventTally, annotators: list[str]) -> dict[str, Any]:
    patterns = tally.patterns
    values = [_values(p, annotators) for p in patterns]
    weights = list(patterns.values())
    labels = sorted({label for p in patterns for s in p if s is not None for label in s})
    index = {a: i for i, a in enumerate(annotators)}
    return {
        "units": tally.units,
        "labels": labels,
        "alpha_nominal": alpha(values, nominal_distance, weights).to_dict(),
        "alpha_masi": alpha(values, masi_distance, weights).to_dict(),
        "fleiss_kappa": _fleiss(patterns, annotators),
        "cohen_kappa": {
            pair_key(a, b): _cohen(patterns, index[a], index[b]) for a, b in pairs(annotators)
        },
        "per_label": _per_label(patterns, labels),
        "percent_agreement": percent_agreement(values, weights).to_dict(),
        "disagreements": tally.disagreements,
        "disagreements_total": tally.disagreements_total,
    }
