"""Cursor and selection over tokens: pure logic, no Textual.

The cursor sits on a token (an index into the document's tokens). A selection is a
logical range [start, end); extending it by tokens keeps the anchor token fixed, and the
edge keys move one edge by one character in reading order (to split off a clitic).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from annotator.text._chars import is_mark
from annotator.text.span_edges import on_boundary, unit_is_space, unit_start_before

Range = tuple[int, int]


def token_at(tokens: list[Range], offset: int) -> int | None:
    """Index of the token holding `offset`, else the next token, else the last one."""
    if not tokens:
        return None
    i = bisect_right(tokens, (offset, 1 << 62)) - 1
    if i >= 0 and tokens[i][0] <= offset < tokens[i][1]:
        return i
    return min(i + 1, len(tokens) - 1)


@dataclass
class Caret:
    """Where the annotator is: the cursor token, and an optional selection."""

    tokens: list[Range]
    cursor: int = 0  # token index
    anchor: Range | None = None  # the fixed end of a token-extended selection
    selection: Range | None = None
    refusal: str = ""  # why the last edge move was refused ("space"), if it was

    @property
    def cursor_range(self) -> Range | None:
        if not self.tokens:
            return None
        return self.tokens[self.cursor]

    def target(self) -> Range | None:
        """What a label key marks: the selection, else the token under the cursor."""
        return self.selection or self.cursor_range

    def clear(self) -> None:
        self.anchor = None
        self.selection = None

    def place(self, offset: int) -> None:
        """Cursor on the token at `offset`; drops the selection."""
        i = token_at(self.tokens, offset)
        if i is not None:
            self.cursor = i
        self.clear()

    def step(self, forward: bool, extend: bool = False) -> None:
        """One token forward/back in reading order; with `extend`, grow the selection."""
        if self.tokens:
            self.move_to(self.cursor + (1 if forward else -1), extend)

    def move_to(self, index: int, extend: bool = False) -> None:
        """Cursor on token `index`; with `extend`, the selection becomes the logical
        range from the anchor to the cursor token, else the selection is dropped."""
        if not self.tokens:
            return
        if extend and self.anchor is None:
            self.anchor = self.selection or self.tokens[self.cursor]
        self.cursor = max(0, min(len(self.tokens) - 1, index))
        if extend:
            self._from_anchor()
        else:
            self.clear()

    def jump(self, index: int) -> None:
        if self.tokens:
            self.cursor = max(0, min(len(self.tokens) - 1, index))
        self.clear()

    def _from_anchor(self) -> None:
        assert self.anchor is not None
        cur = self.tokens[self.cursor]
        self.selection = (min(self.anchor[0], cur[0]), max(self.anchor[1], cur[1]))

    def move_edge(self, edge: str, delta: int, text_length: int, text: str | None = None) -> bool:
        """Move the selection's start or end edge by `delta` characters (logical order).

        Without a selection, the token under the cursor becomes the selection first.
        With `text`, an edge never stops between a base character and its marks (harakat,
        ZWNJ …, drawn in the base's cell): it moves on to the next display unit.
        The selection never becomes empty; returns False when the edge cannot move.
        """
        base = self.target()
        if base is None:
            return False
        start, end = base
        pos = (start if edge == "start" else end) + delta
        self.refusal = ""
        if text is not None and delta:
            step = 1 if delta > 0 else -1
            while 0 < pos < len(text) and is_mark(text[pos]):
                pos += step
            pos = self._past_whitespace(text, edge, delta, start, end, pos)
            if pos is None:
                return False
        if edge == "start":
            start = pos
        else:
            end = pos
        if not (0 <= start < end <= text_length):
            return False
        self.selection = (start, end)
        # later token extension keeps these edges
        self.anchor = self.selection
        return True

    def _past_whitespace(self, text: str, edge: str, delta: int, start: int, end: int,
                         pos: int) -> int | None:
        """Edges never take whitespace in: a growing edge stops before it (None, and
        `refusal` says why: ⇧←/⇧→ extend by a token); a shrinking edge moves on inwards
        past it."""
        grows = (edge == "start") == (delta < 0)
        if grows:
            added = text[max(0, pos):start] if edge == "start" else text[end:pos]
            if any(ch.isspace() for ch in added):
                self.refusal = "space"
                return None
            return pos
        if edge == "start":
            while pos < end and (text[pos].isspace() or not on_boundary(text, pos)):
                pos += 1
            return pos
        while pos > start and unit_is_space(text, unit_start_before(text, pos, start), pos):
            pos = unit_start_before(text, pos, start)
        return pos

    def select(self, rng: Range) -> None:
        """Select exactly `rng` (a search hit) and put the cursor on its first token."""
        i = token_at(self.tokens, rng[0])
        if i is not None:
            self.cursor = i
        self.selection = rng
        self.anchor = rng
