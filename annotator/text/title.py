"""Choosing a document title from its cleaned lines."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.text.furniture import is_dateline
from annotator.text.segment import split_sentences

__all__ = ["pick_title", "MAX_TITLE_CHARS"]

MAX_TITLE_CHARS = 120
MIN_TITLE_CHARS = 15
MIN_TITLE_WORDS = 3


def _substantive(line: str) -> bool:
    return (
        len(line) >= MIN_TITLE_CHARS
        and len(line.split()) >= MIN_TITLE_WORDS
        and not is_dateline(line)
    )


def _shorten(line: str) -> str:
    if len(line) <= MAX_TITLE_CHARS:
        return line
    sentences = split_sentences(line)
    if sentences:
        first = line[sentences[0][0] : sentences[0][1]]
        if MIN_TITLE_CHARS <= len(first) <= MAX_TITLE_CHARS:
            return first
    cut = line.rfind(" ", 0, MAX_TITLE_CHARS)
    if cut <= 0:
        cut = MAX_TITLE_CHARS
    return line[:cut].rstrip(" ،,؛;:-") + "…"


def pick_title(lines: Iterable[str]) -> str:
    """The first substantive line (long enough, not a dateline), shortened to at
    most ``MAX_TITLE_CHARS`` characters (first sentence, else cut at a word
    boundary with "…"), with a final full stop dropped. Falls back to the first
    non-empty line; "" for an empty document. Lines are expected to be stripped
    and furniture-free."""
    first_nonempty = ""
    for line in lines:
        if not line:
            continue
        if not first_nonempty:
            first_nonempty = line
        if _substantive(line):
            return _finish(line)
    return _finish(first_nonempty) if first_nonempty else ""


def _finish(line: str) -> str:
    title = _shorten(line)
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title
