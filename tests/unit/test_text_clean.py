"""Article cleaning on the five seed articles and on synthetic input."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.text.clean import (
    LONG_WORDS,
    CleanResult,
    clean_article,
    collapse_spaces,
    normalise_only,
)
from annotator.text.furniture import line_key
from annotator.text.keys import match_key

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_IDS = ["000", "001", "002", "003", "004"]


@cache
def raw_seed(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def cleaned(prefix: str) -> CleanResult:
    return clean_article(raw_seed(prefix))


#: Web furniture seen in the seeds; none of it may survive as a line.
FURNITURE = [
    "X",
    "Video Thumbnail",
    "تابعونا على فيسبوك",
    "إقــــرأ المزيد",
    "Quantcast",
    "MyMeteo",
    "Facebook",
    "YouTube",
    "Newsletter",
    "Rss",
    "الاشتراك بالرسالة الاخبارية",
    "أدخل بريدك الإلكتروني للتوصل بآخر الأخبار",
    "000 34PX8EU",
    "تابع آخبار تليكسبريس على akhbar",
    "الرئيسية، مجتمع",
    "الرئيسية",
    "المصدر: برلمان.كوم",
    "اترك تعليقاً",
    "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
]

#: Input line numbers (1-based, non-blank) each seed must lose, and why.
EXPECTED_REMOVALS: dict[str, dict[int, str]] = {
    "000": {1: "furniture", 3: "furniture", 5: "furniture", 10: "duplicate", 23: "furniture"},
    "001": {
        1: "furniture", 37: "furniture", 40: "furniture", 41: "furniture",
        42: "furniture", 43: "furniture", 45: "furniture", 46: "furniture",
    },
    "002": {9: "code", 17: "furniture"},
    "003": {1: "furniture", 25: "source", 27: "furniture", 29: "furniture"},
    "004": {6: "duplicate", 7: "duplicate", 8: "duplicate", 9: "duplicate", 10: "furniture"},
}  # fmt: skip

#: Hand-picked body sentences (after whitespace collapsing) that must survive.
BODY_SENTENCES: dict[str, list[str]] = {
    "000": [
        "الأربعاء 30 مارس 2022 - 19:11",
        'أكد وزير الداخلية "عبد الوافي لفتيت"، في كلمة بمناسبة انعقاد الإجتماع الوزاري '
        "للتحالف الأمني الدولي في دورته الرابعة",
        "مبرزا أن انخراط المملكة المغربية في هذه الجهود الدولية،",
        'تضم منحدرين من جبهة "البوليساريو".',
        'و"محمد مفكر"، الوالي مدير التعاون الدولي.',
        'والمجتمعات الدولية كافة".',
    ],
    "001": [
        "2022 ماي 12 - تم تعديله في [التاريخ]",
        "العلم الإلكترونية - الرباط",
        "بدأت أمس الاربعاء 11مايو في مراكش أشغال اجتماع التحالف الدولي ضد داعش في منطقة "
        "الساحل و جنوبي الصحراء، من أجل إيجاد ديناميكية جديدة لمكافحة الإرهاب والتطرف",
        "الذي تحتضنه مراكش كفيلا بتحقيق تحول وانتقال نوعي في الحد من المخاطر الإرهابية.",
        "وكاتب الدولة الأمريكي، أنطوني بلينكن.",
        "اتفق أعضاء التحالف، في يونيو 2021، على تحويل التركيز إلى إفريقيا",
        "وهي المستوى السياسي والمستوى المؤسساتي، ثم المستوى الثقافي.",
    ],
    "002": [
        "لفعاليات مونديال قطر 2022، نموذجا بارزا لقوة المملكة المغربية على الصعيد الأمني",
        "وقد أكد دارمانان أن بلاده عازمة على تعزيز تعاونها الأمني مع المغرب",
        "بعيد لقائهما صبيحة يوم الاثنين 22 أبريل بالرباط.",
        "فهي تشير إلى الدور الكبير للمغرب في تبادل الخبرات والتجارب",
        "فالشراكات الأمنية الإستراتيجية تسهم في منع انتشار التهديدات الأمنية",
    ],
    "003": [
        "في تصريح لموقع “برلمان.كوم”، أن النموذج المغربي في مكافحة الإرهاب",
        "شرف احتضان أشغال الدورة الثالثة والتسعين للجمعية العامة للإنتربول سنة 2025",
        "وشدّد بودن على أن جهود المصالح الأمنية المغربية تحظى باهتمام دولي واسع عبر العالم",
        "ثالثا: التأكيد على ضرورة الامتناع عن ربط الإرهاب بأية ديانة أو مجموعة عرقية”.",
    ],
    "004": [
        "وهي مناطق تشهد نشاطًا متزايدًا للتنظيمات المتطرفة وشبكات العنف العابر للحدود.",
        "كما تم استعراض السبل الكفيلة بتطوير مبادرات مكافحة الإرهاب على المستوى الإقليمي",
        "معتبرًا إياها نموذجًا فاعلًا ومرجعًا مهمًا",
        "تجسيدًا للدور المتنامي للمغرب كشريك موثوق وفاعل أساسي",
        "استنادًا إلى رؤية أمنية شاملة تجمع بين الاستباقية والفعالية الميدانية",
    ],
}

EXPECTED_TITLES = {
    "000": "استعراض انخراط المغرب في الجهود الرامية لمنع حدوث انفلات في المنظومة الأمنية الدولية",
    "001": "مراكش: تحالف دولي لمكافحة الإرهاب في منطقة الساحل وجنوبي الصحراء",
    "002": "الزيارات الأمنية الدولية تبرز دور المغرب كلاعب رئيسي في مكافحة الإرهاب",
    "003": "كفاءة الأجهزة الأمنية تجعل المغرب أحد أهم نقاط الارتكاز العالمية لمكافحة الإرهاب",
}


# --- seeds -------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_no_furniture_line_survives(seed: str) -> None:
    lines = cleaned(seed).text.split("\n")
    keys = {match_key(line) for line in lines}
    for furniture in FURNITURE:
        assert furniture not in lines
        assert match_key(furniture) not in keys
    for line in lines:
        assert "إقرأ المزيد" not in match_key(line) and "اقرا المزيد" not in match_key(line)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_exactly_the_expected_lines_are_removed(seed: str) -> None:
    removed = {
        entry["line"]: entry["reason"]
        for entry in cleaned(seed).removed
        if entry["reason"] != "blank"
    }
    assert removed == EXPECTED_REMOVALS[seed]


@pytest.mark.parametrize("seed", SEED_IDS)
def test_every_other_line_survives_once(seed: str) -> None:
    """Every non-blank input line not listed as removed is a line of the text,
    exactly once: no body sentence is lost."""
    kept_lines = cleaned(seed).text.split("\n")
    raw_lines = unicodedata.normalize("NFC", raw_seed(seed)).split("\n")
    expected = [
        collapse_spaces(line)
        for no, line in enumerate(raw_lines, start=1)
        if collapse_spaces(line) and no not in EXPECTED_REMOVALS[seed]
    ]
    assert kept_lines == expected


@pytest.mark.parametrize("seed", SEED_IDS)
def test_hand_picked_body_sentences_survive(seed: str) -> None:
    text = cleaned(seed).text
    for sentence in BODY_SENTENCES[seed]:
        assert sentence in text


def test_seed_004_repeated_paragraphs_appear_once() -> None:
    raw_lines = raw_seed("004").split("\n")
    repeated = [collapse_spaces(line) for line in raw_lines[5:9]]
    assert repeated == [collapse_spaces(line) for line in raw_lines[1:5]]
    text = cleaned("004").text
    for paragraph in repeated:
        assert text.count(paragraph) == 1
    assert len(text.split("\n")) == 5


def test_seed_000_dateline_stays_and_repeated_headline_is_dropped() -> None:
    result = cleaned("000")
    lines = result.text.split("\n")
    assert lines[1] == "الأربعاء 30 مارس 2022 - 19:11"
    assert lines.count(EXPECTED_TITLES["000"]) == 1
    [dup] = [e for e in result.removed if e["reason"] == "duplicate"]
    assert dup["line"] == 10 and dup["rule"] == "repeat-headline" and dup["of"] == 7


@pytest.mark.parametrize("seed", sorted(EXPECTED_TITLES))
def test_titles(seed: str) -> None:
    assert cleaned(seed).title == EXPECTED_TITLES[seed]


def test_long_first_paragraph_gives_a_shortened_title() -> None:
    title = cleaned("004").title
    assert title.startswith("وبحسب بلاغ قطب المديرية العامة للأمن الوطني")
    assert title.endswith("…")
    assert len(title) <= 121


def test_source_line_is_recorded() -> None:
    result = cleaned("003")
    assert result.source == "برلمان.كوم"
    assert "المصدر" not in result.text


@pytest.mark.parametrize("seed", SEED_IDS)
def test_removed_audit(seed: str) -> None:
    result = cleaned(seed)
    assert result.removed
    raw_lines = unicodedata.normalize("NFC", raw_seed(seed)).split("\n")
    reasons = {"blank", "furniture", "code", "source", "duplicate"}
    for entry in result.removed:
        assert {"line", "text", "reason", "rule"} <= entry.keys()
        assert entry["reason"] in reasons
        assert raw_lines[entry["line"] - 1] == entry["text"]
    assert [e["line"] for e in result.removed] == sorted(e["line"] for e in result.removed)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_cleaned_text_shape(seed: str) -> None:
    assert_clean_shape(cleaned(seed).text)


def assert_clean_shape(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert text == text.strip()
    assert "\n\n" not in text and "\r" not in text
    for line in text.split("\n"):
        assert line == line.strip()
        assert "  " not in line and "\t" not in line and "\u00a0" not in line


# --- synthetic input ---------------------------------------------------------


def test_whitespace_is_collapsed_but_nothing_else_changes() -> None:
    raw = "\ufeff  عنوان\tالمقال  الطويل هنا \r\n\r\nنصٌّ\u00a0\u00a0مع   تشكيلٍ، وـتطويل.  \r\n"
    result = clean_article(raw)
    assert result.text == "عنوان المقال الطويل هنا\nنصٌّ مع تشكيلٍ، وـتطويل."


def test_nfc_is_applied() -> None:
    decomposed = "\u0627\u0654\u0643\u062f \u0627\u0644\u0648\u0632\u064a\u0631."
    result = clean_article(decomposed)
    assert result.text.startswith("أكد")
    assert unicodedata.is_normalized("NFC", result.text)


@pytest.mark.parametrize(
    "line",
    [
        "إقــرأ المزيد",
        "اقرأ المزيد",
        "إقرأ أيضاً",
        "اترك تعليقا",
        "Facebook Twitter WhatsApp",
        "شارك على فيسبوك",
        "تابعونا على تويتر",
        "© 2024 جميع الحقوق محفوظة",
        "احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها "
        "المرة المقبلة في تعليقي.",
        "البريد الإلكتروني *",
        "مقالات ذات صلة",
        "الرئيسية / أخبار / المغرب",
        "AB12CD34",
    ],
)
def test_more_furniture_is_removed(line: str) -> None:
    body = "وقال الوزير إن التعاون الأمني بين البلدين متواصل."
    result = clean_article(f"{body}\n{line}\n")
    assert result.text == body
    assert [e["line"] for e in result.removed if e["reason"] != "blank"] == [2]


@pytest.mark.parametrize(
    "line",
    [
        "تابع الوزير زيارته إلى الرباط على رأس وفد رفيع.",
        "وأكد المصدر أن الاجتماع سيعقد في الرباط.",
        "الرئيسية في هذا الملف هي قضية الأمن.",
        "وشارك في الاجتماع ممثلو 80 دولة.",
        "قال الناطق باسم الوزارة: لن يتم نشر أي تفاصيل.",
        "Facebook said on Monday that it removed the network.",
    ],
)
def test_body_lines_that_look_like_furniture_are_kept(line: str) -> None:
    assert clean_article(line).text == line


def test_duplicates_compare_on_keys_and_keep_the_first() -> None:
    # A paragraph of substance (20+ words; the old test used a 5-word line, which
    # the duplicate rule now keeps: see test_text_clean_rules.py).
    para = (
        "وقال الوزير إن التعاون الأمني بين البلدين مستمر وإن اللقاءات المقبلة ستتناول "
        "ملفات الهجرة ومكافحة الإرهاب وتبادل المعلومات بين الأجهزة المختصة في البلدين."
    )
    variant = para.replace("الوزير", "الوزيرُ").replace(" إن ", "  إن ")
    raw = f"عنوان الخبر هنا\n{para}\nنص آخر.\n{variant}\n"
    result = clean_article(raw)
    assert result.text == f"عنوان الخبر هنا\n{para}\nنص آخر."
    [dup] = [e for e in result.removed if e["reason"] == "duplicate"]
    assert dup["line"] == 4 and dup["rule"] == "repeat-paragraph" and dup["of"] == 2


def test_empty_article() -> None:
    result = clean_article(" \n\n\t")
    assert result.text == "" and result.title == ""
    assert {e["reason"] for e in result.removed} == {"blank"}


def test_title_falls_back_to_first_line_when_nothing_is_long_enough() -> None:
    assert clean_article("قصير\nجدا").title == "قصير"


# --- normalise_only ----------------------------------------------------------


def test_normalise_only_keeps_everything_but_line_ends_nfc_and_trailing_space() -> None:
    raw = "Quantcast\r\n\r\nعنوان  المقال\tالمهم هنا\r\n\u0627\u0654كد الوزير.  \n\n  "
    result = normalise_only(raw)
    assert result.text == "Quantcast\n\nعنوان  المقال\tالمهم هنا\nأكد الوزير."
    assert result.removed == []
    assert result.title == "عنوان المقال المهم هنا"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalise_only_on_seeds(seed: str) -> None:
    raw = raw_seed(seed)
    result = normalise_only(raw)
    assert result.text == raw.rstrip()
    assert result.removed == []
    if seed in EXPECTED_TITLES:
        assert result.title == EXPECTED_TITLES[seed]


# --- properties --------------------------------------------------------------

LINE_CHARS = "ابتثجحخدسشعغقكلمنهويأإةى\u064e\u064b\u0640abcXQ019٢، .:*\t\u00a0"
lines_st = st.text(alphabet=st.sampled_from(LINE_CHARS), max_size=40)


@given(st.lists(lines_st, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_clean_invariants(lines: list[str], newline: str) -> None:
    raw = newline.join(lines)
    result = clean_article(raw)
    assert_clean_shape(result.text)
    collapsed_inputs = {collapse_spaces(unicodedata.normalize("NFC", line)) for line in lines}
    kept = result.text.split("\n") if result.text else []
    assert all(line in collapsed_inputs for line in kept)
    # Only short repeats stay (the old invariant, no repeated key at all, was the
    # bug of issue 10: it removed repeated list items, headings and refrains).
    seen: set[str] = set()
    for line in kept:
        key = " ".join(match_key(line).split())
        if key in seen:
            assert len(line_key(line).split()) < LONG_WORDS
        seen.add(key)
    assert len(kept) + len(result.removed) == len(raw.replace("\r\n", "\n").split("\n"))
