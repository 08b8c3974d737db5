"""Turn one prepared paragraph into screen lines for a width and a display mode.

* ``app``: reorder each line (L1, L2; L3 by units; L4 in the glyphs), optionally
  shaped, right-aligned (the paragraphs are right-to-left).
* ``terminal``: logical order, unshaped, right-aligned; the terminal reorders.
* ``off``: logical order, unshaped, left-aligned.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from annotator.bidi.chars import char_info
from annotator.bidi.prepare import Paragraph
from annotator.bidi.reorder import Segment, line_runs, reorder_runs, visual_order
from annotator.bidi.visual_line import NO_CHAR, VisualLine
from annotator.bidi.wrap import wrap_units

Mode = Literal["app", "terminal", "off"]
MODES: tuple[Mode, ...] = ("app", "terminal", "off")

#: Drawn instead of a wide character on a line narrower than it.
TOO_WIDE = "\u2026"


def blank_line(
    offset: int, paragraph: int, width: int, mode: Mode, *, is_gap: bool = False
) -> VisualLine:
    """An empty line (an empty paragraph, or the gap between paragraphs)."""
    return VisualLine(
        offset, offset, paragraph, (" ",) * width, (NO_CHAR,) * width,
        eol_col=0 if mode == "off" else width - 1, is_gap=is_gap,
    )


def _trailing_reset(para: Paragraph, lo: int, hi: int) -> int:
    """How many units at the end of ``[lo, hi)`` rule L1 resets.

    A unit counts when all its characters are whitespace, isolate or
    formatting characters (a space carrying a haraka does not, as in UAX #9).
    """
    units = para.units
    text = units.text
    count = 0
    u = hi - 1
    while u >= lo and all(char_info(ch).l1_reset for ch in text[units.starts[u]:units.end_of(u)]):
        count += 1
        u -= 1
    return count


def _char_order(para: Paragraph, lo: int, hi: int) -> list[int]:
    """Units ``[lo, hi)`` in screen order, reordering every character (L1, L2).

    For paragraphs where zero-width controls carry levels of their own: they
    take part in L2 like any character, then only unit bases are kept.
    """
    assert para.char_levels is not None
    units = para.units
    first, last = units.starts[lo], units.end_of(hi - 1)
    levels = list(para.char_levels[first:last])
    for i in range(len(levels) - 1, -1, -1):
        if not char_info(units.text[first + i]).l1_reset:
            break
        levels[i] = para.para_level
    base_unit = {b: u for u, b in enumerate(units.bases[lo:hi], lo)}
    return [base_unit[first + i] for i in visual_order(levels) if first + i in base_unit]


def _segments(para: Paragraph, lo: int, hi: int, mode: Mode) -> list[Segment]:
    """Units ``[lo, hi)`` as runs in left-to-right screen order."""
    if mode != "app":
        return [(lo, hi, False)]
    if para.all_rtl and para.char_levels is None:
        return [(lo, hi, True)]
    if para.char_levels is not None:
        return [(u, u + 1, False) for u in _char_order(para, lo, hi)]
    runs = line_runs(
        para.runs, para.run_starts, lo, hi, _trailing_reset(para, lo, hi), para.para_level
    )
    return reorder_runs(runs)


def _pick(values: tuple, start: int, end: int, reverse: bool) -> tuple:
    """``values[start:end]``, reversed when ``reverse``."""
    if not reverse:
        return values[start:end]
    return values[end - 1:start - 1:-1] if start else values[end - 1::-1]


@lru_cache(maxsize=4096)
def document_bases(para: Paragraph, offset: int) -> tuple[int, ...]:
    """Document offset of each unit's base for the paragraph placed at ``offset``."""
    if para.units.one_per_char:
        return tuple(range(offset, offset + len(para.units)))
    return tuple(map(offset.__add__, para.units.bases))


def paragraph_lines(
    para: Paragraph, offset: int, index: int, width: int, mode: Mode
) -> list[VisualLine]:
    """Screen lines of the paragraph ``para`` starting at document ``offset``."""
    units = para.units
    n = len(units)
    if n == 0:
        return [blank_line(offset, index, width, mode)]
    glyphs = para.app_glyphs if mode == "app" else units.glyphs
    starts, bases, widths = units.starts, units.bases, units.widths
    doc_bases = document_bases(para, offset)
    unit_starts, unit_bases = (None, None) if units.one_per_char else (starts, bases)
    text_len = len(units.text)
    out: list[VisualLine] = []
    for lo, hi in wrap_units(units, width, para.break_points):
        segments = _segments(para, lo, hi, mode)
        if units.narrow:
            cells: list[str] = []
            cols: list[int] = []
            for start, end, reverse in segments:
                cells.extend(_pick(glyphs, start, end, reverse))
                cols.extend(_pick(doc_bases, start, end, reverse))
        else:
            order = [
                u for s, e, rev in segments
                for u in (range(e - 1, s - 1, -1) if rev else range(s, e))
            ]
            cells, cols = _expand_wide(order, glyphs, doc_bases, widths, width)
        pad = width - len(cells)
        if mode == "off":
            line_cells = (*cells, *(" ",) * pad)
            line_cols = (*cols, *(NO_CHAR,) * pad)
            eol = min(len(cells), width - 1)
        else:
            line_cells = (*(" ",) * pad, *cells)
            line_cols = (*(NO_CHAR,) * pad, *cols)
            eol = max(pad - 1, 0)
        end = starts[hi] if hi < n else text_len
        out.append(
            VisualLine(
                offset + starts[lo], offset + end, index, line_cells, line_cols,
                eol_col=eol, _starts=unit_starts, _bases=unit_bases,
                _offset=offset, _lo=lo, _hi=hi,
            )
        )
    return out


def _expand_wide(
    order: list[int],
    glyphs: tuple[str, ...],
    doc_bases: tuple[int, ...],
    widths: tuple[int, ...],
    width: int,
) -> tuple[list[str], list[int]]:
    """Cells and column map when some units are two cells wide."""
    cells: list[str] = []
    cols: list[int] = []
    for u in order:
        w = widths[u]
        base = doc_bases[u]
        if w == 1:
            cells.append(glyphs[u])
            cols.append(base)
        elif w > width:
            cells.append(TOO_WIDE)
            cols.append(base)
        else:
            cells.append(glyphs[u])
            cells.extend([""] * (w - 1))
            cols.extend([base] * w)
    return cells, cols
