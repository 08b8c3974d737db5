"""Modal list of one choice (an event type, a role, an attribute value): a row's key or
Enter on it dismisses with its value, Esc with None. Used by the adjudicate screen's
edits of event-mention items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets.option_list import Option

from annotator.tui.screens.picker import PickerScreen, cancel_binding


@dataclass(frozen=True)
class Choice:
    value: str
    key: str  # one key that picks it ("" for none)
    prompt: Text


class ChoicePicker(PickerScreen[str]):
    """Dismisses with the chosen value, or None."""

    DEFAULT_CLASSES = "-compact"
    BINDINGS = [cancel_binding("choice_picker.cancel", "Cancel")]

    def __init__(self, title: str, choices: Sequence[Choice], current: str | None = None) -> None:
        self.choices = list(choices)
        options = [Option(Text.assemble((f"{c.key or ' '} ", "bold"), c.prompt), id=c.value)
                   for c in self.choices]
        super().__init__(title, "key or Enter: choose · ↑ ↓: move · Esc: cancel", options,
                         {c.key: c.value for c in self.choices if c.key}, current)
