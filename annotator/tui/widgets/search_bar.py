"""The search line under the article: normalised search, Enter jumps to the next hit."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Input

from annotator.tui.bindings import SEARCH, bindings_for


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
