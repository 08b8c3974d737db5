"""Sentence and token segmentation with ``[start, end)`` offsets into the text.

Everything here is deterministic and linear in the length of the text (one
regex pass per line for sentences, one for tokens). Offsets are Python ``str``
indices (code points), end exclusive.

Sentences
    * end after a run of terminators ``. ! ? ؟ … ۔ ‼`` together with any closing
      quotes/brackets (``" ' » ” ’ ) ] }``) and combining marks right after it;
    * a line break always ends a sentence (paragraphs are never merged);
    * ``،`` and ``؛`` never end a sentence;
    * a terminator run right after an opening quote or bracket (``« ( [ { “ ‹ „``
      or an opening ``"``, spaces allowed between) never ends a sentence
      (``«...انتهى`` , ``قال (...) إن``);
    * a run of full stops ends a sentence when followed by whitespace or the end of
      the line, or directly by an Arabic letter (``السوق.وأضاف``), possibly behind
      an opening quote/bracket (``قال."الحكومة`` ends before the ``"``); never when
      followed by anything else (``3.5``, ``U.S``, ``hespress.com``);
    * but not directly before a letter inside a URL or e-mail address
      (``http://``, ``www.``, ``@`` in the same word) or before an Arabic-script
      top-level domain (``برلمان.كوم``);
    * and a single ``.`` does not end one after a one-letter word (initials:
      ``د.``, ``J.``), after a known Latin abbreviation (``Dr.``, ``e.g.`` ...), or
      after a list number at the start of a sentence (``1.``);
    * ``م.`` / ``هـ.`` / ``ق.م.`` after a year (3 or 4 digits, any script) do end a
      sentence (``سنة 2015 م. وأضاف``), although ``م.`` alone is an initial;
    * a piece with no letter or digit (a stray ``.`` after ``؟» .``) never stands
      alone: it extends the sentence before it on the same line (or, first on its
      line, the one after it; a line of punctuation only is one sentence);
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


#: Opening quotes/brackets: a terminator right after one never ends a sentence.
OPENERS = "\u00ab([{\u201c\u2039\u201e"  # « ( [ { “ ‹ „
#: Arabic-script top-level domains: ``برلمان.كوم`` is one word.
_ARABIC_TLDS = ("كوم", "نت", "أورغ", "اورغ", "انفو", "أنفو", "إنفو")
_URL_SCAN = 300


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    mark = mark_class()
    line = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")
    boundary = re.compile(f"([{re.escape(TERMINATORS)}]+)(?:[{re.escape(CLOSERS)}]|{mark})*")
    number = rf"\d+(?:[{re.escape(NUMBER_SEPARATORS)}]\d+)*{mark}*"
    word = rf"(?:[^\W\d_]|{mark})+"
    token = re.compile(rf"{number}|{word}|\S{mark}*")
    return line, boundary, token


@cache
def _sentence_patterns() -> tuple[re.Pattern[str], ...]:
    alnum = re.compile(r"[^\W_]")
    year_mark = re.compile(r"(?<![\d.,\u066b\u066c])\d{3,4}\s*(?:مـ*|هـ*|ق\s?\.\s?مـ*)\Z")
    tld = re.compile(f"(?:{'|'.join(_ARABIC_TLDS)})(?![^\\W\\d_])")
    return alnum, year_mark, tld


def _arabic_letter(ch: str) -> bool:
    o = ord(ch)
    return (
        0x0620 <= o <= 0x06FF
        or 0x0750 <= o <= 0x077F
        or 0x08A0 <= o <= 0x08FF
        or 0xFB50 <= o <= 0xFDFF
        or 0xFE70 <= o <= 0xFEFF
    ) and ch.isalpha()


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


def _opening_quote(text: str, i: int, sent_start: int) -> bool:
    """Whether the straight ``"`` at ``i`` opens a quotation (an even number of
    them before it in the sentence)."""
    return text.count('"', sent_start, i) % 2 == 0


def _after_opener(text: str, run_start: int, sent_start: int) -> bool:
    j = run_start
    while j > sent_start and text[j - 1].isspace():
        j -= 1
    if j == sent_start:
        return False
    ch = text[j - 1]
    if ch == '"':  # opening when it follows a space, an opener or the sentence start
        return j - 1 == sent_start or text[j - 2].isspace() or text[j - 2] in OPENERS
    return ch in OPENERS


def _in_url(text: str, dot: int, sent_start: int) -> bool:
    """Whether the word holding the full stop at ``dot`` is a URL or e-mail."""
    lo = max(sent_start, dot - _URL_SCAN)
    chunk = text[lo : dot + 1]
    cut = max(chunk.rfind(" "), chunk.rfind("\t"), chunk.rfind("\u00a0"))
    if cut >= 0:
        chunk = chunk[cut + 1 :]
    elif lo > sent_start:
        return True  # a 300-character word: surely not prose
    return "://" in chunk or "@" in chunk or chunk[:4].casefold() == "www."


def _full_stop_ends_sentence(
    text: str, run_start: int, run_end: int, end: int, line_end: int, sent_start: int
) -> bool:
    if end < line_end and not text[end].isspace():
        nxt = text[end]
        if not (
            _arabic_letter(nxt)
            or (
                (nxt in OPENERS or nxt == '"')
                and end + 1 < line_end
                and _arabic_letter(text[end + 1])
            )
        ):
            return False  # 3.5, U.S, hespress.com, ..."و
        if _in_url(text, run_start, sent_start):
            return False  # http://x.ma/a.ب , www.x.ma.ب
        if end == run_end == run_start + 1 and _sentence_patterns()[2].match(text, end):
            return False  # برلمان.كوم
    if run_end - run_start > 1:
        return True  # an ellipsis written as "..."
    if (
        run_start > sent_start
        and text[run_start - 1] in "\u0645\u0647\u0640"
        and _sentence_patterns()[1].search(text, max(sent_start, run_start - 16), run_start)
    ):
        return True  # سنة 2015 م. / 1436 هـ.
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
    alnum_re = _sentence_patterns()[0]
    out: list[Range] = []
    for line in line_re.finditer(text):
        line_start, line_end = line.span()
        first = len(out)  # index of this line's first sentence in ``out``
        carry = carry_end = -1  # letterless pieces waiting for the next sentence
        sent_start = line_start
        for m in boundary_re.finditer(text, line_start, line_end):
            run_start, run_end = m.span(1)
            end = m.end()
            # (a letter or digit right before the run: no opener; run_start 0: none either)
            if not text[run_start - 1].isalnum() and _after_opener(text, run_start, sent_start):
                continue  # «...انتهى / (...)
            if (
                end < line_end
                and text[end - 1] == '"'
                and end - 1 >= run_end
                and text[end].isalnum()
                and _opening_quote(text, end - 1, sent_start)
            ):
                end -= 1  # قال."الحكومة: that quote opens the next sentence
            if text.count(".", run_start, run_end) == run_end - run_start and not (
                _full_stop_ends_sentence(text, run_start, run_end, end, line_end, sent_start)
            ):
                continue
            rng = _trim(text, sent_start, end)
            sent_start = end
            if rng is None:
                continue
            if alnum_re.search(text, rng[0], rng[1]) is None:
                if len(out) > first:
                    out[-1] = (out[-1][0], rng[1])  # a stray "." after ؟» .
                else:
                    carry = rng[0] if carry < 0 else carry
                    carry_end = rng[1]
                continue
            if carry >= 0:
                rng = (carry, rng[1])
                carry = -1
            out.append(rng)
        rng = _trim(text, sent_start, line_end)
        if rng is None:
            if carry >= 0:
                out.append((carry, carry_end))  # a line of punctuation only
        elif len(out) > first and alnum_re.search(text, rng[0], rng[1]) is None:
            out[-1] = (out[-1][0], rng[1])
        else:
            out.append((carry, rng[1]) if carry >= 0 else rng)
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
