"""Left/Right by screen direction over laid-out tokens (annotator.bidi.navigation)."""

from __future__ import annotations

from annotator.bidi import layout_document
from annotator.bidi.navigation import tokens_on_line, visual_neighbour
from annotator.text.segment import split_tokens

Range = tuple[int, int]


def tokens(text: str) -> list[Range]:
    return [(t[0], t[1]) for t in split_tokens(text)]


def words(text: str, toks: list[Range], indices: list[int]) -> list[str]:
    return [text[toks[i][0]:toks[i][1]] for i in indices]


def walk(text: str, width: int, direction: str, start: int = 0, mode: str = "app",
         rtl: bool = True) -> list[str]:
    """Words visited pressing `direction` from token `start` until the cursor stops."""
    toks = tokens(text)
    layout = layout_document(text, width, mode=mode)  # type: ignore[arg-type]
    i, seen = start, [start]
    while True:
        j = visual_neighbour(layout, toks, i, direction, rtl=rtl)  # type: ignore[arg-type]
        if j == i:
            return words(text, toks, seen)
        seen.append(j)
        i = j


MIXED = "قال John Smith إن 2022 مهم"


def test_tokens_on_a_mixed_line_are_in_screen_order() -> None:
    toks = tokens(MIXED)
    line = layout_document(MIXED, 40).lines[0]
    # drawn: "مهم 2022 نإ John Smith لاق" — the Latin run keeps its own order
    assert words(MIXED, toks, tokens_on_line(line, toks)) == [
        "مهم", "2022", "إن", "John", "Smith", "قال"]


def test_left_goes_to_the_token_on_the_left_inside_a_latin_run() -> None:
    # reading order is قال John Smith ...; on screen Smith is left of قال, John left of Smith
    assert walk(MIXED, 40, "left") == ["قال", "Smith", "John", "إن", "2022", "مهم"]


def test_right_is_the_exact_reverse() -> None:
    last = len(tokens(MIXED)) - 1
    assert walk(MIXED, 40, "right", start=last) == [
        "مهم", "2022", "إن", "John", "Smith", "قال"]


def test_date_line_with_numbers() -> None:
    text = "الأربعاء 30 مارس 2022 - 19:11"
    assert walk(text, 40, "left") == ["الأربعاء", "30", "مارس", "2022", "-", "19:11"]


def test_left_past_the_leftmost_token_continues_on_the_next_line() -> None:
    text = "قال John Smith إن الاجتماع مهم جدا"
    toks = tokens(text)
    layout = layout_document(text, 16)
    assert len(layout.lines) > 1
    first = tokens_on_line(layout.lines[0], toks)
    second = tokens_on_line(layout.lines[1], toks)
    # from the leftmost token of line 1, Left enters line 2 at its rightmost token
    assert visual_neighbour(layout, toks, first[0], "left") == second[-1]
    # and Right from there comes back to the leftmost token of line 1
    assert visual_neighbour(layout, toks, second[-1], "right") == first[0]
    # a full walk visits every token once and ends at the last one
    visited = walk(text, 16, "left")
    assert sorted(visited) == sorted(words(text, toks, list(range(len(toks)))))
    assert visited[-1] == "جدا"


def test_paragraph_gaps_and_latin_only_paragraphs() -> None:
    text = "X\n\nVideo Thumbnail\n\nتابعونا على"
    # Latin lines are right-aligned in the RTL layout: Left enters at Thumbnail, then Video
    assert walk(text, 30, "left") == ["X", "Thumbnail", "Video", "تابعونا", "على"]
    last = len(tokens(text)) - 1
    assert walk(text, 30, "right", start=last) == [
        "على", "تابعونا", "Video", "Thumbnail", "X"]


def test_left_to_right_layout_continues_the_other_way() -> None:
    text = "aaa bbb ccc ddd"
    assert walk(text, 8, "right", mode="off", rtl=False) == ["aaa", "bbb", "ccc", "ddd"]
    assert walk(text, 8, "left", start=3, mode="off", rtl=False) == [
        "ddd", "ccc", "bbb", "aaa"]


def test_a_hard_broken_token_is_not_a_dead_end() -> None:
    text = "abcdefghij xy"
    toks = tokens(text)
    layout = layout_document(text, 4, mode="off")
    assert visual_neighbour(layout, toks, 0, "right", rtl=False) == 1
    assert visual_neighbour(layout, toks, 1, "left", rtl=False) == 0


def test_no_tokens() -> None:
    layout = layout_document("   ", 10)
    assert visual_neighbour(layout, [], 0, "left") == 0
