"""NFC with an exact map of offsets (issue 10, part 4): examples and properties.

The property proved for any string ``s`` with ``m = nfc_map(s)``:

* ``m.text == NFC(s)`` and ``m.changed == (s != m.text)``;
* for every pair of boundaries ``a <= b`` of ``s`` that both map,
  ``NFC(s[a:b]) == m.text[m.offset(a):m.offset(b)]`` (so in particular
  ``NFC(s[:i]) == m.text[:m.offset(i)]`` and ``NFC(s[i:]) == m.text[m.offset(i):]``);
* ``offset(0) == 0``, ``offset(len(s)) == len(m.text)``, mapped offsets never decrease;
* a boundary right before a safe character (a starter NFC can neither change nor
  combine with what precedes it) always maps: only cuts inside a sequence NFC
  changes are refused;
* an NFC string maps to itself, one to one.
"""

from __future__ import annotations

import sys
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.nfc_map import _SCAN_LIMIT, NfcMap, _patterns, _segments, map_range, nfc_map


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


FATHA, SHADDA, MADDA = "\u064e", "\u0651", "\u0653"

# Characters that NFC composes, reorders, replaces, or leaves alone, from several scripts.
ALPHABET = (
    "ابتمدلنويةءأإآى"  # Arabic letters (آ, أ, إ precomposed)
    + "".join(chr(c) for c in range(0x064B, 0x0656))  # harakat, shadda, sukun, madda, hamzas
    + "\u0670\u0640"  # superscript alef, tatweel
    + "aeoAEOnc"
    + "\u0300\u0301\u0302\u0308\u030a\u0327\u031b\u0323\u0345"  # Latin combining marks
    + "\u00e9\u00c5\u212b\u2126\u0344\u0958\uf900"  # precomposed, singletons, exclusions
    + "\u1100\u1101\u1161\u1162\u11a8\u11a9\uac00\uac01"  # Hangul jamo L V T, syllables
    + "\u0b47\u0b3e\u0b57\u0b56\u0bc6\u0bbe\u0bd7"  # Oriya/Tamil starters that compose
    + "\u0f71\u0f72\u0f73\u0f80\u0f81"  # Tibetan: decompose to non-starters
    + "\u05b4\u05bc\u05d9"  # Hebrew points
    + " .,«»0١"
)
strings = st.text(alphabet=st.sampled_from(ALPHABET), max_size=40)
any_strings = st.text(max_size=30)


def check_map(s: str) -> NfcMap:
    m = nfc_map(s)
    assert m.text == nfc(s)
    assert m.changed == (s != m.text)
    offsets = [m.offset(i) for i in range(len(s) + 1)]
    assert offsets[0] == 0 and offsets[-1] == len(m.text)
    mapped = [(i, o) for i, o in enumerate(offsets) if o is not None]
    assert all(o1 <= o2 for (_, o1), (_, o2) in zip(mapped, mapped[1:], strict=False))
    for x, (a, oa) in enumerate(mapped):
        for b, ob in mapped[x:]:
            assert nfc(s[a:b]) == m.text[oa:ob], (a, b)
            rng = map_range(m, a, b)
            assert rng == ((oa, ob) if ob > oa else None)
    _, safe = _patterns()
    for i, o in enumerate(offsets[:-1]):
        if safe.fullmatch(s[i]):
            assert o is not None, (i, s[i])
    return m


# --- examples ------------------------------------------------------------------


def test_shadda_and_fatha_reordered_in_a_word() -> None:
    word = "مُحَم" + SHADDA + FATHA + "دٌ"  # shadda (ccc 33) before fatha (ccc 30): not NFC
    original = f"قال {word} إن الاجتماع انتهى."
    assert not unicodedata.is_normalized("NFC", original)
    m = nfc_map(original)
    assert m.changed and len(m.text) == len(original)
    assert FATHA + SHADDA in m.text and SHADDA + FATHA not in m.text
    start = original.index(word)
    got = map_range(m, start, start + len(word))
    assert got == (start, start + len(word))
    assert m.text[got[0] : got[1]] == nfc(word)
    # a cut between the letter and its marks, or between the two marks, has no image
    mim = start + word.index(SHADDA) - 1
    assert m.offset(mim + 1) is None and m.offset(mim + 2) is None
    assert m.offset(mim) == mim and m.offset(mim + 3) == mim + 3


def test_alef_with_madda_composes() -> None:
    original = "قرأ القرا" + MADDA + "ن كله"
    m = nfc_map(original)
    assert m.text == "قرأ القرآن كله" and len(m.text) == len(original) - 1
    word_start = original.index("القرا")
    word_end = original.index("ن ") + 1
    assert map_range(m, word_start, word_end) == (4, 10)
    assert m.text[4:10] == "القرآن"
    madda = original.index(MADDA)
    assert m.offset(madda) is None  # between the alef and its madda
    assert map_range(m, word_start, madda) is None
    assert m.offset(madda + 1) == madda  # right after the composed alef
    assert m.offset(len(original)) == len(m.text)
    assert map_range(m, word_end + 1, len(original)) == (11, 14)
    assert m.text[11:14] == "كله"


def test_latin_e_acute() -> None:
    m = nfc_map("cafe\u0301 noir")
    assert m.text == "café noir"
    assert [m.offset(i) for i in range(6)] == [0, 1, 2, 3, None, 4]
    assert map_range(m, 0, 5) == (0, 4)
    assert map_range(m, 6, 10) == (5, 9)
    assert map_range(m, 3, 5) == (3, 4)  # "é"
    assert map_range(m, 4, 6) is None


def test_hangul_jamo_compose_with_a_preceding_starter() -> None:
    m = nfc_map("x\u1100\u1161\u11a8y")
    assert m.text == "x\uac01y"
    assert [m.offset(i) for i in range(6)] == [0, 1, None, None, 2, 3]


def test_identity_and_fast_path() -> None:
    text = "قال الوزير إن «التعاون» مستمر. " * 2000
    m = nfc_map(text)
    assert not m.changed and m.text is text
    assert m.offset(0) == 0 and m.offset(17) == 17 and m.offset(len(text)) == len(text)
    assert map_range(m, 4, 10) == (4, 10)
    assert map_range(m, 4, 4) is None
    assert nfc_map("") == NfcMap("", False, 0)


def test_out_of_range_offsets_raise() -> None:
    m = nfc_map("cafe\u0301")
    with pytest.raises(IndexError):
        m.offset(-1)
    with pytest.raises(IndexError):
        m.offset(6)
    with pytest.raises(IndexError):
        map_range(m, 0, 6)


def test_empty_mapped_range_is_none() -> None:
    m = nfc_map("a\u0627" + MADDA + "b")
    assert map_range(m, 1, 3) == (1, 2)
    assert map_range(m, 3, 3) is None
    assert map_range(m, 3, 1) is None


def test_large_text_with_one_reordered_pair_is_fast() -> None:
    head = "قال الوزير إن التعاون مستمر بين البلدين. " * 700
    word = "مُحَم" + SHADDA + FATHA + "دٌ"
    original = (head + word + " " + head)[:50_000]
    assert len(original) == 50_000 and not unicodedata.is_normalized("NFC", original)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        m = nfc_map(original)
        best = min(best, time.perf_counter() - t0)
    assert m.text == nfc(original) and len(_segments(original)) == 1
    start = original.index(word)
    assert map_range(m, start, start + len(word)) == (start, start + len(word))
    assert best < 0.02


def test_scan_limit_covers_every_decomposition_and_mark() -> None:
    """Above ``_SCAN_LIMIT`` no character decomposes canonically or is a non-starter,
    so the table of unsafe characters is complete for this Python's Unicode."""
    for cp in range(_SCAN_LIMIT, sys.maxunicode + 1):
        ch = chr(cp)
        assert unicodedata.combining(ch) == 0, hex(cp)
        d = unicodedata.decomposition(ch)
        assert not d or d.startswith("<"), hex(cp)


# --- properties ------------------------------------------------------------------


@settings(max_examples=400)
@given(strings)
def test_map_properties(s: str) -> None:
    check_map(s)


@settings(max_examples=300)
@given(any_strings)
def test_map_properties_any_unicode(s: str) -> None:
    check_map(s)


@settings(max_examples=300)
@given(st.one_of(strings, any_strings))
def test_segments_reassemble_to_nfc(s: str) -> None:
    """NFC of the text equals the unchanged stretches plus the NFC of each segment,
    the safe-boundary property itself (so the whole-text fallback never runs)."""
    parts, pos = [], 0
    for start, end, normal in _segments(s):
        assert pos <= start < end and normal == nfc(s[start:end]) != s[start:end]
        parts += [s[pos:start], normal]
        pos = end
    parts.append(s[pos:])
    assert "".join(parts) == nfc(s)


@settings(max_examples=200)
@given(st.lists(strings, min_size=1, max_size=80).map("".join))
def test_long_strings_cross_chunk_boundaries(s: str) -> None:
    m = nfc_map(s * 40)  # longer than a chunk
    assert m.text == nfc(s * 40)
    for i in range(0, len(s) * 40 + 1, max(1, len(s) // 3)):
        o = m.offset(i)
        if o is not None:
            assert nfc((s * 40)[:i]) == m.text[:o]
            assert nfc((s * 40)[i:]) == m.text[o:]


@settings(max_examples=300)
@given(st.one_of(strings, any_strings))
def test_nfc_input_maps_to_itself(s: str) -> None:
    t = nfc(s)
    m = nfc_map(t)
    assert not m.changed and m.text == t
    assert [m.offset(i) for i in range(len(t) + 1)] == list(range(len(t) + 1))
