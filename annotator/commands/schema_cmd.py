"""`annotator schema show|check`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from annotator.labelschema import color_warnings, load_schema, read_schema


def run_show(file: Path | None) -> int:
    schema = load_schema(file)
    from annotator.bidi.cell import table_cell

    console = Console()
    terminal = console.is_terminal  # Arabic right to left, shaped; a pipe keeps logical order
    for title, types in (("Entity types", schema.entities), ("Event types", schema.events)):
        table = Table(title=f"{title} ({schema.name} v{schema.version})")
        for column in ("name", "key", "colour", "English"):
            table.add_column(column)
        table.add_column(table_cell("العربية", terminal), justify="right")
        for t in types:
            table.add_row(t.name, t.hotkey, f"[{t.color}]■[/] {t.color}", t.en,
                          table_cell(t.ar, terminal))
        console.print(table)
    return 0


def run_check(file: Path | None) -> int:
    path, schema, errors = read_schema(file)
    for line in errors:
        print(line)
    # colours too close to tell apart: a warning, the exit status is unchanged
    for line in color_warnings(schema, str(path)):
        print(line)
    if errors:
        return 1
    print(f"{path}: ok ({len(schema.entities)} entity types, {len(schema.events)} event types)")
    return 0
