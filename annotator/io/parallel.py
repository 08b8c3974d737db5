"""Work on a stream of records in a second process, in order, while this one reads on.

An export reads records from the database (this process) and turns each into its format
(tokenizing, tagging: as much work again). `Pipeline` hands chunks of records to forked
worker processes and gives the results back in the order the records came, a few chunks
behind: on a machine with a second core the reading and the formatting overlap. A chunk
goes to whichever worker is free: state a function keeps in its worker (as the CoNLL
writer keeps the tag depth it has padded to) is per worker.

A stream shorter than one chunk never starts a worker: it is done here, when drained.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 250  # records per task: large enough that pickling is a small share
AHEAD = 2  # chunks in flight before the caller waits for the oldest


class Ready(Generic[R]):
    """A result made already, read like a future's (`result()`)."""

    def __init__(self, value: list[R]) -> None:
        self.value = value

    def result(self) -> list[R]:
        return self.value


class Pipeline(Generic[T, R]):
    """`put` records, get back `fn(chunk)` results (one per record, in order) as they are
    ready; `drain` at the end, then `close` (or `abort`) stops the worker."""

    def __init__(self, fn: Callable[[list[T]], list[R]], *, chunk: int | None = None,
                 ahead: int = AHEAD, workers: int = 1) -> None:
        self.fn, self.chunk, self.ahead, self.workers = fn, chunk or CHUNK, ahead, workers
        self.items: list[T] = []
        self.pool: ProcessPoolExecutor | None = None
        self.flying: deque[Future[list[R]] | Ready[R]] = deque()

    def put(self, item: T) -> Iterator[R]:
        self.items.append(item)
        if len(self.items) < self.chunk:
            return iter(())
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("fork"))
        self.flying.append(self.pool.submit(self.fn, self.items))
        self.items = []
        return self._ready(self.ahead * self.workers)

    def drain(self) -> Iterator[R]:
        """Every result not given back yet."""
        if self.items:
            items, self.items = self.items, []
            if self.pool is None:
                self.flying.append(Ready(self.fn(items)))
            else:
                self.flying.append(self.pool.submit(self.fn, items))
        yield from self._ready(0)

    def _ready(self, keep: int) -> Iterator[R]:
        out: list[R] = []
        while len(self.flying) > keep:
            out.extend(self.flying.popleft().result())
        return iter(out)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def abort(self) -> None:
        """Drop what is left and stop the workers."""
        for future in self.flying:
            if isinstance(future, Future):
                future.cancel()
        self.flying.clear()
        self.items = []
        self.close()
