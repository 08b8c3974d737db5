"""Lay out a whole document: paragraphs, optional gaps, offset <-> screen lookups."""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field

from annotator.bidi.line_builder import (
    MODES,
    Mode,
    blank_line,
    document_bases,
    paragraph_lines,
)
from annotator.bidi.prepare import prepare_paragraph
from annotator.bidi.visual_line import NO_CHAR, VisualLine

_CACHE_SIZE = 8
_cache: OrderedDict[tuple[str, int, str, bool, bool], Layout] = OrderedDict()


@dataclass
class Layout:
    """Screen lines of a document at one width, with offset <-> cell lookups."""

    lines: list[VisualLine]
    width: int
    text: str = ""
    mode: Mode = "app"
    #: ``(start, end)`` document offsets of each paragraph (``end`` is its "\n").
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    #: ``[first, last)`` line indices of each paragraph (gap lines excluded).
    paragraph_lines: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._para_starts = [start for start, _ in self.paragraphs]

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (its "\\n" included)."""
        offset = min(max(offset, 0), len(self.text))
        return max(bisect_right(self._para_starts, offset) - 1, 0)

    def locate(self, offset: int) -> tuple[int, int]:
        """``(line index, column)`` of the caret at document ``offset``.

        An offset inside a unit (a mark) maps to its base's column. The offset
        of a paragraph's "\\n" and the end of the document map to the caret
        position after the paragraph's last character (``eol_col``); offsets
        outside the document are clamped.
        """
        if not self.lines:
            return (0, 0)
        offset = min(max(offset, 0), len(self.text))
        p = self.paragraph_of(offset)
        first, last = self.paragraph_lines[p]
        i = bisect_right(self.lines, offset, lo=first, hi=last, key=lambda ln: ln.start) - 1
        i = max(i, first)
        line = self.lines[i]
        col = line.logical_to_col(offset)
        if col is None:
            line = self.lines[last - 1]
            return (last - 1, line.eol_col)
        return (i, col)

    def offset_at(self, line: int, col: int) -> int | None:
        """Document offset of the character under screen cell ``(line, col)``.

        On padding, the nearest character of the same line; on an empty or gap
        line, the line's ``start``; ``None`` when ``line`` is out of range.
        """
        if not 0 <= line < len(self.lines):
            return None
        vline = self.lines[line]
        cols = vline.col_to_logical
        if not cols:
            return vline.start
        col = min(max(col, 0), len(cols) - 1)
        if cols[col] != NO_CHAR:
            return cols[col]
        for distance in range(1, len(cols)):
            for c in (col - distance, col + distance):
                if 0 <= c < len(cols) and cols[c] != NO_CHAR:
                    return cols[c]
        return vline.start

    def lines_of_paragraph(self, paragraph: int) -> list[VisualLine]:
        """The screen lines of one paragraph (without gap lines)."""
        first, last = self.paragraph_lines[paragraph]
        return self.lines[first:last]


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each "\\n"-separated paragraph of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for part in text.split("\n"):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    return spans


def layout_document(
    text: str,
    width: int,
    *,
    mode: Mode = "app",
    shape: bool = False,
    paragraph_gap: bool = True,
) -> Layout:
    """Lay out ``text`` (NFC, paragraphs separated by "\\n", base direction RTL).

    ``shape`` applies only to ``app`` mode. Results are cached for the last few
    (text, width, mode, shape, paragraph_gap) combinations; paragraph analysis
    (units, ICU levels, shaping) is cached per paragraph, so a new width or an
    edit to one paragraph only recomputes wrapping and reordering.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    shape = shape and mode == "app"
    key = (text, width, mode, shape, paragraph_gap)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    layout = _build(text, width, mode, shape, paragraph_gap)
    _cache[key] = layout
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return layout


def _build(text: str, width: int, mode: Mode, shape: bool, gap: bool) -> Layout:
    spans = split_paragraphs(text)
    lines: list[VisualLine] = []
    para_lines: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(spans):
        if index and gap:
            lines.append(blank_line(start - 1, index - 1, width, mode, is_gap=True))
        para = prepare_paragraph(text[start:end], shape)
        first = len(lines)
        lines.extend(paragraph_lines(para, start, index, width, mode))
        para_lines.append((first, len(lines)))
    return Layout(lines, width, text, mode, spans, para_lines)


def clear_caches() -> None:
    """Forget cached layouts and paragraph analyses (for benchmarks and tests)."""
    _cache.clear()
    prepare_paragraph.cache_clear()
    document_bases.cache_clear()
