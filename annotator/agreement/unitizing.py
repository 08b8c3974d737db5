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
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from .scores import Score, undefined

Segment = tuple[int, int, bool]  # start, end (exclusive), is_unit


@dataclass(frozen=True)
class UnitizingAlpha:
    overall: Score
    per_label: dict[str, Score]
    observed: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)


def _merged(units: Iterable[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted((max(s, begin), min(e, end)) for s, e in units):
        if e <= s:
            continue
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _segments(units: list[tuple[int, int]], begin: int, end: int) -> list[Segment]:
    segs: list[Segment] = []
    pos = begin
    for s, e in units:
        if s > pos:
            segs.append((pos, s, False))
        segs.append((s, e, True))
        pos = e
    if pos < end:
        segs.append((pos, end, False))
    return segs


def _distance(g: Segment, h: Segment) -> int:
    gs, ge, g_unit = g
    hs, he, h_unit = h
    if g_unit and h_unit:
        overlap = gs < he and hs < ge
        return (gs - hs) ** 2 + (ge - he) ** 2 if overlap else 0
    if g_unit and hs <= gs and ge <= he:
        return (ge - gs) ** 2
    if h_unit and gs <= hs and he <= ge:
        return (he - hs) ** 2
    return 0


def _pair_disagreement(a: list[Segment], b: list[Segment]) -> int:
    """Sum of distances over overlapping segment pairs (both lists partition the continuum)."""
    total = 0
    i = j = 0
    while i < len(a) and j < len(b):
        total += _distance(a[i], b[j])
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _expected(unit_lengths: list[int], gap_lengths: list[int], m: int, length: int) -> float:
    n_c = len(unit_lengths)
    gaps = sorted(gap_lengths)
    suffix = [0] * (len(gaps) + 1)  # suffix[k] = sum(gaps[k:])
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    numerator3 = 0  # 3 x the numerator, kept in integers
    for ln in unit_lengths:
        within_units = (n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln)
        k = bisect_left(gaps, ln)
        placements = suffix[k] - (ln - 1) * (len(gaps) - k)  # sum over gaps >= ln
        numerator3 += within_units + 3 * ln * ln * placements
    denominator = m * length * (m * length - 1) - sum(ln * (ln - 1) for ln in unit_lengths)
    if denominator <= 0:
        return 0.0
    return 2 * numerator3 / (3 * length * denominator)


def unitizing_alpha(
    length: int,
    coders: Mapping[Hashable, Iterable[tuple[int, int, str]]],
    begin: int = 0,
) -> UnitizingAlpha:
    """alpha_U over the continuum [begin, begin + length).

    ``coders`` maps every coder (including coders who marked nothing) to their units
    ``(start, end, label)``, end exclusive. ``n`` in the scores is the continuum length.
    """
    m = len(coders)
    if m < 2:
        return UnitizingAlpha(undefined(length, "undefined: fewer than 2 coders"), {})
    if length <= 0:
        return UnitizingAlpha(undefined(0, "undefined: empty continuum"), {})
    end = begin + length
    by_label: dict[str, dict[Hashable, list[tuple[int, int]]]] = {}
    for coder, units in coders.items():
        for s, e, label in units:
            by_label.setdefault(label, {c: [] for c in coders})[coder].append((s, e))
    observed: dict[str, float] = {}
    expected: dict[str, float] = {}
    per_label: dict[str, Score] = {}
    for label in sorted(by_label):
        merged = {c: _merged(u, begin, end) for c, u in by_label[label].items()}
        segs = [_segments(u, begin, end) for u in merged.values()]
        pair_sum = sum(
            _pair_disagreement(segs[i], segs[j]) for i in range(m) for j in range(i + 1, m)
        )
        d_o = 2 * pair_sum / (m * (m - 1) * length * length)
        units = [e - s for s_list in segs for s, e, is_unit in s_list if is_unit]
        gaps = [e - s for s_list in segs for s, e, is_unit in s_list if not is_unit]
        d_e = _expected(units, gaps, m, length)
        observed[label], expected[label] = d_o, d_e
        if d_e <= 0:
            per_label[label] = undefined(length, "undefined: expected disagreement is 0")
        else:
            per_label[label] = Score(1.0 - d_o / d_e, length)
    total_e = sum(expected.values())
    if not by_label:
        overall = undefined(length, "undefined: no coder marked any unit")
    elif total_e <= 0:
        overall = undefined(length, "undefined: expected disagreement is 0")
    else:
        overall = Score(1.0 - sum(observed.values()) / total_e, length)
    return UnitizingAlpha(overall, per_label, observed, expected)
