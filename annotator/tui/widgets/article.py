"""The article view: the laid-out document drawn with the line API.

Layout happens once per width (on resize); cursor moves only restyle the lines they touch.
Each line's span styling (per cell) is computed lazily and cached until a span on that
line changes. Spans are tinted in their label colour (the innermost span's colour wins),
their first and last characters are bold, and a span nested in another is drawn in an
alternate, darker shade at every second depth, so nested spans of the same label stay
visibly separate.

The cursor token is drawn in reverse video; the selection is underlined and bold (the
attributes mean the same in monochrome, 16, 256 and truecolour terminals, and nothing else
on the article is underlined). While there is a selection it is what a label key marks, so
only the selection is drawn: cursor cells outside it (a clitic just trimmed off with `]`)
look like plain text again, cursor cells inside it are reverse as well.

A pending suggestion (not yet a span) is never filled: its text is drawn in its label's
colour, dim and underlined, with a dotted bar `┆` in the space on either side of it, so it
reads as proposed rather than marked even without colour; inside one of the user's spans
it only adds the underline (`SuggestionRec`, `set_suggestions`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.bidi.navigation import Direction, visual_neighbour
from annotator.colors import shade
from annotator.tui.caret import Caret, Range
from annotator.tui.drag import drag_range
from annotator.tui.layout import layout_article
from annotator.tui.span_index import SpanIndex, SpanRec
from annotator.tui.suggestion_index import SuggestionIndex, SuggestionRec
from annotator.tui.trigger_marks import Trigger, overlay_triggers, trigger_looks

CURSOR = Style(reverse=True)
SELECTION = Style(underline=True, bold=True)
CURSOR_IN_SELECTION = CURSOR + SELECTION
EDGE = Style(bold=True)
NO_LABEL = "#808080"
SUGGESTION_MARK = "┆"  # drawn in the space just before and just after a suggestion
SUGGESTED_IN_SPAN = Style(underline=True)


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """One document, right-to-left, with spans, cursor and selection."""

    # a drag is the app's own selection (logical, snapped to display units), not Textual's
    # screen-text selection, which knows nothing of the bidi layout
    ALLOW_SELECT = False

    @dataclass
    class CaretMoved(Message):
        """The cursor or the selection changed."""

        view: ArticleView
        offset: int
        selection: Range | None

    @dataclass
    class Clicked(Message):
        """The user clicked a character (already placed the cursor there)."""

        view: ArticleView
        offset: int

    def __init__(
        self, text: str, tokens: list[Range], spans: list[SpanRec], colors: dict[str, str],
        *, bidi: str = "app", id: str | None = None,
        suggestions: list[SuggestionRec] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.text = text
        self.bidi = bidi
        self.caret = Caret(tokens)
        self.index = SpanIndex(spans)
        self.suggestions = SuggestionIndex(suggestions or [])
        # per label: a suggestion's text style, and its marks' style
        self._suggested = {name: (Style(color=color, underline=True, dim=True),
                                  Style(color=color, bold=True))
                           for name, color in colors.items()}
        self._suggested_no_label = (Style(color=NO_LABEL, underline=True, dim=True),
                                    Style(color=NO_LABEL, bold=True))
        self._marks: dict[int, dict[int, str]] = {}  # per line: column -> mark character
        self.triggers: list[Trigger] = []  # event-mention triggers (trigger_marks)
        self._trigger_looks = trigger_looks(colors)
        # per label: (fill, alternate shade for every second nesting depth)
        self._fills = {name: (Style(bgcolor=color, color="black"),
                              Style(bgcolor=shade(color), color="black"))
                       for name, color in colors.items()}
        self._no_label = (Style(bgcolor=NO_LABEL, color="black"),
                          Style(bgcolor=shade(NO_LABEL), color="black"))
        self._layout: Any = None
        self._layout_width = -1
        self._line_starts: list[int] = []
        self._styles: dict[int, list[Style | None]] = {}
        self._cursor_lines: tuple[int, int] = (0, -1)
        self.rtl = bidi != "off"
        self._drag_anchor: int | None = None  # the character under the button press
        self._dragged = False

    # ------------------------------------------------------------------ layout
    @property
    def layout_map(self) -> Any:
        return self._layout

    def relayout(self, width: int) -> None:
        width = max(1, width)
        if width == self._layout_width and self._layout is not None:
            return
        self._layout = layout_article(self.text, width, self.bidi)
        self._layout_width = width
        self._line_starts = [ln.start for ln in self._layout.lines]
        self._styles.clear()
        self._marks.clear()
        self.virtual_size = Size(width, len(self._layout.lines))
        self._cursor_lines = self._lines_of(self._highlight_range())
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.relayout(self.scrollable_content_region.width)
        self.scroll_to_cursor(animate=False)

    def on_mount(self) -> None:
        self.relayout(self.scrollable_content_region.width or 80)

    def _line_of(self, offset: int) -> int:
        """Index of the visual line holding `offset`."""
        lines = self._layout.lines
        i = max(0, bisect_right(self._line_starts, offset) - 1)
        for j in (i, i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < len(lines) and lines[j].start <= offset < lines[j].end:
                return j
        return min(i, len(lines) - 1)

    def _lines_of(self, rng: Range | None) -> tuple[int, int]:
        if rng is None or self._layout is None or not self._layout.lines:
            return (0, -1)
        return (self._line_of(rng[0]), self._line_of(max(rng[0], rng[1] - 1)))

    # -------------------------------------------------------------- rendering
    def _highlight_range(self) -> Range | None:
        """The characters drawn as cursor or selection: the selection when there is one
        (cursor cells outside it are not drawn), else the cursor token."""
        return self.caret.selection or self.caret.cursor_range

    def _span_styles(self, line_no: int) -> list[Style | None]:
        cached = self._styles.get(line_no)
        if cached is not None:
            return cached
        line = self._layout.lines[line_no]
        spans = self.index.overlapping(line.start, line.end) if line.end > line.start else []
        styles: list[Style | None] = []
        for offset in line.col_to_logical:
            if offset < 0 or not spans:
                styles.append(None)
                continue
            cover = [s for s in spans if s.start <= offset < s.end]
            if not cover:
                styles.append(None)
                continue
            inner = cover[-1]
            fill, alternate = self._fills.get(inner.label) or self._no_label
            style = alternate if len(cover) % 2 == 0 else fill
            if any(offset == s.start or offset == s.end - 1 for s in cover):
                style += EDGE
            styles.append(style)
        marks: dict[int, str] = {}
        if self.suggestions:
            self._suggestion_styles(line, styles, marks)
        overlay_triggers(line.col_to_logical, styles, self.triggers, self._trigger_looks)
        self._styles[line_no] = styles
        self._marks[line_no] = marks
        return styles

    def _suggestion_styles(self, line: Any, styles: list[Style | None],
                           marks: dict[int, str]) -> None:
        """Overlay the pending suggestions on a line's span styles: outside a span, the
        suggestion's own look; inside one, an underline; a mark on the space that borders
        a suggestion (the cell keeps its place, so the layout's maps still hold)."""
        near = self.suggestions.overlapping(line.start - 1, line.end + 1)
        if not near:
            return
        for col, offset in enumerate(line.col_to_logical):
            if offset < 0:
                continue
            cover = [g for g in near if g.start <= offset < g.end]
            if cover:
                look, _mark = self._suggested.get(cover[-1].label) or self._suggested_no_label
                styles[col] = styles[col] + SUGGESTED_IN_SPAN if styles[col] else look
                continue
            edge = next((g for g in near if offset in (g.start - 1, g.end)), None)
            if edge is not None and line.cells[col] == " " and self.text[offset].isspace():
                _look, mark = self._suggested.get(edge.label) or self._suggested_no_label
                marks[col] = SUGGESTION_MARK
                styles[col] = styles[col] + mark if styles[col] else mark

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        line_no = y + scroll_y
        width = self.scrollable_content_region.width
        if self._layout is None or not 0 <= line_no < len(self._layout.lines):
            return Strip.blank(width, self.rich_style)
        line = self._layout.lines[line_no]
        styles = self._span_styles(line_no)
        marks = self._marks.get(line_no)
        cells = ([marks.get(col, cell) for col, cell in enumerate(line.cells)] if marks
                 else line.cells)
        lo, hi = self._cursor_lines
        if lo <= line_no <= hi:
            styles = self._with_caret(line.col_to_logical, styles)
        base = self.rich_style
        segments: list[Segment] = []
        run_text: list[str] = []
        run_style: Style | None = None
        for cell, style in zip(cells, styles, strict=False):
            if style is not run_style and run_text:
                segments.append(Segment("".join(run_text), base + run_style if run_style
                                        else base))
                run_text = []
            run_style = style
            run_text.append(cell)
        if run_text:
            segments.append(Segment("".join(run_text), base + run_style if run_style else base))
        return Strip(segments).adjust_cell_length(width, base)

    def _with_caret(self, offsets: tuple[int, ...], styles: list[Style | None]
                    ) -> list[Style | None]:
        sel = self.caret.selection
        cur = self.caret.cursor_range
        out = list(styles)
        for col, offset in enumerate(offsets):
            if offset < 0:
                continue
            in_sel = sel is not None and sel[0] <= offset < sel[1]
            in_cur = cur is not None and cur[0] <= offset < cur[1]
            if in_sel:
                extra = CURSOR_IN_SELECTION if in_cur else SELECTION
            elif in_cur and sel is None:
                extra = CURSOR
            else:
                continue
            out[col] = (out[col] + extra) if out[col] else extra
        return out

    # --------------------------------------------------------------- updates
    def _refresh_lines(self, lines: tuple[int, int]) -> None:
        lo, hi = lines
        if hi >= lo:
            self.refresh_lines(lo, hi - lo + 1)

    def caret_changed(self) -> None:
        """Restyle the old and new cursor lines only, keep the cursor in view, tell the screen."""
        old = self._cursor_lines
        new = self._lines_of(self._highlight_range())
        self._cursor_lines = new
        self._refresh_lines(old)
        if new != old:
            self._refresh_lines(new)
        self.scroll_to_cursor()
        cur = self.caret.cursor_range
        self.post_message(self.CaretMoved(self, cur[0] if cur else 0, self.caret.selection))

    def scroll_to_cursor(self, animate: bool = False) -> None:
        if self._layout is None:
            return
        lo, hi = self._cursor_lines
        if hi < lo:
            return
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if lo < top:
            self.scroll_to(y=lo, animate=animate)
        elif hi >= top + height:
            self.scroll_to(y=max(0, hi - height + 1), animate=animate)

    def spans_changed(self, ranges: list[Range]) -> None:
        """Drop the cached styles of the lines these ranges touch, and redraw them."""
        if self._layout is None:
            return
        for rng in ranges:
            lo, hi = self._lines_of((max(0, rng[0] - 1), min(len(self.text), rng[1] + 1)))
            for i in range(lo, hi + 1):
                self._styles.pop(i, None)
                self._marks.pop(i, None)
            self._refresh_lines((lo, hi))

    def add_span(self, span: SpanRec) -> None:
        self.index.add(span)
        self.spans_changed([(span.start, span.end)])

    def remove_span(self, span_id: int) -> SpanRec | None:
        span = self.index.remove(span_id)
        if span is not None:
            self.spans_changed([(span.start, span.end)])
        return span

    def set_spans(self, spans: list[SpanRec]) -> None:
        self.index = SpanIndex(spans)
        self._styles.clear()
        self._marks.clear()
        self.refresh()

    def set_triggers(self, triggers: list[Trigger]) -> None:
        """Draw these event-mention triggers (all the document's, replacing the others)."""
        changed = sorted(set(self.triggers) ^ set(triggers))
        self.triggers = list(triggers)
        self.spans_changed([(t[0], t[1]) for t in changed])

    def set_suggestions(self, suggestions: list[SuggestionRec]) -> None:
        """Show these pending suggestions (all the document's, replacing the ones shown)."""
        self.suggestions = SuggestionIndex(suggestions)
        self._styles.clear()
        self._marks.clear()
        self.refresh()

    def remove_suggestions(self, ids: list[int]) -> list[SuggestionRec]:
        """Stop showing these suggestions (decided); the ones that were shown."""
        removed = self.suggestions.remove(ids)
        self.spans_changed([(r.start, r.end) for r in removed])
        return removed

    # ---------------------------------------------------------------- moving
    def move_token(self, screen_direction: str, extend: bool = False) -> None:
        """To the token next on screen to the left or right (see annotator.bidi.navigation).

        In `--bidi terminal` mode the terminal reorders the lines, so the app does not
        know the screen columns: left then moves forward in reading order.
        """
        if self.bidi == "terminal" or self._layout is None:
            forward = (screen_direction == "left") == self.rtl
            target = self.caret.cursor + (1 if forward else -1)
        else:
            direction: Direction = "left" if screen_direction == "left" else "right"
            target = visual_neighbour(self._layout, self.caret.tokens, self.caret.cursor,
                                      direction, rtl=self.rtl)
        self.caret.move_to(target, extend)
        self.caret_changed()

    def move_lines(self, delta: int) -> None:
        if self._layout is None or not self.caret.tokens:
            return
        cur = self.caret.cursor_range
        assert cur is not None
        lines = self._layout.lines
        line_no = self._line_of(cur[0])
        col = lines[line_no].logical_to_col(cur[0]) or 0
        target = line_no + delta
        while 0 <= target < len(lines) and (lines[target].end <= lines[target].start):
            target += 1 if delta > 0 else -1
        if not 0 <= target < len(lines):
            return
        offset = self._nearest_offset(target, col)
        if offset is not None:
            self.caret.place(offset)
            self.caret_changed()

    def _nearest_offset(self, line_no: int, col: int) -> int | None:
        """The character at `col` on the line, or the nearest non-space one."""
        line = self._layout.lines[line_no]
        offsets = line.col_to_logical
        best: int | None = None
        for dist in range(len(offsets)):
            for c in (col - dist, col + dist):
                if 0 <= c < len(offsets) and offsets[c] >= 0 and not self.text[offsets[c]
                                                                                 ].isspace():
                    best = offsets[c]
                    break
            if best is not None:
                break
        return best

    def page(self, delta: int) -> None:
        self.move_lines(delta * max(1, self.scrollable_content_region.height - 1))

    def go_to(self, offset: int) -> None:
        self.caret.place(offset)
        self.caret_changed()

    def select_range(self, rng: Range) -> None:
        self.caret.select(rng)
        self.caret_changed()

    # ----------------------------------------------------------------- mouse
    def _offset_under(self, x: int, y: int) -> int | None:
        """The character under widget cell (x, y); rows above / below the view clamp to the
        first / last line (a drag may leave the widget while the mouse is captured)."""
        if self._layout is None or not self._layout.lines:
            return None
        line = min(max(0, y + self.scroll_offset.y), len(self._layout.lines) - 1)
        return self._layout.offset_at(line, x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self._drag_anchor = self._offset_under(event.x, event.y)
        self._dragged = False
        if self._drag_anchor is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        anchor = self._drag_anchor
        if anchor is None:
            return
        here = self._offset_under(event.x, event.y)
        if here is None or (here == anchor and not self._dragged):
            return
        self._dragged = True
        self.focus()
        self.caret.select(drag_range(self.text, anchor, here))
        self.caret_changed()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_anchor is not None:
            self._drag_anchor = None
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        if self._dragged:  # the end of a drag: keep its selection
            self._dragged = False
            return
        offset = self._offset_under(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self.caret.place(offset)
        self.caret_changed()
        self.post_message(self.Clicked(self, offset))
