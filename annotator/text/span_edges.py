"""Clean span edges: the rule every new span follows, in the TUI and on import.

A span's edges sit on display-unit boundaries (never between a letter and its harakat:
a unit is a base character and the zero-width marks that follow it, as in
`annotator.bidi.units`), it neither starts nor ends with whitespace, and it holds at
least one letter or digit. `clean_edges` snaps a selection inwards until it follows the
rule (never outwards); `edge_problem` says what is wrong with a range as it is (import
rejects such a record rather than moving its offsets).
"""

from __future__ import annotations

from annotator.text._chars import LINE_BREAKS, is_mark

Range = tuple[int, int]


def on_boundary(text: str, pos: int) -> bool:
    """Whether `pos` falls between two display units (or at either end of the text).

    Marks at the very start of a paragraph join its first unit (as in the bidi engine),
    so the position after them is not a boundary."""
    if pos <= 0 or pos >= len(text) or text[pos - 1] in LINE_BREAKS:
        return True
    if is_mark(text[pos]):
        return False
    i = pos - 1
    while i >= 0 and is_mark(text[i]):
        i -= 1
    return i == pos - 1 or (i >= 0 and text[i] not in LINE_BREAKS)


def unit_start_before(text: str, end: int, floor: int) -> int:
    """Start of the display unit that ends at `end` (not before `floor`)."""
    u = end - 1
    while u > floor and not on_boundary(text, u):
        u -= 1
    return u


def unit_end_after(text: str, start: int, ceiling: int) -> int:
    """End of the display unit that starts at `start` (not after `ceiling`)."""
    e = start + 1
    while e < ceiling and not on_boundary(text, e):
        e += 1
    return e


def unit_is_space(text: str, start: int, end: int) -> bool:
    """Whether the unit [start, end) is whitespace: its base (the first character that is
    not a mark; marks at a paragraph's start join the base after them) is."""
    base = next((ch for ch in text[start:end] if not is_mark(ch)), text[start])
    return base.isspace()


def has_word_character(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def clean_edges(text: str, start: int, end: int) -> Range | None:
    """The range [start, end) snapped inwards: its edges moved onto display-unit
    boundaries and past whitespace units. None when nothing with a letter or digit is left
    (a punctuation-only or blank selection)."""
    start, end = max(0, start), min(len(text), end)
    while start < end:
        if not on_boundary(text, start):
            start += 1
            continue
        after = unit_end_after(text, start, end)
        if not unit_is_space(text, start, after):
            break
        start = after
    while end > start and not on_boundary(text, end):
        end -= 1
    while end > start:
        u = unit_start_before(text, end, start)
        if not unit_is_space(text, u, end):
            break
        end = u
    if start >= end or not has_word_character(text[start:end]):
        return None
    return start, end


def edge_problem(text: str, start: int, end: int) -> str | None:
    """Why [start, end) breaks the rule (one phrase), or None when it follows it."""
    if not 0 <= start < end <= len(text):
        return f"[{start}, {end}) is not a range inside the text (0..{len(text)})"
    first, last = text[start], text[end - 1]
    if (first.isalnum() and last.isalnum()  # the common case, decided at once: a letter
            and (start == 0 or not is_mark(text[start - 1]))  # or digit at each end, no
            and (end == len(text) or not is_mark(text[end]))):  # marks across either edge
        return None
    if not on_boundary(text, start):
        return f"start {start} is inside a letter's marks (harakat)"
    if not on_boundary(text, end):
        return f"end {end} is inside a letter's marks (harakat)"
    if unit_is_space(text, start, unit_end_after(text, start, end)):
        return "starts with whitespace"
    if unit_is_space(text, unit_start_before(text, end, start), end):
        return "ends with whitespace"
    if not has_word_character(text[start:end]):
        return "holds no letter or digit"
    return None
