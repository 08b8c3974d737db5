"""Pairwise span agreement: precision / recall / F1 with annotator A as the reference and B
as the prediction, for exact match and for overlap match.

* exact: same start, end and label;
* overlap: same label and overlapping ranges, matched one-to-one greedily: candidate pairs
  are taken by decreasing overlap length, then by increasing boundary difference
  (|start_a - start_b| + |end_a - end_b|), then by position (deterministic), each span
  used at most once.

F1 is 2tp / (2tp + fp + fn), which equals the harmonic mean of P and R when both are
defined and is still defined when only one of them is. Precision is undefined (None) when B
marked nothing, recall when A marked nothing, F1 when neither did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import SpanAnn
from .scores import ratio


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self, n: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "n": n,
            "reason": None,
        }
        if self.f1 is None:
            out["reason"] = "undefined: neither annotator marked a span"
        elif self.precision is None:
            out["reason"] = "precision undefined: the second annotator marked no span"
        elif self.recall is None:
            out["reason"] = "recall undefined: the first annotator marked no span"
        return out


def _overlap(a: SpanAnn, b: SpanAnn) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def overlap_matches(
    ref: Iterable[SpanAnn], pred: Iterable[SpanAnn]
) -> list[tuple[SpanAnn, SpanAnn]]:
    """One-to-one greedy matching of same-label overlapping spans (see module doc)."""
    pred_by_label: dict[str, list[SpanAnn]] = {}
    for b in pred:
        pred_by_label.setdefault(b.label, []).append(b)
    candidates = []
    for a in ref:
        for b in pred_by_label.get(a.label, ()):
            ov = _overlap(a, b)
            if ov > 0:
                diff = abs(a.start - b.start) + abs(a.end - b.end)
                candidates.append((-ov, diff, a.start, a.end, b.start, b.end, a.label, a, b))
    candidates.sort(key=lambda c: c[:7])
    used_a: set[SpanAnn] = set()
    used_b: set[SpanAnn] = set()
    matches = []
    for *_key, a, b in candidates:
        if a not in used_a and b not in used_b:
            used_a.add(a)
            used_b.add(b)
            matches.append((a, b))
    return matches


def _by_label(spans: Iterable[SpanAnn]) -> dict[str, set[SpanAnn]]:
    out: dict[str, set[SpanAnn]] = {}
    for s in spans:
        out.setdefault(s.label, set()).add(s)
    return out


def doc_counts(
    ref: set[SpanAnn], pred: set[SpanAnn]
) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """Per-label exact and overlap counts for one document."""
    exact: dict[str, Counts] = {}
    overlap: dict[str, Counts] = {}
    ref_l, pred_l = _by_label(ref), _by_label(pred)
    for label in set(ref_l) | set(pred_l):
        r, p = ref_l.get(label, set()), pred_l.get(label, set())
        tp = len(r & p)
        exact[label] = Counts(tp, len(p) - tp, len(r) - tp)
        m = len(overlap_matches(r, p))
        overlap[label] = Counts(m, len(p) - m, len(r) - m)
    return exact, overlap


def _macro(per_label: dict[str, Counts], n: int) -> dict[str, Any]:
    def mean(values: list[float | None]) -> float | None:
        defined = [v for v in values if v is not None]
        return sum(defined) / len(defined) if defined else None

    counts = list(per_label.values())
    out = {
        "precision": mean([c.precision for c in counts]),
        "recall": mean([c.recall for c in counts]),
        "f1": mean([c.f1 for c in counts]),
        "labels": len(counts),
        "n": n,
        "reason": None,
    }
    if not counts:
        out["reason"] = "undefined: neither annotator marked a span"
    return out


@dataclass
class PairCounts:
    """Per-label exact and overlap counts of one annotator pair over ``n_docs`` documents."""

    exact: dict[str, Counts]
    overlap: dict[str, Counts]
    n_docs: int


def pair_counts(docs: Iterable[tuple[set[SpanAnn], set[SpanAnn]]]) -> PairCounts:
    """``docs`` yields (A's spans, B's spans) for every document both finished."""
    result = PairCounts({}, {}, 0)
    for ref, pred in docs:
        result.n_docs += 1
        e, o = doc_counts(ref, pred)
        for label, c in e.items():
            result.exact.setdefault(label, Counts()).add(c)
        for label, c in o.items():
            result.overlap.setdefault(label, Counts()).add(c)
    return result


def span_scores(counts: PairCounts) -> dict[str, Any]:
    """Micro (``exact``, ``overlap``), ``per_label`` and ``macro`` scores. ``n`` is the number
    of documents; macro averages the per-label scores over the labels either annotator used
    (a label's undefined precision or recall is left out of that average)."""
    n = counts.n_docs
    micro_e, micro_o = Counts(), Counts()
    for c in counts.exact.values():
        micro_e.add(c)
    for c in counts.overlap.values():
        micro_o.add(c)
    return {
        "exact": micro_e.to_dict(n),
        "overlap": micro_o.to_dict(n),
        "per_label": {
            label: {
                "exact": counts.exact[label].to_dict(n),
                "overlap": counts.overlap[label].to_dict(n),
            }
            for label in sorted(counts.exact)
        },
        "macro": {"exact": _macro(counts.exact, n), "overlap": _macro(counts.overlap, n)},
    }
