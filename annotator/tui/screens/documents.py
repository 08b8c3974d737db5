"""The documents list: this user's status per document, span and event counts, progress."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from annotator.store.service import DocumentRow
from annotator.tui.bindings import DOCUMENTS, bindings_for
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.guarded import GuardedScreen
from annotator.tui.store_calls import Failed

TITLE_WIDTH = 40  # at most; narrower terminals get a shorter title column
OTHER_COLUMNS = 54  # document id, status, counts, cell padding
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
        self._drawn_width = 0

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
        table = self.query_one(DataTable)
        table.add_columns("document", "title", "status", "spans", "events")
        self.reload()

    def on_screen_resume(self) -> None:
        if self.reload():
            self._clear_failure()

    def on_resize(self) -> None:
        if self.rows and self._title_width() != self._drawn_width:
            self.reload()

    def _title_width(self) -> int:
        return max(8, min(TITLE_WIDTH, (self.size.width or 100) - OTHER_COLUMNS))

    def reload(self) -> bool:
        """Re-read the rows from the store, keeping the highlighted row (a failed read
        keeps the rows shown)."""
        rows = self.guarded("list the documents",
                            lambda: self.session.store.document_rows(self.session.user),
                            saving=False)
        if isinstance(rows, Failed):
            return False
        self.rows = rows
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self._drawn_width = width = self._title_width()
        for r in self.rows:
            title = one_line(r.title or "", width, self.session.bidi)
            table.add_row(
                r.external_id, Text(title, justify="right"),
                Text(r.status.replace("_", " "), style=STATUS_STYLE.get(r.status, "")),
                str(r.spans), str(r.events), key=str(r.id),
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        self.query_one("#progress", Static).update(self.progress_text())
        return True

    def progress_text(self) -> Text:
        n = len(self.rows)
        done = sum(r.status == "done" for r in self.rows)
        going = sum(r.status == "in_progress" for r in self.rows)
        spans = sum(r.spans for r in self.rows)
        events = sum(r.events for r in self.rows)
        text = Text()
        text.append(f" {self.session.user} ", style="bold reverse")
        text.append(f"  {done}/{n} done · {going} in progress · {n - done - going} new · "
                    f"{spans} spans · {events} event labels")
        width = 20
        filled = round(width * done / n) if n else 0
        text.append("  [" + "█" * filled + "·" * (width - filled) + "]")
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
