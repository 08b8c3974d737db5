"""Embedding levels of one paragraph from ICU (UAX #9, rules P through I2)."""

from __future__ import annotations

import icu

#: Paragraph embedding level of every paragraph: right-to-left.
RTL_LEVEL = 1


def utf16_offsets(text: str) -> list[int] | None:
    """UTF-16 index of each code point of ``text``; ``None`` when they coincide."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    offsets: list[int] = []
    pos = 0
    for ch in text:
        offsets.append(pos)
        pos += 2 if ord(ch) > 0xFFFF else 1
    return offsets


def paragraph_levels(text: str, para_level: int = RTL_LEVEL) -> tuple[int, ...]:
    """Resolved embedding level of each code point of the paragraph ``text``.

    ICU counts UTF-16 code units; the result is re-indexed by code point so it
    lines up with Python ``str`` offsets.
    """
    if not text:
        return ()
    bidi = icu.Bidi()
    ustr = icu.UnicodeString(text)
    bidi.setPara(ustr, para_level)
    levels = bidi.getLevels()
    offsets = utf16_offsets(text)
    if offsets is None:
        return tuple(levels)
    return tuple(levels[o] for o in offsets)
