"""Modal list of one choice (an event type, a role, an attribute value): a row's key or
Enter on it dismisses with its value, Esc with None. Used by the adjudicate screen's
edits of event-mention items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Choice:
    value: str
    key: str  # one key that picks it ("" for none)
    prompt: Text


class ChoicePicker(ModalScreen[str | None]):
    """Dismisses with the chosen value, or None."""

    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker > #choice { width: 64; height: auto; max-height: 80%;
                             border: round $primary; background: $surface; padding: 0 1; }
    ChoicePicker #choice-title { text-style: bold; }
    ChoicePicker #choice-options { height: auto; max-height: 20; }
    ChoicePicker #choice-help { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice_picker.cancel")]

    def __init__(self, title: str, choices: Sequence[Choice], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current
        self._by_key = {c.key: c.value for c in self.choices if c.key}

    def compose(self) -> ComposeResult:
        options = []
        for c in self.choices:
            prompt = Text()
            prompt.append(f"{c.key or ' '} ", style="bold")
            prompt.append_text(c.prompt)
            options.append(Option(prompt, id=c.value))
        with Vertical(id="choice"):
            yield Label(self.title_text, id="choice-title")
            yield OptionList(*options, id="choice-options")
            yield Label("key or Enter: choose · ↑ ↓: move · Esc: cancel", id="choice-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        values = [c.value for c in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)

    def on_key(self, event: Key) -> None:
        value = self._by_key.get(event.character or event.key)
        if value is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
