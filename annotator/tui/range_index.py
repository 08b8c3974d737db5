"""What the annotate screen's indexes share (spans: `SpanIndex`, pending suggestions:
`SuggestionIndex`): a labelled range sorted in reading order, outer before inner at one
start, and a sorted list of them answering "which touch this range" by bisecting over
the starts, bounded by the longest range. Pure (no Textual)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar


@dataclass(frozen=True, order=True)
class RangeRec:
    """A labelled range with an id; ordered in reading order, outer before inner."""

    start: int
    neg_end: int  # -end, so that at one start the longer (outer) range sorts first
    label: str
    id: int

    @property
    def end(self) -> int:
        return -self.neg_end


R = TypeVar("R", bound=RangeRec)


class RangeIndex(Generic[R]):
    """Records sorted in reading order; `overlapping` is a bisect over their starts
    bounded by the longest record (an upper bound: removing keeps it)."""

    def __init__(self, recs: Iterable[R] | None = None) -> None:
        self._set(sorted(recs or ()))

    def _set(self, recs: list[R]) -> None:
        self._recs = recs
        self._starts = [r.start for r in recs]
        self._maxlen = max((r.end - r.start for r in recs), default=0)

    def _insert(self, rec: R) -> int:
        """Insert in reading order; the record's position."""
        insort(self._recs, rec)
        i = self._recs.index(rec)
        self._starts.insert(i, rec.start)
        self._maxlen = max(self._maxlen, rec.end - rec.start)
        return i

    def _delete(self, i: int) -> R:
        self._starts.pop(i)
        return self._recs.pop(i)

    def __len__(self) -> int:
        return len(self._recs)

    def __iter__(self) -> Iterator[R]:
        return iter(self._recs)

    def overlapping(self, start: int, end: int) -> list[R]:
        """Records with at least one character in [start, end), in reading order."""
        lo = bisect_left(self._starts, start - self._maxlen)
        hi = bisect_left(self._starts, end)
        return [r for r in self._recs[lo:hi] if r.end > start]

    def within(self, start: int, end: int) -> list[R]:
        """Records wholly inside [start, end) (a sentence's)."""
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end)
        return [r for r in self._recs[lo:hi] if r.end <= end]
