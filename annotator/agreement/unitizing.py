"""Krippendorff's unitizing alpha (alpha_U) for m coders on one continuum.

Krippendorff, K. (1995) "On the reliability of unitizing contiguous data", and (2004)
*Content Analysis*, 2nd ed., pp. 251-256 ("Measuring the reliability of ... unitizing");
the multi-coder form is the one of DKPro Agreement's KrippendorffAlphaUnitizingAgreement.

Per category c, each coder's continuum [begin, begin + length) is a sequence of segments:
units of c and gaps between them. For two segments g (coder i) and h (coder j) that overlap:

* both units: (start_g - start_h)^2 + (end_g - end_h)^2
* a unit lying inside the other coder's gap: its length squared
* otherwise 0.

D_o(c) = 2 * sum over coder pairs / (m (m - 1) L^2); D_e(c) considers every placement of every
unit in every gap (see ``_expected``). alpha_U(c) = 1 - D_o(c) / D_e(c) and the overall
alpha_U = 1 - sum_c D_o(c) / sum_c D_e(c).

A coder's overlapping units of one category are merged into their union first (alpha_U
assumes a coder's units of one category do not overlap).

The sums are computed with numpy over whole arrays of units and kept exact (integers).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .scores import Score, undefined


@dataclass(frozen=True)
class UnitizingAlpha:
    overall: Score
    per_label: dict[str, Score]
    observed: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CoderUnits:
    """One coder's units as arrays: ``starts``, ``ends`` (exclusive) and ``labels`` (indices
    into the label names passed alongside)."""

    starts: np.ndarray
    ends: np.ndarray
    labels: np.ndarray


Intervals = tuple[np.ndarray, np.ndarray]  # sorted, disjoint (starts, ends)


def _merged(starts: np.ndarray, ends: np.ndarray, begin: int, end: int) -> Intervals:
    """Units clipped to [begin, end), empty ones dropped, overlapping ones merged."""
    s, e = np.maximum(starts, begin), np.minimum(ends, end)
    keep = e > s
    s, e = s[keep], e[keep]
    order = np.lexsort((e, s))
    s, e = s[order], e[order]
    if len(s) == 0:
        return s, e
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] >= reach[:-1]  # touching units stay apart
    firsts = np.flatnonzero(new)
    lasts = np.append(firsts[1:] - 1, len(s) - 1)
    return s[firsts], reach[lasts]


def _gaps(units: Intervals, begin: int, end: int) -> np.ndarray:
    """Lengths of the (non-empty) gaps between a coder's units."""
    s, e = units
    gaps = np.concatenate(
        (
            [s[0] - begin] if len(s) else [end - begin],
            s[1:] - e[:-1],
            [end - e[-1]] if len(s) else [],
        )
    )
    return gaps[gaps > 0].astype(np.int64)


def _alone(a: Intervals, b: Intervals) -> tuple[int, np.ndarray, np.ndarray]:
    """Sum of squared lengths of a's units that overlap none of b's units (they lie inside
    one of b's gaps), and the (a, b) index pairs of overlapping units."""
    lo = np.searchsorted(b[1], a[0], side="right")  # first b unit ending after a starts
    hi = np.maximum(np.searchsorted(b[0], a[1], side="left"), lo)  # first starting at a's end
    lengths = (a[1] - a[0])[hi == lo]
    counts = hi - lo
    ia = np.repeat(np.arange(len(lo)), counts)
    ib = np.arange(int(counts.sum())) - (np.cumsum(counts) - counts)[ia] + lo[ia]
    return int(np.sum(lengths * lengths)), ia, ib


def _pair_disagreement(a: Intervals, b: Intervals) -> int:
    """Sum of distances over overlapping segment pairs of two coders: overlapping units,
    plus every unit inside the other coder's gap."""
    alone_a, ia, ib = _alone(a, b)
    alone_b, _, _ = _alone(b, a)
    ds, de = a[0][ia] - b[0][ib], a[1][ia] - b[1][ib]
    return alone_a + alone_b + int(np.sum(ds * ds + de * de))


def _expected(unit_lengths: np.ndarray, gap_lengths: np.ndarray, m: int, length: int) -> float:
    n_c = len(unit_lengths)
    gaps = np.sort(gap_lengths)
    suffix = np.append(np.cumsum(gaps[::-1])[::-1], 0)  # suffix[k] = sum(gaps[k:])
    values, counts = np.unique(unit_lengths, return_counts=True)
    ks = np.searchsorted(gaps, values, side="left")
    numerator3 = 0  # 3 x the numerator, kept in (Python) integers
    denominator = m * length * (m * length - 1)
    for ln, count, k in zip(values.tolist(), counts.tolist(), ks.tolist(), strict=True):
        within_units = (n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln)
        placements = int(suffix[k]) - (ln - 1) * (len(gaps) - k)  # sum over gaps >= ln
        numerator3 += count * (within_units + 3 * ln * ln * placements)
        denominator -= count * ln * (ln - 1)
    if denominator <= 0:
        return 0.0
    return 2 * numerator3 / (3 * length * denominator)


def unitizing_alpha_arrays(
    length: int, coders: Sequence[CoderUnits], labels: Sequence[str], begin: int = 0
) -> UnitizingAlpha:
    """:func:`unitizing_alpha` on arrays; ``labels`` names the label indices."""
    m = len(coders)
    if m < 2:
        return UnitizingAlpha(undefined(length, "undefined: fewer than 2 coders"), {})
    if length <= 0:
        return UnitizingAlpha(undefined(0, "undefined: empty continuum"), {})
    end = begin + length
    used = np.unique(np.concatenate([c.labels for c in coders]))
    observed: dict[str, float] = {}
    expected: dict[str, float] = {}
    per_label: dict[str, Score] = {}
    for label in sorted(labels[i] for i in used.tolist()):
        i = labels.index(label)
        merged = [
            _merged(c.starts[c.labels == i], c.ends[c.labels == i], begin, end) for c in coders
        ]
        pair_sum = sum(
            _pair_disagreement(merged[x], merged[y]) for x in range(m) for y in range(x + 1, m)
        )
        d_o = 2 * pair_sum / (m * (m - 1) * length * length)
        units = np.concatenate([e - s for s, e in merged]).astype(np.int64)
        gaps = np.concatenate([_gaps(u, begin, end) for u in merged])
        d_e = _expected(units, gaps, m, length)
        observed[label], expected[label] = d_o, d_e
        if d_e <= 0:
            per_label[label] = undefined(length, "undefined: expected disagreement is 0")
        else:
            per_label[label] = Score(1.0 - d_o / d_e, length)
    total_e = sum(expected.values())
    if not len(used):
        overall = undefined(length, "undefined: no coder marked any unit")
    elif total_e <= 0:
        overall = undefined(length, "undefined: expected disagreement is 0")
    else:
        overall = Score(1.0 - sum(observed.values()) / total_e, length)
    return UnitizingAlpha(overall, per_label, observed, expected)


def unitizing_alpha(
    length: int,
    coders: Mapping[Hashable, Iterable[tuple[int, int, str]]],
    begin: int = 0,
) -> UnitizingAlpha:
    """alpha_U over the continuum [begin, begin + length).

    ``coders`` maps every coder (including coders who marked nothing) to their units
    ``(start, end, label)``, end exclusive. ``n`` in the scores is the continuum length.
    """
    lists = [list(units) for units in coders.values()]
    labels = sorted({label for units in lists for _, _, label in units})
    index = {label: i for i, label in enumerate(labels)}
    arrays = [
        CoderUnits(
            np.array([s for s, _, _ in units], dtype=np.int64),
            np.array([e for _, e, _ in units], dtype=np.int64),
            np.array([index[label] for _, _, label in units], dtype=np.int64),
        )
        for units in lists
    ]
    return unitizing_alpha_arrays(length, arrays, labels, begin)
