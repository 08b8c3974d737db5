"""The documents list: this user's status per document, span and event counts, progress.

It holds one page (`PAGE` rows) of the list at a time, read from the store with paged SQL
(`annotator.store.doc_list`): opening it costs the same at 100 or 100,000 documents. The
cursor moves across pages as if the list were whole (↓ on a page's last row shows the
next page, ↑ on its first row the previous one, PgDn / PgUp at a page's edge turn it,
Home / End go to the list's ends); the line above the table says where it is
("101–200 of 100,000 · page 2/1,000").

`/` filters as you type, by id or title, on match keys (hamza and alef forms, ta marbuta,
alef maqsura, tashkeel, tatweel, digits and case folded, as the in-document search does);
`f` shows one status only; `s` orders by id, title, status or last change, `r` reverses.
Those reads run in a worker thread (the latest request wins); the first page, the page
shown again on coming back from a document and a resize are read at once.

Long ids (URLs) are cut in the middle by cell width (``https://www.hesp…/news-123.html``),
so the title and the status always stay on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static

from annotator.bidi.cell import has_rtl
from annotator.store.doc_list import SORTS, STATUS_FILTERS, ListCounts, ListQuery
from annotator.store.service import DocumentRow
from annotator.tui.bindings import DOCUMENTS, DOCUMENTS_FILTER, DOCUMENTS_TABLE, bindings_for
from annotator.tui.columns import ELLIPSIS, document_columns
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.guarded import GuardedScreen
from annotator.tui.store_calls import Failed, call_store
from annotator.tui.widgets.search_bar import SearchBar

COLUMNS = ("document", "title", "status", "spans", "events")
STATUS_STYLE = {"done": "bold green", "in_progress": "yellow", "new": "dim"}
PAGE = 100  # rows held by the table at a time
FILTER_DELAY = 0.15  # seconds of quiet typing before the filter is applied


def cut_middle(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: its beginning and its end, "…" between (a URL
    keeps its scheme and host's start, and its last path part)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:max(width, 0)]
    head, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width // 2:
            break
        head.append(ch)
        used += w
    tail_room = width - 1 - used  # what the head left (a wide character may leave one)
    tail, used = [], 0
    for ch in reversed(text[len(head):]):
        w = cell_len(ch)
        if used + w > tail_room:
            break
        tail.append(ch)
        used += w
    return "".join(head) + ELLIPSIS + "".join(reversed(tail))


def status_name(status: str | None) -> str:
    return "all" if status is None else status.replace("_", " ")


@dataclass(frozen=True)
class Page:
    """One read of the list: the query, where the page starts, its rows, the number of
    documents the query keeps, the corpus's counts, and the row to put the cursor on."""

    query: ListQuery
    offset: int
    rows: list[DocumentRow]
    total: int
    counts: ListCounts
    cursor: int


class DocumentTable(DataTable[Text | str]):
    """The page of rows; at its edges the cursor keys ask the screen for the next page."""

    BINDINGS = bindings_for(DOCUMENTS_TABLE)

    @dataclass
    class Edge(Message):
        """The cursor went past the page: `where` is next / previous / first / last."""

        where: str
        keep_row: bool = False  # PgDn / PgUp keep the cursor's row on the new page

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.Edge("next"))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.Edge("previous"))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.Edge("next", keep_row=True))
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.Edge("previous", keep_row=True))
        else:
            super().action_page_up()

    def action_first(self) -> None:
        self.post_message(self.Edge("first"))

    def action_last(self) -> None:
        self.post_message(self.Edge("last"))


class FilterBar(SearchBar):
    """The filter field (drawn right to left by the app in `--bidi app`, as the search)."""

    BINDINGS = bindings_for(DOCUMENTS_FILTER)

    class Done(Message):
        """Back to the list (`clear`: and drop the filter)."""

        def __init__(self, clear: bool) -> None:
            super().__init__()
            self.clear = clear

    def action_to_list(self) -> None:
        self.post_message(self.Done(clear=False))

    def action_clear_filter(self) -> None:
        self.post_message(self.Done(clear=True))

    # the search bar's own keys (Enter, ↑/↓, Esc) mean the same here
    def action_next_hit(self) -> None:
        self.action_to_list()

    def action_previous_hit(self) -> None:
        self.action_to_list()

    def action_close(self) -> None:
        self.action_clear_filter()


class DocumentsScreen(GuardedScreen):
    BINDINGS = bindings_for(DOCUMENTS)
    AUTO_FOCUS = "#documents"

    @dataclass
    class Open(Message):
        """Open this document in the annotate screen."""

        doc_id: int

    @dataclass
    class Loaded(Message):
        """A page read by the worker (`Failed` when the read failed)."""

        generation: int
        page: Page | Failed

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[DocumentRow] = []  # the page shown
        self.list_query = ListQuery()
        self.page_start = 0  # the list index of the page's first row
        self.total = 0  # documents the query keeps
        self.counts: ListCounts | None = None
        self._drawn_widths: tuple[int, ...] = ()
        self._left_doc: int | None = None  # the document last opened from here (or n/p)
        self._generation = 0  # the latest read asked for; older answers are dropped
        self._filter_timer: Timer | None = None
        self._away = False  # another screen was shown since the page was read
        self._read_ok = False  # the last read now (not by the worker) succeeded

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with Horizontal(id="documents-bar"):
            yield FilterBar(placeholder="/ filter: id or title", bidi=self.session.bidi,
                            id="documents-filter")
            yield Static(id="documents-view")
        yield DocumentTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static(id="documents-failure")
        yield Footer()

    @property
    def table(self) -> DocumentTable:
        return self.query_one("#documents", DocumentTable)

    def show_failure(self, line: str) -> None:
        notice = self.query_one("#documents-failure", Static)
        notice.update(Text(line, style="bold red"))
        notice.add_class("failed")

    def _clear_failure(self) -> None:
        self.query_one("#documents-failure", Static).remove_class("failed")

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        self.reload()

    def _screen_changed(self, screen: object) -> None:
        """Remember the document of the annotate screen shown (opened here, or reached with
        n/p), so that going back puts the cursor on it."""
        doc_id = getattr(screen, "doc_id", None)
        if screen is not self:
            self._away = True
            if isinstance(doc_id, int):
                self._left_doc = doc_id

    def on_screen_resume(self) -> None:
        if not self._away and self._read_ok:  # shown first: on_mount has read the page
            return
        self._away = False
        if self.reload(keep=self._left_doc):
            self._clear_failure()

    def on_resize(self) -> None:
        """Redraw the page at the new width (no read: the rows are the same)."""
        if self.rows and self._widths() != self._drawn_widths:
            self._draw(keep_row=self.table.cursor_row)
        self.query_one("#progress", Static).update(self.progress_text())
        self._show_bar()

    # ------------------------------------------------------------------ reading
    def _fetch(self, query: ListQuery, offset: int, keep: int | None, cursor: int) -> Page:
        """Read one page (runs in the worker thread too: no widget is touched here).

        With `keep`, the page holding that document, the cursor on it; else the page at
        `offset` (clamped to the list), the cursor on row `cursor` (-1: the last row)."""
        store, user = self.session.store, self.session.user
        counts = store.document_counts(user)
        total = (store.document_list_count(user, query) if query.filtered
                 else counts.documents)
        if keep is not None:
            at = store.document_list_position(user, query, keep)
            if at is not None:
                offset, cursor = at // PAGE * PAGE, at % PAGE
        last = max(0, (total - 1) // PAGE * PAGE)
        offset = min(max(0, offset), last)
        rows = store.document_page(user, query, offset, PAGE)
        cursor = len(rows) - 1 if cursor < 0 else min(cursor, max(0, len(rows) - 1))
        return Page(query, offset, rows, total, counts, cursor)

    def reload(self, keep: int | None = None) -> bool:
        """Read the page again now, keeping the cursor on document `keep`, else on the
        highlighted document (a failed read keeps the rows shown)."""
        table = self.table
        row = table.cursor_row
        if keep is None and self.rows and 0 <= row < len(self.rows):
            keep = self.rows[row].id
        self._generation += 1  # an answer still on its way is stale now
        query, offset = self.list_query, self.page_start
        page = self.guarded("list the documents",
                            lambda: self._fetch(query, offset, keep, max(row, 0)),
                            saving=False)
        self._read_ok = not isinstance(page, Failed)
        if isinstance(page, Failed):
            return False
        self._show(page)
        return True

    def load(self, *, offset: int | None = None, keep: int | None = None,
             cursor: int = 0, query: ListQuery | None = None) -> None:
        """Read a page in a worker thread; the answer comes back as `Loaded` (the latest
        request wins)."""
        self._generation += 1
        generation = self._generation
        if query is not None:
            self.list_query = query
        q = self.list_query
        start = self.page_start if offset is None else offset
        self._show_bar(loading=True)

        def work() -> None:
            page = call_store("list the documents", lambda: self._fetch(q, start, keep, cursor),
                              saving=False)
            self.post_message(self.Loaded(generation, page))

        self.run_worker(work, thread=True, exclusive=True, group="documents-list",
                        exit_on_error=False)

    def on_documents_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer request is on its way
        if isinstance(message.page, Failed):
            self.report_failure(message.page.line)
            self._show_bar()
            return
        self._clear_failure()
        self._show(message.page)

    # ------------------------------------------------------------------ drawing
    def _show(self, page: Page) -> None:
        self.list_query, self.page_start, self.rows = page.query, page.offset, page.rows
        self.total, self.counts = page.total, page.counts
        self._draw(keep_row=page.cursor)
        self.query_one("#progress", Static).update(self.progress_text())
        self._show_bar()

    def _widths(self) -> tuple[int, ...]:
        """The columns' widths at the screen's width (every column stays on screen)."""
        rows = self.rows
        longest = max([self.counts.longest_id if self.counts else 0,
                       *(cell_len(r.external_id) for r in rows)], default=8)
        return document_columns(
            self.size.width or self.app.size.width or 100, longest,
            max((r.spans for r in rows), default=0),
            max((r.events for r in rows), default=0),
        ).widths

    def _draw(self, keep_row: int) -> None:
        table = self.table
        table.clear(columns=True)
        self._drawn_widths = widths = self._widths()
        for name, width in zip(COLUMNS, widths, strict=True):
            table.add_column(name, width=width, key=name)
        id_width, title_width = widths[0], widths[1]
        bidi = self.session.bidi
        rtl = bidi != "off"
        cells = []
        for r in self.rows:
            shown_id = cut_middle(r.external_id, id_width)
            if has_rtl(shown_id):
                shown_id = one_line(shown_id, id_width, bidi)
            title = one_line(r.title or "", title_width, bidi)
            cells.append((
                shown_id,
                Text(title, justify="right" if rtl else "left"),
                Text(r.status.replace("_", " "), style=STATUS_STYLE.get(r.status, "")),
                Text(str(r.spans), justify="right"), Text(str(r.events), justify="right"),
            ))
        for r, row in zip(self.rows, cells, strict=True):
            table.add_row(*row, key=str(r.id))
        if self.rows:
            table.move_cursor(row=min(max(keep_row, 0), len(self.rows) - 1), animate=False)

    def _bar_text(self, loading: bool = False) -> str:
        q = self.list_query
        arrow = "↓" if q.is_descending else "↑"
        name = SORTS[q.sort][0]
        pages = max(1, -(-self.total // PAGE))
        page = self.page_start // PAGE + 1
        if self.total:
            first, last = self.page_start + 1, self.page_start + len(self.rows)
            where = f"{first:,}–{last:,} of {self.total:,} · page {page:,}/{pages:,}"
        else:
            where = "no document" if q.filtered else "no documents"
        long = f" {status_name(q.status)} · by {name} {arrow} · {where} "
        short = f" {status_name(q.status)} · {name}{arrow} · {where.split(' · ')[0]} "
        room = (self.size.width or 100) - 16
        text = long if len(long) <= room else short
        return ("… " + text.lstrip()) if loading else text

    def _show_bar(self, loading: bool = False) -> None:
        self.query_one("#documents-view", Static).update(self._bar_text(loading))

    def progress_text(self) -> Text:
        c = self.counts or ListCounts(0, 0, 0, 0, 0, 0)
        n, done, going = c.documents, c.done, c.in_progress
        room = self.size.width or 100
        user = f" {self.session.user} "
        long = (f"  {done:,}/{n:,} done · {going:,} in progress · {c.new:,} new · "
                f"{c.spans:,} spans · {c.events:,} event labels")
        short = f" {done:,}/{n:,} done · {going:,} going · {c.new:,} new · {c.spans:,} spans"
        counts = long if len(user) + len(long) <= room else short
        bar = 20
        filled = round(bar * done / n) if n else 0
        gauge = "  [" + "█" * filled + "·" * (bar - filled) + "]"
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(user, style="bold reverse")
        text.append(counts)
        if len(user) + len(counts) + len(gauge) <= room:  # the gauge only where it fits
            text.append(gauge)
        return text

    # ------------------------------------------------------------------ keys
    def on_document_table_edge(self, event: DocumentTable.Edge) -> None:
        event.stop()
        row = self.table.cursor_row
        if event.where == "first":
            self.load(offset=0, cursor=0)
        elif event.where == "last":
            self.load(offset=self.total, cursor=-1)
        elif event.where == "next" and self.page_start + len(self.rows) < self.total:
            self.load(offset=self.page_start + PAGE, cursor=0)
        elif event.where == "previous" and self.page_start > 0:
            self.load(offset=self.page_start - PAGE, cursor=row if event.keep_row else -1)

    def action_focus_filter(self) -> None:
        self.query_one(FilterBar).focus()

    def on_input_changed(self, event: SearchBar.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.apply_filter_now)

    def apply_filter_now(self) -> None:
        """Read the list with the filter as typed (called once typing pauses)."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        text = self.query_one(FilterBar).value
        if text != self.list_query.text:
            self.load(offset=0, query=replace(self.list_query, text=text))

    def on_filter_bar_done(self, event: FilterBar.Done) -> None:
        event.stop()
        bar = self.query_one(FilterBar)
        if event.clear and bar.value:
            bar.value = ""
            self.apply_filter_now()
        else:
            self.apply_filter_now()
        self.table.focus()

    def _keep(self) -> int | None:
        row = self.table.cursor_row
        return self.rows[row].id if self.rows and 0 <= row < len(self.rows) else None

    def action_cycle_status(self) -> None:
        i = STATUS_FILTERS.index(self.list_query.status)
        status = STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)]
        self.load(offset=0, keep=self._keep(), query=replace(self.list_query, status=status))

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        sort = names[(names.index(self.list_query.sort) + 1) % len(names)]
        self.load(offset=0, keep=self._keep(),
                  query=replace(self.list_query, sort=sort, descending=None))

    def action_reverse(self) -> None:
        q = self.list_query
        self.load(offset=0, keep=self._keep(),
                  query=replace(q, descending=not q.is_descending))

    def action_open_document(self) -> None:
        table = self.table
        if not self.rows:
            return
        self._clear_failure()
        self.post_message(self.Open(self.rows[table.cursor_row].id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        assert event.row_key.value is not None
        self._clear_failure()
        self.post_message(self.Open(int(event.row_key.value)))
