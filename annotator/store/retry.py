"""Transient database errors, and the one retry loop for them.

Transient: the write lock is held by another writer past the busy timeout (SQLite
``database is locked``), a PostgreSQL serialization failure or deadlock, or a connection
that dropped (the pool replaces it). Anything else (a read-only file, a constraint, a
refused label) is final: retrying would only repeat it. The error may be SQLAlchemy's
wrapper or the driver's own (one raised where SQLAlchemy does not wrap it, e.g. in an
event listener).
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

T = TypeVar("T")

# SQLSTATEs worth another try: serialization_failure, deadlock_detected, lock_not_available,
# and the connection-exception class (08xxx) / admin shutdown (57P01) / cannot connect now
_PG_TRANSIENT = ("40001", "40P01", "55P03", "57P01", "57P03")
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "database is busy")

ATTEMPTS = 4
BASE_DELAY = 0.05  # seconds; doubled each attempt, with jitter


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's exception: SQLAlchemy's `.orig`, or `exc` itself when unwrapped."""
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    return orig if isinstance(orig, BaseException) else exc


def _sqlstate(exc: BaseException) -> str | None:
    driver = _driver_error(exc)
    return getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)


def is_transient(exc: BaseException) -> bool:
    """Whether trying the same transaction again may well succeed."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    state = _sqlstate(exc)
    if state is not None:
        return state in _PG_TRANSIENT or state.startswith("08")
    if isinstance(exc, OperationalError | sqlite3.OperationalError):
        message = str(_driver_error(exc)).lower()
        return any(m in message for m in _SQLITE_TRANSIENT) or "server closed" in message
    return False


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, without the SQL or any URL."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    first = (text.splitlines() or [type(exc).__name__])[0]
    return first or type(exc).__name__


def retrying(
    fn: Callable[[], T], *, attempts: int = ATTEMPTS, base_delay: float = BASE_DELAY,
    sleep: Callable[[float], None] = time.sleep, budget: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call `fn` (one whole transaction); on a transient error wait and call it again, up
    to `attempts` times in all, then let the last error through.

    `budget` (seconds) bounds the waiting: no new attempt begins once the time spent so
    far plus the next wait would pass it (the first attempt always runs; an attempt itself
    may take as long as the busy timeout)."""
    started = clock()
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt == attempts or not is_transient(exc):
                raise
            delay = base_delay * (2 ** (attempt - 1)) * (0.5 + random.random())
            if budget is not None and clock() - started + delay > budget:
                raise
            sleep(delay)
    raise AssertionError("unreachable")
