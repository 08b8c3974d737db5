"""Display units: a base with its zero-width marks, one or two cells."""

from __future__ import annotations

from annotator.bidi import NO_CHAR, layout_document
from annotator.bidi.chars import char_info
from annotator.bidi.units import DOTTED_CIRCLE, split_units

FATHA, SHADDA, DAMMA, SUPERSCRIPT_ALEF = "\u064e", "\u0651", "\u064f", "\u0670"
ZWJ, ZWNJ, RLM = "\u200d", "\u200c", "\u200f"


def test_harakat_join_their_base() -> None:
    text = "س" + FATHA + SHADDA + "ل" + DAMMA + "م"
    units = split_units(text)
    assert units.starts == (0, 3, 5)
    assert units.bases == (0, 3, 5)
    assert units.glyphs == ("س" + FATHA + SHADDA, "ل" + DAMMA, "م")
    assert units.widths == (1, 1, 1)
    assert not units.one_per_char and units.narrow


def test_superscript_alef_zwj_zwnj_are_marks_and_rlm_is_not_drawn() -> None:
    text = "ه" + SUPERSCRIPT_ALEF + "ب" + ZWJ + "ب" + ZWNJ + "a" + RLM + "b"
    units = split_units(text)
    assert units.bases == (0, 2, 4, 6, 8)
    assert units.glyphs == ("ه" + SUPERSCRIPT_ALEF, "ب" + ZWJ, "ب" + ZWNJ, "a", "b")


def test_wide_characters_take_two_cells() -> None:
    units = split_units("中a")
    assert units.widths == (2, 1)
    line = layout_document("中a", 6, mode="off").lines[0]
    assert line.cells[:3] == ("中", "", "a")
    assert line.col_to_logical[:3] == (0, 0, 1)
    assert line.logical_to_col(0) == 0 and line.logical_to_col(1) == 2


def test_leading_marks_join_the_first_unit() -> None:
    units = split_units(FATHA + "ب")
    assert units.starts == (0,) and units.bases == (1,)
    assert units.glyphs == ("ب" + FATHA,)


def test_paragraph_of_marks_only_is_one_visible_unit() -> None:
    units = split_units(FATHA + DAMMA)
    assert units.glyphs == (DOTTED_CIRCLE + FATHA + DAMMA,)
    assert split_units(RLM).glyphs == (" ",)


def test_tab_is_one_blank_cell_and_a_break() -> None:
    units = split_units("a\tb")
    assert units.glyphs == ("a", " ", "b")
    assert units.breaks == (1,)


def test_char_info_classes() -> None:
    assert char_info(FATHA).zero_width and char_info(FATHA).drawn
    assert char_info(RLM).zero_width and not char_info(RLM).drawn
    assert char_info("\u00a0").breakable is False  # no-break space
    assert char_info(" ").breakable and char_info(" ").l1_reset
    assert char_info("(").mirror == ")" and char_info("«").mirror == "»"
    assert char_info("a").mirror is None


def test_marks_map_to_their_base_column() -> None:
    text = "س" + FATHA + "لام"
    line = layout_document(text, 10).lines[0]
    col = line.logical_to_col(0)
    assert col is not None and line.logical_to_col(1) == col
    assert line.col_to_logical[col] == 0
    assert line.cells[col] == "س" + FATHA
    assert NO_CHAR not in line.col_to_logical[-4:]
