"""Agreement on event labels, per scope ("document" or "sentence").

The value an annotator gives a unit is their *set* of labels (possibly empty); a unit in a
document the annotator has not finished is missing. Measures: Krippendorff's alpha with
the nominal distance (sets equal or not) and with the MASI distance, Fleiss' kappa on the
units every annotator finished, pairwise Cohen's kappa, percent agreement, and per label a
binary presence/absence agreement. For the per-label figure we use Krippendorff's nominal
alpha (not Fleiss' kappa) because it accepts missing values and any number of
annotators, so it uses every unit at least two annotators finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .categorical import (
    alpha,
    alpha_nominal,
    cohen_kappa,
    fleiss_kappa,
    masi_distance,
    percent_agreement,
)
from .model import DocumentUnit
from .pairs import pair_key, pairs
from .scores import undefined

SCOPES = ("document", "sentence")


@dataclass(frozen=True)
class EventUnit:
    doc_id: str
    start: int | None  # None for document scope
    end: int | None
    text: str
    values: dict[str, frozenset[str]]  # annotator -> label set, only annotators who finished


def event_units(docs: Sequence[DocumentUnit], annotators: list[str], scope: str) -> list[EventUnit]:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    units: list[EventUnit] = []
    for doc in docs:
        work = {a: doc.work[a] for a in annotators if a in doc.work}
        if scope == "document":
            values = {a: frozenset(w.doc_events) for a, w in work.items()}
            units.append(EventUnit(doc.doc_id, None, None, "", values))
            continue
        sentences = set(doc.sentences)
        for w in work.values():
            sentences.update(w.sent_events)
        for start, end in sorted(sentences):
            values = {
                a: frozenset(w.sent_events.get((start, end), frozenset())) for a, w in work.items()
            }
            units.append(EventUnit(doc.doc_id, start, end, doc.text[start:end], values))
    return units


def _cohen(units: list[EventUnit], a: str, b: str) -> dict[str, Any]:
    both = [u for u in units if a in u.values and b in u.values]
    score = cohen_kappa([u.values[a] for u in both], [u.values[b] for u in both])
    agree = sum(u.values[a] == u.values[b] for u in both)
    return {
        "kappa": score.value,
        "percent_agreement": agree / len(both) if both else None,
        "n": score.n,
        "reason": score.reason,
    }


def _fleiss(units: list[EventUnit], annotators: list[str]) -> dict[str, Any]:
    if len(annotators) < 2:
        return undefined(0, "undefined: fewer than 2 annotators").to_dict()
    complete = [u for u in units if all(a in u.values for a in annotators)]
    if not complete:
        idle = [a for a in annotators if not any(a in u.values for u in units)]
        reason = "undefined: no unit was finished by every annotator"
        if idle:
            reason += f" (nothing finished by: {', '.join(idle)})"
        return undefined(0, reason).to_dict()
    return fleiss_kappa([[u.values[a] for a in annotators] for u in complete]).to_dict()


def _per_label(units: list[EventUnit], labels: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label in labels:
        binary = [{a: label in v for a, v in u.values.items()} for u in units]
        score = alpha_nominal(binary)
        agreement = percent_agreement(binary)
        out[label] = {
            "alpha": score.value,
            "percent_agreement": agreement.value,
            "n": score.n,
            "reason": score.reason,
        }
    return out


def _disagreements(units: list[EventUnit]) -> list[dict[str, Any]]:
    out = []
    for u in units:
        if len(u.values) >= 2 and len(set(u.values.values())) > 1:
            out.append(
                {
                    "doc_id": u.doc_id,
                    "start": u.start,
                    "end": u.end,
                    "text": u.text,
                    "labels": {a: sorted(v) for a, v in u.values.items()},
                }
            )
    return out


def event_section(
    docs: Sequence[DocumentUnit], annotators: list[str], scope: str
) -> dict[str, Any]:
    units = event_units(docs, annotators, scope)
    values = [u.values for u in units]
    labels = sorted({label for v in values for s in v.values() for label in s})
    return {
        "units": len(units),
        "labels": labels,
        "alpha_nominal": alpha_nominal(values).to_dict(),
        "alpha_masi": alpha(values, masi_distance).to_dict(),
        "fleiss_kappa": _fleiss(units, annotators),
        "cohen_kappa": {pair_key(a, b): _cohen(units, a, b) for a, b in pairs(annotators)},
        "per_label": _per_label(units, labels),
        "percent_agreement": percent_agreement(values).to_dict(),
        "disagreements": _disagreements(units),
    }
