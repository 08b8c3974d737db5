"""One screen line of a laid-out document and its column <-> offset maps."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

#: ``col_to_logical`` value of a cell that shows no character (padding).
NO_CHAR = -1


@dataclass(frozen=True)
class VisualLine:
    """A screen line: ``cells`` left to right, each mapped to a document offset.

    ``[start, end)`` is the logical range of the document on this line,
    including whitespace at a break. A wide (two-cell) character draws its
    glyph in its left cell and ``""`` in its right cell; both cells map to it.
    Every character of the line has a cell, so ``logical_to_col`` is defined
    for every offset in ``[start, end)``.
    """

    start: int
    end: int
    paragraph: int
    cells: tuple[str, ...]
    col_to_logical: tuple[int, ...]
    #: Column of a caret placed after the line's last character (logical end).
    eol_col: int = 0
    #: Whether this is the blank line drawn between two paragraphs.
    is_gap: bool = False
    # The paragraph's unit starts and bases (paragraph-relative, shared by all
    # its lines; ``None`` when every unit is one character), the paragraph's
    # document offset, and this line's unit range ``[_lo, _hi)``.
    _starts: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    _bases: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    _offset: int = field(default=0, repr=False, compare=False)
    _lo: int = field(default=0, repr=False, compare=False)
    _hi: int = field(default=0, repr=False, compare=False)

    @property
    def width(self) -> int:
        return len(self.cells)

    def base_of(self, offset: int) -> int | None:
        """Offset of the base character of the unit holding ``offset``."""
        if not self.start <= offset < self.end:
            return None
        if self._starts is None or self._bases is None:
            return offset
        unit = bisect_right(self._starts, offset - self._offset, self._lo, self._hi) - 1
        return self._offset + self._bases[unit]

    def logical_to_col(self, offset: int) -> int | None:
        """Leftmost column of the unit holding ``offset`` (marks map to their base).

        ``None`` when ``offset`` is not on this line.
        """
        base = self.base_of(offset)
        if base is None:
            return None
        try:
            return self.col_to_logical.index(base)
        except ValueError:  # pragma: no cover - every unit on a line has a cell
            return None
