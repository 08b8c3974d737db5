"""Furniture that is recognised only at the END of an article.

:func:`find_trailing` walks the kept lines backwards from the last one and
removes lines while they are trailing furniture; it stops at the first line
that is not (so nothing in the middle of an article is ever touched), and it
never removes the first kept line. Lines are compared on their line key (see
:func:`annotator.text.furniture.line_key`). Rules (``rule`` in the audit):

``trailing-tags``
    a tag header: ``الكلمات المفتاحية``, ``كلمات مفتاحية``, ``(ال)كلمات الدلالية``,
    ``(ال)وسوم``, ``Tags``, ``Keywords`` alone on a line or followed by ``:`` and
    terms; plus the *term lines* under it (lines of short ``،``/``,``/``|``/``-``
    separated terms, or of at most 4 words, none ending a sentence). Term lines
    are removed only when such a header is directly above them.
``trailing-hashtags``
    a line made only of ``#hashtags``.
``trailing-subscribe``
    a call to subscribe/follow (``اشترك``, ``للاشتراك``, ``لتلقي``, ``أرسل``,
    ``تابعونا``, ``انضموا``, ``Subscribe`` ... among the first three words) naming a
    channel (SMS / الرسائل القصيرة, a newsletter, a WhatsApp/Telegram channel,
    a social network); ``تابعونا``/``تابعنا`` need no channel. At most 30 words.
``trailing-app``
    the same with an app channel (``حمّل تطبيق``, ``Download our app``), or a
    line made only of store words (``App Store``, ``Google Play``, ``متوفر على``).
``trailing-byline``
    a short (at most 6 words) ``بقلم: ...`` / ``بقلم ...`` line, or ``كتب:``,
    ``إعداد:``, ``تحرير:``, ``ترجمة:``, ``By:`` followed by a colon.
``agency`` (reason ``source``)
    a line that is only a news-agency marker in brackets, ``(و م ع)``,
    ``- (أ ف ب)``, ``(رويترز)``, ``(وكالات)`` ...; the agency becomes the
    article's source when it has none.

An agency marker at the very end of the last kept line (``... الدولي. (أ ف ب)``)
stays in the text (kept lines are never altered); :func:`agency_at_end` reads
it so the cleaner can record it as the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.text.furniture import Verdict, line_key

__all__ = ["Trailing", "find_trailing", "agency_at_end", "agency_line"]

MAX_CALL_WORDS = 30
MAX_BYLINE_WORDS = 6
MAX_TERM_LINE_WORDS = 15
MAX_TERM_WORDS = 4
MAX_TERM_LINES = 30

_SENTENCE_END = tuple(".!?؟…")
_COLON = re.compile(r"[:：]")
_TERM_SEPARATORS = re.compile(r"\s*(?:[,،;؛|•·/]|\s[-–—]\s)\s*")
_HASHTAGS = re.compile(r"(?:[#＃][^\s#]+[\s,،|]*)+")
_BRACKETED = re.compile(r"[-–—\s]*[(\[]\s*([^()\[\]]{1,30}?)\s*[)\]][\s.]*")
_BRACKETED_AT_END = re.compile(r"[(\[]\s*([^()\[\]]{1,30}?)\s*[)\]][\s.]*$")


def _keys(*phrases: str) -> frozenset[str]:
    return frozenset(line_key(p) for p in phrases)


_TAG_HEADERS = _keys(
    "الكلمات المفتاحية", "كلمات مفتاحية", "الكلمات الدلالية", "كلمات دلالية", "الوسوم",
    "وسوم", "Tags", "Tag", "Keywords", "الكلمات المفتاحية للخبر", "كلمات البحث",
)  # fmt: skip

#: Calls to action that may open a subscribe/app footer (first three words).
_CALLS = _keys(
    "اشترك", "اشتركوا", "اشتركي", "للاشتراك", "لاشتراك", "اشتراك", "أرسل", "ارسلوا", "لتلقي",
    "لتلقى", "ليصلك", "ليصلكم", "لتصلك", "لتصلكم", "حمل", "حملوا", "نزل", "نزلوا", "لتحميل",
    "تحميل", "انضم", "انضموا", "تابعونا", "تابعوا", "تابعنا", "لمتابعة", "اضغط", "Download",
    "Get", "Subscribe", "Follow", "Join", "Install",
)  # fmt: skip
#: Calls that need no channel word (first-person object: "follow us").
_CALLS_ALONE = _keys("تابعونا", "تابعنا")
_APP_CHANNEL = _keys(
    "تطبيق", "التطبيق", "تطبيقنا", "تطبيقات", "app", "apps", "application", "appstore",
    "googleplay", "store", "play",
)  # fmt: skip
_CHANNEL = _keys(
    "sms", "قناتنا", "القناة", "النشرة", "نشرتنا", "newsletter", "channel", "whatsapp",
    "telegram", "واتساب", "واتس", "تيليجرام", "تيلجرام", "تلغرام", "تيليغرام", "تلجرام",
    "إشعارات", "notifications", "Facebook", "YouTube", "Twitter", "Instagram", "TikTok",
    "فيسبوك", "فايسبوك", "تويتر", "يوتيوب", "انستغرام", "إنستغرام", "تيك", "الفيسبوك",
)  # fmt: skip
_CHANNEL_PHRASES = _keys("الرسائل القصيرة", "رسائل قصيرة", "رسالة قصيرة", "خدمة الرسائل")
_STORE_WORDS = _keys(
    "App", "Store", "AppStore", "Google", "Play", "GooglePlay", "Apple", "Android", "iOS",
    "Download", "on", "the", "it", "get", "available", "متوفر", "متاح", "على", "في", "و",
    "من", "تطبيق", "حمل",
)  # fmt: skip
_STORE_MARKS = _keys("Store", "Play", "AppStore", "GooglePlay")
_BYLINE_ANY = _keys("بقلم")
_BYLINE_COLON = _keys("كتب", "كتبت", "إعداد", "اعداد", "تحرير", "ترجمة", "By", "بقلم")

#: News agencies as written in attribution markers (line keys).
_AGENCIES = _keys(
    "و م ع", "ومع", "أ ف ب", "اف ب", "د ب أ", "أ ش أ", "أ ب", "رويترز", "واس", "قنا", "وام",
    "كونا", "سانا", "بنا", "الأناضول", "وفا", "بترا", "معا", "شينخوا", "سبوتنيك", "إرنا",
    "واج", "وأج", "وكالات", "AFP", "Reuters", "AP", "MAP", "DPA", "APS", "QNA", "WAM", "SPA",
    "KUNA", "MENA", "Xinhua",
)  # fmt: skip


@dataclass(frozen=True)
class Trailing:
    """One removal found by :func:`find_trailing` (``index`` into the kept lines)."""

    index: int
    verdict: Verdict
    source: str | None = None


def _agency(inner: str) -> str | None:
    return inner if line_key(inner) in _AGENCIES else None


def agency_line(line: str) -> str | None:
    """The agency when ``line`` is only a bracketed agency marker, e.g. ``(و م ع)``."""
    m = _BRACKETED.fullmatch(line)
    return _agency(m.group(1)) if m else None


def agency_at_end(line: str) -> str | None:
    """The agency of a bracketed marker ending ``line``: ``... الدولي. (أ ف ب)``."""
    m = _BRACKETED_AT_END.search(line)
    return _agency(m.group(1)) if m else None


def _tag_header(line: str) -> bool:
    """``line`` opens a tag list: a header alone, or a header, a colon and terms."""
    if line_key(line) in _TAG_HEADERS:
        return True
    parts = _COLON.split(line, maxsplit=1)
    return len(parts) == 2 and line_key(parts[0]) in _TAG_HEADERS


def _is_term_line(line: str, words: list[str]) -> bool:
    if not words or len(words) > MAX_TERM_LINE_WORDS or line.endswith(_SENTENCE_END):
        return False
    if len(words) <= MAX_TERM_WORDS or _HASHTAGS.fullmatch(line):
        return True
    items = [line_key(t) for t in _TERM_SEPARATORS.split(line)]
    return len(items) > 1 and all(len(t.split()) <= MAX_TERM_WORDS for t in items)


def _call_rule(words: list[str]) -> str | None:
    """``trailing-app`` / ``trailing-subscribe`` for a call-to-action footer."""
    if len(words) > MAX_CALL_WORDS:
        return None
    if any(w in _STORE_MARKS for w in words) and all(w in _STORE_WORDS for w in words):
        return "trailing-app"
    if not any(w in _CALLS for w in words[:3]):
        return None
    if any(w in _APP_CHANNEL for w in words):
        return "trailing-app"
    if any(w in _CHANNEL for w in words) or words[0] in _CALLS_ALONE:
        return "trailing-subscribe"
    key = " ".join(words)
    if any(p in key for p in _CHANNEL_PHRASES):
        return "trailing-subscribe"
    return None


def _is_byline(line: str, words: list[str]) -> bool:
    if not words or len(words) > MAX_BYLINE_WORDS:
        return False
    if words[0] in _BYLINE_ANY:
        return True
    head = _COLON.split(line.lstrip("-–— "), maxsplit=1)
    return len(head) == 2 and line_key(head[0]) in _BYLINE_COLON


def _standalone(line: str, words: list[str]) -> Trailing | None:
    """A trailing-furniture line that needs no header above it (index filled later)."""
    if _HASHTAGS.fullmatch(line):
        return Trailing(-1, Verdict("furniture", "trailing-hashtags"))
    agency = agency_line(line)
    if agency:
        return Trailing(-1, Verdict("source", "agency"), agency)
    rule = _call_rule(words)
    if rule:
        return Trailing(-1, Verdict("furniture", rule))
    if _is_byline(line, words):
        return Trailing(-1, Verdict("furniture", "trailing-byline"))
    return None


def find_trailing(lines: list[str]) -> list[Trailing]:
    """Trailing furniture among ``lines`` (the kept, whitespace-collapsed lines in
    order), last first. Stops at the first line from the end that is not
    trailing furniture, at a term line not under a tag header, and before
    ``lines[0]``."""
    found: list[Trailing] = []
    pending: list[int] = []
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        words = line_key(line).split()
        if _tag_header(line):
            found.append(Trailing(i, Verdict("furniture", "trailing-tags")))
            found.extend(Trailing(p, Verdict("furniture", "trailing-tags")) for p in pending)
            pending = []
            continue
        hit = None if pending else _standalone(line, words)
        if hit is not None:
            found.append(Trailing(i, hit.verdict, hit.source))
            continue
        if _is_term_line(line, words) and len(pending) < MAX_TERM_LINES:
            pending.append(i)
            continue
        break
    return found
