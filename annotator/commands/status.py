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
        _add_suggestions(report, store.suggestion_stats())
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
    _print_suggestions(console, report, terminal)
    return 0


def _add_suggestions(report: dict, stats: list[tuple[str, str, str, int]]) -> None:
    """Each annotator's suggestions accepted and rejected, per source (pending ones are
    no annotation and are not counted)."""
    from annotator.store.models import SUGGESTION_SOURCES

    for row in report["annotators"].values():
        row["suggestions"] = {src: {"accepted": 0, "rejected": 0}
                              for src in SUGGESTION_SOURCES}
    for name, source, state, n in stats:
        row = report["annotators"].get(name)
        if row is not None and state in ("accepted", "rejected") \
                and source in row["suggestions"]:
            row["suggestions"][source][state] = n


def _print_suggestions(console: Console, report: dict, terminal: bool) -> None:
    table = Table("annotator", "suggestions from", "accepted", "rejected")
    for name, row in report["annotators"].items():
        for source, n in row.get("suggestions", {}).items():
            if n["accepted"] or n["rejected"]:
                table.add_row(table_cell(name, terminal), source, str(n["accepted"]),
                              str(n["rejected"]))
    if table.row_count:
        console.print(table)


def run_role(db: str | None, name: str, role: str) -> int:
    store, _schema = open_store(db)
    try:
        ann = store.set_role(name, role, by=resolve_user(None))
    finally:
        store.close()
    print(f"{ann.name}: {ann.role}")
    return 0
