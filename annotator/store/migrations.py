"""Schema versions and the migration path between them.

Version 1 was the first release. Each later version has one function that upgrades a
database from the version before it, inside one transaction. `migrate` runs them in order,
so an older `annotations.db` opens in a later release without losing anything.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from annotator.store import models  # registers the tables

SCHEMA_VERSION = 3


def _v1_to_v2(conn: Connection) -> None:
    """v2: gold provenance on spans and event labels."""
    for table in ("span", "eventlabel"):
        columns = {c["name"] for c in inspect(conn).get_columns(table)}
        if "provenance" not in columns:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN provenance JSON"))


def _v2_to_v3(conn: Connection) -> None:
    """v3: the adjudication decisions table."""
    models.Decision.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _v1_to_v2, 3: _v2_to_v3}


def current_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table("setting"):
        return None
    row = conn.execute(text("SELECT value FROM setting WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else None


def _set_version(conn: Connection, version: int) -> None:
    conn.execute(
        text(
            "INSERT INTO setting (key, value) VALUES ('schema_version', :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"v": str(version)},
    )


class SchemaTooNew(RuntimeError):
    pass


def migrate(engine: Engine) -> int:
    """Create a fresh database or upgrade an older one; return the version it is now at."""
    with engine.begin() as conn:
        version = current_version(conn)
        if version is None and not inspect(conn).has_table("document"):
            SQLModel.metadata.create_all(conn)
            _set_version(conn, SCHEMA_VERSION)
            return SCHEMA_VERSION
        version = version or 1
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the database is at schema version {version}; this annotator knows up to "
                f"{SCHEMA_VERSION}: upgrade annotator"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
            _set_version(conn, target)
        SQLModel.metadata.create_all(conn)  # tables added in later versions
        return SCHEMA_VERSION
