"""Terminal charts where bars read better than numbers: exact and overlap F1 per label, and
a measure's trend over periods (weeks, batches). Rich renderables, no Textual."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from annotator.bidi.cell import table_cell

from .views import ViewTable
from .views_render import header

WIDTH = 30
FULL, PARTIAL = "█", " ▏▎▍▌▋▊▉"


def bar(value: float | None, width: int = WIDTH) -> str:
    """A horizontal bar for a value in [0, 1] (clipped; negative values draw nothing), in
    eighths of a cell; an undefined value draws nothing."""
    if value is None:
        return ""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    whole, rest = divmod(eighths, 8)
    return FULL * whole + (PARTIAL[rest] if rest else "")


def _value(v: Any) -> str:
    return "—" if v is None else f"{v:.3f}"


def bar_chart(
    table: ViewTable, key_column: str, measures: tuple[str, ...], title: str,
    *, terminal: bool = False, width: int = WIDTH,
) -> Table:
    """One row per row of ``table``: its ``key_column`` and, per measure, the value and a
    bar (styled per measure)."""
    index = {c: i for i, c in enumerate(table.columns)}
    chart = Table(title=title, title_justify="left", box=None, pad_edge=False)
    chart.add_column(table_cell(header(key_column), terminal))
    styles = ("green", "cyan", "magenta", "yellow")
    for k, m in enumerate(measures):
        chart.add_column(header(m), justify="right")
        chart.add_column("", style=styles[k % len(styles)], min_width=width, no_wrap=True)
    for row in table.rows:
        cells: list[Text] = [Text(table_cell(str(row[index[key_column]]), terminal))]
        for m in measures:
            v = row[index[m]]
            cells += [Text(_value(v)), Text(bar(v, width))]
        chart.add_row(*cells)
    return chart


def label_chart(labels: ViewTable, *, terminal: bool = False) -> Table:
    """Exact and overlap F1 per label (the ``labels`` table of ``views_pairs.label_table``)."""
    return bar_chart(labels, "label", ("exact_f1", "overlap_f1"), "F1 per label",
                     terminal=terminal, width=20)


def trend_chart(periods: ViewTable, *, terminal: bool = False) -> Table:
    """Exact F1 and alpha_U per period, in order (a ``views.by_period`` table)."""
    kind = periods.columns[0]
    return bar_chart(periods, kind, ("exact_f1", "alpha_u"), f"Trend per {kind}",
                     terminal=terminal, width=20)
