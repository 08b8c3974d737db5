"""The mark class is built from a scan that skips the planes with no assigned character:
it must equal a scan of every code point (under this Python's Unicode version)."""

from __future__ import annotations

import sys

from annotator.text import _chars


def test_the_short_scan_finds_every_mark_a_full_scan_finds() -> None:
    full = _chars._ranges(_chars._ATTACHING, (range(0, sys.maxunicode + 1),))
    assert _chars._ranges(_chars._ATTACHING) == full
    assert any(lo <= 0x064E <= hi for lo, hi in full)  # fatha
    assert any(lo <= 0xE0100 <= hi for lo, hi in full)  # a variation selector, plane 14
