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
FLOAT_EXACT = 2**53  # float64 sums of integers stay exact below this


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


@dataclass(frozen=True)
class _Blocks:
    """One coder's merged units of every label at once: label ``r`` (its rank among the
    labels used, in name order) has the continuum [r * stride, r * stride + length), so the
    labels' units never meet and one sorted array holds them all; ``bounds[r]`` is the
    index of the first unit of label r (``bounds[-1]``: the number of units). ``padded``:
    starts and ends after a unit [-1, -1) that stands for "none"."""

    padded: tuple[np.ndarray, np.ndarray]
    lengths: np.ndarray
    bounds: np.ndarray

    @property
    def starts(self) -> np.ndarray:
        return self.padded[0][1:]

    @property
    def ends(self) -> np.ndarray:
        return self.padded[1][1:]


def _blocks(c: CoderUnits, rank: np.ndarray, begin: int, length: int, stride: int) -> _Blocks:
    """A coder's units clipped to the continuum, empty ones dropped, the overlapping ones of
    one label merged (as :func:`_merged` does, label by label)."""
    s = np.asarray(c.starts, dtype=np.int64)
    e = np.asarray(c.ends, dtype=np.int64)
    if begin:
        s, e = s - begin, e - begin
    labels = np.asarray(c.labels)
    if len(s) and (s.min() < 0 or e.max() > length or not bool(np.all(e > s))):
        s, e = np.maximum(s, 0), np.minimum(e, length)
        keep = e > s
        s, e, labels = s[keep], e[keep], labels[keep]
    ranks = rank[labels]
    key = ranks * stride
    key += s
    e = e - s
    n_labels = len(rank) and int(rank.max()) + 1
    if len(key) > 1 and not bool(np.all(key[1:] >= key[:-1])):
        if n_labels <= 1 << 15:  # labels apart first (a radix sort), then by start
            first = np.argsort(ranks.astype(np.int16), kind="stable")
            order = first[np.argsort(key[first], kind="stable")]
        else:
            order = np.argsort(key, kind="stable")
        key, e = key[order], e[order]
    e += key
    if len(key) > 1:
        reach = np.maximum.accumulate(e)
        new = key[1:] >= reach[:-1]  # touching units stay apart; labels never touch
        if not bool(new.all()):
            lasts = np.flatnonzero(np.append(new, True))  # a merged unit's last member
            firsts = np.append(0, lasts[:-1] + 1)
            key, e = key[firsts], reach[lasts]
    bounds = np.searchsorted(key, np.arange(n_labels + 1, dtype=np.int64) * stride)
    lengths = e - key
    padded = (np.append(-1, key), np.append(-1, e))
    return _Blocks(padded, lengths, bounds)


def _per_label(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over the slices ``bounds[r]:bounds[r + 1]`` (exact integers)."""
    total = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=total[1:])
    return total[bounds[1:]] - total[bounds[:-1]]


def _pair_disagreement(a: _Blocks, b: _Blocks) -> np.ndarray:
    """Per label, the sum of distances over overlapping segment pairs of two coders:
    overlapping units, plus every unit inside the other coder's gap.

    Two units overlap when one starts inside the other; as a coder's units are disjoint,
    a unit can start inside one unit of the other coder only: the last one starting before
    it (at or before, for b's units: a pair starting together is counted once)."""
    n_a, n_b = len(a.lengths), len(b.lengths)
    order = np.argsort(np.concatenate((a.starts, b.starts)), kind="stable")  # a first on ties
    is_a = order < n_a
    # padded index of the b unit starting before each a unit (0: none), and of the a unit
    # starting at or before each b unit
    ib = np.flatnonzero(is_a) - np.arange(n_a)
    ia = np.flatnonzero(~is_a) - np.arange(n_b)
    in_b = a.starts < b.padded[1][ib]  # a's unit starts inside b's unit ib
    in_a = b.starts < a.padded[1][ia]  # b's unit starts inside a's unit ia
    seen_a = np.append(False, in_b)  # (padded) units overlapping some unit of the other
    seen_a[ia[in_a]] = True
    seen_b = np.append(False, in_a)
    seen_b[ib[in_b]] = True
    d_a = np.square(a.starts - b.padded[0][ib]) + np.square(a.ends - b.padded[1][ib])
    d_b = np.square(b.starts - a.padded[0][ia]) + np.square(b.ends - a.padded[1][ia])
    # each overlapping pair once (where the later unit starts), a lone unit its square
    side_a = np.where(in_b, d_a, np.where(seen_a[1:], 0, np.square(a.lengths)))
    side_b = np.where(in_a, d_b, np.where(seen_b[1:], 0, np.square(b.lengths)))
    return _per_label(side_a, a.bounds) + _per_label(side_b, b.bounds)


def _gaps(c: _Blocks, r: int, stride: int, length: int) -> np.ndarray:
    """Lengths of the (non-empty) gaps between a coder's units of label r."""
    lo, hi = int(c.bounds[r]), int(c.bounds[r + 1])
    if lo == hi:
        return np.array([length], dtype=np.int64)
    s, e = c.starts[lo:hi], c.ends[lo:hi]
    base = r * stride
    gaps = np.concatenate(([s[0] - base], s[1:] - e[:-1], [base + length - e[-1]]))
    return gaps[gaps > 0]


def _length_counts(unit_lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct unit lengths, ascending, and how many units have each."""
    if len(unit_lengths) and int(unit_lengths.max()) <= 4 * len(unit_lengths) + 1024:
        counts = np.bincount(unit_lengths)
        values = np.flatnonzero(counts)
        return values, counts[values]
    return np.unique(unit_lengths, return_counts=True)


def _at_least(gaps: np.ndarray, values: np.ndarray) -> tuple[list[int], list[int]]:
    """For each value: the number and the sum of the gaps at least that long."""
    if int(gaps.sum()) < FLOAT_EXACT:  # the float sums below are then exact
        if len(values) and values[-1] <= 1 << 16:  # short units: look the buckets up
            top = int(values[-1])
            table = np.searchsorted(values, np.arange(top + 1), side="right")
            bucket = table[np.minimum(gaps, top)]
        else:
            bucket = np.searchsorted(values, gaps, side="right")  # gaps >= values[:bucket]
        n = np.bincount(bucket, minlength=len(values) + 1)[::-1].cumsum()[::-1]
        s = np.bincount(bucket, weights=gaps, minlength=len(values) + 1)[::-1].cumsum()[::-1]
        return n[1:].tolist(), s[1:].astype(np.int64).tolist()
    ordered = np.sort(gaps)
    suffix = [int(x) for x in np.append(np.cumsum(ordered[::-1])[::-1], 0)]
    ks = np.searchsorted(ordered, values, side="left").tolist()
    return [len(ordered) - k for k in ks], [suffix[k] for k in ks]


def _expected(unit_lengths: np.ndarray, gap_lengths: np.ndarray, m: int, length: int) -> float:
    n_c = len(unit_lengths)
    values, counts = _length_counts(unit_lengths)
    n_ge, sum_ge = _at_least(gap_lengths, values)
    numerator3 = 0  # 3 x the numerator, kept in (Python) integers
    denominator = m * length * (m * length - 1)
    for ln, count, n_gaps, gap_sum in zip(values.tolist(), counts.tolist(), n_ge, sum_ge,
                                          strict=True):
        within_units = (n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln)
        placements = gap_sum - (ln - 1) * n_gaps  # sum over gaps >= ln
        numerator3 += count * (within_units + 3 * ln * ln * placements)
        denominator -= count * ln * (ln - 1)
    if denominator <= 0:
        return 0.0
    return 2 * numerator3 / (3 * length * denominator)


class Continuum:
    """Coders' units on one continuum [begin, begin + length), each coder's merged units
    (`_Blocks`) and each pair's disagreement made once, however many coder sets' alpha_U
    are asked for (a report asks for every pair and for all the coders together).

    ``labels`` names the label indices; every label has its own block in every coder's
    array, whether a coder set uses it or not: a label no one in the set marked adds 0 to
    the sums, so it is left out of that set's figures and changes nothing else."""

    def __init__(self, length: int, coders: Mapping[Hashable, CoderUnits],
                 labels: Sequence[str], begin: int = 0) -> None:
        self.length, self.begin = length, begin
        self._units = dict(coders)  # each coder's, until their blocks are made
        self.names = sorted(labels)
        self.rank = np.array([self.names.index(x) for x in labels], dtype=np.int64)
        self.stride = length + 1
        self._blocks: dict[Hashable, _Blocks] = {}
        self._pairs: dict[tuple[Hashable, Hashable], list[int]] = {}
        self._marked: dict[Hashable, np.ndarray] = {}

    def blocks(self, coder: Hashable) -> _Blocks:
        found = self._blocks.get(coder)
        if found is None:
            units = self._units.pop(coder)  # the blocks hold all that is needed of them
            marked = self._marked[coder] = np.zeros(len(self.names), dtype=np.int64)
            marked[self.rank] = np.bincount(units.labels, minlength=len(self.rank))
            found = self._blocks[coder] = _blocks(
                units, self.rank, self.begin, self.length, self.stride)
        return found

    def marked(self, coder: Hashable) -> np.ndarray:
        """How many units the coder gave each label (by rank), before clipping."""
        self.blocks(coder)
        return self._marked[coder]

    def pair_sums(self, x: Hashable, y: Hashable) -> list[int]:
        found = self._pairs.get((x, y))
        if found is None:
            found = self._pairs[x, y] = _pair_disagreement(self.blocks(x),
                                                           self.blocks(y)).tolist()
        return found

    def alpha(self, coders: Sequence[Hashable]) -> UnitizingAlpha:
        """alpha_U of ``coders`` (each a key of the coders given)."""
        m, length = len(coders), self.length
        if m < 2:
            return UnitizingAlpha(undefined(length, "undefined: fewer than 2 coders"), {})
        if length <= 0:
            return UnitizingAlpha(undefined(0, "undefined: empty continuum"), {})
        used = np.flatnonzero(sum(self.marked(c) for c in coders)).tolist()
        blocks = [self.blocks(c) for c in coders]
        pair_sums = [0] * len(self.names)
        for x in range(m):
            for y in range(x + 1, m):
                for r, d in enumerate(self.pair_sums(coders[x], coders[y])):
                    pair_sums[r] += d
        observed: dict[str, float] = {}
        expected: dict[str, float] = {}
        per_label: dict[str, Score] = {}
        for r in used:
            label = self.names[r]
            d_o = 2 * pair_sums[r] / (m * (m - 1) * length * length)
            units = np.concatenate([c.lengths[c.bounds[r]:c.bounds[r + 1]] for c in blocks])
            gaps = np.concatenate([_gaps(c, r, self.stride, length) for c in blocks])
            d_e = _expected(units, gaps, m, length)
            observed[label], expected[label] = d_o, d_e
            if d_e <= 0:
                per_label[label] = undefined(length, "undefined: expected disagreement is 0")
            else:
                per_label[label] = Score(1.0 - d_o / d_e, length)
        total_e = sum(expected.values())
        if not used:
            overall = undefined(length, "undefined: no coder marked any unit")
        elif total_e <= 0:
            overall = undefined(length, "undefined: expected disagreement is 0")
        else:
            overall = Score(1.0 - sum(observed.values()) / total_e, length)
        return UnitizingAlpha(overall, per_label, observed, expected)


def unitizing_alpha_arrays(
    length: int, coders: Sequence[CoderUnits], labels: Sequence[str], begin: int = 0
) -> UnitizingAlpha:
    """:func:`unitizing_alpha` on arrays; ``labels`` names the label indices."""
    continuum = Continuum(length, dict(enumerate(coders)), labels, begin)
    return continuum.alpha(list(range(len(coders))))


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
