"""Modal list of the nested spans under the cursor: choose the one to remove."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from annotator.tui.layout import one_line
from annotator.tui.screens.picker import PickerScreen, cancel_binding
from annotator.tui.span_index import SpanRec


class SpanPicker(PickerScreen[int]):
    """Dismisses with the chosen span id, or None."""

    DEFAULT_CLASSES = "-short"
    BINDINGS = [cancel_binding("span_picker.cancel", "Cancel")]

    def __init__(self, spans: list[SpanRec], text: str, colors: dict[str, str],
                 bidi: str) -> None:
        self.spans = spans
        options = []
        for s in spans:
            prompt = Text()
            prompt.append(f" {s.label} ", style=f"bold black on {colors.get(s.label, 'grey50')}")
            prompt.append(" " + one_line(text[s.start:s.end], 40, bidi))
            options.append(Option(prompt, id=str(s.id)))
        super().__init__("Remove which span?", "Enter: remove · Esc: cancel", options)

    def chosen(self, option_id: str) -> int:
        return int(option_id)
