"""One CSV file per agreement table, for spreadsheets.

Each file is ``DIR/<table key>.csv``: a header row with the table's fixed columns (see
``views.DOCUMENT_COLUMNS``, ``views_pairs.PAIR_COLUMNS`` …), then one row per record, in
logical order (never reordered for display), UTF-8 with a byte-order mark so spreadsheet
programs read Arabic right. Undefined values are empty cells; numbers are written in full.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .views import ViewTable


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_table(path: Path, table: ViewTable) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([csv_value(v) for v in row])
    return path


def write_csvs(directory: Path, tables: Iterable[ViewTable]) -> list[Path]:
    """Write every table to ``directory/<key>.csv`` (the directory is created); return the
    paths written, in order."""
    directory.mkdir(parents=True, exist_ok=True)
    return [write_table(directory / f"{t.key}.csv", t) for t in tables]
