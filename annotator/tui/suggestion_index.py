"""The user's pending suggestions on one document, as the annotate screen holds them: in
reading order (outer before inner at one start), with "which touch this range", the next
or previous one from a place, and the ones inside a sentence. Pure (no Textual)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

Range = tuple[int, int]


@dataclass(frozen=True, order=True)
class SuggestionRec:
    """A pending suggestion: its range, label, id, and where it came from."""

    start: int
    neg_end: int  # -end: at one start the longer (outer) suggestion sorts first
    label: str
    id: int
    source: str = field(compare=False, default="")
    score: float = field(compare=False, default=1.0)

    @property
    def end(self) -> int:
        return -self.neg_end

    @classmethod
    def of(cls, suggestion_id: int, start: int, end: int, label: str, source: str = "",
           score: float = 1.0) -> SuggestionRec:
        return cls(start, -end, label, suggestion_id, source, score)


class SuggestionIndex:
    """Suggestions sorted in reading order; `overlapping` bisects over starts bounded by
    the longest suggestion (as `SpanIndex`)."""

    def __init__(self, recs: Iterable[SuggestionRec] = ()) -> None:
        self._set(sorted(recs))

    def _set(self, recs: list[SuggestionRec]) -> None:
        self.recs = recs
        self._starts = [r.start for r in recs]
        self._maxlen = max((r.end - r.start for r in recs), default=0)

    def __len__(self) -> int:
        return len(self.recs)

    def __iter__(self) -> Iterator[SuggestionRec]:
        return iter(self.recs)

    def get(self, suggestion_id: int | None) -> SuggestionRec | None:
        return next((r for r in self.recs if r.id == suggestion_id), None)

    def remove(self, ids: Iterable[int]) -> list[SuggestionRec]:
        """Drop these suggestions (decided); the ones that were there."""
        gone = set(ids)
        removed = [r for r in self.recs if r.id in gone]
        if removed:
            self._set([r for r in self.recs if r.id not in gone])
        return removed

    def overlapping(self, start: int, end: int) -> list[SuggestionRec]:
        """Suggestions with at least one character in [start, end), in reading order."""
        lo = bisect_left(self._starts, start - self._maxlen)
        hi = bisect_left(self._starts, end)
        return [r for r in self.recs[lo:hi] if r.end > start]

    def within(self, start: int, end: int) -> list[SuggestionRec]:
        """Suggestions wholly inside [start, end) (a sentence's)."""
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end)
        return [r for r in self.recs[lo:hi] if r.end <= end]

    def step(self, step: int, *, current: SuggestionRec | None = None,
             offset: int = 0) -> SuggestionRec | None:
        """The next (step > 0) or previous suggestion, wrapping around: after / before
        `current` when it is given, else from `offset` (forward: the first starting at or
        after it; back: the last starting before it). None when there is none."""
        if not self.recs:
            return None
        if current is not None:
            i = bisect_right(self.recs, current) if step > 0 else bisect_left(self.recs,
                                                                               current)
        else:
            i = bisect_left(self._starts, offset)
        if step > 0:
            return self.recs[i % len(self.recs)]
        return self.recs[i - 1] if i > 0 else self.recs[-1]

    def counts(self) -> dict[str, int]:
        """Pending suggestions per source."""
        return dict(Counter(r.source for r in self.recs))


def pick_under(index: SuggestionIndex, target: Range | None, offset: int,
               current: SuggestionRec | None = None) -> list[SuggestionRec]:
    """The suggestions the cursor is on, best first: the one last stepped to (`current`)
    while the target still touches it, then those whose exact range is the target, then
    those holding `offset` (innermost first), then the rest touching the target."""
    if target is None:
        return []
    touching = index.overlapping(*target)
    if not touching:
        return []

    def rank(r: SuggestionRec) -> tuple[int, int]:
        if current is not None and r.id == current.id:
            return (0, 0)
        if (r.start, r.end) == target:
            return (1, 0)
        if r.start <= offset < r.end:
            return (2, r.end - r.start)
        return (3, r.start)

    return sorted(touching, key=rank)
