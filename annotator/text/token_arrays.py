"""The tokens of many texts at once, as numpy arrays: the same ranges as
`annotator.io.token_split.tokens_of`, without one regex match object per token.

The token pattern (`annotator.text.segment._patterns`) is ``number|word|\\S mark*``
with ``number = \\d+(?:[sep]\\d+)*mark*`` and ``word = (?:[^\\W\\d_]|mark)+``. Every
non-space character belongs to exactly one token, and a token never holds a space,
so the tokens are known once it is known, for each character, whether it continues
the token of the character before it:

* a mark continues after any non-space character (every alternative ends in marks);
* a letter continues after a letter, or after a mark whose nearest preceding non-mark
  character is a letter or a space (marks at a token's start make a word);
* a digit continues after a digit, or after a separator lying between two digits;
* a separator continues only between two digits (``3.5``, not ``3.`` or ``3..5``);
* anything else starts a token, and a space is in none.

Each BMP code point gets its class (space, letter, mark, digit, separator, other) in a
table built once per process by running the pattern's own regex classes over all BMP
characters, so the classes are exactly Python's. The batch is joined by single spaces,
encoded once to UTF-32 (a code point per element: Python ``str`` offsets), classified
through the table, and the rules above are a handful of whole-array operations; token
starts and ends come from `np.flatnonzero` and are split per text by `np.searchsorted`.
A text with a character the table cannot vouch for (an astral code point, or one in
two classes) is handed to `tokens_of`, as is everything when the token pattern is not
the expected shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np

from annotator.io.token_split import tokens_of
from annotator.text._chars import mark_class
from annotator.text.segment import NUMBER_SEPARATORS, _patterns

__all__ = ["token_arrays"]

SPACE, LETTER, MARK, DIGIT, SEP, OTHER, UNSURE = range(7)
_BMP = 0x10000


@cache
def _class_table() -> np.ndarray | None:
    """uint8 class per code point 0..0xFFFF, and UNSURE at index 0x10000 (where every
    astral code point is looked up). None when the token pattern is not the shape
    the rules describe."""
    mark = mark_class()
    number = rf"\d+(?:[{re.escape(NUMBER_SEPARATORS)}]\d+)*{mark}*"
    word = rf"(?:[^\W\d_]|{mark})+"
    if _patterns()[2].pattern != rf"{number}|{word}|\S{mark}*":
        return None
    bmp = "".join(map(chr, range(_BMP)))
    table = np.full(_BMP + 1, OTHER, np.uint8)
    seen = np.zeros(_BMP + 1, np.uint8)
    for cls, regex in ((SPACE, r"\s"), (LETTER, r"[^\W\d_]"), (MARK, mark), (DIGIT, r"\d"),
                       (SEP, f"[{re.escape(NUMBER_SEPARATORS)}]")):
        for m in re.finditer(f"(?:{regex})+", bmp):
            table[m.start():m.end()] = cls
            seen[m.start():m.end()] += 1
    table[seen > 1] = UNSURE
    table[_BMP] = UNSURE
    return table


def _after_word_marks(c: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For positions `at` (each a mark), whether the nearest preceding non-mark
    character is a letter or a space (`c[0]` is a space: the walk stops there)."""
    q = at.copy()
    for _ in range(8):  # mark runs are short: walk back a few steps over all at once
        on = c[q] == MARK
        if not on.any():
            return np.isin(c[q], (LETTER, SPACE))
        q[on] -= 1
    bases = np.flatnonzero(c != MARK)  # long runs: the last non-mark before each
    q = bases[np.searchsorted(bases, q, side="right") - 1]
    return np.isin(c[q], (LETTER, SPACE))


def _bounds(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Token starts and ends (exclusive) in a class array that begins with two spaces
    and ends with one."""
    sp = c == SPACE
    mk = c == MARK
    lt = c == LETTER
    dg = c == DIGIT
    cont = np.zeros(len(c), bool)
    cont[1:] = (mk[1:] & ~sp[:-1]) | (lt[1:] & lt[:-1]) | (dg[1:] & dg[:-1])
    sep_in = (c[1:-1] == SEP) & dg[:-2] & dg[2:]  # separators between two digits
    cont[1:-1] |= sep_in
    cont[2:] |= sep_in  # and the digit after one
    after_mark = np.flatnonzero(lt[1:] & mk[:-1])  # a letter at k + 1 after a mark at k
    if len(after_mark):
        cont[after_mark[_after_word_marks(c, after_mark)] + 1] = True
    token = ~sp
    starts = np.flatnonzero(token & ~cont)
    ends = np.flatnonzero(token[:-1] & ~cont[1:]) + 1
    return starts, ends


def token_arrays(texts: Sequence[str]) -> list[np.ndarray]:
    """For each text, its tokens as an (n, 2) int32 array of [start, end) offsets: the
    ranges `tokens_of(text)` gives, computed for the whole batch at once."""
    table = _class_table()
    if table is None:
        return [np.array(tokens_of(t), np.int32).reshape(-1, 2) for t in texts]
    if not texts:
        return []
    joined = "  " + " ".join(texts) + " "
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    c = table[np.minimum(codes, _BMP)]
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    offsets = np.empty(len(texts), np.int64)
    offsets[0] = 2
    np.cumsum(lengths[:-1] + 1, out=offsets[1:])
    offsets[1:] += 2
    starts, ends = _bounds(c)
    firsts = np.searchsorted(starts, offsets)
    counts = np.diff(np.append(firsts, len(starts)))
    pairs = np.empty((len(starts), 2), np.int32)
    shift = np.repeat(offsets, counts)
    pairs[:, 0] = starts - shift
    pairs[:, 1] = ends - shift
    out = np.split(pairs, firsts[1:])
    unsure = np.flatnonzero(c == UNSURE)
    if len(unsure):
        for k in np.unique(np.searchsorted(offsets, unsure, side="right") - 1):
            out[k] = np.array(tokens_of(texts[k]), np.int32).reshape(-1, 2)
    return out
