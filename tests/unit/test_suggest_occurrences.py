"""Annotate all occurrences (annotator.suggest.occurrences): Arabic keys, word boundaries,
proclitics outside the span the way the original span left them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.suggest.clitics import name_key
from annotator.suggest.occurrences import find_in_other, find_occurrences
from annotator.suggest.proposal import Proposal
from annotator.text.keys import match_key

WORDS = ["وللمغرب", "بالرباط", "والمغرب", "فالمغرب", "كالمغرب", "المغرب", "للمغرب"]


def _texts(text: str, props: list[Proposal]) -> list[str]:
    return [text[p.start:p.end] for p in props]


# the word, then the span's text with the article inside / outside the original span
CLITICS = [
    ("وللمغرب", "مغرب", "مغرب"),
    ("والمغرب", "المغرب", "مغرب"),
    ("فالمغرب", "المغرب", "مغرب"),
    ("كالمغرب", "المغرب", "مغرب"),
    ("بالمغرب", "المغرب", "مغرب"),
    ("المغرب", "المغرب", "مغرب"),
    ("وبِالمَغرِب", "المَغرِب", "مَغرِب"),
    ("بالرباط", None, None),
    ("المغربية", None, None),  # a suffix: another word
    ("مغرب", None, None),  # no article: not the name المغرب
    ("بمغرب", None, None),
]


@pytest.mark.parametrize(("word", "inside", "outside"), CLITICS)
def test_clitic_table(word: str, inside: str | None, outside: str | None) -> None:
    text = f"زار الوزير المغرب أمس ثم {word} اليوم."
    at = text.index("المغرب")
    with_article = find_occurrences(text, at, at + 6, "GPE")
    without = find_occurrences(text, at + 2, at + 6, "GPE")
    assert _texts(text, with_article) == ([inside] if inside else [])
    assert _texts(text, without) == ([outside] if outside else [])
    for p in with_article + without:
        assert p.label == "GPE" and p.source == "occurrences" and p.score == 1.0
        assert text[p.end:p.end + 1] == " "  # the span ends at the word's end


def test_the_original_span_and_taken_ranges_are_not_proposed() -> None:
    text = "المغرب والمغرب بالمغرب"
    props = find_occurrences(text, 0, 6, "GPE", taken=[(8, 14)])
    assert [(p.start, p.end) for p in props] == [(16, 22)]


def test_nested_occurrences_stay_crossing_ones_go() -> None:
    text = "المغرب ثم بنك المغرب"
    at = text.rindex("المغرب")
    assert [(p.start, p.end) for p in find_occurrences(text, 0, 6, "GPE", taken=[(10, 20)])] \
        == [(at, at + 6)]
    assert find_occurrences(text, 0, 6, "GPE", taken=[(at + 3, at + 8)]) == []


def test_a_name_without_article_takes_conjunction_and_preposition() -> None:
    text = "قال لفتيت إن ولفتيت وبلفتيت وللفتيت ولفتيتي فتيت"
    props = find_occurrences(text, 4, 9, "PERS")
    assert _texts(text, props) == ["لفتيت", "لفتيت", "لفتيت"]
    assert all(text[p.start - 1] in "وبل" for p in props)


def test_multi_word_names_fold_hamza_ta_marbuta_and_spaces() -> None:
    text = "وزارة الداخلية ثم بوزاره  الدّاخليّة و وزارة الداخليات"
    props = find_occurrences(text, 0, 14, "ORG")
    assert _texts(text, props) == ["وزاره  الدّاخليّة"]
    text2 = "الأمم المتحدة وللامم المتحدة"
    assert _texts(text2, find_occurrences(text2, 0, 13, "ORG")) == ["امم المتحدة"]


def test_find_in_other_documents() -> None:
    text = "في بالرباط و الرباط ثم مغرب والمغرب"
    assert _texts(text, find_in_other(text, "الرباط", "GPE", with_article=False)) \
        == ["الرباط", "الرباط"]
    assert _texts(text, find_in_other(text, "مغرب", "GPE", with_article=True)) == ["مغرب"]
    assert _texts(text, find_in_other(text, "مغرب", "GPE", with_article=False)) == ["مغرب"]
    assert find_in_other(text, "  ", "GPE", with_article=False) == []


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", match_key(s))


pieces = st.lists(
    st.sampled_from(WORDS + ["مغرب", "المغربية", " ", "  ", "،", "ـ", "\u064e", "x", "3",
                             "\u200c", "ﻻ", "أ", "\n"]),
    min_size=1, max_size=30)


@given(pieces, st.integers(min_value=0, max_value=10))
def test_every_proposal_is_a_range_of_the_text_with_the_originals_key(
        parts: list[str], pick: int) -> None:
    text = "".join(parts)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    if not words:
        return
    s, e = words[pick % len(words)]
    original = name_key(text[s:e])
    stripped = re.sub("^ال", "", original)
    for start, end in ((s, e), (s + 2, e)):
        if start >= end:
            continue
        for p in find_occurrences(text, start, end, "GPE"):
            assert 0 <= p.start < p.end <= len(text)
            assert _key(text[p.start:p.end]) in {original, stripped, name_key(text[start:end])}
            assert not (p.start < end and start < p.end)  # never the original itself


def test_a_stem_starting_with_lam_loses_the_articles_lam_after_li() -> None:
    text = "قررت اللجنة أمس وللجنة وباللجنة"
    at = text.index("اللجنة")
    assert _texts(text, find_occurrences(text, at, at + 6, "ORG")) == ["لجنة", "اللجنة"]


def test_drop_taken_keeps_nesting_and_drops_equal_crossing_and_repeated() -> None:
    from annotator.suggest.proposal import crosses, drop_taken

    assert crosses((0, 5), (0, 5)) and crosses((0, 5), (3, 8))
    assert not crosses((0, 5), (1, 4)) and not crosses((1, 4), (0, 5))
    assert not crosses((0, 5), (5, 9))
    props = [Proposal(20, 30, "A", "model"), Proposal(0, 5, "A", "model"),
             Proposal(0, 5, "B", "model"), Proposal(6, 9, "A", "model"),
             Proposal(40, 42, "A", "model")]
    kept = drop_taken(props, [(5, 7), (0, 50), (41, 45)])
    assert [(p.start, p.end, p.label) for p in kept] == [(0, 5, "A"), (20, 30, "A")]
