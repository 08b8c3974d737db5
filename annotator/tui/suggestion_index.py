"""The user's pending suggestions on one document, as the annotate screen holds them: in
reading order (outer before inner at one start), with "which touch this range", the next
or previous one from a place, and the ones inside a sentence. Pure (no Textual)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.tui.range_index import RangeIndex, RangeRec

Range = tuple[int, int]


@dataclass(frozen=True, order=True)
class SuggestionRec(RangeRec):
    """A pending suggestion: its range, label, id, and where it came from."""

    source: str = field(compare=False, default="")
    score: float = field(compare=False, default=1.0)

    @classmethod
    def of(cls, suggestion_id: int, start: int, end: int, label: str, source: str = "",
           score: float = 1.0) -> SuggestionRec:
        return cls(start, -end, label, suggestion_id, source, score)


class SuggestionIndex(RangeIndex[SuggestionRec]):
    """Suggestions sorted in reading order (`annotator.tui.range_index`), with lookup by
    id, removal of decided ones, stepping and counts per source."""

    def __init__(self, recs: Iterable[SuggestionRec] = ()) -> None:
        super().__init__(recs)

    @property
    def recs(self) -> list[SuggestionRec]:
        """The suggestions in reading order (the index's own list: do not change it)."""
        return self._recs

    def get(self, suggestion_id: int | None) -> SuggestionRec | None:
        return next((r for r in self._recs if r.id == suggestion_id), None)

    def remove(self, ids: Iterable[int]) -> list[SuggestionRec]:
        """Drop these suggestions (decided); the ones that were there."""
        gone = set(ids)
        removed = [r for r in self._recs if r.id in gone]
        if removed:
            self._set([r for r in self._recs if r.id not in gone])
        return removed

    def step(self, step: int, *, current: SuggestionRec | None = None,
             offset: int = 0) -> SuggestionRec | None:
        """The next (step > 0) or previous suggestion, wrapping around: after / before
        `current` when it is given, else from `offset` (forward: the first starting at or
        after it; back: the last starting before it). None when there is none."""
        recs = self._recs
        if not recs:
            return None
        if current is not None:
            i = bisect_right(recs, current) if step > 0 else bisect_left(recs, current)
        else:
            i = bisect_left(self._starts, offset)
        if step > 0:
            return recs[i % len(recs)]
        return recs[i - 1] if i > 0 else recs[-1]

    def counts(self) -> dict[str, int]:
        """Pending suggestions per source."""
        return dict(Counter(r.source for r in self._recs))


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
