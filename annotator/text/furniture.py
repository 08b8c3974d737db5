"""Recognising web-page furniture and datelines in scraped article lines.

A line is classified on its *line key*: the match key (hamza/alef, ta marbuta,
alef maqsura folded, tashkeel and tatweel dropped, Latin casefolded) with every
run of non-alphanumeric characters turned into one space. So ``إقــــرأ المزيد``,
``اقرأ المزيد`` and ``إقرأ المزيد!`` share the key ``اقرا المزيد``.

Rules are deliberately conservative: apart from exact matches, every rule
needs the line to be short, so a body sentence that happens to start with
``تابع`` or mention ``بريدك الإلكتروني`` is not dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.text.keys import match_key

__all__ = ["Verdict", "classify_line", "is_dateline", "is_menu_line", "line_key", "source_of"]

_NON_ALNUM = re.compile(r"[\W_]+")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_CODE_WORD = re.compile(r"(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{4,}")
_CODE_LINE = re.compile(r"[A-Za-z0-9 _#/-]{1,40}")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_DIGITS = re.compile(r"\d")
_MENU_SEPARATORS = re.compile(r"\s*[|•·»«/>]\s*|\s[-–—]\s")


def line_key(line: str) -> str:
    """Match key of ``line`` with punctuation/symbol runs collapsed to one space."""
    return _NON_ALNUM.sub(" ", match_key(line)).strip()


def _keys(*phrases: str) -> frozenset[str]:
    return frozenset(line_key(p) for p in phrases)


#: Whole lines that are furniture, by rule name.
_EXACT: dict[str, frozenset[str]] = {
    "widget": _keys(
        "X", "Video Thumbnail", "Quantcast", "MyMeteo", "Advertisement", "إعلان",
        "إعلانات", "Loading", "جار التحميل", "Close", "إغلاق", "Menu", "القائمة",
        "بحث", "Search", "Skip to content", "Cookies", "Accept", "قبول",
    ),
    "read-more": _keys(
        "اقرأ المزيد", "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "المزيد", "شاهد أيضا",
        "مقالات ذات صلة", "أخبار ذات صلة", "مواضيع ذات صلة", "مقالات مشابهة",
        "الأكثر قراءة", "الأكثر مشاهدة", "آخر الأخبار", "أخبار متعلقة", "Read more",
        "Related", "Related articles", "Related posts", "See also", "More",
    ),
    "comment-form": _keys(
        "اترك تعليقاً", "اترك ردا", "اترك رداً", "أضف تعليق", "أضف تعليقا", "التعليقات",
        "تعليقات", "التعليق", "الاسم", "الاسم *", "البريد الإلكتروني", "الموقع الإلكتروني",
        "الموقع", "إرسال التعليق", "أرسل التعليق", "نشر التعليق", "إرسال", "Leave a Reply",
        "Leave a comment", "Comments", "Comment", "Name", "Email", "Website", "Post Comment",
        "Submit",
    ),
    "breadcrumb": _keys("الرئيسية", "Home"),
    "newsletter": _keys("Newsletter", "النشرة البريدية", "النشرة الإخبارية", "اشترك", "Subscribe"),
}  # fmt: skip

#: Words of share-button rows and social-network link lists.
_SOCIAL: frozenset[str] = _keys(
    "Facebook", "YouTube", "Twitter", "X", "Instagram", "WhatsApp", "Telegram", "LinkedIn",
    "Pinterest", "TikTok", "Snapchat", "Messenger", "Rss", "Email", "Print", "Share", "Tweet",
    "Copy", "Link", "فيسبوك", "فايسبوك", "تويتر", "يوتيوب", "انستغرام", "إنستغرام", "واتساب",
    "تلغرام", "تيليغرام", "لينكدإن", "تيك", "توك", "شارك", "مشاركة", "طباعة", "أرسل",
    "لصديق", "نسخ", "الرابط", "البريد",
)  # fmt: skip

#: Phrases that mark a (short) line as furniture wherever they occur in it.
_PHRASES: dict[str, tuple[frozenset[str], int]] = {
    "comment-form": (
        _keys(
            "لن يتم نشر عنوان بريدك الإلكتروني", "الحقول الإلزامية مشار إليها",
            "الحقول المطلوبة", "احفظ اسمي", "your email address will not be published",
            "required fields are marked",
        ),
        40,
    ),
    "newsletter": (
        _keys(
            "بالرسالة الإخبارية", "أدخل بريدك الإلكتروني", "للتوصل بآخر الأخبار",
            "اشترك في النشرة", "اشترك في نشرتنا", "subscribe to our newsletter",
        ),
        12,
    ),
    "copyright": (
        _keys("جميع الحقوق محفوظة", "كل الحقوق محفوظة", "all rights reserved", "copyright"),
        12,
    ),
}  # fmt: skip

#: "follow us on ..." prompts: imperative/first-person forms, which news prose
#: does not use, or "تابع أخبار/آخر ..." (follow the news of ...).
_FOLLOW_US = _keys("تابعوا", "تابعونا", "تابعنا", "Follow")
_FOLLOW = line_key("تابع")
_FOLLOW_WHAT = _keys("أخبار", "آخر", "جديد", "كل")
_ON = _keys("على", "عبر", "on")
_SENTENCE_END = tuple(".!?؟…")
_HOME = line_key("الرئيسية")
#: "read also: <linked headline>" (an imperative followed by a colon).
_READ_ALSO = _keys(
    "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "اقرأ كذلك", "طالع أيضا", "شاهد أيضا", "اقرأ المزيد",
    "Read also", "Read more", "See also",
)  # fmt: skip
_READ_ALSO_MAX_WORDS = 30
_SOURCE_FIRST = _keys("المصدر", "مصدر", "Source")

_MONTHS = _keys(
    "يناير", "فبراير", "مارس", "أبريل", "ابريل", "ماي", "مايو", "يونيو", "يونيه", "يوليو",
    "يوليوز", "أغسطس", "غشت", "سبتمبر", "شتنبر", "أكتوبر", "نوفمبر", "نونبر", "ديسمبر",
    "دجنبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
    "تشرين", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_DAYS = _keys(
    "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """Why a line is removed: ``reason`` for the audit, ``rule`` for detail."""

    reason: str  # "furniture" | "code" | "source"
    rule: str


def _is_code(line: str) -> bool:
    """Stray tracking/ad codes such as ``000 34PX8EU``: short, Latin/digits only,
    with a word mixing digits and capitals."""
    return (
        _CODE_LINE.fullmatch(line) is not None
        and _ARABIC_LETTER.search(line) is None
        and _CODE_WORD.search(line) is not None
    )


def _is_follow_prompt(line: str, words: list[str]) -> bool:
    if len(words) > 8 or line.endswith(_SENTENCE_END):
        return False
    if words[0] in _FOLLOW_US:
        return True
    return (
        words[0] == _FOLLOW
        and len(words) > 1
        and words[1] in _FOLLOW_WHAT
        and any(w in _ON for w in words)
    )


def classify_line(line: str) -> Verdict | None:
    """Return why ``line`` (one non-blank, whitespace-collapsed line) is web
    furniture, or None when it should be kept."""
    key = line_key(line)
    words = key.split()
    n = len(words)
    if not words:
        return None if any(c.isalnum() for c in line) else Verdict("furniture", "symbols")
    for rule, keys in _EXACT.items():
        if key in keys:
            return Verdict("furniture", rule)
    if n <= 8 and all(w in _SOCIAL or w in _ON for w in words) and words[-1] in _SOCIAL:
        return Verdict("furniture", "share")
    if _is_follow_prompt(line, words):
        return Verdict("furniture", "follow")
    for rule, (phrases, max_words) in _PHRASES.items():
        if n <= max_words and any(p in key for p in phrases):
            return Verdict("furniture", rule)
    if "©" in line and n <= 12:
        return Verdict("furniture", "copyright")
    if n <= _READ_ALSO_MAX_WORDS and ":" in line and line_key(line.split(":", 1)[0]) in _READ_ALSO:
        return Verdict("furniture", "read-more")
    if words[0] == _HOME and n <= 4 and not line.endswith(_SENTENCE_END):
        return Verdict("furniture", "breadcrumb")
    if _is_code(line):
        return Verdict("code", "code")
    if words[0] in _SOURCE_FIRST and n <= 8 and ":" in line:
        return Verdict("source", "source")
    return None


def source_of(line: str) -> str:
    """The attribution after the colon of a ``المصدر: ...`` line."""
    return line.split(":", 1)[1].strip() if ":" in line else ""


def is_dateline(line: str) -> bool:
    """A short line that is mostly a publication date/time, e.g.
    ``الأربعاء 30 مارس 2022 - 19:11`` or ``2022 ماي 12 - تم تعديله في ...``."""
    key = line_key(line)
    words = key.split()
    if not words or len(words) > 12:
        return False
    if _TIME.search(match_key(line)):
        return True
    has_number = _DIGITS.search(key) is not None
    named = any(w in _MONTHS or w in _DAYS for w in words)
    return has_number and named


def is_menu_line(line: str) -> bool:
    """A navigation line: at least three items of at most three words, separated
    by ``|``, ``•``, ``·``, ``»``, ``/``, ``>`` or a spaced dash, not ending a
    sentence (``أخبار | رياضة | ثقافة | فن``)."""
    if line.endswith(_SENTENCE_END):
        return False
    items = [line_key(t) for t in _MENU_SEPARATORS.split(line)]
    items = [t for t in items if t]
    return len(items) >= 3 and all(len(t.split()) <= 3 for t in items)
