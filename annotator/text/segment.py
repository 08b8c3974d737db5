"""Sentence and token segmentation with ``[start, end)`` offsets into the text.

Everything here is deterministic and linear in the length of the text (one
regex pass per line for sentences, one for tokens). Offsets are Python ``str``
indices (code points), end exclusive.

Sentences
    * end after a run of terminators ``. ! ? ؟ … ۔ ‼`` together with any closing
      quotes/brackets (``" ' » ” ’ ) ] }``) and combining marks right after it;
    * a line break always ends a sentence (paragraphs are never merged);
    * ``،`` and ``؛`` never end a sentence;
    * a run of full stops only ends a sentence when followed by whitespace or the
      end of the line (so ``3.5``, ``برلمان.كوم`` and ``U.S`` stay whole); a single
      ``.`` does not end one after a one-letter word (initials: ``د.``, ``J.``),
      after a known Latin abbreviation (``Dr.``, ``e.g.`` ...), or after a list
      number at the start of a sentence (``1.``);
    * ranges exclude surrounding whitespace; there are no empty sentences.

Tokens
    * a number: digits (any script) with internal ``. , ٫ ٬ / :`` between digits
      (``3.5``, ``1,000``, ``19:11``, ``30/03/2022``, ``٢٠٢٢``);
    * a word: letters (tatweel included) with their combining marks (harakat);
    * any other non-space character is a token of its own (punctuation), with
      any combining marks that follow it;
    * whitespace is never part of a token.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache

from annotator.text._chars import LINE_BREAKS, is_mark, mark_class

__all__ = [
    "Segmentation",
    "segment",
    "split_sentences",
    "split_tokens",
    "tokens_in",
]

Range = tuple[int, int]

TERMINATORS = ".!?\u061f\u2026\u06d4\u203c"  # . ! ? ؟ … ۔ ‼
CLOSERS = "\"'\u00bb\u201d\u2019)]}\u203a"  # " ' » ” ’ ) ] } ›
NUMBER_SEPARATORS = ".,\u066b\u066c/:"  # . , ٫ ٬ / :

#: Lower-cased Latin abbreviations after which a single "." is not a sentence end.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "eg", "ie",
        "no", "inc", "ltd", "co", "corp", "gen", "col", "lt", "sgt",
        "capt", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "aug", "sep",
        "sept", "oct", "nov", "dec", "fig", "vol", "p", "pp", "approx", "dept",
    }
)  # fmt: skip
_ABBR_SCAN = 8


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    mark = mark_class()
    line = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")
    boundary = re.compile(f"[{re.escape(TERMINATORS)}]+(?:[{re.escape(CLOSERS)}]|{mark})*")
    number = rf"\d+(?:[{re.escape(NUMBER_SEPARATORS)}]\d+)*{mark}*"
    word = rf"(?:[^\W\d_]|{mark})+"
    token = re.compile(rf"{number}|{word}|\S{mark}*")
    return line, boundary, token


def _trim(text: str, start: int, end: int) -> Range | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _wordish(ch: str) -> bool:
    return ch.isalpha() or ch == "." or is_mark(ch)


def _word_before(text: str, dot: int, floor: int) -> str | None:
    """The word (letters, marks, inner dots) right before ``dot``, not looking
    before ``floor``; None when it is longer than any abbreviation."""
    j = dot
    while j > floor and dot - j < _ABBR_SCAN and _wordish(text[j - 1]):
        j -= 1
    if j > floor and _wordish(text[j - 1]):
        return None
    return text[j:dot]


def _full_stop_ends_sentence(
    text: str, run_start: int, run_end: int, match_end: int, line_end: int, sent_start: int
) -> bool:
    if match_end < line_end and not text[match_end].isspace():
        return False  # 3.5, برلمان.كوم, ..."و
    if run_end - run_start > 1:
        return True  # an ellipsis written as "..."
    word = _word_before(text, run_start, sent_start)
    if word:
        last_piece = word.rsplit(".", 1)[-1]
        if sum(c.isalpha() for c in last_piece) == 1 or word.casefold() in ABBREVIATIONS:
            return False  # an initial (د. / U.S.) or a known abbreviation
    head = _trim(text, sent_start, run_start)
    if head is not None and head[1] - head[0] <= 3 and text[head[0] : head[1]].isdigit():
        return False  # "1." list number
    return True


def split_sentences(text: str) -> list[Range]:
    """Sentence ranges ``[start, end)`` of ``text``: sorted, non-overlapping,
    non-empty, without leading/trailing whitespace."""
    line_re, boundary_re, _ = _patterns()
    out: list[Range] = []
    for line in line_re.finditer(text):
        line_start, line_end = line.span()
        sent_start = line_start
        for m in boundary_re.finditer(text, line_start, line_end):
            run_start = m.start()
            run_end = run_start
            while run_end < m.end() and text[run_end] in TERMINATORS:
                run_end += 1
            if set(text[run_start:run_end]) == {"."} and not _full_stop_ends_sentence(
                text, run_start, run_end, m.end(), line_end, sent_start
            ):
                continue
            rng = _trim(text, sent_start, m.end())
            if rng is not None:
                out.append(rng)
            sent_start = m.end()
        rng = _trim(text, sent_start, line_end)
        if rng is not None:
            out.append(rng)
    return out


def split_tokens(text: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Token ranges ``[s, e)`` inside ``text[start:end]`` (offsets into ``text``)."""
    if end is None:
        end = len(text)
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"bad range [{start}, {end}) for text of length {len(text)}")
    _, _, token_re = _patterns()
    return [m.span() for m in token_re.finditer(text, start, end)]


def tokens_in(text: str, sentence: Range) -> list[Range]:
    """Tokens of one sentence range (as returned by :func:`split_sentences`)."""
    return split_tokens(text, sentence[0], sentence[1])


@dataclass(frozen=True)
class Segmentation:
    """Sentences and tokens of one text; tokens are in document order."""

    sentences: list[Range] = field(default_factory=list)
    tokens: list[Range] = field(default_factory=list)

    def sentence_tokens(self, index: int) -> list[Range]:
        """Tokens lying inside sentence ``index``."""
        s, e = self.sentences[index]
        lo = bisect_left(self.tokens, (s, s))
        hi = bisect_right(self.tokens, (e, e))
        return [t for t in self.tokens[lo:hi] if t[1] <= e]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing ``offset``, or None."""
        i = bisect_right(self.sentences, (offset, sys.maxsize)) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1]:
            return i
        return None


def segment(text: str) -> Segmentation:
    """Sentences and tokens of ``text`` in one call."""
    return Segmentation(sentences=split_sentences(text), tokens=split_tokens(text))
