"""The argument mode of the annotate screen, pure (no Textual): which entity spans may fill
a role of an event mention, in the order Tab visits them, and which mentions a sentence
holds.

A candidate is one of the annotator's spans lying wholly inside the trigger's sentence
whose label fits the role; the nearest to the trigger comes first (distance in characters
between the two ranges, 0 when they touch or overlap), ties broken by text order. Spans
already linked in that role come after the others (Tab still reaches them, to unlink).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol, TypeVar

from annotator.events_model import MentionView

Range = tuple[int, int]


class SpanLike(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def label(self) -> str: ...


S = TypeVar("S", bound=SpanLike)


def gap(a: Range, b: Range) -> int:
    """Characters between two `[start, end)` ranges; 0 when they touch or overlap."""
    return max(0, b[0] - a[1], a[0] - b[1])


def candidates(spans: Iterable[S], sentence: Range, trigger: Range,
               labels: Collection[str], linked: Collection[tuple[int, int, str]] = ()
               ) -> list[S]:
    """The spans of `sentence` whose label is one of `labels`, nearest to `trigger` first;
    those in `linked` ((start, end, label) already filling the role) last."""
    inside = [s for s in spans
              if sentence[0] <= s.start and s.end <= sentence[1] and s.label in labels
              and (s.start, s.end) != trigger]

    def key(s: S) -> tuple[bool, int, int, int, str]:
        return ((s.start, s.end, s.label) in linked, gap((s.start, s.end), trigger),
                s.start, s.end, s.label)

    return sorted(inside, key=key)


def cycle(index: int | None, count: int, step: int) -> int | None:
    """The next (step 1) or previous (-1) position among `count`, wrapping around; the
    first (or the last, going back) when nothing is highlighted yet; None when empty."""
    if count <= 0:
        return None
    if index is None:
        return 0 if step > 0 else count - 1
    return (index + step) % count


def in_sentence(mentions: Iterable[MentionView], sentence: Range) -> list[MentionView]:
    """The mentions whose trigger starts inside `sentence`, in text order."""
    return sorted((m for m in mentions if sentence[0] <= m.start < sentence[1]),
                  key=MentionView.sort_key)


def mention_at(mentions: Sequence[MentionView], target: Range | None
               ) -> MentionView | None:
    """The mention whose trigger is exactly `target`, else the first whose trigger
    overlaps it (the innermost: the shortest)."""
    if target is None:
        return None
    exact = [m for m in mentions if (m.start, m.end) == target]
    if exact:
        return exact[0]
    over = [m for m in mentions if m.start < target[1] and target[0] < m.end]
    return min(over, key=lambda m: (m.end - m.start, m.start)) if over else None


def step_mention(mentions: Sequence[MentionView], current: int | None, offset: int,
                 step: int) -> MentionView | None:
    """The next (1) or previous (-1) mention of the document in text order, from the
    current one (its id) or else from `offset`, wrapping around."""
    ordered = sorted(mentions, key=MentionView.sort_key)
    if not ordered:
        return None
    ids = [m.id for m in ordered]
    if current in ids:
        return ordered[(ids.index(current) + step) % len(ordered)]
    if step > 0:
        return next((m for m in ordered if m.start > offset), ordered[0])
    return next((m for m in reversed(ordered) if m.start < offset), ordered[-1])
