"""Cleaning scraped article text into the stored document text.

The stored text is the kept lines, each stripped with internal runs of
horizontal whitespace (spaces, tabs, NBSP, ...) collapsed to one space, joined
by a single ``"\\n"``, in NFC. Nothing else in a kept line is altered.

A line is removed when it is

* blank;
* web furniture anywhere in the article (see :mod:`annotator.text.furniture`:
  share rows, comment forms, ``اقرأ المزيد``, ``المصدر: ...`` ...);
* a repeat *of substance* of an earlier kept line (below);
* trailing furniture: tag lists, subscribe-by-SMS / app footers, a closing
  byline or agency marker, recognised only in the run of lines that ends the
  article (see :mod:`annotator.text.trailing`).

Repeats. Two lines are the same when their match keys with whitespace runs
collapsed are equal (so tashkeel, tatweel and hamza forms do not matter). The
first occurrence is always kept. A later occurrence is removed (reason
``duplicate``) only when it looks like page furniture or a scraper repeat:

``repeat-paragraph``
    it has at least ``LONG_WORDS`` (20) words: a whole paragraph printed twice;
``repeat-headline``
    it repeats the first kept line (the headline), has at least
    ``HEADLINE_WORDS`` (5) words and comes before the body: among the first six
    kept lines with only lines under 8 words (dateline, byline, category)
    between the two: the headline printed again under the dateline (an
    opening line repeated after the body, as a closing line, stays);
``repeat-menu``
    it is a navigation line (three or more items of at most three words
    separated by ``|`` ``•`` ``/`` ``»`` ...), repeated at top and bottom;
``repeat-block``
    it has at least ``BLOCK_WORDS`` (8) words and lies in a run of consecutive
    repeats, in the same order as their first occurrences, holding at least two
    such lines: a block of related headlines (``اقرأ أيضا``) or paragraphs
    printed twice. Shorter lines inside such a run stay.

Every other repeat stays: list items (``- طماطم``), headings (``المكونات``),
poem refrains, a repeated closing sentence, or any line under 8 words (20 when
not in a repeated block). Share buttons and ``اقرأ أيضا`` headers repeated are
removed as furniture on each occurrence anyway. Known limit: a poem refrain of
two or more verses of 8+ words each, repeated in order, is taken for a block.

Every removal is recorded in ``CleanResult.removed`` with its 1-based line
number in the input; :func:`describe_removals` renders the audit for people.
All rules are per line or one pass over the lines (dict lookups, compiled
regexes), so cleaning is linear in the article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.text.furniture import _NON_ALNUM, classify_line, is_menu_line, source_of
from annotator.text.keys import match_key
from annotator.text.title import pick_title
from annotator.text.trailing import agency_at_end, find_trailing

__all__ = [
    "CleanResult",
    "clean_article",
    "normalise_only",
    "collapse_spaces",
    "describe_removals",
]

LONG_WORDS = 20
HEADLINE_WORDS = 5
HEADLINE_NEAR = 5
BLOCK_WORDS = 8
DESCRIBE_CHARS = 80

_HSPACE = re.compile(r"[^\S\n]+")
_BOM = "\ufeff"


@dataclass
class CleanResult:
    """Result of cleaning one article.

    ``removed`` holds one dict per dropped input line, in line order:
    ``{"line": int (1-based), "text": str (the input line), "reason": str, "rule": str}``
    with reason one of ``blank``, ``furniture``, ``code``, ``source``, ``duplicate``
    and rule a finer label (``share``, ``comment-form``, ``breadcrumb``,
    ``trailing-tags``, ``trailing-subscribe``, ``agency`` ...). A duplicate has
    rule ``repeat-paragraph`` / ``repeat-headline`` / ``repeat-menu`` /
    ``repeat-block`` and an extra key ``"of": int``, the input line number of the
    kept occurrence (audits written before had rule ``"line N"`` and no ``of``).
    ``source`` is the attribution from a removed ``المصدر: ...`` line or agency
    marker line, else from an agency marker ending the last kept line, if any.
    """

    text: str
    title: str
    removed: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None


def _unify(raw: str) -> str:
    """NFC and LF line ends (CRLF and lone CR both become LF)."""
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))


def collapse_spaces(line: str) -> str:
    """Strip ``line`` and collapse internal runs of horizontal whitespace to " "."""
    return _HSPACE.sub(" ", line).strip()


def _removal(no: int, line: str, reason: str, rule: str) -> dict[str, Any]:
    return {"line": no, "text": line, "reason": reason, "rule": rule}


@dataclass
class _Line:
    no: int
    raw: str
    tidy: str
    key: str
    words: int
    first: int | None = None  # index (among candidates) of the kept occurrence


def _near_top(lines: list[_Line], i: int) -> bool:
    """Line ``i`` comes before the body: among the first ``HEADLINE_NEAR + 1``
    lines with only short lines (datelines, bylines, ...) above it but the first."""
    return i <= HEADLINE_NEAR and all(ln.words < BLOCK_WORDS for ln in lines[1:i])


def _repeat_rules(lines: list[_Line]) -> dict[int, str]:
    """Index -> duplicate rule for the repeats to remove (see the module docstring)."""
    rules: dict[int, str] = {}
    block_run: list[int] = []

    def close_run() -> None:
        medium = [i for i in block_run if lines[i].words >= BLOCK_WORDS]
        if len(medium) >= 2:
            for i in medium:
                rules.setdefault(i, "repeat-block")
        block_run.clear()

    for i, ln in enumerate(lines):
        if ln.first is None:
            close_run()
            continue
        prev = lines[i - 1] if i else None
        linked = prev is not None and prev.first is not None and prev.first + 1 == ln.first
        if not linked:
            close_run()
        block_run.append(i)
        if ln.words >= LONG_WORDS:
            rules[i] = "repeat-paragraph"
        elif ln.first == 0 and ln.words >= HEADLINE_WORDS and _near_top(lines, i):
            rules[i] = "repeat-headline"
        elif is_menu_line(ln.tidy):
            rules[i] = "repeat-menu"
    close_run()
    return rules


def clean_article(raw: str) -> CleanResult:
    """Clean one scraped article (see the module docstring)."""
    text = _unify(raw)
    if text.startswith(_BOM):
        text = text[1:]
    removed: list[dict[str, Any]] = []
    source: str | None = None
    lines: list[_Line] = []
    first_of: dict[str, int] = {}
    for no, line in enumerate(text.split("\n"), start=1):
        tidy = collapse_spaces(line)
        if not tidy:
            removed.append(_removal(no, line, "blank", "blank"))
            continue
        verdict = classify_line(tidy)
        if verdict is not None:
            removed.append(_removal(no, line, verdict.reason, verdict.rule))
            if verdict.reason == "source" and source is None:
                source = source_of(tidy) or None
            continue
        folded = match_key(tidy)
        key = " ".join(folded.split())
        words = len(_NON_ALNUM.sub(" ", folded).split())  # words of line_key(tidy)
        ln = _Line(no, line, tidy, key, words, first_of.get(key))
        first_of.setdefault(key, len(lines))
        lines.append(ln)

    repeats = _repeat_rules(lines)
    kept: list[_Line] = []
    for i, ln in enumerate(lines):
        rule = repeats.get(i)
        if rule is None:
            kept.append(ln)
            continue
        entry = _removal(ln.no, ln.raw, "duplicate", rule)
        entry["of"] = lines[ln.first or 0].no
        removed.append(entry)

    trailing = find_trailing([ln.tidy for ln in kept])
    drop = set()
    for hit in sorted(trailing, key=lambda h: h.index):
        ln = kept[hit.index]
        drop.add(hit.index)
        removed.append(_removal(ln.no, ln.raw, hit.verdict.reason, hit.verdict.rule))
        if hit.source and source is None:
            source = hit.source
    kept_text = [ln.tidy for i, ln in enumerate(kept) if i not in drop]
    if source is None and kept_text:
        source = agency_at_end(kept_text[-1])
    removed.sort(key=lambda e: e["line"])
    return CleanResult(
        text="\n".join(kept_text), title=pick_title(kept_text), removed=removed, source=source
    )


def normalise_only(raw: str) -> CleanResult:
    """The ``--no-clean`` path: NFC, CRLF/CR -> LF and trailing whitespace at the
    end of the text stripped; nothing else (so offsets computed on the original
    text stay valid whenever it was already NFC with LF line ends). The title is
    still chosen, skipping furniture lines; ``removed`` is empty."""
    text = _unify(raw).rstrip()
    candidates = (collapse_spaces(line.lstrip(_BOM)) for line in text.split("\n"))
    title = pick_title(c for c in candidates if c and classify_line(c) is None)
    return CleanResult(text=text, title=title, removed=[])


#: How each rule reads in :func:`describe_removals` (rules not listed read as
#: their name with dashes as spaces).
_RULE_WORDS = {
    "blank": "blank line",
    "share": "share buttons",
    "follow": "follow-us prompt",
    "symbols": "symbols only",
    "code": "tracking code",
    "source": "source line",
    "agency": "agency marker",
    "repeat-paragraph": "repeated paragraph",
    "repeat-headline": "repeated headline",
    "repeat-menu": "repeated menu",
    "repeat-block": "repeated block",
}


def _label(entry: Mapping[str, Any]) -> str:
    rule = str(entry.get("rule") or entry.get("reason") or "removed")
    if rule.startswith("line ") and entry.get("reason") == "duplicate":
        return f"duplicate of {rule}"  # audits written before the repeat rules
    label = _RULE_WORDS.get(rule, rule.replace("-", " ").replace("_", " "))
    if entry.get("reason") == "duplicate" and entry.get("of") is not None:
        label += f" (of line {entry['of']})"
    return label


def describe_removals(
    removed: Iterable[Mapping[str, Any]], *, blank: bool = False, width: int = DESCRIBE_CHARS
) -> list[str]:
    """One human line per entry of a ``CleanResult.removed`` audit, e.g.
    ``line 12: trailing tags: «الكلمات المفتاحية: المغرب، الإرهاب»``, the text
    whitespace-collapsed and cut to ``width`` characters (ending in ``…``).
    Blank-line entries are left out unless ``blank`` is true."""
    out: list[str] = []
    for entry in removed:
        if entry.get("reason") == "blank" and not blank:
            continue
        text = collapse_spaces(str(entry.get("text", "")))
        if len(text) > width:
            text = text[: width - 1].rstrip() + "…"
        quoted = f": «{text}»" if text else ""
        out.append(f"line {entry.get('line', '?')}: {_label(entry)}{quoted}")
    return out
