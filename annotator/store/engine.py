"""Engine construction: our own engine, built in a function, for SQLite or PostgreSQL.

SQLite: WAL, a busy timeout, synchronous FULL and foreign keys on every connection, and
transactions begun by us (pysqlite's own transaction handling is off, so DDL is inside
the transaction too). A write transaction is begun ``BEGIN IMMEDIATE`` (see
`Store.write`): it takes the write lock before its first read, so a read-then-write never
fails half-way on a snapshot another writer has moved past.

PostgreSQL (``postgresql+psycopg://…``, the ``annotator[postgres]`` extra): a plain
``postgresql://`` URL is read as psycopg 3. Passwords never appear in a message
(`safe_url`).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import create_engine

from annotator.errors import AnnotatorError

DEFAULT_DB = "annotations.db"
BUSY_TIMEOUT_MS = 10_000
# execution option naming how an SQLite transaction begins: DEFERRED | IMMEDIATE | EXCLUSIVE
BEGIN_OPTION = "annotator_begin"
# execution option: how long (seconds) a write transaction waits for SQLite's write lock
LOCK_WAIT_OPTION = "annotator_lock_wait"


def database_url(db: str | None = None) -> str:
    """`--db`, else `$ANNOTATOR_DB`, else ./annotations.db; a path or an SQLAlchemy URL."""
    value = db or os.environ.get("ANNOTATOR_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _parsed(url: str) -> URL | None:
    try:
        return make_url(url)
    except ArgumentError:
        return None


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown to a user: any password replaced by ***."""
    parsed = url if isinstance(url, URL) else _parsed(url)
    if parsed is None:
        return "(an unreadable database URL)"
    return parsed.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API types)
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see `_sqlite_begin`)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _wal(cursor)
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _wal(cursor: sqlite3.Cursor) -> None:
    """Put the database in WAL mode (once: the mode is kept in the file). Switching needs
    the file to itself, and SQLite answers 'locked' at once, without its busy handler,
    while another process is creating the database: try again for the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.005, 0.02))


def _sqlite_begin(conn) -> None:  # noqa: ANN001 (sqlalchemy Connection)
    mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    if mode == "DEFERRED":
        conn.exec_driver_sql("BEGIN DEFERRED")
        return
    wait = conn.get_execution_options().get(LOCK_WAIT_OPTION, BUSY_TIMEOUT_MS / 1000)
    _begin_writing(conn.connection.driver_connection, mode, wait)


def _begin_writing(dbapi_connection: sqlite3.Connection, mode: str,
                   wait: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """BEGIN IMMEDIATE / EXCLUSIVE, waiting for the write lock by polling it every
    millisecond or so. SQLite's own busy handler sleeps longer and longer (up to 100 ms a
    try) and lets a waiter lose to newcomers again and again: with eight writers some
    saves waited seconds. Polling keeps every wait close to the time the lock is held."""
    deadline = time.monotonic() + wait
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                dbapi_connection.execute(f"BEGIN {mode}")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise OperationalError(f"BEGIN {mode}", None, exc) from None
                time.sleep(random.uniform(0.0002, 0.0015))
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _normalised(url: str) -> URL:
    parsed = _parsed(url)
    if parsed is None:
        raise AnnotatorError(f"--db: {url!r} is neither a file path nor a database URL")
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_driver_name() == "psycopg":
            try:
                import psycopg  # noqa: F401
            except ImportError:
                raise AnnotatorError(
                    "PostgreSQL needs the psycopg driver: pip install 'annotator[postgres]'"
                ) from None
    elif backend != "sqlite":
        raise AnnotatorError(
            f"--db {safe_url(parsed)}: only SQLite and PostgreSQL databases are supported"
        )
    return parsed


def make_engine(db: str | None = None) -> Engine:
    url = _normalised(database_url(db))
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    else:
        # a dropped connection is noticed before use and replaced
        kwargs.update(pool_pre_ping=True, pool_size=2, max_overflow=8)
    engine = create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class codepoint(FunctionElement):  # noqa: N801 (reads as a SQL function)
    """Order a text column by code point on every backend: SQLite's BINARY collation does
    already; PostgreSQL's default collation depends on the server's locale, so there the
    column is compared with COLLATE "C" (byte order of UTF-8, i.e. code point order)."""

    inherit_cache = True
    name = "codepoint"

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)


@compiles(codepoint)
def _codepoint_default(element, compiler, **kw) -> str:  # noqa: ANN001
    return compiler.process(element.clauses, **kw)


@compiles(codepoint, "postgresql")
def _codepoint_pg(element, compiler, **kw) -> str:  # noqa: ANN001
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'
