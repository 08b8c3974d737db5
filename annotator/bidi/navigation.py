"""Moving between tokens by screen direction on a laid-out document (no Textual).

Tokens are ``[start, end)`` document ranges in reading order (for example from
``annotator.text.segment.split_tokens``). Each token belongs to the screen line that
holds its first character. On a line, tokens are ordered by their leftmost cell, so
inside a left-to-right run embedded in Arabic ("30 مارس 2022", a Latin name) the
token to the left on screen is the one drawn there, whatever its reading order.

Past the end of a line the move continues on the neighbouring line that comes next
in the direction of the move's reading order: in a right-to-left layout, going left
past the leftmost token continues at the rightmost token of the next line (forward
in reading order), going right past the rightmost one continues at the leftmost
token of the previous line. In a left-to-right layout it is the other way round.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Literal

from annotator.bidi.layout import Layout
from annotator.bidi.visual_line import NO_CHAR, VisualLine

Range = tuple[int, int]
Direction = Literal["left", "right"]


def token_index_at(tokens: Sequence[Range], offset: int) -> int | None:
    """Index of the token holding ``offset``, or ``None`` (whitespace, no token)."""
    i = bisect_right(tokens, (offset, 1 << 62)) - 1
    if i >= 0 and tokens[i][0] <= offset < tokens[i][1]:
        return i
    return None


def tokens_on_line(line: VisualLine, tokens: Sequence[Range]) -> list[int]:
    """Indices of the tokens that start on ``line``, ordered left to right on screen."""
    row: list[int] = []
    seen: set[int] = set()
    for offset in line.col_to_logical:
        if offset == NO_CHAR:
            continue
        i = token_index_at(tokens, offset)
        if i is None or i in seen or not line.start <= tokens[i][0] < line.end:
            continue
        seen.add(i)
        row.append(i)
    return row


def line_of_token(layout: Layout, tokens: Sequence[Range], index: int) -> int:
    """The screen line holding the first character of ``tokens[index]``."""
    return layout.locate(tokens[index][0])[0]


def visual_neighbour(
    layout: Layout,
    tokens: Sequence[Range],
    index: int,
    direction: Direction,
    *,
    rtl: bool = True,
) -> int:
    """Index of the token next to ``tokens[index]`` on screen towards ``direction``.

    ``rtl`` says how the lines are read (right to left in ``app`` mode), which decides
    which neighbouring line a move continues on past a line's end. At the first or
    last token of the document the same ``index`` comes back.
    """
    if not tokens or not layout.lines:
        return index
    lines = layout.lines
    line_no = line_of_token(layout, tokens, index)
    row = tokens_on_line(lines[line_no], tokens)
    step = -1 if direction == "left" else 1
    if index in row:
        pos = row.index(index) + step
        if 0 <= pos < len(row):
            return row[pos]
    forward = (direction == "left") == rtl
    delta = 1 if forward else -1
    n = line_no + delta
    while 0 <= n < len(lines):
        row = [i for i in tokens_on_line(lines[n], tokens) if i != index]
        if row:
            # entering a line moving left starts at its right edge, and vice versa
            return row[-1] if direction == "left" else row[0]
        n += delta
    return index
