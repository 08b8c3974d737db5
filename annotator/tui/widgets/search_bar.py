"""The search line under the article: normalised search, Enter jumps to the next hit.

A Textual `Input` draws its text in logical order, which reads backwards for Arabic in
terminals that do not reorder (tmux, xterm). So in `--bidi app` mode the field itself is
drawn by the app's bidi engine like the article (right to left, shaped): the value stays in
logical order, the line that holds the cursor is drawn visually, the caret sits on the
character it is before, a click lands on the character clicked, and Left/Right move by
screen column direction (Left goes forward in reading order, as in the article).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Offset
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input

from annotator.tui.bindings import SEARCH, bindings_for
from annotator.tui.layout import FieldView, field_view


class SearchBar(Input):
    """An Input whose Enter/Down/Up step through the hits and Escape closes it."""

    BINDINGS = bindings_for(SEARCH)

    @dataclass
    class Step(Message):
        """Jump to the next (+1) or previous (-1) hit of `query`."""

        query: str
        step: int

    class Closed(Message):
        """The search bar was closed."""

    def __init__(self, *args: object, bidi: str = "terminal", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.bidi = bidi

    @property
    def visual(self) -> FieldView | None:
        """What `--bidi app` draws (``None`` in the other modes or for an empty query)."""
        if self.bidi != "app":
            return None
        return field_view(self.value, self.scrollable_content_region.width,
                          self.cursor_position)

    @property
    def content_width(self) -> int:
        if self.bidi == "app":  # drawn within the field: never scrolled sideways
            return max(1, self.scrollable_content_region.width)
        return super().content_width

    @property
    def _cursor_offset(self) -> int:
        view = self.visual
        return view.caret if view is not None else super()._cursor_offset

    @property
    def cursor_screen_offset(self) -> Offset:
        view = self.visual
        if view is None:
            return super().cursor_screen_offset
        x, y, _w, _h = self.content_region
        return Offset(x + view.caret, y)

    def _cell_offset_to_index(self, offset: int) -> int:
        view = self.visual
        return view.index_at(offset) if view is not None else super()._cell_offset_to_index(offset)

    def action_cursor_left(self, select: bool = False) -> None:
        if self.bidi == "app":
            super().action_cursor_right(select)
        else:
            super().action_cursor_left(select)

    def action_cursor_right(self, select: bool = False) -> None:
        if self.bidi == "app":
            super().action_cursor_left(select)
        else:
            super().action_cursor_right(select)

    def action_cursor_left_word(self, select: bool = False) -> None:
        if self.bidi == "app":
            super().action_cursor_right_word(select)
        else:
            super().action_cursor_left_word(select)

    def action_cursor_right_word(self, select: bool = False) -> None:
        if self.bidi == "app":
            super().action_cursor_left_word(select)
        else:
            super().action_cursor_right_word(select)

    def render_line(self, y: int) -> Strip:
        view = self.visual if y == 0 else None
        if view is None:
            return super().render_line(y)
        width = self.scrollable_content_region.width
        low, high = sorted(self.selection)
        selecting = self.has_focus and high > low
        selection = self.get_component_rich_style("input--selection")
        cursor = self.get_component_rich_style("input--cursor")
        segments = []
        for col, (cell, offset) in enumerate(zip(view.cells, view.offsets, strict=True)):
            style = selection if selecting and low <= offset < high else None
            if self.has_focus and self._cursor_visible and col == view.caret:
                style = cursor
            segments.append(Segment(cell, style))
        return Strip(segments).adjust_cell_length(width + 1).apply_style(self.rich_style)

    def action_next_hit(self) -> None:
        self.post_message(self.Step(self.value, 1))

    def action_previous_hit(self) -> None:
        self.post_message(self.Step(self.value, -1))

    def action_close(self) -> None:
        self.post_message(self.Closed())


class SearchRow(Horizontal):
    """The search bar (drawn right to left by the app in `--bidi app` mode)."""

    def __init__(self, placeholder: str, bidi: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.bidi = bidi

    def compose(self) -> ComposeResult:
        yield SearchBar(placeholder=self.placeholder, bidi=self.bidi, id="search")

    @property
    def bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)
