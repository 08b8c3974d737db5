"""The search line under the article: normalised search, Enter jumps to the next hit.

A Textual `Input` draws its text in logical order, which reads backwards for Arabic in
terminals that do not reorder (tmux, xterm). So in `--bidi app` mode the row also shows
a read-only preview of the query laid out like the article (right to left, shaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from annotator.tui.bindings import SEARCH, bindings_for
from annotator.tui.layout import field_line


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

    def action_next_hit(self) -> None:
        self.post_message(self.Step(self.value, 1))

    def action_previous_hit(self) -> None:
        self.post_message(self.Step(self.value, -1))

    def action_close(self) -> None:
        self.post_message(self.Closed())


class SearchPreview(Widget):
    """The query as the article would draw it: one visual line, right-aligned."""

    value: reactive[str] = reactive("")

    def __init__(self, mode: str = "app", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = mode
        self.border_title = "query, right to left"

    @property
    def visual_line(self) -> Any:
        """The ``VisualLine`` drawn now (``None`` when the query is empty)."""
        return field_line(self.value, self.content_size.width, self.mode)

    def render(self) -> Text:
        line = self.visual_line
        return Text("".join(line.cells) if line is not None else "", no_wrap=True, end="")


class SearchRow(Horizontal):
    """The search bar, with the bidi preview of its query in `--bidi app` mode."""

    def __init__(self, placeholder: str, bidi: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.bidi = bidi

    def compose(self) -> ComposeResult:
        yield SearchBar(placeholder=self.placeholder, id="search")
        if self.bidi == "app":
            yield SearchPreview(self.bidi, id="search-preview")

    @property
    def bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    def on_input_changed(self, event: Input.Changed) -> None:
        for preview in self.query(SearchPreview):
            preview.value = event.value
