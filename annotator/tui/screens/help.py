"""The `?` screen: every key, generated from the bindings table, then the label schema's
types with their descriptions (Arabic names laid out right to left by the app's bidi engine).
Key names are the app's one vocabulary (`annotator.tui.bindings.key_name`); the first line
says how to close it."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.labelschema import LabelSchema, LabelType
from annotator.tui.bindings import help_rows, key_name
from annotator.tui.layout import one_line

CLOSE_KEYS = ("escape", "q", "question_mark")
CLOSE_LINE = (f"{' / '.join(key_name(k) for k in CLOSE_KEYS)} closes this list · "
              "↑ ↓ PgUp PgDn scroll")
ARABIC_WIDTH = 28


def help_table(schema: LabelSchema | None) -> Table:
    table = Table(title="Keys", expand=True, show_lines=False)
    table.add_column("where", style="dim", no_wrap=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what it does")
    for scope, keys, description, _id in help_rows(schema):
        table.add_row(scope, keys, description)
    return table


def schema_table(title: str, types: list[LabelType], bidi: str = "app") -> Table:
    """The schema's types: key, name on its colour, Arabic name, English description."""
    table = Table(title=title, expand=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column(one_line("العربية", 10, bidi), no_wrap=True,
                     justify="right" if bidi != "off" else "left")
    table.add_column("description")
    for t in types:
        table.add_row(t.hotkey, f"[bold black on {t.color}] {t.name} [/]",
                      one_line(t.ar, ARABIC_WIDTH, bidi), t.en)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding(",".join(CLOSE_KEYS), "close", "Close", id="help.close")]

    def __init__(self, schema: LabelSchema | None) -> None:
        super().__init__()
        self.schema = schema
        self.table = help_table(schema)

    def compose(self) -> ComposeResult:
        session = getattr(self.app, "session", None)
        bidi = getattr(session, "bidi", "app")
        with VerticalScroll(id="help"):
            yield Static(CLOSE_LINE, id="help-close")
            yield Static(self.table, id="help-table")
            yield Static(
                "Selection edges move in reading order: [ ] move the start edge one "
                "character earlier / later, { } the end edge. Every change is saved at once.",
                id="help-note",
            )
            if self.schema is not None:
                yield Static(schema_table("Entity types (label keys)", self.schema.entities,
                                          bidi), id="help-entities")
                yield Static(schema_table("Event types (keys in the event picker, e / E)",
                                          self.schema.events, bidi), id="help-events")

    def action_close(self) -> None:
        self.dismiss(None)
