"""Side panel: the user's spans in reading order, label and exact text (line API)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.tui.layout import one_line
from annotator.tui.span_index import SpanRec

LABEL_WIDTH = 9
CURRENT = Style(reverse=True)


class SpanList(ScrollView, can_focus=False):
    """One line per span: `LABEL  text`; the span under the cursor is highlighted."""

    def __init__(self, text: str, colors: dict[str, str], *, bidi: str = "app",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self.bidi = bidi
        self.spans: list[SpanRec] = []
        self.current: int | None = None
        self._label_styles = {n: Style(color="black", bgcolor=c, bold=True)
                              for n, c in colors.items()}

    def show(self, spans: list[SpanRec], current: int | None = None) -> None:
        self.spans = spans
        self.current = current
        self.virtual_size = Size(self.scrollable_content_region.width, len(spans))
        self.refresh()
        self._scroll_current()

    def set_current(self, current: int | None) -> None:
        if current == self.current:
            return
        old, self.current = self.current, current
        for i in (old, current):
            if i is not None:
                self.refresh_line(i)
        self._scroll_current()

    def _scroll_current(self) -> None:
        if self.current is None:
            return
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if self.current < top:
            self.scroll_to(y=self.current, animate=False)
        elif self.current >= top + height:
            self.scroll_to(y=self.current - height + 1, animate=False)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        i = y + self.scroll_offset.y
        base = self.rich_style
        if not 0 <= i < len(self.spans):
            return Strip.blank(width, base)
        span = self.spans[i]
        label = f" {span.label[:LABEL_WIDTH - 2]:<{LABEL_WIDTH - 2}} "
        room = max(0, width - LABEL_WIDTH - 1)
        shown = one_line(self.text[span.start:span.end], room, self.bidi)
        body = shown.rjust(room) if self.bidi != "off" else shown.ljust(room)
        style = base + CURRENT if i == self.current else base
        segments = [
            Segment(label, self._label_styles.get(span.label, Style(reverse=True))),
            Segment(" ", style),
            Segment(body, style),
        ]
        return Strip(segments).adjust_cell_length(width, base)
