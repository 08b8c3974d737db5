"""Contextual Arabic shaping for terminals that do not shape, one glyph per letter.

arabic-reshaper replaces each Arabic letter by its initial/medial/final
presentation form. It is configured so the grid stays one cell per letter:
harakat and tatweel kept, every ligature off (so "لا" stays two glyphs).
Shaping runs on a whole paragraph in logical order, because a letter's form
depends on its neighbours, and before reordering.
"""

from __future__ import annotations

import re
from functools import lru_cache

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE

from annotator.bidi.chars import ZWJ

#: arabic-reshaper settings that keep the output one glyph per input letter.
RESHAPER_CONFIG: dict[str, object] = {
    "language": "Arabic",
    "delete_harakat": False,
    "shift_harakat_position": False,
    "delete_tatweel": False,
    "support_zwj": True,
    "use_unshaped_instead_of_isolated": True,
    "support_ligatures": False,
}


@lru_cache(maxsize=1)
def reshaper() -> ArabicReshaper:
    """The shared, ligature-free reshaper."""
    return ArabicReshaper(configuration=RESHAPER_CONFIG)


_HARAKAT_OR_ZWJ = HARAKAT_RE.pattern[1:-1] + ZWJ
#: Characters the reshaper moves (harakat) or drops (ZWJ).
_NOT_ONE_FOR_ONE = re.compile("[" + _HARAKAT_OR_ZWJ + "]")
#: Characters the reshaper emits one-for-one, in order: neither harakat nor ZWJ.
_ONE_FOR_ONE = re.compile("[^" + _HARAKAT_OR_ZWJ + "]")


def shape_characters(text: str) -> list[str] | None:
    """Shaped form of each character of the paragraph ``text``.

    Returns one string per code point of ``text``: the presentation form for a
    letter, the character itself otherwise (harakat, ZWJ and anything the
    reshaper leaves alone). ``None`` when the reshaper's output cannot be lined
    up one-to-one with the input, in which case callers draw unshaped text.
    """
    if not text:
        return []
    shaped = reshaper().reshape(text)
    if _NOT_ONE_FOR_ONE.search(text) is None:
        return list(shaped) if len(shaped) == len(text) else None
    out_bases = _ONE_FOR_ONE.findall(shaped)
    in_positions = [m.start() for m in _ONE_FOR_ONE.finditer(text)]
    if len(out_bases) != len(in_positions):
        return None
    result = list(text)
    for pos, glyph in zip(in_positions, out_bases, strict=True):
        result[pos] = glyph
    return result
