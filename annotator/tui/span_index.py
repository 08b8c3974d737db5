"""The user's spans of one document, indexed for "which spans touch this range" queries."""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SpanRec:
    """A span as the UI holds it; ordered in reading order, outer before inner."""

    start: int
    neg_end: int  # -end, so that at one start the longer (outer) span sorts first
    label: str
    id: int

    @property
    def end(self) -> int:
        return -self.neg_end

    @classmethod
    def of(cls, span_id: int, start: int, end: int, label: str) -> SpanRec:
        return cls(start, -end, label, span_id)


class SpanIndex:
    """Spans sorted by start; `overlapping` is a bisect over starts bounded by the longest span."""

    def __init__(self, spans: list[SpanRec] | None = None) -> None:
        self.spans: list[SpanRec] = sorted(spans or [])
        self._starts = [s.start for s in self.spans]
        self._maxlen = max((s.end - s.start for s in self.spans), default=0)

    def __len__(self) -> int:
        return len(self.spans)

    def add(self, span: SpanRec) -> int:
        """Insert; returns the span's position in reading order."""
        insort(self.spans, span)
        i = self.spans.index(span)
        self._starts.insert(i, span.start)
        self._maxlen = max(self._maxlen, span.end - span.start)
        return i

    def remove(self, span_id: int) -> SpanRec | None:
        for i, s in enumerate(self.spans):
            if s.id == span_id:
                del self.spans[i]
                del self._starts[i]
                return s
        return None

    def overlapping(self, start: int, end: int) -> list[SpanRec]:
        """Spans with at least one character in [start, end), in reading order."""
        lo = bisect_left(self._starts, start - self._maxlen)
        hi = bisect_left(self._starts, end)
        return [s for s in self.spans[lo:hi] if s.end > start]

    def covering(self, offset: int) -> list[SpanRec]:
        """Spans holding the character at `offset`, outermost first."""
        return self.overlapping(offset, offset + 1)

    def position_of(self, offset: int) -> int | None:
        """Index (reading order) of the innermost span holding `offset`, if any."""
        cover = self.covering(offset)
        if not cover:
            return None
        return self.spans.index(cover[-1])
