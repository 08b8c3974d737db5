"""View tables for people: Rich tables for the terminal (Arabic cells laid out by the app's
bidi engine when the output is a terminal) and Markdown pipe tables (logical order)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.bidi.cell import table_cell

from .render import fmt
from .views import ViewTable

#: short headers for people (the CSV and JSON keep the column names)
HEADERS = {
    "doc_id": "Doc", "annotators": "Annotators", "annotator": "Annotator",
    "annotator_a": "A", "annotator_b": "B", "label_a": "A's label", "label_b": "B's label",
    "documents": "Docs", "spans": "Spans", "gold_spans": "Gold spans", "count": "Count",
    "exact_precision": "Exact P", "exact_recall": "Exact R", "exact_f1": "Exact F1",
    "overlap_precision": "Overlap P", "overlap_recall": "Overlap R", "overlap_f1": "Overlap F1",
    "token_kappa": "Token κ", "token_kappa_marked": "Token κ marked", "alpha_u": "α_U",
    "span_disagreements": "Span diffs", "event_disagreements": "Event diffs",
    "label": "Label", "week": "Week", "batch": "Batch",
}


def header(column: str) -> str:
    return HEADERS.get(column, column)


def rich_tables(tables: Sequence[ViewTable], *, terminal: bool = False) -> Group:
    out = []
    for t in tables:
        table = Table(title=table_cell(t.title, terminal), title_justify="left",
                      caption=t.caption or None)
        kinds = [all(isinstance(r[i], (int, float)) or r[i] is None for r in t.rows)
                 for i in range(len(t.columns))]
        for i, col in enumerate(t.columns):
            table.add_column(table_cell(header(col), terminal),
                             justify="right" if i and kinds[i] else "left")
        for row in t.rows:
            table.add_row(*(Text(table_cell(fmt(v), terminal)) for v in row))
        out.append(table)
    return Group(*out)


def _md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def markdown_tables(tables: Sequence[ViewTable]) -> str:
    lines: list[str] = []
    for t in tables:
        lines += [f"## {t.title}", ""]
        lines.append("| " + " | ".join(_md(header(c)) for c in t.columns) + " |")
        lines.append("|" + "|".join("---" for _ in t.columns) + "|")
        for row in t.rows:
            lines.append("| " + " | ".join(_md(fmt(v)) for v in row) + " |")
        if t.caption:
            lines += ["", f"_{t.caption}_"]
        lines.append("")
    return "\n".join(lines)
