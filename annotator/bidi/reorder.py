"""Reorder one line from logical to visual order (UAX #9 rules L1 and L2).

Works on runs of equal level rather than on single units: the runs of a
paragraph are found once, and each line clips them, applies L1 to its trailing
whitespace and reverses runs (L2). Rule L3 (marks after their base) holds by
construction, since a unit carries its marks; rule L4 (mirroring) is applied to
glyphs when the paragraph is prepared.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import compress, islice
from operator import ne

#: A run of units at one level: ``(level, start, end)``, end exclusive.
Run = tuple[int, int, int]
#: A piece of a visual line: units ``[start, end)``, drawn reversed or not.
Segment = tuple[int, int, bool]


def level_runs(levels: Sequence[int]) -> list[Run]:
    """Maximal runs of equal level, in logical order."""
    n = len(levels)
    if n == 0:
        return []
    cuts = [0, *compress(range(1, n), map(ne, levels, islice(levels, 1, None))), n]
    return [(levels[a], a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


def line_runs(
    runs: Sequence[Run], run_starts: Sequence[int], lo: int, hi: int,
    trailing_reset: int, para_level: int,
) -> list[Run]:
    """The paragraph's runs clipped to units ``[lo, hi)``, after rule L1.

    ``trailing_reset`` trailing units (whitespace, isolates, formatting
    characters) go back to ``para_level``. Segment separators and the whitespace
    before them are already at the paragraph level in ICU's levels.
    """
    cut = hi - trailing_reset
    first = bisect_right(run_starts, lo) - 1
    last = bisect_left(run_starts, cut)
    out: list[Run] = []
    for level, start, end in islice(runs, first, last):
        start, end = max(start, lo), min(end, cut)
        if start < end:
            out.append((level, start, end))
    if trailing_reset:
        if out and out[-1][0] == para_level:
            out[-1] = (para_level, out[-1][1], hi)
        else:
            out.append((para_level, cut, hi))
    return out


def reorder_runs(runs: Sequence[Run]) -> list[Segment]:
    """Rule L2: the runs of one line in visual (left-to-right) order.

    From the highest level down to the lowest odd level, every maximal
    sequence of runs at that level or higher is reversed.
    """
    if not runs:
        return []
    highest = max(r[0] for r in runs)
    lowest_odd = min(r[0] for r in runs)
    lowest_odd += 1 - lowest_odd % 2
    order = list(range(len(runs)))
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if runs[order[i]][0] < level:
                i += 1
                continue
            j = i
            while j < len(order) and runs[order[j]][0] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    segments: list[Segment] = []
    for r in order:
        level, start, end = runs[r]
        # A run is reversed once per pass at or below its level.
        segments.append((start, end, level >= lowest_odd and (level - lowest_odd) % 2 == 0))
    return segments


def visual_order(levels: Sequence[int]) -> list[int]:
    """Logical indices of one line (levels after L1) in visual order."""
    result: list[int] = []
    for start, end, reverse in reorder_runs(level_runs(levels)):
        result.extend(range(end - 1, start - 1, -1) if reverse else range(start, end))
    return result
