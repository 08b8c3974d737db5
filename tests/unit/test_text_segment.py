"""Sentence and token segmentation: unit cases and properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.segment import (
    OPENERS,
    segment,
    split_sentences,
    split_tokens,
    tokens_in,
)

HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0653))
ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى"
    + HARAKAT
    + "\u0640"
    + "abcXYZ"
    + "0123456789٠١٢٣٤٥٦٧٨٩"
    + "،؛؟«».!()\"…:/,“”[]@'"
    + "ـمه"
    + " \n\t\u00a0\r"
)
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=300)


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def toks(text: str) -> list[str]:
    return [text[s:e] for s, e in split_tokens(text)]


# --- sentences ---------------------------------------------------------------


def test_arabic_comma_and_semicolon_do_not_split() -> None:
    text = "قال الوزير، إن التعاون مستمر؛ وأضاف أن النتائج جيدة."
    assert sents(text) == [text]


def test_terminators_split() -> None:
    text = "انعقد الاجتماع. هل نجح؟ نعم! ثم ماذا… انتهى"
    assert sents(text) == ["انعقد الاجتماع.", "هل نجح؟", "نعم!", "ثم ماذا…", "انتهى"]


def test_many_sentences_are_not_capped() -> None:
    text = " ".join(f"هذه هي الجملة رقم {i} في النص." for i in range(45))
    got = sents(text)
    assert len(got) == 45
    assert got[0] == "هذه هي الجملة رقم 0 في النص."
    assert got[44] == "هذه هي الجملة رقم 44 في النص."


def test_newline_always_ends_a_sentence() -> None:
    text = "فقرة أولى بلا نقطة\nفقرة ثانية، متصلة\r\nوثالثة."
    assert sents(text) == ["فقرة أولى بلا نقطة", "فقرة ثانية، متصلة", "وثالثة."]


def test_full_stop_inside_numbers_domains_and_abbreviations() -> None:
    text = "بلغت النسبة 3.5 بالمائة حسب برلمان.كوم وقال د. محمد إن U.S. Army وصل. ثم غادر."
    assert sents(text) == [
        "بلغت النسبة 3.5 بالمائة حسب برلمان.كوم وقال د. محمد إن U.S. Army وصل.",
        "ثم غادر.",
    ]


def test_latin_abbreviation_and_list_number() -> None:
    assert sents("Dr. Smith met Mr. Jones. They talked.") == [
        "Dr. Smith met Mr. Jones.",
        "They talked.",
    ]
    assert sents("1. البند الأول") == ["1. البند الأول"]


def test_closing_quotes_and_brackets_belong_to_the_sentence() -> None:
    text = 'قال «انتهى الاجتماع.» ثم غادر. (وهذا مؤكد.) وقال "نعم!" أخيرا.'
    assert sents(text) == [
        "قال «انتهى الاجتماع.»",
        "ثم غادر.",
        "(وهذا مؤكد.)",
        'وقال "نعم!"',
        "أخيرا.",
    ]


def test_sentences_exclude_whitespace_and_skip_empty() -> None:
    text = "  \u00a0 أولى.   \n\n \t ثانية؟  \n   "
    assert sents(text) == ["أولى.", "ثانية؟"]
    assert split_sentences("") == []
    assert split_sentences(" \n\t\u00a0") == []


def test_dateline_is_one_sentence() -> None:
    assert sents("الأربعاء 30 مارس 2022 - 19:11\nنص") == ["الأربعاء 30 مارس 2022 - 19:11", "نص"]


# Cases measured on real newspaper articles (issue 10, part 5): input → sentences.
REAL_NEWS_CASES = [
    # a full stop directly before an Arabic letter ends a sentence ...
    ("ارتفعت الأسعار في السوق.وأضاف المصدر أن",
     ["ارتفعت الأسعار في السوق.", "وأضاف المصدر أن"]),
    ("انتظر...وأضاف", ["انتظر...", "وأضاف"]),
    ("قال.«الحكومة» ستعمل", ["قال.", "«الحكومة» ستعمل"]),
    ('قال."الحكومة ستعمل" ثم', ["قال.", '"الحكومة ستعمل" ثم']),
    ('قال "نعم."وأضاف', ['قال "نعم."', "وأضاف"]),
    # ... unless a decimal, an abbreviation, a URL, a domain or an e-mail
    ("بلغت 3.5 بالمائة.وأضاف", ["بلغت 3.5 بالمائة.", "وأضاف"]),
    ("بلغت ٣٫٥ و٣.٥ بالمائة.وأضاف", ["بلغت ٣٫٥ و٣.٥ بالمائة.", "وأضاف"]),
    ("وقال د.محمد إن الأمر انتهى.ثم غادر", ["وقال د.محمد إن الأمر انتهى.", "ثم غادر"]),
    ("وقال Dr.محمد كلاما", ["وقال Dr.محمد كلاما"]),
    ("زوروا www.hespress.com لمزيد", ["زوروا www.hespress.com لمزيد"]),
    ("زوروا www.موقع.كوم اليوم", ["زوروا www.موقع.كوم اليوم"]),
    ("زوروا hespress.com.وأضاف", ["زوروا hespress.com.", "وأضاف"]),
    ("حسب برلمان.كوم اليوم", ["حسب برلمان.كوم اليوم"]),
    ("راسلوا a.b@x.ma للاستفسار", ["راسلوا a.b@x.ma للاستفسار"]),
    ("راسلوا a.b@x.ma.شكرا", ["راسلوا a.b@x.ma.شكرا"]),
    ("انظر http://x.ma/a.b.وقال", ["انظر http://x.ma/a.b.وقال"]),
    ("انظر http://x.ma/مقال.وقال", ["انظر http://x.ma/مقال.وقال"]),
    ("1.البند الأول", ["1.البند الأول"]),
    # a piece without letters or digits never stands alone
    ("هل نجح؟» . وقال الوزير", ["هل نجح؟» .", "وقال الوزير"]),
    ("هل نجح؟» .\nوقال", ["هل نجح؟» .", "وقال"]),
    ("انتهى. . . ثم بدأ", ["انتهى. . .", "ثم بدأ"]),
    (". . وقال الوزير. ثم", [". . وقال الوزير.", "ثم"]),
    ("!!! ؟", ["!!! ؟"]),
    ("أولى.\n. .\nثانية", ["أولى.", ". .", "ثانية"]),
    # never split right after an opening quote or bracket
    ("قال: «...انتهى الأمر.» ثم غادر.", ["قال: «...انتهى الأمر.»", "ثم غادر."]),
    ("قال: « ... انتهى» ثم غادر.", ["قال: « ... انتهى» ثم غادر."]),
    ("قال (...) إن الأمر انتهى.", ["قال (...) إن الأمر انتهى."]),
    ("وقال “... نعم” ثم غادر.", ["وقال “... نعم” ثم غادر."]),
    ('وقال "... نعم" ثم غادر.', ['وقال "... نعم" ثم غادر.']),
    ('قال "انتهى. ثم غادر".وأضاف', ["قال \"انتهى.", 'ثم غادر".', "وأضاف"]),
    ('"...وقال الوزير', ['"...وقال الوزير']),
    ("ورد [...] في النص.", ["ورد [...] في النص."]),
    # a year marker ends a sentence; م. alone stays an initial
    ("ولد سنة 2015 م. وقال الوزير", ["ولد سنة 2015 م.", "وقال الوزير"]),
    ("ولد سنة 2015م. وقال الوزير", ["ولد سنة 2015م.", "وقال الوزير"]),
    ("توفي سنة 1436 هـ. وقال", ["توفي سنة 1436 هـ.", "وقال"]),
    ("توفي سنة ١٤٣٦ هـ. وقال", ["توفي سنة ١٤٣٦ هـ.", "وقال"]),
    ("توفي سنة 1436 ه. وقال", ["توفي سنة 1436 ه.", "وقال"]),
    ("بني سنة 500 ق.م. وقال", ["بني سنة 500 ق.م.", "وقال"]),
    ("سنة 2015 م.وأضاف", ["سنة 2015 م.", "وأضاف"]),
    ("سنة 2015 م.\nوقال", ["سنة 2015 م.", "وقال"]),
    ("قال م. محمد إن", ["قال م. محمد إن"]),
    ("طوله 5 م. تقريبا", ["طوله 5 م. تقريبا"]),
    # kept: closing quotes, ?/؟/!, the Arabic comma, abbreviations, decimals
    ("قال «انتهى.» ثم غادر. (وهذا مؤكد.) أخيرا",
     ["قال «انتهى.»", "ثم غادر.", "(وهذا مؤكد.)", "أخيرا"]),
    ("هل نجح؟نعم!ثم ماذا", ["هل نجح؟", "نعم!", "ثم ماذا"]),
    ("قال الوزير، إن التعاون مستمر؛ وأضاف.", ["قال الوزير، إن التعاون مستمر؛ وأضاف."]),
    ("U.S. Army وصل. ثم غادر.", ["U.S. Army وصل.", "ثم غادر."]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), REAL_NEWS_CASES)
def test_real_news_cases(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


# --- tokens ------------------------------------------------------------------


def test_numbers_stay_whole() -> None:
    text = "بلغت 3.5 عند 19:11 يوم ٢٠٢٢/٠٣/٣٠ و1,000 و٣٫٥ في 2022."
    assert toks(text) == [
        "بلغت", "3.5", "عند", "19:11", "يوم", "٢٠٢٢/٠٣/٣٠", "و", "1,000", "و", "٣٫٥",
        "في", "2022", ".",
    ]  # fmt: skip


def test_harakat_and_tatweel_stay_in_the_word() -> None:
    assert toks("مَدْرَسَةٌ إقــــرأ محمّدٌ") == ["مَدْرَسَةٌ", "إقــــرأ", "محمّدٌ"]


def test_punctuation_is_one_token_per_mark() -> None:
    assert toks('«قال»: (نعم)، "لا"؟!...') == [
        "«", "قال", "»", ":", "(", "نعم", ")", "،", '"', "لا", '"', "؟", "!", ".", ".", ".",
    ]  # fmt: skip


def test_letters_and_digits_split() -> None:
    assert toks("11مايو") == ["11", "مايو"]


def test_split_tokens_window_and_bad_range() -> None:
    text = "أولى. ثانية جدا."
    assert [text[s:e] for s, e in split_tokens(text, 6)] == ["ثانية", "جدا", "."]
    assert [text[s:e] for s, e in split_tokens(text, 0, 4)] == ["أولى"]
    with pytest.raises(ValueError):
        split_tokens(text, 5, 2)
    with pytest.raises(ValueError):
        split_tokens(text, 0, len(text) + 1)


def test_tokens_in_and_segmentation() -> None:
    text = "زار الوزير الرباط. ثم عاد إلى الدوحة."
    seg = segment(text)
    assert seg.sentences == split_sentences(text)
    assert seg.tokens == split_tokens(text)
    second = [text[s:e] for s, e in tokens_in(text, seg.sentences[1])]
    assert second == ["ثم", "عاد", "إلى", "الدوحة", "."]
    assert seg.sentence_tokens(1) == tokens_in(text, seg.sentences[1])
    assert seg.sentence_at(0) == 0
    assert seg.sentence_at(text.index("عاد")) == 1
    assert seg.sentence_at(text.index(" ثم")) is None


def test_large_article_segments_fast() -> None:
    para = (
        'أكد وزير الداخلية "عبد الوافي لفتيت"، يومه الثلاثاء 29 مارس 2022 على الساعة 19:11، '
        "أن التعاون مستمر بنسبة 3.5 بالمائة. وقال إن «الجهود متواصلة»! "
    )
    text = "\n".join([para] * (50_000 // len(para) + 1))[:50_000]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        seg = segment(text)
        best = min(best, time.perf_counter() - t0)
    assert len(seg.sentences) > 500
    assert best < 0.1


# --- properties --------------------------------------------------------------


@settings(max_examples=300)
@given(texts)
def test_sentence_properties(text: str) -> None:
    sentences = split_sentences(text)
    for s, e in sentences:
        assert 0 <= s < e <= len(text)
        piece = text[s:e]
        assert piece and piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece
    assert all(a[1] <= b[0] for a, b in zip(sentences, sentences[1:], strict=False))
    covered = {i for s, e in sentences for i in range(s, e)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


# Sentence-like texts: words, numbers, stops glued or spaced, quotes, brackets.
_PIECES = [
    "قال", "السوق", "وأضاف", "د", "م", "هـ", "2015", "١٤٣٦", "3", "www", "hespress", "com",
    "كوم", "a", "U", "S", "@", "http://x", "/", ".", ".", ".", "...", "؟", "!", "،", "«", "»",
    "(", ")", '"', "“", "”", "[", "]", " ", " ", " ", " ", "\n",
]  # fmt: skip
news_like = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


def _line_of(text: str, i: int) -> tuple[int, int]:
    lo = max(text.rfind(c, 0, i) for c in "\n\r") + 1
    his = [h for h in (text.find(c, i) for c in "\n\r") if h >= 0]
    return lo, min(his) if his else len(text)


@settings(max_examples=300)
@given(st.one_of(texts, news_like))
def test_sentence_shape_properties(text: str) -> None:
    sentences = split_sentences(text)
    for s, e in sentences:
        piece = text[s:e]
        line = _line_of(text, s)
        assert line[0] <= s < e <= line[1]  # a sentence lies on one line
        same_line = [r for r in sentences if line[0] <= r[0] < line[1]]
        if not any(c.isalnum() for c in piece):
            assert same_line == [(s, e)], (piece, same_line)  # letterless: alone on its line
        if piece[-1] in OPENERS:
            assert text[e : line[1]].strip() == "", piece  # never ends after an opener
    # lines are segmented independently (paragraphs are never merged)
    if "\n" in text:
        cut = text.index("\n")
        head, tail = text[:cut], text[cut + 1 :]
        shifted = [(s + cut + 1, e + cut + 1) for s, e in split_sentences(tail)]
        assert sentences == split_sentences(head) + shifted


@settings(max_examples=300)
@given(news_like)
def test_sentence_cover_properties_on_news_like_text(text: str) -> None:
    sentences = split_sentences(text)
    assert all(a[1] <= b[0] for a, b in zip(sentences, sentences[1:], strict=False))
    covered = {i for s, e in sentences for i in range(s, e)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())
    for s, e in sentences:
        assert not text[s].isspace() and not text[e - 1].isspace()


@settings(max_examples=300)
@given(texts)
def test_token_properties(text: str) -> None:
    tokens = split_tokens(text)
    for s, e in tokens:
        assert 0 <= s < e <= len(text)
        assert not any(c.isspace() for c in text[s:e])
    assert all(a[1] <= b[0] for a, b in zip(tokens, tokens[1:], strict=False))
    counts = [0] * len(text)
    for s, e in tokens:
        for i in range(s, e):
            counts[i] += 1
    for i, c in enumerate(text):
        assert counts[i] == (0 if c.isspace() else 1), (i, c)


@settings(max_examples=300)
@given(texts)
def test_tokens_lie_within_sentences(text: str) -> None:
    tokens = split_tokens(text)
    per_sentence = []
    for s, e in split_sentences(text):
        inner = tokens_in(text, (s, e))
        assert all(s <= ts < te <= e for ts, te in inner)
        per_sentence.extend(inner)
    assert per_sentence == tokens


@given(texts)
def test_segmentation_is_deterministic(text: str) -> None:
    assert segment(text) == segment(text)


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_structure_holds_for_any_unicode(text: str) -> None:
    """Marks, format characters, exotic spaces and line breaks from any script."""
    tokens = split_tokens(text)
    counts = [0] * len(text)
    for s, e in tokens:
        for i in range(s, e):
            counts[i] += 1
    assert all(counts[i] == (0 if c.isspace() else 1) for i, c in enumerate(text))
    per_sentence = []
    for s, e in split_sentences(text):
        assert text[s:e] and text[s:e] == text[s:e].strip()
        per_sentence.extend(tokens_in(text, (s, e)))
    assert per_sentence == tokens
