"""Modal list of the nested spans under the cursor: choose the one to remove."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from annotator.tui.layout import one_line
from annotator.tui.span_index import SpanRec


class SpanPicker(ModalScreen[int | None]):
    """Dismisses with the chosen span id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="span_picker.cancel")]

    def __init__(self, spans: list[SpanRec], text: str, colors: dict[str, str],
                 bidi: str) -> None:
        super().__init__()
        self.spans = spans
        self.text = text
        self.label_colors = colors
        self.bidi = bidi

    def compose(self) -> ComposeResult:
        options = []
        for s in self.spans:
            prompt = Text()
            color = self.label_colors.get(s.label, "grey50")
            prompt.append(f" {s.label} ", style=f"bold black on {color}")
            prompt.append(" " + one_line(self.text[s.start:s.end], 40, self.bidi))
            options.append(Option(prompt, id=str(s.id)))
        with Vertical(id="picker"):
            yield Label("Remove which span?", id="picker-title")
            yield OptionList(*options, id="span-options")
            yield Label("Enter: remove · Esc: cancel", id="picker-help")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option.id is not None
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
