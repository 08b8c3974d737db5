"""Per-character properties the layout engine needs, memoised per code point.

Every character is either a *base* (it starts a display unit and occupies one or
two terminal cells) or *zero-width* (it joins the unit of the base before it).
Zero-width characters are either visible marks (harakat and other Mn/Me, ZWJ,
ZWNJ), which are drawn together with their base, or invisible controls (Cc, Cf
such as LRM/RLM or bidi embeddings), which are never drawn.
"""

from __future__ import annotations

import unicodedata
from typing import Final, NamedTuple

import icu
from rich.cells import get_character_cell_size

ZWNJ: Final = "\u200c"
ZWJ: Final = "\u200d"

#: Space separators after which a line may break (no-break spaces excluded).
BREAKABLE_SPACES: Final = frozenset(
    " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
)

#: Bidi classes that rule L1 resets to the paragraph level at the end of a line
#: (whitespace plus isolate/explicit formatting characters and boundary neutrals).
_L1_CLASSES: Final = frozenset(
    {"WS", "S", "B", "BN", "LRI", "RLI", "FSI", "PDI", "LRE", "RLE", "LRO", "RLO", "PDF"}
)


class CharInfo(NamedTuple):
    """What the layout needs to know about one code point."""

    zero_width: bool  # joins the preceding base's unit
    drawn: bool  # part of the unit's display string
    width: int  # cells when used as a base (1 or 2)
    breakable: bool  # a line may break after it
    l1_reset: bool  # reset to paragraph level at line end (rule L1)
    mirror: str | None  # mirrored glyph for odd levels (rule L4), if any
    glyph: str  # what is drawn for it ("" when not drawn; a tab draws a blank)


_CACHE: dict[str, CharInfo] = {}


def _classify(ch: str) -> CharInfo:
    category = unicodedata.category(ch)
    bidi_class = unicodedata.bidirectional(ch)
    l1_reset = bidi_class in _L1_CLASSES
    breakable = ch in BREAKABLE_SPACES
    mirror = None
    if unicodedata.mirrored(ch):
        mirrored = icu.Char.charMirror(ch)
        if mirrored != ch:
            mirror = mirrored
    if ch == "\t":
        # A segment separator: one blank cell (the grid has no tab stops).
        return CharInfo(False, True, 1, True, True, None, " ")
    if category in ("Mn", "Me") or ch in (ZWJ, ZWNJ):
        return CharInfo(True, True, 0, False, l1_reset, None, ch)
    if category in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        return CharInfo(True, False, 0, False, l1_reset, None, "")
    cells = get_character_cell_size(ch)
    if cells <= 0:
        return CharInfo(True, True, 0, False, l1_reset, None, ch)
    width = 2 if cells >= 2 else 1
    return CharInfo(False, True, width, breakable, l1_reset, mirror, ch)


def char_info(ch: str) -> CharInfo:
    """Return the (memoised) layout properties of the single character ``ch``."""
    info = _CACHE.get(ch)
    if info is None:
        info = _CACHE[ch] = _classify(ch)
    return info
