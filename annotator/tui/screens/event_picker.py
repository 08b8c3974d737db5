"""Modal checkbox list of the schema's event types; Enter saves the ticked set."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from annotator.labelschema import LabelSchema
from annotator.tui.bindings import spec


class EventPicker(ModalScreen[list[str] | None]):
    """Dismisses with the ticked labels (Enter) or None (Escape)."""

    BINDINGS = [
        Binding("enter", "save", spec("picker.save").description, priority=True,
                id="picker.save"),
        Binding("escape", "cancel", spec("picker.cancel").description, id="picker.cancel"),
    ]

    def __init__(self, schema: LabelSchema, title: str, ticked: list[str]) -> None:
        super().__init__()
        self.schema = schema
        self.title_text = title
        self.ticked = set(ticked)
        self._by_key = {t.hotkey: t.name for t in schema.events}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield SelectionList[str](
                *(Selection(self._prompt(t.hotkey, t.name, t.en, t.color), t.name,
                            t.name in self.ticked, id=f"event-{t.name}")
                  for t in self.schema.events),
                id="picker-list",
            )
            yield Label("hotkey or space: tick · Enter: save · Esc: cancel", id="picker-help")

    @staticmethod
    def _prompt(hotkey: str, name: str, en: str, color: str) -> Text:
        text = Text()
        text.append(f"{hotkey} ", style="bold")
        text.append(f" {name} ", style=f"bold black on {color}")
        text.append(f" {en}", style="dim")
        return text

    def on_key(self, event: Key) -> None:
        name = self._by_key.get(event.character or "")
        if name is not None:
            event.stop()
            event.prevent_default()
            self.query_one(SelectionList).toggle(name)

    @property
    def selected(self) -> list[str]:
        return sorted(self.query_one(SelectionList).selected)

    def action_save(self) -> None:
        self.dismiss(self.selected)

    def action_cancel(self) -> None:
        self.dismiss(None)


