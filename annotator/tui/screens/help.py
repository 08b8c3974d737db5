"""The `?` screen: every key, generated from the bindings table and the label schema."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.labelschema import LabelSchema
from annotator.tui.bindings import help_rows


def help_table(schema: LabelSchema | None) -> Table:
    table = Table(title="Keys", expand=True, show_lines=False)
    table.add_column("where", style="dim", no_wrap=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what it does")
    for scope, keys, description, _id in help_rows(schema):
        table.add_row(scope, keys, description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, schema: LabelSchema | None) -> None:
        super().__init__()
        self.schema = schema
        self.table = help_table(schema)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self.table, id="help-table")
            yield Static(
                "Selection edges move in reading order: [ ] move the start edge one "
                "character earlier / later, { } the end edge. Every change is saved at once.",
                id="help-note",
            )

    def action_close(self) -> None:
        self.dismiss(None)
