"""The legend: one row per label type (key, swatch with the name, Arabic name), collapsible.

Expanded, each row is `1  PERS      شخص`: the hotkey, the name on its label colour (the
swatch, drawn as a span is), and the Arabic name laid out right-to-left by the app's bidi
engine (`annotator.tui.layout.one_line`). Collapsed, it is one line of the hotkeys, each on
its label colour, so the keys stay in sight however small the terminal (it starts collapsed
on a terminal shorter than `COLLAPSED_BELOW` rows).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from annotator.labelschema import LabelType
from annotator.tui.layout import one_line

COLLAPSED_BELOW = 28  # terminal rows
NAME_WIDTH = 10  # the swatch: " NAME " padded, names longer than 8 are cut


def swatch_style(color: str) -> str:
    return f"bold black on {color}"


def legend_text(types: Sequence[LabelType], width: int, bidi: str, *, expanded: bool,
                title: str = "Labels", toggle_key: str = "L") -> Text:
    """The legend drawn at `width` cells (pure: no widget needed, so it is unit-testable)."""
    text = Text(no_wrap=True, overflow="crop", end="")
    if not expanded:
        for t in types:
            text.append(f"{t.hotkey}", style=swatch_style(t.color))
        text.append(f" {toggle_key} legend · ? keys", style="dim")
        return text
    text.append(title, style="bold")
    text.append(f" {toggle_key} hides · ? all keys", style="dim")
    room = max(0, width - 2 - NAME_WIDTH - 1)
    for t in types:
        text.append("\n")
        text.append(f"{t.hotkey} ", style="bold")
        text.append(f" {t.name[:NAME_WIDTH - 2]:<{NAME_WIDTH - 2}} ", style=swatch_style(t.color))
        text.append(" ")
        arabic = one_line(t.ar, room, bidi) if room else ""
        text.append(arabic.rjust(room) if bidi != "off" else arabic.ljust(room))
    return text


class Legend(Widget):
    """The label types of the schema (entities on the annotate screen); `toggle` collapses
    it to one line and back."""

    expanded: reactive[bool] = reactive(True, layout=True)

    def __init__(self, types: Sequence[LabelType], *, bidi: str = "app", title: str = "Labels",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.types = list(types)
        self.bidi = bidi
        self.title_text = title

    def on_mount(self) -> None:
        # on a short terminal the spans list needs the room: start collapsed (L shows it)
        if self.app.size.height < COLLAPSED_BELOW:
            self.expanded = False

    def toggle(self) -> None:
        self.expanded = not self.expanded

    def watch_expanded(self, expanded: bool) -> None:
        self.set_class(not expanded, "-collapsed")

    def render(self) -> Text:
        return legend_text(self.types, self.content_region.width or self.size.width, self.bidi,
                           expanded=self.expanded, title=self.title_text)
