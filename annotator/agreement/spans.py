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

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def _greedy_count(ref: Iterable[SpanAnn], pred: Iterable[SpanAnn]) -> Counter[str]:
    """Per-label number of overlap matches (see :func:`overlap_matches`)."""
    return Counter(a.label for a, _ in overlap_matches(ref, pred))


def _add_doc(counts: PairTally, ref: set[SpanAnn], pred: set[SpanAnn], count_spans: bool) -> None:
    """Add one document's per-label counts. Exact matches are always overlap matches (a
    span's exact twin is its best candidate, and neither is any other candidate's best), so
    the greedy matching only runs on the spans left without an exact twin."""
    counts.n_docs += 1
    common = ref & pred
    if count_spans:
        counts.ref.update(s.label for s in ref)
        counts.pred.update(s.label for s in pred)
    counts.exact_tp.update(s.label for s in common)
    if len(common) < len(ref) and len(common) < len(pred):
        counts.overlap_tp.update(_greedy_count(ref - common, pred - common))


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
class PairTally:
    """Per-label span counts of A (``ref``) and B (``pred``) and their matches."""

    ref: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    exact_tp: Counter[str] = field(default_factory=Counter)
    overlap_tp: Counter[str] = field(default_factory=Counter)  # beyond the exact matches
    n_docs: int = 0

    def merge(self, other: PairTally) -> None:
        for mine, theirs in ((self.ref, other.ref), (self.pred, other.pred),
                             (self.exact_tp, other.exact_tp),
                             (self.overlap_tp, other.overlap_tp)):
            mine.update(theirs)
        self.n_docs += other.n_docs


@dataclass
class PairCounts:
    """Per-label exact and overlap counts of one annotator pair over ``n_docs`` documents."""

    exact: dict[str, Counts]
    overlap: dict[str, Counts]
    n_docs: int


def pair_tally(docs: Iterable[tuple[set[SpanAnn], set[SpanAnn]]],
               tally: PairTally | None = None, *, count_spans: bool = True) -> PairTally:
    """Add the matches of (A's spans, B's spans) of each document to ``tally`` (a new one
    when None): a corpus can be tallied a batch of documents at a time. ``count_spans``:
    also count each side's spans per label (not needed when the caller knows them)."""
    tally = PairTally() if tally is None else tally
    for ref, pred in docs:
        _add_doc(tally, ref, pred, count_spans=count_spans)
    return tally


def finish_pair_counts(
    tally: PairTally, totals: tuple[Mapping[str, int], Mapping[str, int]] | None = None
) -> PairCounts:
    """The counts of a tally; ``totals``: A's and B's spans per label, when the tally did
    not count them."""
    if totals is not None:
        tally.ref = Counter(totals[0])
        tally.pred = Counter(totals[1])
    result = PairCounts({}, {}, tally.n_docs)
    for label in sorted(tally.ref | tally.pred):
        n_ref, n_pred = tally.ref[label], tally.pred[label]
        tp = tally.exact_tp[label]
        result.exact[label] = Counts(tp, n_pred - tp, n_ref - tp)
        tp += tally.overlap_tp[label]
        result.overlap[label] = Counts(tp, n_pred - tp, n_ref - tp)
    return result


def pair_counts(
    docs: Iterable[tuple[set[SpanAnn], set[SpanAnn]]],
    totals: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
) -> PairCounts:
    """``docs`` yields (A's spans, B's spans) for every document both finished. ``totals``,
    when the caller already knows them: A's and B's number of spans per label over ``docs``."""
    return finish_pair_counts(pair_tally(docs, count_spans=totals is None), totals)


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
