"""Match keys: folded forms of Arabic/Latin text for search and comparison.

The key of a string is built character by character, so it is context free:
``match_key(a + b) == match_key(a) + match_key(b)``. That is what lets
:func:`keyed` map every key character back to an exact offset in the original
text. Stored text is never changed; these functions only return new strings
and offsets.

Folding (one original character becomes zero, one or more key characters):

* hamza / alef forms: ``أ إ آ ٱ`` -> ``ا``; ``ؤ`` -> ``و``; ``ئ`` -> ``ي``.
  The bare hamza ``ء`` is kept (dropping it would merge unrelated words).
* ta marbuta ``ة`` -> ``ه``; alef maqsura ``ى`` -> ``ي``.
* Persian/Urdu look-alikes common in scraped Arabic: ``ی`` ``ې`` -> ``ي``,
  ``ک`` -> ``ك``, ``ە`` -> ``ه``.
* removed: tashkeel (U+064B..U+065F: tanween, harakat, shadda, sukun, combining
  maddah/hamza), superscript alef U+0670, Quranic annotation marks
  (U+0610..U+061A, U+06D6..U+06ED), tatweel U+0640, and invisible format
  characters (ZWSP/ZWNJ/ZWJ, LRM/RLM, ALM U+061C, BOM, bidi embeddings/isolates).
* digits: Arabic-Indic ``٠-٩`` and Extended Arabic-Indic ``۰-۹`` -> ``0-9``;
  the Arabic decimal/thousands separators ``٫`` ``٬`` -> ``.`` ``,``.
* Arabic presentation forms (U+FB50..U+FDFF, U+FE70..U+FEFF) are expanded with
  NFKC first (``ﻻ`` -> ``لا``) and then folded like ordinary letters.
* everything else is casefolded (Latin ``A`` -> ``a``, ``ß`` -> ``ss``).

Whitespace and punctuation are kept as they are.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold_char", "match_key", "keyed", "find_all"]

_REMOVED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0610, 0x061A),  # Quranic honorifics / small high letters
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x0640, 0x0640),  # tatweel
    (0x064B, 0x065F),  # tanween, harakat, shadda, sukun, maddah/hamza above/below, ...
    (0x0670, 0x0670),  # superscript (dagger) alef
    (0x06D6, 0x06DC),  # Quranic small high marks
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x08D3, 0x08E1),  # extended Arabic marks
    (0x08E3, 0x08FF),
    (0x200B, 0x200F),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings / overrides
    (0x2066, 0x2069),  # bidi isolates
    (0xFEFF, 0xFEFF),  # BOM / ZWNBSP
)

_LETTER_FOLDS: dict[str, str] = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    "\u0624": "\u0648",  # ؤ
    "\u0626": "\u064a",  # ئ
    "\u0629": "\u0647",  # ة
    "\u0649": "\u064a",  # ى
    "\u06cc": "\u064a",  # ی Farsi yeh
    "\u06d0": "\u064a",  # ې
    "\u06a9": "\u0643",  # ک keheh
    "\u06d5": "\u0647",  # ە
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
}


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in _REMOVED_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = None
    for src, dst in _LETTER_FOLDS.items():
        table[ord(src)] = dst
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    return table


_TABLE: dict[int, str | None] = _build_table()


def _is_presentation_form(cp: int) -> bool:
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """Return the key of a single character ("" when the character is dropped)."""
    cp = ord(ch)
    if cp in _TABLE:
        out = _TABLE[cp]
        return "" if out is None else out
    if _is_presentation_form(cp):
        expanded = unicodedata.normalize("NFKC", ch)
        if expanded != ch:
            return "".join(fold_char(c) for c in expanded)
    return ch.casefold()


def match_key(s: str) -> str:
    """Fold ``s`` for search/comparison (see the module docstring for the rules)."""
    if s.isascii():
        return s.casefold()
    return "".join([fold_char(c) for c in s])


def keyed(text: str) -> tuple[str, list[int]]:
    """Return ``(key, offsets)`` with ``offsets[i]`` the index in ``text`` of the
    character that produced ``key[i]``. ``offsets`` is non-decreasing (strictly
    increasing except where one character expands into several)."""
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        if not folded:
            continue
        parts.append(folded)
        if len(folded) == 1:
            offsets.append(i)
        else:
            offsets.extend([i] * len(folded))
    return "".join(parts), offsets


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Non-overlapping ranges ``[start, end)`` of ``text`` whose key equals the key
    of ``query``, left to right.

    ``end`` extends over the dropped characters (harakat, tatweel, ...) that
    follow the last matched letter, so a hit on ``مدرسة`` in ``مدرسةٌ`` covers
    the tanween too. Hits that would begin or end inside a character that
    expands into several key characters are skipped.
    """
    qkey = match_key(query)
    if not qkey:
        return []
    key, offsets = keyed(text)
    n = len(text)
    hits: list[tuple[int, int]] = []
    pos = key.find(qkey)
    while pos != -1:
        last = pos + len(qkey) - 1
        aligned_start = pos == 0 or offsets[pos - 1] != offsets[pos]
        aligned_end = last + 1 == len(offsets) or offsets[last + 1] != offsets[last]
        if aligned_start and aligned_end:
            start = offsets[pos]
            end = offsets[last] + 1
            while end < n and not fold_char(text[end]):
                end += 1
            hits.append((start, end))
            pos = key.find(qkey, last + 1)
        else:
            pos = key.find(qkey, pos + 1)
    return hits
