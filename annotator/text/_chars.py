"""Character classes shared by the segmenters (regex fragments, built once)."""

from __future__ import annotations

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


# planes 4–13 hold no assigned character and 15–16 only private use (as of Unicode 15):
# skipping them makes the scan a third as long (it runs at every start-up)
_SCANNED = (range(0, 0x40000), range(0xE0000, 0xF0000))


def _ranges(pred_cats: frozenset[str],
            planes: tuple[range, ...] = _SCANNED) -> list[tuple[int, int]]:
    """The code point runs (inclusive) whose category is in `pred_cats`."""
    out: list[tuple[int, int]] = []
    category = unicodedata.category
    for plane in planes:
        start = -1
        for cp in plane:
            hit = category(chr(cp)) in pred_cats
            if hit and start < 0:
                start = cp
            elif not hit and start >= 0:
                out.append((start, cp - 1))
                start = -1
        if start >= 0:
            out.append((start, plane[-1]))
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
