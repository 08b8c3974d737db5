"""PostgreSQL's fast path for bulk inserts: COPY (psycopg's `cursor.copy`).

An executemany INSERT through psycopg sends one statement per row, and multi-row VALUES
pages cost more in building the query than the server spends on it; COPY streams the rows
in PostgreSQL's own format. COPY cannot skip conflicting rows, so an insert that must
(`ignore`) goes through a session-local temporary table and one
``INSERT … SELECT … ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Table
from sqlmodel import Session


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
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        if values[i] is not None:
                            values[i] = json.dumps(values[i], ensure_ascii=False)
                    row = tuple(values)
                copy.write_row(row)
        if ignore:
            cur.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM {into} "
                        "ON CONFLICT DO NOTHING")
