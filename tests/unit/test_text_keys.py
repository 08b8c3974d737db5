"""Match keys: folding rules, the key->offset map and find_all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.text.keys import find_all, fold_char, keyed, match_key

HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0653))
ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱؤئةى"
    + HARAKAT
    + "\u0670\u0640"
    + "abcXYZß"
    + "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲"
    + '،؛؟«».!()":/'
    + " \n\t\u00a0"
)
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=120)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("أإآٱ", "اااا"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("مدرسة", "مدرسه"),
        ("على", "علي"),
        ("مَدْرَسَةٌ", "مدرسه"),
        ("محمّد", "محمد"),
        ("هٰذا", "هذا"),
        ("إقــــرأ", "اقرا"),
        ("٢٠٢٢", "2022"),
        ("۱۹۹۰", "1990"),
        ("٣٫٥", "3.5"),
        ("NATO Summit", "nato summit"),
        ("Straße", "strasse"),
        ("ﻻ", "لا"),
        ("ی", "ي"),
        ("ء", "ء"),
        ("a\u200fb\u200c", "ab"),
    ],
)
def test_match_key_examples(raw: str, key: str) -> None:
    assert match_key(raw) == key


def test_match_key_keeps_spaces_and_punctuation() -> None:
    assert match_key("قال: «نعم»، ثم غادر.") == "قال: «نعم»، ثم غادر."


def test_match_key_does_not_fold_bare_hamza_or_waw_into_each_other() -> None:
    assert match_key("سؤال") != match_key("سءال")
    assert match_key("سؤال") == "سوال"


def test_keyed_maps_back_to_original_offsets() -> None:
    text = "إِسْرَائِيلُ و٢٠٢٢"
    key, offsets = keyed(text)
    assert key == "اسراييل و2022"
    assert len(offsets) == len(key)
    assert [text[i] for i in offsets[:3]] == ["إ", "س", "ر"]
    assert text[offsets[-1]] == "٢"


def test_keyed_expansion_repeats_the_offset() -> None:
    key, offsets = keyed("aßb")
    assert key == "assb"
    assert offsets == [0, 1, 1, 2]


@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("زار وفد من إسرائيل المغرب", "اسرائيل", ["إسرائيل"]),
        ("في مدرسة المدينة", "مدرسه", ["مدرسة"]),
        ("مونديال قطر 2022 ونسخة ٢٠٢٢", "٢٠٢٢", ["2022", "٢٠٢٢"]),
        ("مونديال قطر 2022", "2022", ["2022"]),
        ("وزارة الداخلية", "وِزَارَة", ["وزارة"]),
        ("الإرهاب والإرهابيين", "الارهاب", ["الإرهاب", "الإرهاب"]),
        ("NATO and nato", "Nato", ["NATO", "nato"]),
        ("لا شيء هنا", "اسرائيل", []),
    ],
)
def test_find_all_examples(text: str, query: str, found: list[str]) -> None:
    assert [text[s:e] for s, e in find_all(text, query)] == found


def test_find_all_end_covers_trailing_harakat() -> None:
    text = "في مَدْرَسَةٌ كبيرة"
    [(s, e)] = find_all(text, "مدرسة")
    assert text[s:e] == "مَدْرَسَةٌ"
    assert text[e] == " "


def test_find_all_query_with_tashkeel_matches_plain_text() -> None:
    text = "اجتماع وزراء الداخلية العرب"
    [(s, e)] = find_all(text, "الدَّاخِلِيَّةُ")
    assert text[s:e] == "الداخلية"


def test_find_all_hits_do_not_overlap() -> None:
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]


def test_find_all_skips_hits_inside_an_expanded_character() -> None:
    assert find_all("ß", "s") == []
    assert find_all("Straße", "SS") == [(4, 5)]
    assert find_all("ﻻ", "لا") == [(0, 1)]


def test_find_all_empty_query_or_text() -> None:
    assert find_all("نص", "") == []
    assert find_all("نص", "\u064e\u0640") == []
    assert find_all("", "نص") == []


@given(texts)
def test_keyed_is_consistent_and_monotonic(text: str) -> None:
    key, offsets = keyed(text)
    assert key == match_key(text)
    assert len(offsets) == len(key)
    assert all(a <= b for a, b in zip(offsets, offsets[1:], strict=False))
    assert all(0 <= i < len(text) for i in offsets)
    assert all(key[k] in fold_char(text[i]) for k, i in enumerate(offsets))


@given(texts, texts)
def test_match_key_is_context_free(a: str, b: str) -> None:
    assert match_key(a + b) == match_key(a) + match_key(b)


@given(texts, st.data())
def test_find_all_results_match_the_query(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    query = data.draw(st.sampled_from([text[i:j], match_key(text[i:j]), text[i:j] + "\u064e"]))
    hits = find_all(text, query)
    qkey = match_key(query)
    for s, e in hits:
        assert 0 <= s < e <= len(text)
        assert match_key(text[s:e]) == qkey
    assert all(a[1] <= b[0] for a, b in zip(hits, hits[1:], strict=False))
    if qkey:
        assert hits, "a query cut from the text must be found in it"
    else:
        assert hits == []
