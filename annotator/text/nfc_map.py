"""NFC normalisation with an exact map of offsets from the original text.

Stored text is NFC. A record whose text is not NFC keeps its spans by mapping each
offset through the normalisation; an offset that falls *inside* a sequence NFC
changes (composes, decomposes or reorders) has no image, and a span with such an
edge must be rejected.

How: the original is cut before every *safe* character, one that NFC can never
combine with or reorder around what precedes it: a starter (canonical combining
class 0) that NFC leaves as it is and that is not the second half of any canonical
composition (Hangul medial vowels and final consonants included). For such cuts
``NFC(a + b) == NFC(a) + NFC(b)`` (Unicode UAX #15, "boundaries"), so each segment,
a safe character with the unsafe characters that follow it, is normalised on its
own. An unchanged segment maps its offsets one to one (shifted by what earlier
segments gained or lost); a changed one maps only its two ends. Should the
concatenation ever differ from ``NFC(original)`` (it must not; the tests check it),
the whole text becomes one changed segment: only ``0`` and ``len(original)`` map.

Cost: ``unicodedata.is_normalized`` answers for an NFC text at once (identity map).
Otherwise the text is checked in chunks of about ``_CHUNK`` characters cut at safe
characters, and only the chunks that are not NFC are cut into segments: linear,
and a 50,000-character text with one reordered shadda/fatha pair normalises one
chunk.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache

__all__ = ["NfcMap", "map_range", "nfc_map"]

_CHUNK = 1024
#: Every code point with a canonical decomposition or a non-zero combining class
#: lies below this (Unicode 15: the last decomposition is U+2FA1D); the unit tests
#: check it for the running Python.
_SCAN_LIMIT = 0x30000
#: Hangul medial vowels and final consonants compose with a preceding L / LV jamo.
_HANGUL_V = (0x1161, 0x1175)
_HANGUL_T = (0x11A8, 0x11C2)


def _unsafe_code_points() -> set[int]:
    """Characters before which a cut is not safe for NFC."""
    unsafe: set[int] = set()
    for cp in range(_SCAN_LIMIT):
        ch = chr(cp)
        if unicodedata.combining(ch):
            unsafe.add(cp)
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                unsafe.add(int(parts[1], 16))  # may compose with a preceding char
            if unicodedata.normalize("NFC", ch) != ch:
                unsafe.add(cp)  # NFC replaces it (singletons, exclusions)
    for lo, hi in (_HANGUL_V, _HANGUL_T):
        unsafe.update(range(lo, hi + 1))
    return unsafe


def _class_body(code_points: set[int]) -> str:
    ranges: list[tuple[int, int]] = []
    for cp in sorted(code_points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a run of unsafe characters, one safe character)."""
    body = _class_body(_unsafe_code_points())
    return re.compile(f"[{body}]+"), re.compile(f"[^{body}]")


def _segments(original: str) -> list[tuple[int, int, str]]:
    """The changed segments of ``original``: ``(start, end, NFC(original[start:end]))``
    in order, cut at safe characters; everything between them is unchanged by NFC."""
    unsafe_run, safe = _patterns()
    n = len(original)
    out: list[tuple[int, int, str]] = []
    chunk_start = 0
    while chunk_start < n:
        chunk_end = n
        if chunk_start + _CHUNK < n:
            nxt = safe.search(original, chunk_start + _CHUNK)
            if nxt is not None:
                chunk_end = nxt.start()
        if not unicodedata.is_normalized("NFC", original[chunk_start:chunk_end]):
            for run in unsafe_run.finditer(original, chunk_start, chunk_end):
                start = run.start() - 1 if run.start() > chunk_start else chunk_start
                piece = original[start : run.end()]
                normal = unicodedata.normalize("NFC", piece)
                if normal != piece:
                    out.append((start, run.end(), normal))
        chunk_start = chunk_end
    return out


@dataclass(frozen=True)
class NfcMap:
    """``text`` is ``NFC(original)``; :meth:`offset` maps boundaries of the original."""

    text: str
    changed: bool
    _length: int = field(repr=False)
    #: changed segments: starts and ends in the original, and the total length
    #: gained (or lost, negative) by the end of each one
    _starts: tuple[int, ...] = field(default=(), repr=False)
    _ends: tuple[int, ...] = field(default=(), repr=False)
    _shifts: tuple[int, ...] = field(default=(), repr=False)

    def offset(self, i: int) -> int | None:
        """Boundary ``i`` (``0 .. len(original)``) of the original as a boundary of
        ``text``; None when ``i`` falls strictly inside a segment NFC changed."""
        if not 0 <= i <= self._length:
            raise IndexError(f"offset {i} outside 0..{self._length}")
        if not self.changed:
            return i
        k = bisect_left(self._starts, i) - 1  # the last changed segment starting before i
        if k < 0:
            return i
        if i < self._ends[k]:
            return None
        return i + self._shifts[k]


def nfc_map(original: str) -> NfcMap:
    """The NFC form of ``original`` with the map of its offsets."""
    n = len(original)
    if unicodedata.is_normalized("NFC", original):
        return NfcMap(original, False, n)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    shifts: list[int] = []
    pos = shift = 0
    for start, end, normal in _segments(original):
        parts.append(original[pos:start])
        parts.append(normal)
        shift += len(normal) - (end - start)
        starts.append(start)
        ends.append(end)
        shifts.append(shift)
        pos = end
    parts.append(original[pos:])
    text = "".join(parts)
    expected = unicodedata.normalize("NFC", original)
    if text != expected:  # not expected to happen: keep only the two ends
        return NfcMap(expected, True, n, (0,), (n,), (len(expected) - n,))
    return NfcMap(text, True, n, tuple(starts), tuple(ends), tuple(shifts))


def map_range(m: NfcMap, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` of the original as a range of ``m.text``; None when either
    edge falls inside a segment NFC changed, or the mapped range is empty."""
    a = m.offset(start)
    b = m.offset(end)
    if a is None or b is None or b <= a:
        return None
    return a, b
