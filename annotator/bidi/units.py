"""Split a paragraph into display units, in logical order.

A unit is a base character plus the zero-width characters that follow it
(harakat, other combining marks, ZWJ/ZWNJ, invisible controls). It occupies the
base's cell width (1, or 2 for wide East Asian characters) and is never split by
wrapping or reordering, so marks always stay with their base (rule L3).
Zero-width characters at the very start of a paragraph join the first unit.

The work is done per distinct character and with regular expressions built
from the paragraph's own character set, so a long paragraph costs little
Python-level work per character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from annotator.bidi.chars import char_info

#: Drawn for a paragraph made only of zero-width characters.
DOTTED_CIRCLE = "\u25cc"


@dataclass(frozen=True, slots=True)
class Units:
    """The display units of one paragraph; all indices are paragraph-relative."""

    text: str
    starts: tuple[int, ...]  # index of each unit's first character (ascending)
    bases: tuple[int, ...]  # index of each unit's base character
    widths: tuple[int, ...]  # cells of each unit (1 or 2)
    glyphs: tuple[str, ...]  # base glyph + drawn marks, logical form
    breaks: tuple[int, ...]  # unit indices i such that a line may end after unit i
    mirrored: tuple[int, ...]  # unit indices whose base has a mirror glyph (rule L4)
    one_per_char: bool  # no zero-width characters: unit i is character i
    narrow: bool  # every unit is one cell wide
    zero_width: tuple[int, ...] = ()  # indices of the zero-width characters

    def __len__(self) -> int:
        return len(self.starts)

    def unit_of(self, index: int) -> int:
        """The unit holding the character at paragraph ``index``."""
        return bisect_right(self.starts, index) - 1

    def end_of(self, unit: int) -> int:
        """Paragraph index one past the last character of ``unit``."""
        return self.starts[unit + 1] if unit + 1 < len(self.starts) else len(self.text)


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


def _positions(text: str, chars: set[str]) -> list[int]:
    if not chars:
        return []
    return [m.start() for m in re.finditer(_char_class(chars), text)]


def split_units(text: str) -> Units:
    """Group ``text`` (one paragraph, no newlines) into display units."""
    distinct = set(text)
    infos = {ch: char_info(ch) for ch in distinct}
    zero = {ch for ch, info in infos.items() if info.zero_width}
    wide = {ch: info.width for ch, info in infos.items() if info.width > 1}
    breakable = {ch for ch, info in infos.items() if info.breakable}
    mirrored = {ch for ch, info in infos.items() if info.mirror is not None}
    retyped = {ord(ch): info.glyph for ch, info in infos.items() if info.glyph != ch}
    if len(zero) == len(distinct) and text:
        drawn = "".join(ch for ch in text if infos[ch].drawn)
        glyph = DOTTED_CIRCLE + drawn if drawn else " "
        return Units(
            text, (0,), (0,), (1,), (glyph,), (), (), False, True, tuple(range(1, len(text)))
        )
    if not zero:
        n = len(text)
        starts = tuple(range(n))
        glyphs = tuple(text.translate(retyped) if retyped else text)
        widths = tuple(wide.get(ch, 1) for ch in text) if wide else (1,) * n
        return Units(
            text, starts, starts, widths, glyphs,
            tuple(_positions(text, breakable)), tuple(_positions(text, mirrored)),
            one_per_char=True, narrow=not wide,
        )
    zclass = _char_class(zero)
    pieces = re.findall(f"{zclass}*[^{zclass[1:-1]}]{zclass}*", text)
    bases = [0, *accumulate(map(len, pieces))][:-1]
    lead = len(pieces[0]) - len(pieces[0].lstrip("".join(zero)))
    starts = list(bases)
    bases[0] = lead
    if lead:
        first = pieces[0]
        pieces[0] = first[lead] + first[:lead] + first[lead + 1:]
    invisible = {ch for ch in zero if not infos[ch].drawn}
    if invisible:
        retyped.update({ord(ch): None for ch in invisible})
    glyphs = tuple(p.translate(retyped) for p in pieces) if retyped else tuple(pieces)
    widths = tuple(wide.get(p[0], 1) for p in pieces) if wide else (1,) * len(pieces)
    return Units(
        text, tuple(starts), tuple(bases), widths, glyphs,
        tuple(bisect_right(starts, pos) - 1 for pos in _positions(text, breakable)),
        tuple(bisect_right(starts, pos) - 1 for pos in _positions(text, mirrored)),
        one_per_char=False, narrow=not wide, zero_width=tuple(_positions(text, zero)),
    )
