"""The app-mode visual order equals ICU's, line by line, on the seed articles."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import icu
import pytest

from annotator.bidi import NO_CHAR, Layout, VisualLine, layout_document, prepare_paragraph

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
WIDTHS = range(20, 121)


def seed_text(path: Path) -> str:
    """The seed file after NFC; each of its lines is a paragraph."""
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))


@lru_cache(maxsize=512)
def icu_paragraph(paragraph: str) -> tuple[icu.UnicodeString, icu.Bidi]:
    ustr = icu.UnicodeString(paragraph)
    bidi = icu.Bidi()
    bidi.setPara(ustr, 1)
    return ustr, bidi  # keep the UnicodeString alive with the Bidi object


def icu_visual_bases(paragraph: str, para_offset: int, line: VisualLine) -> list[int]:
    """ICU's visual order for the line, as document offsets of unit bases."""
    _, bidi = icu_paragraph(paragraph)
    line_bidi = bidi.setLine(line.start - para_offset, line.end - para_offset)
    bases = set(prepare_paragraph(paragraph).units.bases)
    start = line.start - para_offset
    return [para_offset + start + i for i in line_bidi.getVisualMap() if start + i in bases]


def screen_bases(line: VisualLine) -> list[int]:
    """Our visual order: each unit's base once, left to right."""
    out: list[int] = []
    for offset in line.col_to_logical:
        if offset != NO_CHAR and (not out or out[-1] != offset):
            out.append(offset)
    return out


def paragraph_offsets(text: str) -> list[int]:
    offsets, pos = [], 0
    for part in text.split("\n"):
        offsets.append(pos)
        pos += len(part) + 1
    return offsets


def test_seeds_are_present() -> None:
    assert len(SEEDS) == 5
    assert all(ord(ch) <= 0xFFFF for path in SEEDS for ch in seed_text(path))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_visual_order_matches_icu_at_every_width(path: Path) -> None:
    text = seed_text(path)
    paragraphs = text.split("\n")
    offsets = paragraph_offsets(text)
    checked = 0
    for width in WIDTHS:
        layout = layout_document(text, width, paragraph_gap=False)
        for line in layout.lines:
            if line.start == line.end:
                continue
            p = line.paragraph
            assert screen_bases(line) == icu_visual_bases(paragraphs[p], offsets[p], line), (
                width, line.start, line.end,
            )
            checked += 1
    assert checked > 100 * len(WIDTHS) // 10


def check_round_trip(layout: Layout) -> None:
    for i, line in enumerate(layout.lines):
        assert len(line.cells) == len(line.col_to_logical) == layout.width
        for offset in range(line.start, line.end):
            col = line.logical_to_col(offset)
            assert col is not None
            base = line.col_to_logical[col]
            assert base == line.base_of(offset)
            assert layout.locate(offset) == (i, col)
            assert layout.offset_at(i, col) == base
        for col, offset in enumerate(line.col_to_logical):
            if offset != NO_CHAR:
                assert line.logical_to_col(offset) in (col, col - 1)  # wide: left cell


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_logical_column_round_trip_on_seeds(path: Path) -> None:
    text = seed_text(path)
    for width in (20, 37, 64, 80, 120):
        for mode in ("app", "terminal", "off"):
            layout = layout_document(text, width, mode=mode)
            check_round_trip(layout)
            covered = [o for ln in layout.lines for o in range(ln.start, ln.end)]
            assert covered == [i for i, ch in enumerate(text) if ch != "\n"]
