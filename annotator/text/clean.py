"""Cleaning scraped article text into the stored document text.

The stored text is the kept lines, each stripped with internal runs of
horizontal whitespace (spaces, tabs, NBSP, ...) collapsed to one space, joined
by a single ``"\\n"``, in NFC. Nothing else in a kept line is altered.
Lines are removed when blank, web furniture (see :mod:`annotator.text.furniture`)
or a repeat of an earlier kept line (compared on their match keys); each
removal is recorded in ``CleanResult.removed`` with its 1-based line number in
the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from annotator.text.furniture import classify_line, source_of
from annotator.text.keys import match_key
from annotator.text.title import pick_title

__all__ = ["CleanResult", "clean_article", "normalise_only", "collapse_spaces"]

_HSPACE = re.compile(r"[^\S\n]+")
_BOM = "\ufeff"


@dataclass
class CleanResult:
    """Result of cleaning one article.

    ``removed`` holds one dict per dropped input line:
    ``{"line": int (1-based), "text": str (the input line), "reason": str, "rule": str}``
    with reason one of ``blank``, ``furniture``, ``code``, ``source``, ``duplicate``
    and rule a finer label (``share``, ``comment-form``, ``breadcrumb`` ...; for a
    duplicate, ``"line N"`` naming the kept occurrence). ``source`` is the
    attribution from a removed ``المصدر: ...`` line, if any.
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


def clean_article(raw: str) -> CleanResult:
    """Clean one scraped article (see the module docstring)."""
    text = _unify(raw)
    if text.startswith(_BOM):
        text = text[1:]
    kept: list[str] = []
    seen: dict[str, int] = {}
    removed: list[dict[str, Any]] = []
    source: str | None = None
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
        key = " ".join(match_key(tidy).split())
        if key in seen:
            removed.append(_removal(no, line, "duplicate", f"line {seen[key]}"))
            continue
        seen[key] = no
        kept.append(tidy)
    return CleanResult(text="\n".join(kept), title=pick_title(kept), removed=removed, source=source)


def normalise_only(raw: str) -> CleanResult:
    """The ``--no-clean`` path: NFC, CRLF/CR -> LF and trailing whitespace at the
    end of the text stripped; nothing else (so offsets computed on the original
    text stay valid whenever it was already NFC with LF line ends). The title is
    still chosen, skipping furniture lines; ``removed`` is empty."""
    text = _unify(raw).rstrip()
    candidates = (collapse_spaces(line.lstrip(_BOM)) for line in text.split("\n"))
    title = pick_title(c for c in candidates if c and classify_line(c) is None)
    return CleanResult(text=text, title=title, removed=[])
