"""What a mouse drag over the article selects: pure logic, no Textual.

The drag runs from the character under the button press to the character under the pointer
(either way round, in logical order); the range is snapped outwards to whole display units,
so it never ends between a base letter and its harakat (the rule the edge keys follow).
"""

from __future__ import annotations

from annotator.text._chars import is_mark

Range = tuple[int, int]


def drag_range(text: str, anchor: int, here: int) -> Range:
    """The logical range [start, end) covering the characters at `anchor` and `here` and
    everything between them, widened to display-unit boundaries."""
    n = len(text)
    if n == 0:
        return (0, 0)
    start = max(0, min(anchor, here, n - 1))
    end = min(n, max(anchor, here) + 1)
    while start > 0 and is_mark(text[start]):
        start -= 1
    while end < n and is_mark(text[end]):
        end += 1
    return (start, end)
