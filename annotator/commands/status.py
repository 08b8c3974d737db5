"""`annotator status` and `annotator role`."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from annotator.bidi.cell import table_cell
from annotator.commands.common import open_store, resolve_user


def run_status(db: str | None, *, json_out: bool) -> int:
    store, _schema = open_store(db)
    try:
        report = store.status_report()
    finally:
        store.close()
    if json_out:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    console = Console()
    console.print(f"[bold]{report['documents']}[/] documents")
    table = Table("annotator", "role", "new", "in progress", "done", "spans", "event labels")
    terminal = console.is_terminal  # Arabic names right to left; a pipe keeps logical order
    for name, row in report["annotators"].items():
        table.add_row(table_cell(name, terminal), row["role"], *(str(row[k]) for k in
                      ("new", "in_progress", "done", "spans", "events")))
    if report["annotators"]:
        console.print(table)
    else:
        console.print("no annotator has started yet")
    return 0


def run_role(db: str | None, name: str, role: str) -> int:
    store, _schema = open_store(db)
    try:
        ann = store.set_role(name, role, by=resolve_user(None))
    finally:
        store.close()
    print(f"{ann.name}: {ann.role}")
    return 0
