"""The public layout API: wrapping, alignment, modes, gaps, locate and offset_at."""

from __future__ import annotations

import pytest

from annotator.bidi import NO_CHAR, Layout, layout_document
from annotator.bidi.layout import clear_caches

TEXT = "قال الوزير إن التعاون الأمني مستمر\nسطر"


def content(line_cells: tuple[str, ...], cols: tuple[int, ...]) -> str:
    return "".join(c for c, o in zip(line_cells, cols, strict=True) if o != NO_CHAR)


def test_wraps_at_the_last_space_that_fits() -> None:
    layout = layout_document("aaa bbb ccc", 8, mode="off", paragraph_gap=False)
    assert [(ln.start, ln.end) for ln in layout.lines] == [(0, 8), (8, 11)]
    assert content(layout.lines[0].cells, layout.lines[0].col_to_logical) == "aaa bbb "


def test_overlong_words_are_hard_broken() -> None:
    layout = layout_document("abcdefghij xy", 4, mode="off", paragraph_gap=False)
    assert [(ln.start, ln.end) for ln in layout.lines] == [(0, 4), (4, 8), (8, 11), (11, 13)]


def test_rtl_lines_are_right_aligned_in_app_and_terminal_modes() -> None:
    for mode in ("app", "terminal"):
        line = layout_document("نص", 6, mode=mode).lines[0]
        assert line.col_to_logical[:4] == (NO_CHAR,) * 4
        assert line.cells[:4] == (" ",) * 4
    off = layout_document("نص", 6, mode="off").lines[0]
    assert off.col_to_logical == (0, 1) + (NO_CHAR,) * 4


def test_terminal_mode_keeps_logical_order_unmirrored() -> None:
    line = layout_document("(نص) 12", 10, mode="terminal").lines[0]
    assert content(line.cells, line.col_to_logical) == "(نص) 12"
    app = layout_document("(نص) 12", 10, mode="app").lines[0]
    assert content(app.cells, app.col_to_logical) == "12 (صن)"


def test_paragraph_gap_lines() -> None:
    layout = layout_document(TEXT, 20)
    newline = TEXT.index("\n")
    gaps = [ln for ln in layout.lines if ln.is_gap]
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.start == gap.end == newline
    assert gap.col_to_logical == (NO_CHAR,) * 20 and gap.cells == (" ",) * 20
    without = layout_document(TEXT, 20, paragraph_gap=False)
    assert len(without.lines) == len(layout.lines) - 1
    assert not any(ln.is_gap for ln in without.lines)


def test_lines_cover_the_document_in_order() -> None:
    layout = layout_document(TEXT, 12)
    ranges = [(ln.start, ln.end) for ln in layout.lines if not ln.is_gap]
    assert ranges[0][0] == 0 and ranges[-1][1] == len(TEXT)
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        assert start in (end, end + 1)  # contiguous, or across a "\n"
    assert all(len(ln.cells) == 12 for ln in layout.lines)


def test_locate_end_of_paragraph_and_document() -> None:
    layout = layout_document(TEXT, 20)
    newline = TEXT.index("\n")
    line, col = layout.locate(newline)
    assert layout.lines[line].paragraph == 0 and not layout.lines[line].is_gap
    assert col == layout.lines[line].eol_col
    last = layout.locate(len(TEXT))
    assert last[0] == len(layout.lines) - 1
    assert last[1] == layout.lines[-1].eol_col
    # the caret after an RTL line sits left of its leftmost character
    drawn = [c for c, o in enumerate(layout.lines[-1].col_to_logical) if o != NO_CHAR]
    assert last[1] == min(drawn) - 1
    assert layout.locate(-5) == layout.locate(0)
    assert layout.locate(10**6) == last


def test_empty_paragraphs_and_empty_document() -> None:
    layout = layout_document("أ\n\nب", 5)
    assert [ln.is_gap for ln in layout.lines] == [False, True, False, True, False]
    empty = layout.lines[2]
    assert empty.start == empty.end == 2 and not empty.is_gap
    assert layout.locate(2) == (2, 4)
    assert layout.offset_at(2, 0) == 2
    doc = layout_document("", 10)
    assert len(doc.lines) == 1 and doc.locate(0) == (0, 9)
    assert doc.offset_at(0, 3) == 0


def test_offset_at_padding_picks_the_nearest_character() -> None:
    layout = layout_document("نص", 6, paragraph_gap=False)
    line = layout.lines[0]
    assert layout.offset_at(0, 0) == line.col_to_logical[4]
    assert layout.offset_at(0, 5) == 0
    assert layout.offset_at(0, 99) == 0  # clamped
    assert layout.offset_at(5, 0) is None


def test_logical_to_col_outside_the_line_is_none() -> None:
    line = layout_document(TEXT, 10).lines[0]
    assert line.logical_to_col(line.end) is None
    assert line.logical_to_col(-1) is None


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        layout_document("x", 0)
    with pytest.raises(ValueError):
        layout_document("x", 10, mode="rtl")  # type: ignore[arg-type]


def test_wide_character_on_a_one_cell_line() -> None:
    layout = layout_document("中", 1, mode="off")
    assert layout.lines[0].cells == ("\u2026",)
    assert layout.locate(0) == (0, 0)


def test_layouts_are_cached_and_caches_clear() -> None:
    first = layout_document(TEXT, 33)
    assert layout_document(TEXT, 33) is first
    clear_caches()
    again = layout_document(TEXT, 33)
    assert again is not first
    assert isinstance(again, Layout)
    assert [ln.cells for ln in again.lines] == [ln.cells for ln in first.lines]


def test_lines_of_paragraph() -> None:
    layout = layout_document(TEXT, 12)
    second = layout.lines_of_paragraph(1)
    assert [ln.paragraph for ln in second] == [1]
    assert layout.paragraphs[1] == (TEXT.index("\n") + 1, len(TEXT))
