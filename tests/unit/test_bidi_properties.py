"""Property tests over mixed Arabic, Latin, digits, brackets, spaces and harakat."""

from __future__ import annotations

import icu
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.bidi import NO_CHAR, Layout, layout_document, prepare_paragraph
from annotator.bidi.reorder import visual_order
from annotator.bidi.units import DOTTED_CIRCLE

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةىـ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
LATIN = "abcXYZ"
DIGITS = "0123456789٠١٢"
PUNCT = "()[]{}<>«».,:-%/"
SPACES = "   "

base_chars = st.sampled_from(ARABIC + LATIN + DIGITS + PUNCT + SPACES)
harakat = st.sampled_from(HARAKAT)
# Mostly base characters, some harakat (also in odd places: after spaces, doubled).
characters = st.one_of(base_chars, base_chars, base_chars, harakat)
paragraphs = st.lists(characters, max_size=60).map("".join)
documents = st.lists(paragraphs, min_size=1, max_size=4).map("\n".join)
widths = st.integers(min_value=1, max_value=40)
modes = st.sampled_from(["app", "terminal", "off"])

# Word-shaped paragraphs: runs of each script, so lines often end inside LTR runs.
WORDS = ("قال", "الوزير", "abc", "XY", "2022", "3.5", "(نعم)", "[a]", "«ب»", "f(x)", "-", "١٢")
word_paragraphs = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(["", " ", "  ", "َ "])),
    max_size=20,
).map(lambda parts: "".join(w + sep for w, sep in parts))

EXTRA = "\t\u200d\u200c\u200f\u200e中字\u00a0"
# Bidi controls (isolates, embeddings, marks) carry levels of their own.
CONTROLS = "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"
control_paragraphs = st.lists(
    st.one_of(characters, st.sampled_from(CONTROLS + "\t\u200d\u200c中")), max_size=50
).map("".join)
rich_documents = st.lists(
    st.one_of(characters, st.sampled_from(EXTRA)), max_size=80
).map("".join).map(lambda s: s.replace("\t\t", "\t"))


def check_invariants(layout: Layout, text: str) -> None:
    width = layout.width
    seen: dict[int, int] = {}
    for i, line in enumerate(layout.lines):
        assert len(line.cells) == len(line.col_to_logical) == width
        assert 0 <= line.eol_col < width
        for offset in range(line.start, line.end):
            assert offset not in seen, "a character is on two lines"
            seen[offset] = i
            col = line.logical_to_col(offset)
            assert col is not None
            assert line.col_to_logical[col] == line.base_of(offset)
            assert layout.locate(offset) == (i, col)
        bases_on_line = [o for o in line.col_to_logical if o != NO_CHAR]
        for col, offset in enumerate(line.col_to_logical):
            if offset == NO_CHAR:
                assert line.cells[col] == " "
                continue
            assert line.start <= offset < line.end
            left = line.logical_to_col(offset)
            assert left is not None and left <= col <= left + 1
            assert layout.offset_at(i, col) == offset
        # each unit occupies one contiguous run of cells
        runs = [o for k, o in enumerate(bases_on_line) if k == 0 or bases_on_line[k - 1] != o]
        assert len(runs) == len(set(runs))
    assert sorted(seen) == [k for k, ch in enumerate(text) if ch != "\n"]


def check_harakat_stay_with_base(layout: Layout, text: str) -> None:
    for line in layout.lines:
        for offset in range(line.start, line.end):
            if text[offset] not in HARAKAT:
                continue
            base = line.base_of(offset)
            assert base is not None
            col = line.logical_to_col(offset)
            assert col is not None and text[offset] in line.cells[col]
            between = text[min(base, offset) + 1:max(base, offset)]
            assert all(ch in HARAKAT for ch in between)


@settings(max_examples=300, deadline=None)
@given(documents, widths, modes, st.booleans())
def test_every_character_once_and_maps_are_inverse(
    text: str, width: int, mode: str, gap: bool
) -> None:
    layout = layout_document(text, width, mode=mode, paragraph_gap=gap)  # type: ignore[arg-type]
    check_invariants(layout, text)
    check_harakat_stay_with_base(layout, text)


@settings(max_examples=200, deadline=None)
@given(rich_documents, widths, modes, st.booleans())
def test_invariants_with_tabs_joiners_controls_and_wide_characters(
    text: str, width: int, mode: str, shape: bool
) -> None:
    layout = layout_document(text, max(width, 2), mode=mode, shape=shape)  # type: ignore[arg-type]
    check_invariants(layout, text)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(paragraphs, word_paragraphs, control_paragraphs),
    st.integers(min_value=2, max_value=40),
)
def test_visual_order_matches_icu(paragraph: str, width: int) -> None:
    layout = layout_document(paragraph, width, paragraph_gap=False)
    ustr = icu.UnicodeString(paragraph)
    bidi = icu.Bidi()
    bidi.setPara(ustr, 1)
    bases = set(prepare_paragraph(paragraph).units.bases)
    for line in layout.lines:
        if line.start == line.end:
            continue
        line_bidi = bidi.setLine(line.start, line.end)
        expected = [line.start + i for i in line_bidi.getVisualMap() if line.start + i in bases]
        got = [o for k, o in enumerate(line.col_to_logical)
               if o != NO_CHAR and (k == 0 or line.col_to_logical[k - 1] != o)]
        assert got == expected
        # L4: a mirrored character at an odd level shows its mirror glyph.
        levels = line_bidi.getLevels()
        for col, offset in enumerate(line.col_to_logical):
            if offset == NO_CHAR or line.cells[col].startswith(DOTTED_CIRCLE):
                continue
            ch = paragraph[offset]
            if icu.Char.charMirror(ch) == ch:
                continue
            odd = levels[offset - line.start] % 2 == 1
            assert line.cells[col][0] == (icu.Char.charMirror(ch) if odd else ch)


@settings(max_examples=200, deadline=None)
@given(paragraphs, st.integers(min_value=1, max_value=40))
def test_shaping_keeps_cells_one_to_one(paragraph: str, width: int) -> None:
    plain = layout_document(paragraph, width)
    shaped = layout_document(paragraph, width, shape=True)
    for a, b in zip(plain.lines, shaped.lines, strict=True):
        assert a.col_to_logical == b.col_to_logical
        for pa, sh in zip(a.cells, b.cells, strict=True):
            assert len(pa) == len(sh) and pa[1:] == sh[1:]


def naive_visual_order(levels: list[int]) -> list[int]:
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(levels) + (1 - min(levels) % 2)
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


@given(st.lists(st.integers(min_value=0, max_value=6), max_size=30))
def test_run_based_reordering_equals_unit_by_unit_l2(levels: list[int]) -> None:
    assert visual_order(levels) == naive_visual_order(levels)
