"""Schema versions and the migration path between them.

Version 1 was the first release. Each later version has one function that upgrades a
database from the version before it. `migrate` runs them in order, all in one transaction,
so an older `annotations.db` opens in a later release without losing anything.

Several processes may open a new (or old) database at once: `migrate` is serialized, by an
exclusive transaction on SQLite (DDL included: the engine begins transactions itself) and
by a transaction-scoped advisory lock on PostgreSQL. Whoever comes second finds the work
done. A database already at the current version is checked without taking any lock.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from annotator.store import models  # registers the tables
from annotator.store.engine import BEGIN_OPTION

SCHEMA_VERSION = 6
MIGRATION_LOCK = 0x616E6E6F  # pg_advisory_xact_lock key of `migrate` ("anno")


def _v1_to_v2(conn: Connection) -> None:
    """v2: gold provenance on spans and event labels."""
    for table in ("span", "eventlabel"):
        columns = {c["name"] for c in inspect(conn).get_columns(table)}
        if "provenance" not in columns:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN provenance JSON"))


def _v2_to_v3(conn: Connection) -> None:
    """v3: the adjudication decisions table."""
    models.Decision.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


def _v3_to_v4(conn: Connection) -> None:
    """v4: the action log names who (`by`) and from where (`actor`), and may have no
    document (a role grant); gold's duplicated event labels are folded and every
    annotator's event labels become unique per unit."""
    action = models.Action.__table__  # type: ignore[attr-defined]
    if conn.dialect.name == "sqlite":
        # SQLite cannot drop a NOT NULL: rebuild the table, keeping every row and id
        conn.execute(text("DROP INDEX IF EXISTS ix_action_doc_ann"))
        conn.execute(text("ALTER TABLE action RENAME TO action_v3"))
        action.create(conn)
        conn.execute(text(
            "INSERT INTO action (id, document_id, annotator_id, kind, payload, state, "
            "created_at) SELECT id, document_id, annotator_id, kind, payload, state, "
            "created_at FROM action_v3"))
        conn.execute(text("DROP TABLE action_v3"))
    else:
        conn.execute(text("ALTER TABLE action ALTER COLUMN document_id DROP NOT NULL"))
        conn.execute(text("ALTER TABLE action ADD COLUMN IF NOT EXISTS by VARCHAR"))
        conn.execute(text("ALTER TABLE action ADD COLUMN IF NOT EXISTS actor VARCHAR"))
    conn.execute(text(
        'DELETE FROM eventlabel WHERE id NOT IN (SELECT MIN(id) FROM eventlabel GROUP BY '
        'document_id, annotator_id, scope, COALESCE(start, -1), COALESCE("end", -1), label)'))
    models.UNIQUE_EVENT_INDEX.create(conn, checkfirst=True)


def _v4_to_v5(conn: Connection) -> None:
    """v5: `document.list_key`, the match key of external id and title that the documents
    list filters on, filled for every document; on PostgreSQL an index of the external id
    in code point order (the list's order)."""
    from annotator.store.doc_list import fill_list_keys

    columns = {c["name"] for c in inspect(conn).get_columns("document")}
    if "list_key" not in columns:
        conn.execute(text("ALTER TABLE document ADD COLUMN list_key VARCHAR NOT NULL "
                          "DEFAULT ''"))
    rows = conn.execute(text("SELECT id, external_id, title FROM document "
                             "WHERE list_key = ''")).all()
    for i in range(0, len(rows), 5000):
        conn.execute(text("UPDATE document SET list_key = :k WHERE id = :i"),
                     fill_list_keys(rows[i:i + 5000]))
    if conn.dialect.name == "postgresql":
        conn.execute(models.DOCUMENT_ID_CODEPOINT_INDEX)


def _v5_to_v6(conn: Connection) -> None:
    """v6: suggestions and the gazetteer (issue 12), the project's label schema in the
    database and event mentions with arguments (issue 13): new tables only."""
    for model in (models.Suggestion, models.GazetteerEntry, models.LabelSchemaVersion,
                  models.EventMention, models.EventArgument):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v1_to_v2, 3: _v2_to_v3, 4: _v3_to_v4, 5: _v4_to_v5, 6: _v5_to_v6,
}


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


def _peek_version(engine: Engine) -> int | None:
    """The version, read without a lock (None: no database yet, or it cannot be read)."""
    with engine.connect() as conn:
        try:
            return current_version(conn)
        finally:
            conn.rollback()


class SchemaTooNew(RuntimeError):
    pass


def migrate(engine: Engine) -> int:
    """Create a fresh database or upgrade an older one; return the version it is now at.

    One transaction, serialized against every other process doing the same."""
    peek = _peek_version(engine)
    if peek == SCHEMA_VERSION:
        return SCHEMA_VERSION
    if peek is not None and peek > SCHEMA_VERSION:
        _too_new(peek)
    with engine.execution_options(**{BEGIN_OPTION: "EXCLUSIVE"}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        version = current_version(conn)
        if version is None and not inspect(conn).has_table("document"):
            SQLModel.metadata.create_all(conn)
            _set_version(conn, SCHEMA_VERSION)
            return SCHEMA_VERSION
        version = version or 1
        if version > SCHEMA_VERSION:
            _too_new(version)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
            _set_version(conn, target)
        SQLModel.metadata.create_all(conn)  # tables added in later versions
        return SCHEMA_VERSION


def _too_new(version: int) -> None:
    raise SchemaTooNew(
        f"the database is at schema version {version}; this annotator knows up to "
        f"{SCHEMA_VERSION}: upgrade annotator"
    )
