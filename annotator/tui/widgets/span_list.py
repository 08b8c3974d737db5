"""Side panel: the user's spans in reading order, label and exact text (line API).

A span whose text does not fit the panel's width wraps onto up to `MAX_ROWS` rows (laid
out like the article), so a narrow panel (60 columns) still shows whole phrases rather
than one truncated word per row. `span_at_row` / `rows_of_span` map rows and spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.tui.bindings import SPANS, bindings_for
from annotator.tui.layout import wrapped_lines
from annotator.tui.span_index import SpanRec

LABEL_WIDTH = 9  # at most: narrower when the labels in use are shorter
MAX_ROWS = 3
CURRENT = Style(reverse=True)


class SpanList(ScrollView, can_focus=True, inherit_bindings=False):
    """One line per span (`LABEL  text`), more when its text must wrap; the span under the
    cursor is highlighted. A click on a row, or (focused with Tab) ↑ / ↓ then Enter, posts
    `Jump` for that span."""

    BINDINGS = bindings_for(SPANS)
    ALLOW_SELECT = False  # a click chooses a span; no screen-text selection

    @dataclass
    class Jump(Message):
        """The user chose a span of the list (a click on its row, or Enter)."""

        span_list: SpanList
        span: SpanRec

    def __init__(self, text: str, colors: dict[str, str], *, bidi: str = "app",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self.bidi = bidi
        self.spans: list[SpanRec] = []
        self.current: int | None = None
        self._rows: list[tuple[int, str]] = []  # per row: span index, drawn text
        self._first_row: list[int] = []  # per span: its first row
        self._rows_width = -1
        self._label_styles = {n: Style(color="black", bgcolor=c, bold=True)
                              for n, c in colors.items()}

    def show(self, spans: list[SpanRec], current: int | None = None) -> None:
        self.spans = spans
        self.current = current
        self._rows_width = -1
        self._layout_rows()
        self.refresh()
        self._scroll_current()

    def _label_width(self) -> int:
        longest = max((len(s.label) for s in self.spans), default=0)
        return min(LABEL_WIDTH, max(4, longest + 2))

    def _layout_rows(self) -> None:
        """Lay the spans out at the panel's width (again only when the width changed)."""
        width = self.scrollable_content_region.width
        if width == self._rows_width:
            return
        self._rows_width = width
        room = max(0, width - self._label_width() - 1)
        rows: list[tuple[int, str]] = []
        first: list[int] = []
        for i, span in enumerate(self.spans):
            first.append(len(rows))
            lines = wrapped_lines(self.text[span.start:span.end], room, self.bidi, MAX_ROWS)
            rows.extend((i, line) for line in (lines or [""]))
        self._rows, self._first_row = rows, first
        self.virtual_size = Size(width, len(rows))

    def on_resize(self) -> None:
        self._layout_rows()
        self.refresh()

    def span_at_row(self, row: int) -> int | None:
        """The span drawn on content row ``row`` (scroll included), if any."""
        self._layout_rows()
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def rows_of_span(self, index: int) -> range:
        """The content rows span ``index`` is drawn on."""
        self._layout_rows()
        if not 0 <= index < len(self._first_row):
            return range(0)
        end = self._first_row[index + 1] if index + 1 < len(self._first_row) else len(self._rows)
        return range(self._first_row[index], end)

    def set_current(self, current: int | None) -> None:
        if current == self.current:
            return
        old, self.current = self.current, current
        for i in (old, current):
            if i is not None:
                for row in self.rows_of_span(i):
                    self.refresh_line(row)
        self._scroll_current()

    def _scroll_current(self) -> None:
        if self.current is None:
            return
        rows = self.rows_of_span(self.current)
        if not rows:
            return
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if rows.start < top:
            self.scroll_to(y=rows.start, animate=False)
        elif rows.stop > top + height:
            self.scroll_to(y=min(rows.start, rows.stop - height), animate=False)

    # ------------------------------------------------------------- choosing
    def _jump(self, i: int | None) -> None:
        if i is not None and 0 <= i < len(self.spans):
            self.set_current(i)
            self.post_message(self.Jump(self, self.spans[i]))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self._jump(self.span_at_row(event.y + self.scroll_offset.y))

    def action_step(self, delta: int) -> None:
        if not self.spans:
            return
        i = self.current if self.current is not None else (-1 if delta > 0 else 0)
        self.set_current(max(0, min(len(self.spans) - 1, i + delta)))

    def action_jump(self) -> None:
        self._jump(self.current)

    def render_line(self, y: int) -> Strip:
        self._layout_rows()
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        base = self.rich_style
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, base)
        i, shown = self._rows[row]
        span = self.spans[i]
        label_width = self._label_width()
        room = max(0, width - label_width - 1)
        body = shown.rjust(room) if self.bidi != "off" else shown.ljust(room)
        style = base + CURRENT if i == self.current else base
        if row == self._first_row[i]:
            label = f" {span.label[:label_width - 2]:<{label_width - 2}} "
            chip = Segment(label, self._label_styles.get(span.label, Style(reverse=True)))
        else:  # a continuation row of a wrapped span: no label
            chip = Segment(" " * label_width, base)
        segments = [chip, Segment(" ", style), Segment(body, style)]
        return Strip(segments).adjust_cell_length(width, base)
