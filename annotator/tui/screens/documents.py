"""The documents list: this user's status per document, span and event counts, progress."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from annotator.store.service import DocumentRow
from annotator.tui.bindings import DOCUMENTS, bindings_for
from annotator.tui.columns import document_columns, middle_cut
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.guarded import GuardedScreen
from annotator.tui.store_calls import Failed

COLUMNS = ("document", "title", "status", "spans", "events")
STATUS_STYLE = {"done": "bold green", "in_progress": "yellow", "new": "dim"}


class DocumentsScreen(GuardedScreen):
    BINDINGS = bindings_for(DOCUMENTS)

    @dataclass
    class Open(Message):
        """Open this document in the annotate screen."""

        doc_id: int

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[DocumentRow] = []
        self._drawn_widths: tuple[int, ...] = ()
        self._left_doc: int | None = None  # the document last opened from here (or n/p)

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static(id="documents-failure")
        yield Footer()

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
        if screen is not self and isinstance(doc_id, int):
            self._left_doc = doc_id

    def on_screen_resume(self) -> None:
        if self.reload(keep=self._left_doc):
            self._clear_failure()

    def on_resize(self) -> None:
        if self.rows and self._widths() != self._drawn_widths:
            self.reload()

    def _widths(self) -> tuple[int, ...]:
        """The columns' widths at the screen's width (every column stays on screen)."""
        rows = self.rows
        return document_columns(
            self.size.width or 100,
            max((len(r.external_id) for r in rows), default=8),
            max((r.spans for r in rows), default=0),
            max((r.events for r in rows), default=0),
        ).widths

    def reload(self, keep: int | None = None) -> bool:
        """Re-read the rows from the store, keeping the cursor on document `keep`, else on
        the highlighted document (a failed read keeps the rows shown)."""
        rows = self.guarded("list the documents",
                            lambda: self.session.store.document_rows(self.session.user),
                            saving=False)
        if isinstance(rows, Failed):
            return False
        table = self.query_one(DataTable)
        row = table.cursor_row
        if keep is None and self.rows and 0 <= row < len(self.rows):
            keep = self.rows[row].id
        self.rows = rows
        table.clear(columns=True)
        self._drawn_widths = widths = self._widths()
        for name, width in zip(COLUMNS, widths, strict=True):
            table.add_column(name, width=width, key=name)
        id_width, title_width = widths[0], widths[1]
        rtl = self.session.bidi != "off"
        for r in self.rows:
            title = one_line(r.title or "", title_width, self.session.bidi)
            table.add_row(
                middle_cut(r.external_id, id_width),
                Text(title, justify="right" if rtl else "left"),
                Text(r.status.replace("_", " "), style=STATUS_STYLE.get(r.status, "")),
                Text(str(r.spans), justify="right"), Text(str(r.events), justify="right"),
                key=str(r.id),
            )
        if self.rows:
            ids = [r.id for r in self.rows]
            table.move_cursor(row=ids.index(keep) if keep in ids else min(row, len(ids) - 1))
        self.query_one("#progress", Static).update(self.progress_text())
        return True

    def progress_text(self) -> Text:
        n = len(self.rows)
        done = sum(r.status == "done" for r in self.rows)
        going = sum(r.status == "in_progress" for r in self.rows)
        spans = sum(r.spans for r in self.rows)
        events = sum(r.events for r in self.rows)
        room = self.size.width or 100
        user = f" {self.session.user} "
        long = (f"  {done}/{n} done · {going} in progress · {n - done - going} new · "
                f"{spans} spans · {events} event labels")
        short = f" {done}/{n} done · {going} going · {n - done - going} new · {spans} spans"
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

    def action_open_document(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        self._clear_failure()
        self.post_message(self.Open(self.rows[table.cursor_row].id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        assert event.row_key.value is not None
        self._clear_failure()
        self.post_message(self.Open(int(event.row_key.value)))
