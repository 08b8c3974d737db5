"""The one way the TUIs call the store: retried when the error is transient, and a failure
turned into one line for the status line instead of a traceback.

A call is one whole transaction (a store method), so trying it again is safe. The retry
runs on the UI thread and freezes the screen while it waits, so its waiting is bounded:
at most `ATTEMPTS` tries and no new try once `BUDGET` seconds have gone by. One try on
SQLite can itself wait out the busy timeout (`annotator.store.engine.BUSY_TIMEOUT_MS`),
so the worst case is about `BUDGET` plus one busy timeout.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from annotator.errors import AnnotatorError
from annotator.store.retry import describe, retrying

T = TypeVar("T")



def _driver_errors() -> tuple[type[Exception], ...]:
    """The drivers' own base errors, for one raised where SQLAlchemy does not wrap it."""
    errors: list[type[Exception]] = [sqlite3.Error]
    try:
        import psycopg
    except ImportError:
        pass
    else:
        errors.append(psycopg.Error)
    return tuple(errors)


# what a store call raises: a refusal (StoreError and the other AnnotatorErrors) or a
# database failure (SQLAlchemy's error wrapping the driver's, or the driver's own)
STORE_ERRORS: tuple[type[Exception], ...] = (AnnotatorError, SQLAlchemyError, *_driver_errors())

ATTEMPTS = 4
BASE_DELAY = 0.05  # seconds, doubled each try (with jitter)
BUDGET = 2.0  # seconds of trying, after which the last error is shown


@dataclass(frozen=True)
class Failed:
    """A store call that failed for good: what it was, and why (one line)."""

    what: str
    reason: str
    saving: bool = True

    @property
    def line(self) -> str:
        """The status-line text: ``✗ save PERS span: database is locked — not saved``."""
        tail = " — not saved" if self.saving else ""
        return f"✗ {self.what}: {self.reason}{tail}"


def failed(what: str, exc: BaseException, *, saving: bool = True) -> Failed:
    return Failed(what, describe(exc), saving)


def call_store(
    what: str, fn: Callable[[], T], *, saving: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> T | Failed:
    """`fn()`'s result, trying again on a transient error; `Failed` when it failed.

    `what` names the call for the user ("save PERS span", "load the document");
    `saving` says whether it writes (its failure line then ends "not saved")."""
    try:
        return retrying(fn, attempts=ATTEMPTS, base_delay=BASE_DELAY, budget=BUDGET,
                        sleep=sleep)
    except STORE_ERRORS as exc:
        return failed(what, exc, saving=saving)
