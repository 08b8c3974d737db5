"""The shape the pickers share: a modal frame with a title, a list and a help line.

A row's key (`keys`: typed character → option id) picks at once, ↑ ↓ and Enter pick the
highlighted row, Esc closes with None; `chosen` turns the picked option id into the screen's
result (`PickerScreen[ResultT]` dismisses with `ResultT | None`). A picker brings its rows
(`options`, or its own widget from `body`), its labels, its key bindings (`cancel_binding`:
Esc with the picker's own id and description) and, when the result is not the option id
itself, its `chosen`.

The look is in picker.tcss, loaded with the first picker shown; `DEFAULT_CLASSES` of a picker
picks a variant there (`-short`, `-compact`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

ResultT = TypeVar("ResultT")

PICKER_CSS = Path(__file__).resolve().with_name("picker.tcss")


def cancel_binding(binding_id: str, description: str) -> Binding:
    """Esc: close without a choice (the picker dismisses with None)."""
    return Binding("escape", "cancel", description, id=binding_id)


class PickerScreen(ModalScreen[ResultT]):
    """A modal list to pick one row from; dismisses with `chosen(option id)` or None.

    `current` (an option id) is highlighted when the picker opens."""

    CSS_PATH = PICKER_CSS

    def __init__(self, title: str, help_line: str, options: Sequence[Option] = (),
                 keys: Mapping[str, str] | None = None, current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.help_line = help_line
        self.options = list(options)
        self.keys = dict(keys or {})
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield self.body()
            yield Label(self.help_line, id="picker-help")

    def body(self) -> Widget:
        """The frame's content between the title and the help line: the list of rows."""
        return OptionList(*self.options, id="picker-list")

    def on_mount(self) -> None:
        if self.current is None:
            return
        rows = self.query_one("#picker-list", OptionList)
        try:
            rows.highlighted = rows.get_option_index(self.current)
        except OptionDoesNotExist:
            pass

    def on_key(self, event: Key) -> None:
        option_id = self.keys.get(event.character or event.key)
        if option_id is not None:
            event.stop()
            event.prevent_default()
            self.key_picked(option_id)

    def key_picked(self, option_id: str) -> None:
        """A row's key was typed: pick that row."""
        self.dismiss(self.chosen(option_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option.id is not None
        self.dismiss(self.chosen(event.option.id))

    def chosen(self, option_id: str) -> ResultT:
        """The result for the picked row: the option id itself unless a picker says else."""
        return cast(ResultT, option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
