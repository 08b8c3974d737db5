"""Shaping for terminals that do not shape: one glyph per letter, harakat kept."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from annotator.bidi import NO_CHAR, layout_document
from annotator.bidi.shaping import RESHAPER_CONFIG, reshaper, shape_characters

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def test_configuration_keeps_one_glyph_per_letter() -> None:
    assert RESHAPER_CONFIG["delete_harakat"] is False
    assert RESHAPER_CONFIG["delete_tatweel"] is False
    assert RESHAPER_CONFIG["support_ligatures"] is False
    assert RESHAPER_CONFIG["shift_harakat_position"] is False


def test_lam_alef_is_not_a_ligature() -> None:
    shaped = shape_characters("لا")
    assert shaped is not None and len(shaped) == 2
    assert all(is_presentation_form(ch) for ch in shaped)
    assert "\ufefb" not in shaped and "\ufefc" not in shaped  # LAM WITH ALEF forms
    assert "ﷲ" not in "".join(shape_characters("الله") or [])


def test_contextual_forms_are_chosen_from_neighbours() -> None:
    shaped = shape_characters("بب ب")
    assert shaped == ["\ufe91", "\ufe90", " ", "ب"]  # initial, final, space, isolated


def test_harakat_and_tatweel_are_kept() -> None:
    text = "بَـــاب"
    shaped = shape_characters(text)
    assert shaped is not None and len(shaped) == len(text)
    assert shaped[1] == "\u064e" and shaped[2:5] == ["ـ"] * 3


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_reshaped_seeds_keep_base_characters_one_to_one(path: Path) -> None:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    for paragraph in text.split("\n"):
        raw = reshaper().reshape(paragraph)
        assert len(raw) == len(paragraph)
        shaped = shape_characters(paragraph)
        assert shaped is not None and len(shaped) == len(paragraph)
        assert all(len(glyph) == 1 for glyph in shaped)


@pytest.mark.parametrize("width", [20, 47, 80])
def test_shaped_layout_has_the_same_cells_as_unshaped(width: int) -> None:
    text = "السَّلامُ عليكم، قال (لا) 2022 Ahmed بـــاب\nسطر ثانٍ"
    plain = layout_document(text, width)
    shaped = layout_document(text, width, shape=True)
    assert [ln.col_to_logical for ln in plain.lines] == [ln.col_to_logical for ln in shaped.lines]
    changed = 0
    for a, b in zip(plain.lines, shaped.lines, strict=True):
        for pa, sh, offset in zip(a.cells, b.cells, a.col_to_logical, strict=True):
            if offset == NO_CHAR:
                assert pa == sh == " "
                continue
            assert len(sh) == len(pa) and sh[1:] == pa[1:]  # harakat kept in place
            changed += pa != sh
    assert changed > 10


def test_terminal_and_off_modes_are_never_shaped() -> None:
    text = "مرحبا"
    for mode in ("terminal", "off"):
        line = layout_document(text, 10, mode=mode, shape=True).lines[0]
        assert not any(is_presentation_form(c) for c in line.cells)
