"""PostgreSQL's fast path for bulk inserts: COPY (psycopg's `cursor.copy`).

An executemany INSERT through psycopg sends one statement per row, and multi-row VALUES
pages cost more in building the query than the server spends on it; COPY streams the rows
in PostgreSQL's own format. COPY cannot skip conflicting rows, so an insert that must
(`ignore`) goes through a session-local temporary table and one
``INSERT … SELECT … ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Table
from sqlmodel import Session

CHUNK = 5_000  # rows formatted and sent at a time
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _value(v: Any) -> str:
    """One value in COPY's text format."""
    if v is None:
        return "\\N"
    if isinstance(v, str):
        for char, escaped in _ESCAPES:  # str.replace runs in C; str.translate does not
            if char in v:
                v = v.replace(char, escaped)
        return v
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, datetime):
        return v.isoformat()
    return str(v)


def _line(row: tuple[Any, ...], json_at: list[int]) -> str:
    if json_at:
        values = list(row)
        for i in json_at:
            if values[i] is not None:
                values[i] = json.dumps(values[i], ensure_ascii=False)
        row = tuple(values)
    return "\t".join(map(_value, row)) + "\n"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_insert(s: Session, table: Table, cols: list[str], rows: list[tuple[Any, ...]], *,
                ignore: bool) -> None:
    """Insert `rows` (tuples in `cols` order) into `table` in the session's transaction."""
    if not rows:
        return
    json_at = [i for i, c in enumerate(cols) if isinstance(table.c[c].type, JSON)]
    names = ", ".join(_quoted(c) for c in cols)
    target = _quoted(table.name)
    raw = s.connection().connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cur:
        into = target
        if ignore:
            into = _quoted(f"annotator_copy_{table.name}")
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {into} "
                        f"(LIKE {target} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
            cur.execute(f"DELETE FROM {into}")
        with cur.copy(f"COPY {into} ({names}) FROM STDIN") as copy:
            for start in range(0, len(rows), CHUNK):
                copy.write("".join(_line(row, json_at) for row in rows[start:start + CHUNK]))
        if ignore:
            cur.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM {into} "
                        "ON CONFLICT DO NOTHING")
