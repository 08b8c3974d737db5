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


def _unit_start(text: str, end: int, floor: int) -> int:
    """Start of the display unit that ends at `end` (not before `floor`)."""
    u = end - 1
    while u > floor and not on_boundary(text, u):
        u -= 1
    return u


def has_word_character(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def clean_edges(text: str, start: int, end: int) -> Range | None:
    """The range [start, end) snapped inwards: its edges moved onto display-unit
    boundaries and past whitespace units. None when nothing with a letter or digit is left
    (a punctuation-only or blank selection)."""
    start, end = max(0, start), min(len(text), end)
    while start < end and (not on_boundary(text, start) or text[start].isspace()):
        start += 1
    while end > start and not on_boundary(text, end):
        end -= 1
    while end > start:
        u = _unit_start(text, end, start)
        if not text[u].isspace():
            break
        end = u
    if start >= end or not has_word_character(text[start:end]):
        return None
    return start, end


def edge_problem(text: str, start: int, end: int) -> str | None:
    """Why [start, end) breaks the rule (one phrase), or None when it follows it."""
    if not 0 <= start < end <= len(text):
        return f"[{start}, {end}) is not a range inside the text (0..{len(text)})"
    if not on_boundary(text, start):
        return f"start {start} is inside a letter's marks (harakat)"
    if not on_boundary(text, end):
        return f"end {end} is inside a letter's marks (harakat)"
    if text[start].isspace():
        return "starts with whitespace"
    if text[_unit_start(text, end, start)].isspace():
        return "ends with whitespace"
    if not has_word_character(text[start:end]):
        return "holds no letter or digit"
    return None
