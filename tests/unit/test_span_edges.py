"""The clean-edges rule of new spans (annotator.text.span_edges): examples and properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.bidi.units import split_units
from annotator.text.span_edges import clean_edges, edge_problem, on_boundary

FATHA, SHADDA = "\u064e", "\u0651"
TEXT = "زار الرئيس الإمارات، ثم دبي."


def test_space_and_previous_letter_are_dropped() -> None:
    # `[ [` from الإمارات took the space and the last letter of the previous word
    start = TEXT.index("الإمارات")
    assert clean_edges(TEXT, start - 1, start + 8) == (start, start + 8)
    # the previous word's letter is content: the edge snaps past whitespace only
    assert clean_edges(TEXT, start - 2, start + 8) == (start - 2, start + 8)


def test_trailing_whitespace_is_dropped() -> None:
    start = TEXT.index("دبي")
    assert clean_edges(TEXT, start - 1, start + 4) == (start, start + 4)
    assert clean_edges("a  b  ", 0, 6) == (0, 4)


def test_punctuation_only_is_refused() -> None:
    assert clean_edges('قال "نعم"', 4, 5) is None
    assert clean_edges("، .", 0, 3) is None
    assert clean_edges("   ", 0, 3) is None
    assert clean_edges("2022", 0, 4) == (0, 4)  # digits count
    assert clean_edges("٢٠٢٢", 0, 4) == (0, 4)  # Arabic-Indic digits too


def test_edges_never_split_a_letter_from_its_harakat() -> None:
    text = f"ب{FATHA}{SHADDA}ت{FATHA} ك"
    # an end between ب and its marks moves back before ب (inwards, never outwards)
    assert clean_edges(text, 0, 2) is None
    assert clean_edges(text, 0, 3) == (0, 3)
    # a start inside ب's marks moves on to ت
    assert clean_edges(text, 1, 5) == (3, 5)
    # a mark on a space belongs to the space: both are dropped
    spaced = f"ب {FATHA}ت"
    assert clean_edges(spaced, 0, 4) == (0, 4)
    assert clean_edges(spaced, 1, 4) == (3, 4)


def test_edge_problem_names_the_fault() -> None:
    start = TEXT.index("الإمارات")
    assert edge_problem(TEXT, start, start + 8) is None
    assert edge_problem(TEXT, start - 1, start + 8) == "starts with whitespace"
    assert edge_problem(TEXT, start, start + 9) is None  # the comma is content
    assert edge_problem("ab ", 0, 3) == "ends with whitespace"
    assert edge_problem('"', 0, 1) == "holds no letter or digit"
    assert "harakat" in (edge_problem(f"ب{FATHA}", 0, 1) or "")
    assert "harakat" in (edge_problem(f"ب{FATHA}ت", 1, 3) or "")
    assert "not a range" in (edge_problem("ab", 1, 5) or "")


# ------------------------------------------------------------------ properties
alphabet = st.sampled_from([
    "ب", "ت", "ا", "ل", "ي", "a", "Z", "7", "٣", " ", "\u00a0", "\t", "\n", ".", "،", '"',
    "(", ")", "-", FATHA, SHADDA, "\u0652", "\u200c", "\u0640",
])
texts = st.lists(alphabet, min_size=1, max_size=30).map("".join)


@st.composite
def text_and_range(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(0, len(text)))
    return text, min(a, b), max(a, b)


@settings(max_examples=500, deadline=None)
@given(text_and_range())
def test_snapped_span_is_inside_clean_and_whole(case: tuple[str, int, int]) -> None:
    text, start, end = case
    got = clean_edges(text, start, end)
    if got is None:
        # refused: what lies inside holds no letter or digit once its edges are whole units
        inner = [i for i in range(start, end + 1) if on_boundary(text, i)]
        if len(inner) >= 2:
            assert not any(ch.isalnum() for ch in text[inner[0]:inner[-1]])
        return
    s, e = got
    assert start <= s < e <= end  # inside the input, never outwards
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert any(ch.isalnum() for ch in text[s:e])
    assert on_boundary(text, s) and on_boundary(text, e)
    assert edge_problem(text, s, e) is None
    assert clean_edges(text, s, e) == (s, e)  # idempotent


@settings(max_examples=300, deadline=None)
@given(texts)
def test_boundaries_are_the_display_units(text: str) -> None:
    """Within one paragraph, the boundaries are exactly where the bidi engine's display
    units start (a paragraph's leading marks join its first unit)."""
    para = text.split("\n")[0]
    if not para:
        return
    units = split_units(para)
    starts = set(units.starts) | {len(para)}
    for pos in range(1, len(para) + 1):
        assert on_boundary(para, pos) == (pos in starts), (para, pos)
