"""The user's spans of one document, indexed for "which spans touch this range" queries
(the sorted index itself: `annotator.tui.range_index`)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.tui.range_index import RangeIndex, RangeRec


@dataclass(frozen=True, order=True)
class SpanRec(RangeRec):
    """A span as the UI holds it; ordered in reading order, outer before inner."""

    @classmethod
    def of(cls, span_id: int, start: int, end: int, label: str) -> SpanRec:
        return cls(start, -end, label, span_id)


class SpanIndex(RangeIndex[SpanRec]):
    """Spans sorted by start; `overlapping` is a bisect over starts bounded by the longest span."""

    def __init__(self, spans: list[SpanRec] | None = None) -> None:
        super().__init__(spans)

    @property
    def spans(self) -> list[SpanRec]:
        """The spans in reading order (the index's own list: do not change it)."""
        return self._recs

    def add(self, span: SpanRec) -> int:
        """Insert; returns the span's position in reading order."""
        return self._insert(span)

    def remove(self, span_id: int) -> SpanRec | None:
        for i, s in enumerate(self._recs):
            if s.id == span_id:
                return self._delete(i)
        return None

    def covering(self, offset: int) -> list[SpanRec]:
        """Spans holding the character at `offset`, outermost first."""
        return self.overlapping(offset, offset + 1)

    def position_of(self, offset: int) -> int | None:
        """Index (reading order) of the innermost span holding `offset`, if any."""
        cover = self.covering(offset)
        if not cover:
            return None
        return self._recs.index(cover[-1])
