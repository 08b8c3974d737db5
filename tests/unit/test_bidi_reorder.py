"""Reordering rules L1-L4 on small, hand-checked lines."""

from __future__ import annotations

from annotator.bidi import NO_CHAR, layout_document
from annotator.bidi.reorder import level_runs, line_runs, reorder_runs, visual_order


def drawn(text: str, width: int = 40, **kwargs: object) -> list[str]:
    """Each visual line's cells without the padding."""
    layout = layout_document(text, width, paragraph_gap=False, **kwargs)
    return [
        "".join(c for c, o in zip(ln.cells, ln.col_to_logical, strict=True) if o != NO_CHAR)
        for ln in layout.lines
    ]


def test_numbers_inside_arabic_read_left_to_right() -> None:
    # "في 2022 م": the Arabic words swap sides, the year keeps its digit order.
    assert drawn("في 2022 م") == ["م 2022 يف"]
    line = layout_document("في 2022 م", 20).lines[0]
    year = [line.col_to_logical.index(i) for i in range(3, 7)]
    assert year == sorted(year) and year[-1] - year[0] == 3


def test_latin_words_inside_arabic_stay_left_to_right() -> None:
    text = "قال Ahmed Ali اليوم"
    assert drawn(text) == ["مويلا Ahmed Ali لاق"]


def test_brackets_and_guillemets_are_mirrored_in_rtl_runs() -> None:
    assert drawn("(نعم)") == ["(معن)"]  # logical "(" drawn as ")" on the right
    assert drawn("[أ] {ب} <ج> «د»") == ["«د» <ج> {ب} [أ]"]
    line = layout_document("(نعم)", 10).lines[0]
    assert line.cells[-1] == ")" and line.col_to_logical[-1] == 0
    assert line.cells[-5] == "(" and line.col_to_logical[-5] == 4


def test_brackets_in_ltr_runs_are_not_mirrored() -> None:
    assert drawn("قال f(x) هنا") == ["انه f(x) لاق"]


def test_trailing_whitespace_goes_to_paragraph_level_l1() -> None:
    # The space after "abc" ends the line: it is drawn at the left (RTL side).
    layout = layout_document("نص abc def", 8, paragraph_gap=False)
    first = layout.lines[0]
    assert (first.start, first.end) == (0, 7)
    assert first.col_to_logical == (NO_CHAR, 6, 3, 4, 5, 2, 1, 0)


def test_tab_is_a_segment_separator_drawn_blank() -> None:
    layout = layout_document("ab\tcd", 10, paragraph_gap=False)
    line = layout.lines[0]
    assert "\t" not in line.cells
    # L1: the tab is at the paragraph level, so "ab" and "cd" do not join one run.
    assert line.col_to_logical[-5:] == (3, 4, 2, 0, 1)


def test_visual_order_reverses_by_level() -> None:
    assert visual_order([1, 1, 1]) == [2, 1, 0]
    assert visual_order([0, 0]) == [0, 1]
    assert visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]
    assert visual_order([1, 2, 3, 3, 2, 1]) == [5, 1, 3, 2, 4, 0]
    assert visual_order([2, 2, 4, 4]) == [0, 1, 2, 3]
    assert visual_order([]) == []


def test_line_runs_clip_and_apply_l1() -> None:
    runs = level_runs([1, 1, 2, 2, 2, 1])
    assert runs == [(1, 0, 2), (2, 2, 5), (1, 5, 6)]
    starts = [r[1] for r in runs]
    assert line_runs(runs, starts, 1, 4, 0, 1) == [(1, 1, 2), (2, 2, 4)]
    assert line_runs(runs, starts, 1, 4, 1, 1) == [(1, 1, 2), (2, 2, 3), (1, 3, 4)]
    assert reorder_runs([(1, 0, 2), (2, 2, 4)]) == [(2, 4, False), (0, 2, True)]
