"""Issue 10: the duplicate rule keeps short repeats; trailing furniture is removed
only at the end of an article; the audit names each rule; describe_removals."""

from __future__ import annotations

import time

import pytest

from annotator.text.clean import clean_article, describe_removals

#: A body paragraph of substance (well over 20 words).
PARA = (
    "وقال الوزير إن التعاون الأمني بين البلدين مستمر وإن اللقاءات المقبلة ستتناول "
    "ملفات الهجرة ومكافحة الإرهاب وتبادل المعلومات بين الأجهزة المختصة في البلدين."
)
PARA2 = (
    "وأضاف المتحدث أن الحكومة ستعرض مشروع القانون الجديد على البرلمان خلال الدورة "
    "المقبلة بعد استكمال المشاورات مع النقابات والهيئات المهنية المعنية بالقطاع."
)
TITLE = "الحكومة تعرض مشروع قانون جديد على البرلمان"
HEAD1 = "وزير الداخلية يستقبل نظيره الفرنسي في الرباط لبحث التعاون"
HEAD2 = "افتتاح الدورة الثالثة لمعرض الكتاب في الدار البيضاء بمشاركة واسعة"
MENU = "أخبار | رياضة | اقتصاد | ثقافة | فن"


def lines_of(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def removed_rules(raw: str) -> dict[int, str]:
    return {e["line"]: e["rule"] for e in clean_article(raw).removed if e["reason"] != "blank"}


# --- duplicates: what stays -------------------------------------------------

KEPT_REPEATS = {
    "list item": lines_of(
        TITLE, "المكونات", "- طماطم", "- بصل", PARA, "للصلصة", "- طماطم", "- ثوم"
    ),
    "recipe heading": lines_of(TITLE, "المكونات", "- دقيق", PARA, "المكونات", "- سكر", PARA2),
    "section heading": lines_of(TITLE, "الخلفية", PARA, "الخلفية", PARA2),
    "poem refrain": lines_of(
        TITLE,
        "يا وطني الغالي",
        "لك الروح والدم",
        "يا وطني الغالي",
        "نفديك بالمهج",
        "يا وطني الغالي",
    ),
    "two-line refrain in order": lines_of(
        TITLE, "بلادي بلادي", "لك حبي وفؤادي", PARA, "بلادي بلادي", "لك حبي وفؤادي"
    ),
    "closing sentence": lines_of(
        TITLE, "حفظ الله الوطن من كل سوء.", PARA, PARA2, "حفظ الله الوطن من كل سوء."
    ),
    "opening line repeated at the end": lines_of(
        "الحكومة تعرض مشروع قانون جديد على البرلمان اليوم",
        PARA,
        PARA2,
        "الحكومة تعرض مشروع قانون جديد على البرلمان اليوم",
    ),  # fmt: skip
    "medium line repeated alone": lines_of(TITLE, PARA, HEAD1, PARA2, HEAD1),
    "quoted slogan": lines_of(TITLE, PARA, "«الشعب يريد»", PARA2, "«الشعب يريد»"),
}


@pytest.mark.parametrize("case", sorted(KEPT_REPEATS))
def test_short_repeats_stay(case: str) -> None:
    raw = KEPT_REPEATS[case]
    result = clean_article(raw)
    assert result.text == raw.strip()
    assert [e for e in result.removed if e["reason"] != "blank"] == []


# --- duplicates: what goes --------------------------------------------------

REMOVED_REPEATS = {
    "paragraph repeated": (lines_of(TITLE, PARA, PARA2, PARA), {4: "repeat-paragraph"}),
    "paragraph repeated with other tashkeel and spaces": (
        lines_of(TITLE, PARA, PARA2, "  " + PARA.replace("الوزير", "الوزيرُ  ") + " "),
        {4: "repeat-paragraph"},
    ),
    "headline under the dateline": (
        lines_of(HEAD1, "الأربعاء 30 مارس 2022 - 19:11", HEAD1, PARA),
        {3: "repeat-headline"},
    ),
    "navigation at top and bottom": (
        lines_of(MENU, TITLE, PARA, PARA2, MENU),
        {5: "repeat-menu"},
    ),
    "related headlines block repeated": (
        lines_of(TITLE, PARA, HEAD1, HEAD2, PARA2, HEAD1, HEAD2),
        {6: "repeat-block", 7: "repeat-block"},
    ),
    "scraper printed the body twice": (
        lines_of(TITLE, PARA, PARA2, PARA, PARA2),
        {4: "repeat-paragraph", 5: "repeat-paragraph"},
    ),
}


@pytest.mark.parametrize("case", sorted(REMOVED_REPEATS))
def test_repeats_of_substance_go(case: str) -> None:
    raw, expected = REMOVED_REPEATS[case]
    assert removed_rules(raw) == expected
    result = clean_article(raw)
    for entry in result.removed:
        if entry["reason"] == "duplicate":
            assert entry["of"] < entry["line"]


def test_a_short_line_inside_a_repeated_block_stays() -> None:
    raw = lines_of(TITLE, PARA, HEAD1, "12 مايو 2022", HEAD2, PARA2, HEAD1, "12 مايو 2022", HEAD2)
    assert removed_rules(raw) == {7: "repeat-block", 9: "repeat-block"}
    assert clean_article(raw).text.count("12 مايو 2022") == 2


def test_duplicate_entry_shape() -> None:
    [entry] = [
        e for e in clean_article(lines_of(TITLE, PARA, PARA2, PARA)).removed if e["line"] == 4
    ]
    assert entry == {
        "line": 4,
        "text": PARA,
        "reason": "duplicate",
        "rule": "repeat-paragraph",
        "of": 2,
    }


# --- trailing furniture -----------------------------------------------------

BODY = lines_of(TITLE, PARA, PARA2).rstrip("\n")

TRAILING_REMOVED: dict[str, tuple[list[str], str]] = {
    "keywords inline": (["الكلمات المفتاحية: المغرب، الإرهاب، التعاون الأمني"], "trailing-tags"),
    "keywords header and terms": (
        ["الكلمات المفتاحية", "المغرب، الإرهاب، التعاون الأمني", "فرنسا"],
        "trailing-tags",
    ),
    "كلمات دلالية": (["كلمات دلالية: الحكومة - البرلمان - القانون"], "trailing-tags"),
    "وسوم one per line": (["وسوم:", "الحكومة", "البرلمان", "مشروع قانون"], "trailing-tags"),
    "Tags": (["Tags: Morocco, terrorism | security"], "trailing-tags"),
    "hashtags": (["#المغرب #الإرهاب #التعاون_الأمني"], "trailing-hashtags"),
    "follow us via": (["تابعونا عبر تطبيق واتساب وتيليجرام لتصلكم آخر الأخبار."], "trailing-app"),
    "follow us on social": (["تابعونا على فيسبوك وتويتر وإنستغرام لمزيد من الأخبار."],
                            "trailing-subscribe"),
    "SMS service": (["اشترك في خدمة الرسائل القصيرة لتصلك آخر الأخبار"], "trailing-subscribe"),
    "SMS send": (["لتلقي الأخبار عبر SMS أرسل كلمة أخبار إلى الرقم 1234"], "trailing-subscribe"),
    "download app": (["حمّل تطبيق الجريدة على هاتفك"], "trailing-app"),
    "Download our app": (["Download our app"], "trailing-app"),
    "store lines": (["App Store", "Google Play"], "trailing-app"),
    "byline": (["بقلم: محمد العلوي"], "trailing-byline"),
    "byline without colon": (["بقلم محمد العلوي"], "trailing-byline"),
    "كتب:": (["كتب: سعيد الإدريسي"], "trailing-byline"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(TRAILING_REMOVED))
def test_trailing_furniture_is_removed(case: str) -> None:
    tail, rule = TRAILING_REMOVED[case]
    raw = "\n".join([BODY, *tail]) + "\n"
    result = clean_article(raw)
    assert result.text == BODY
    first = BODY.count("\n") + 2
    assert removed_rules(raw) == {first + k: rule for k in range(len(tail))}


def test_several_trailing_kinds_stack() -> None:
    tail = [
        "بقلم: محمد العلوي",
        "الكلمات المفتاحية: المغرب، الإرهاب",
        "#المغرب",
        "اشترك في خدمة الرسائل القصيرة",
        "حمل تطبيق الموقع من Google Play",
        "اترك تعليقاً",
    ]
    raw = "\n".join([BODY, *tail])
    result = clean_article(raw)
    assert result.text == BODY
    assert removed_rules(raw) == {
        4: "trailing-byline",
        5: "trailing-tags",
        6: "trailing-hashtags",
        7: "trailing-subscribe",
        8: "trailing-app",
        9: "comment-form",
    }


def test_agency_marker_line_is_the_source() -> None:
    for marker, agency in [("(و م ع)", "و م ع"), ("- (أ ف ب)", "أ ف ب"), ("(رويترز)", "رويترز")]:
        raw = f"{BODY}\n{marker}\n"
        result = clean_article(raw)
        assert result.text == BODY
        assert result.source == agency
        assert removed_rules(raw) == {4: "agency"}
        assert [e["reason"] for e in result.removed if e["line"] == 4] == ["source"]


def test_agency_marker_ending_the_last_line_stays_and_is_the_source() -> None:
    last = "وأكد الطرفان على أهمية التعاون. (أ ف ب)"
    result = clean_article(f"{BODY}\n{last}\n")
    assert result.text == f"{BODY}\n{last}"
    assert result.source == "أ ف ب"


def test_an_explicit_source_line_wins_over_an_agency_marker() -> None:
    result = clean_article(f"{BODY}\nالمصدر: هسبريس\n(و م ع)\n")
    assert result.source == "هسبريس"
    assert result.text == BODY


TRAILING_KEPT: dict[str, str] = {
    "tags in the middle": lines_of(TITLE, "الكلمات المفتاحية: المغرب، الإرهاب", PARA, PARA2),
    "hashtags in the middle": lines_of(TITLE, "#المغرب #الإرهاب", PARA, PARA2),
    "subscribe footer in the middle": lines_of(TITLE, PARA, "اشترك في خدمة الرسائل القصيرة", PARA2),
    "byline in the middle": lines_of(TITLE, "بقلم: محمد العلوي", PARA, PARA2),
    "agency marker in the middle": lines_of(TITLE, PARA, "(و م ع)", PARA2),
    "terms without a header": lines_of(TITLE, PARA, PARA2, "المغرب، الإرهاب، التعاون"),
    "list at the end": lines_of(TITLE, PARA, "المكونات", "- طماطم", "- بصل"),
    "short closing sentence": lines_of(TITLE, PARA, PARA2, "والله ولي التوفيق."),
    "participated (اشترك as a verb)": lines_of(
        TITLE, PARA, "اشترك المغرب في التحالف منذ تأسيسه عام 2014."
    ),
    "sent a letter (أرسل as a verb)": lines_of(
        TITLE, PARA, "أرسل الوزير رسالة إلى نظيره الإسباني."
    ),
    "carried (حمل as a verb)": lines_of(TITLE, PARA, "حمل المتظاهرون لافتات تندد بالغلاء."),
    "long sentence about an app": lines_of(
        TITLE, PARA, "ودعت الوزارة المواطنين إلى تحميل تطبيق وطني جديد للإبلاغ عن المخالفات."
    ),
    "wrote (كتب in a sentence)": lines_of(TITLE, PARA, "كتب الشاعر قصيدته الأولى في الرباط."),
    "footnote in brackets": lines_of(TITLE, PARA, "(1)"),
    "only a byline line": lines_of("بقلم: محمد العلوي"),
    "terms followed by a footer, no header": lines_of(
        TITLE, PARA, "المغرب، الإرهاب", "اشترك في خدمة الرسائل القصيرة"
    ),
}


@pytest.mark.parametrize("case", sorted(TRAILING_KEPT))
def test_trailing_lookalikes_stay(case: str) -> None:
    raw = TRAILING_KEPT[case]
    result = clean_article(raw)
    if case == "terms followed by a footer, no header":
        # the footer itself is trailing, the terms above it are not tags
        assert result.text == lines_of(TITLE, PARA, "المغرب، الإرهاب").strip()
        return
    assert result.text == raw.strip()


# --- describe_removals ------------------------------------------------------


def test_describe_removals() -> None:
    long_tags = "الكلمات المفتاحية: " + "، ".join(["المغرب", "الإرهاب", "التعاون الأمني"] * 6)
    raw = "\n".join([TITLE, PARA, "", PARA, "اترك تعليقاً", long_tags])
    lines = describe_removals(clean_article(raw).removed)
    assert lines[0] == f"line 4: repeated paragraph (of line 2): «{PARA[:79].rstrip()}…»"
    assert lines[1] == "line 5: comment form: «اترك تعليقاً»"
    assert lines[2].startswith("line 6: trailing tags: «الكلمات المفتاحية: المغرب، الإرهاب")
    assert lines[2].endswith("…»") and len(lines[2].split("«", 1)[1]) == 81
    assert len(lines) == 3
    with_blank = describe_removals(clean_article(raw).removed, blank=True)
    assert with_blank[0] == "line 3: blank line"


def test_describe_removals_reads_old_audits() -> None:
    old = [
        {"line": 10, "text": "عنوان", "reason": "duplicate", "rule": "line 7"},
        {"line": 3, "text": "المصدر: برلمان.كوم", "reason": "source", "rule": "source"},
        {"line": 4, "text": "000 34PX8EU", "reason": "code", "rule": "code"},
    ]
    assert describe_removals(old) == [
        "line 10: duplicate of line 7: «عنوان»",
        "line 3: source line: «المصدر: برلمان.كوم»",
        "line 4: tracking code: «000 34PX8EU»",
    ]


# --- speed ------------------------------------------------------------------


def test_cleaning_is_linear() -> None:
    """Four times the lines (with many repeats) must not take sixteen times as long."""

    def article(n: int) -> str:
        rows = []
        for i in range(n):
            rows.append(f"{PARA} {i}" if i % 3 else PARA)  # many repeats of one paragraph
            rows.append(f"- بند {i % 50}")
        return "\n".join(rows)

    def timed(n: int) -> float:
        raw = article(n)
        start = time.perf_counter()
        clean_article(raw)
        return time.perf_counter() - start

    small, big = timed(1_000), timed(4_000)
    assert big < 10 * small + 0.5


# --- "read also: <headline>" ------------------------------------------------


@pytest.mark.parametrize(
    "line", [f"اقرأ أيضاً: {HEAD1}", f"إقرأ أيضا : {HEAD2}", "Read also: Morocco and France"]
)
def test_read_also_links_are_removed_anywhere(line: str) -> None:
    raw = lines_of(TITLE, PARA, line, PARA2, line)
    assert removed_rules(raw) == {3: "read-more", 5: "read-more"}


def test_read_also_inside_a_sentence_stays() -> None:
    raw = lines_of(TITLE, "وقال الكاتب: اقرأ أيضا ما كتبه الآخرون قبل أن تحكم.", PARA)
    assert clean_article(raw).text == raw.strip()
