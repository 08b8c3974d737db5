"""A drag's range: both directions, and snapped to display units (never inside a letter's
harakat)."""

from __future__ import annotations

from annotator.tui.drag import drag_range

TEXT = "قالَ الوزيرُ"  # قال + fatha, space, الوزير + damma


def test_drag_covers_both_ends_either_way() -> None:
    assert drag_range("abcdef", 1, 3) == (1, 4)
    assert drag_range("abcdef", 3, 1) == (1, 4)
    assert drag_range("abcdef", 2, 2) == (2, 3)
    assert drag_range("", 0, 5) == (0, 0)
    assert drag_range("abc", 1, 99) == (1, 3)


def test_drag_snaps_to_display_units() -> None:
    lam = TEXT.index("ل")  # the lam carries the fatha at lam + 1
    assert TEXT[lam + 1] == "\u064e"
    # ending on the lam takes its fatha too; starting on the fatha starts at the lam
    assert drag_range(TEXT, 0, lam) == (0, lam + 2)
    assert drag_range(TEXT, lam + 1, lam + 3) == (lam, lam + 4)
    start, end = drag_range(TEXT, 5, len(TEXT) - 2)
    assert TEXT[start:end] == "الوزيرُ"
