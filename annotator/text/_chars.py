"""Character classes shared by the segmenters (regex fragments, built once)."""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

__all__ = ["LINE_BREAKS", "mark_class", "is_mark"]

#: Characters that end a line for ``str.splitlines`` (a paragraph boundary).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

_ATTACHING = frozenset({"Mn", "Mc", "Me", "Cf"})


def is_mark(ch: str) -> bool:
    """True for combining marks (harakat, ...) and invisible format characters
    (ZWNJ, ZWJ, LRM, ...): characters that belong to the preceding base."""
    return unicodedata.category(ch) in _ATTACHING


def _ranges(pred_cats: frozenset[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = -1
    for cp in range(sys.maxunicode + 1):
        hit = unicodedata.category(chr(cp)) in pred_cats
        if hit and start < 0:
            start = cp
        elif not hit and start >= 0:
            out.append((start, cp - 1))
            start = -1
    if start >= 0:
        out.append((start, sys.maxunicode))
    return out


def _esc(cp: int) -> str:
    return f"\\U{cp:08x}"


@cache
def mark_class() -> str:
    """A regex character class matching every character for which
    :func:`is_mark` is true (computed from ``unicodedata`` on first use)."""
    body = "".join(
        _esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}" for lo, hi in _ranges(_ATTACHING)
    )
    return f"[{body}]"
