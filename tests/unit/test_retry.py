"""The transient-error retry loop: what counts as transient, how often and how long it
retries, and the one line that describes a failure."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from annotator.store.retry import describe, is_transient, retrying
from annotator.store.service import StoreError


class PgError(Exception):
    """Stands in for a psycopg error: it carries a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def sqlite_error(message: str) -> OperationalError:
    return OperationalError("INSERT INTO span …", {}, sqlite3.OperationalError(message))


def pg_error(message: str, sqlstate: str) -> OperationalError:
    return OperationalError("UPDATE …", {}, PgError(message, sqlstate))


LOCKED = sqlite_error("database is locked")
READ_ONLY = sqlite_error("attempt to write a readonly database")


@pytest.mark.parametrize("exc", [
    LOCKED,
    sqlite_error("database table is locked"),
    pg_error("could not serialize access", "40001"),
    pg_error("deadlock detected", "40P01"),
    pg_error("terminating connection due to administrator command", "57P01"),
    pg_error("connection failure", "08006"),
    DBAPIError("SELECT 1", {}, PgError("server closed the connection", "XX000"),
               connection_invalidated=True),
])
def test_transient(exc: Exception) -> None:
    assert is_transient(exc)


@pytest.mark.parametrize("exc", [
    READ_ONLY,
    IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
    pg_error("duplicate key", "23505"),
    StoreError("label 'XYZ' is not in the schema"),
    ValueError("no"),
])
def test_final(exc: Exception) -> None:
    assert not is_transient(exc)


def test_describe_is_the_first_line_of_the_driver_message() -> None:
    assert describe(LOCKED) == "database is locked"
    assert describe(pg_error("could not serialize access\nDETAIL: …", "40001")) == (
        "could not serialize access")
    assert describe(StoreError("refused")) == "refused"
    assert describe(RuntimeError()) == "RuntimeError"


def failing(errors: list[Exception], result: str = "ok") -> tuple[Callable[[], str], list[int]]:
    """A call that raises `errors` one after the other, then returns `result`."""
    calls: list[int] = []

    def fn() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    return fn, calls


def test_transient_errors_are_retried_until_success() -> None:
    fn, calls = failing([LOCKED, LOCKED])
    waits: list[float] = []
    assert retrying(fn, attempts=4, base_delay=0.1, sleep=waits.append) == "ok"
    assert len(calls) == 3
    # doubled each time, with jitter in [0.5, 1.5)
    assert 0.05 <= waits[0] < 0.15 and 0.1 <= waits[1] < 0.3


def test_gives_up_after_the_attempts() -> None:
    fn, calls = failing([LOCKED] * 5)
    with pytest.raises(OperationalError):
        retrying(fn, attempts=3, sleep=lambda _s: None)
    assert len(calls) == 3


def test_a_final_error_is_not_retried() -> None:
    fn, calls = failing([READ_ONLY])
    with pytest.raises(OperationalError):
        retrying(fn, attempts=4, sleep=lambda _s: None)
    assert len(calls) == 1


def test_the_budget_bounds_the_time_spent() -> None:
    now = [0.0]

    def clock() -> float:
        return now[0]

    def slow_locked() -> str:
        now[0] += 1.0  # each attempt waits out a 1 s busy timeout
        raise LOCKED

    slept: list[float] = []
    with pytest.raises(OperationalError):
        retrying(slow_locked, attempts=10, base_delay=0.01, budget=2.5,
                 sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)),
                 clock=clock)
    # attempts at t=0, ~1, ~2; a fourth would begin past the budget
    assert len(slept) == 2
    assert now[0] <= 2.5 + 1.0


def test_the_first_attempt_always_runs() -> None:
    fn, calls = failing([LOCKED])
    with pytest.raises(OperationalError):
        retrying(fn, attempts=4, budget=0.0, sleep=lambda _s: None)
    assert len(calls) == 1


def test_the_drivers_own_errors_too() -> None:
    """An error raised where SQLAlchemy does not wrap it (an event listener) is judged the
    same way as the wrapped one."""
    assert is_transient(sqlite3.OperationalError("database is locked"))
    assert not is_transient(sqlite3.OperationalError("attempt to write a readonly database"))
    assert is_transient(PgError("could not serialize access", "40001"))
    assert not is_transient(PgError("duplicate key", "23505"))
    assert describe(sqlite3.OperationalError("database is locked")) == "database is locked"
