"""Modal checkbox list of the schema's event types; Enter saves the ticked set.

Each row is the legend of one event type: `[x]` / `[ ]` (ticked or not, in any colour mode),
the hotkey, the name on its label colour (the swatch), the Arabic name laid out right to left
by the app's bidi engine, and the English description.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from annotator.labelschema import LabelSchema, LabelType
from annotator.tui.bindings import spec
from annotator.tui.layout import one_line
from annotator.tui.screens.picker import PickerScreen, cancel_binding

TICKED = "[x] "
UNTICKED = "[ ] "
ARABIC_WIDTH = 18


class TickList(SelectionList[str]):
    """A SelectionList whose check box is a glyph, `[x]` or `[ ]`, not a coloured X."""

    def _get_left_gutter_width(self) -> int:
        return len(TICKED)

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self._selected
        underlying = next(iter(line)).style or self.rich_style
        glyph = underlying + Style(bold=ticked, meta={"option": index})
        return Strip([Segment(TICKED if ticked else UNTICKED, glyph), *line])

    def is_ticked(self, value: str) -> bool:
        return value in self._selected


class EventPicker(PickerScreen[list[str]]):
    """Dismisses with the ticked labels (Enter) or None (Escape); a hotkey ticks or unticks
    its row."""

    DEFAULT_CLASSES = "-short"
    BINDINGS = [
        Binding("enter", "save", spec("picker.save").description, priority=True,
                id="picker.save"),
        cancel_binding("picker.cancel", spec("picker.cancel").description),
    ]

    def __init__(self, schema: LabelSchema, title: str, ticked: list[str]) -> None:
        super().__init__(title, "hotkey or space: tick / untick · ↑ ↓: move · Enter: save · "
                         "Esc: close without saving",
                         keys={t.hotkey: t.name for t in schema.events})
        self.schema = schema
        self.ticked = set(ticked)

    def body(self) -> Widget:
        return TickList(
            *(Selection(self._prompt(t, self._bidi), t.name, t.name in self.ticked,
                        id=f"event-{t.name}")
              for t in self.schema.events),
            id="picker-list",
        )

    @property
    def _bidi(self) -> str:
        session = getattr(self.app, "session", None)
        return getattr(session, "bidi", "app")

    @staticmethod
    def _prompt(t: LabelType, bidi: str = "app") -> Text:
        text = Text()
        text.append(f"{t.hotkey} ", style="bold")
        text.append(f" {t.name:<12} ", style=f"bold black on {t.color}")
        arabic = one_line(t.ar, ARABIC_WIDTH, bidi)
        text.append(" " + (arabic.rjust(ARABIC_WIDTH) if bidi != "off" else
                           arabic.ljust(ARABIC_WIDTH)))
        text.append(f"  {t.en}", style="dim")
        return text

    def key_picked(self, option_id: str) -> None:
        self.query_one(SelectionList).toggle(option_id)

    @property
    def selected(self) -> list[str]:
        return sorted(self.query_one(SelectionList).selected)

    def action_save(self) -> None:
        self.dismiss(self.selected)
