"""The caret's edge keys: one display unit at a time, never inside base + harakat."""

from __future__ import annotations

from annotator.text.segment import split_tokens
from annotator.tui.caret import Caret

TEXT = "لِلْبُولِيسَارِيُو"  # لِلْ + بُولِيسَارِيُو, fully vowelled


def test_edge_keys_skip_harakat() -> None:
    caret = Caret(split_tokens(TEXT))
    assert caret.target() == (0, len(TEXT))
    # ] twice: past لِ then past لْ, never between a letter and its haraka
    assert caret.move_edge("start", 1, len(TEXT), TEXT)
    assert caret.selection == (2, len(TEXT))
    assert caret.move_edge("start", 1, len(TEXT), TEXT)
    assert caret.selection is not None
    start, end = caret.selection
    assert TEXT[start:end] == "بُولِيسَارِيُو"
    # { : the end edge moves back over و, not between يُ and و's mark
    assert caret.move_edge("end", -1, len(TEXT), TEXT)
    assert TEXT[caret.selection[0]:caret.selection[1]] == "بُولِيسَارِيُ"
    assert caret.move_edge("end", -1, len(TEXT), TEXT)
    assert TEXT[caret.selection[0]:caret.selection[1]] == "بُولِيسَارِ"
    # [ : back by one unit (لْ with its sukun)
    assert caret.move_edge("start", -1, len(TEXT), TEXT)
    assert caret.selection[0] == 2


def test_edge_keys_plain_text_by_character() -> None:
    text = "للبوليساريو"
    caret = Caret(split_tokens(text))
    assert caret.move_edge("start", 1, len(text), text)
    assert caret.move_edge("start", 1, len(text), text)
    assert text[caret.selection[0]:caret.selection[1]] == "بوليساريو"  # type: ignore[index]
    assert not caret.move_edge("end", -9, len(text), text)  # never empty


def test_edge_keys_never_take_whitespace_in() -> None:
    text = "زار الرئيس الإمارات"
    start = text.index("الإمارات")
    caret = Caret(split_tokens(text))
    caret.select((start, len(text)))
    # [ onto the space before the word is refused, and says why
    assert not caret.move_edge("start", -1, len(text), text)
    assert caret.refusal == "space" and caret.selection == (start, len(text))
    # shrinking a two-word selection skips the space inwards
    first = text.index("الرئيس")
    caret.select((first, len(text)))
    for _ in range(len("الرئيس")):
        assert caret.move_edge("start", 1, len(text), text)
    assert caret.selection == (start, len(text))
    caret.select((first, len(text)))
    for _ in range(len("الإمارات")):
        assert caret.move_edge("end", -1, len(text), text)
    assert caret.selection == (first, first + len("الرئيس"))
