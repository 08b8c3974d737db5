"""Break a paragraph's units into lines by cell width, in logical order.

A line may end after a run of breakable whitespace; the whitespace stays on the
line it ends, and it counts toward the width so every character keeps a cell.
Each line takes the last break that fits; a word wider than the line (or one
whose trailing space does not fit) is broken at the last unit that fits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from annotator.bidi.units import Units


def cumulative_widths(units: Units) -> list[int] | None:
    """Prefix sums of unit widths (``None`` when every unit is one cell)."""
    if units.narrow:
        return None
    return [0, *accumulate(units.widths)]


def break_points(units: Units) -> list[int]:
    """Unit indices a line may end at: after a whitespace run, and the end."""
    n = len(units)
    breaks = units.breaks
    points = [b + 1 for k, b in enumerate(breaks) if k + 1 == len(breaks) or breaks[k + 1] != b + 1]
    if not points or points[-1] != n:
        points.append(n)
    return points


def wrap_units(
    units: Units, width: int, points: Sequence[int] | None = None
) -> list[tuple[int, int]]:
    """Unit ranges ``[start, end)`` of each line of the paragraph at ``width`` cells.

    ``points`` are the paragraph's ``break_points`` when already known.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    n = len(units)
    if n == 0:
        return [(0, 0)]
    cum = cumulative_widths(units)
    if points is None:
        points = break_points(units)
    point_cells = points if cum is None else [cum[p] for p in points]
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        limit = (start if cum is None else cum[start]) + width
        k = bisect_right(point_cells, limit) - 1
        end = points[k] if k >= 0 else start
        if end <= start:
            # No break fits: hard-break at the last unit that fits (at least one).
            if cum is None:
                end = min(start + width, n)
            else:
                end = max(bisect_right(cum, limit) - 1, start + 1)
        lines.append((start, end))
        start = end
    return lines
