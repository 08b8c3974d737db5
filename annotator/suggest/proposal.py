"""A proposed span: what every suggestion source returns, before the store keeps it.

Offsets are ``[start, end)`` Python str offsets into the document's stored NFC text, so
``text[start:end]`` is the proposed span's text. ``source`` names where it came from
(one of :data:`SOURCES`); ``score`` is 1.0 for exact matches (occurrences, gazetteer)
and the model's marginal probability of the span for the model.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

SOURCES: tuple[str, ...] = ("occurrences", "gazetteer", "model")


@dataclass(frozen=True, slots=True)
class Proposal:
    start: int
    end: int
    label: str
    source: str
    score: float = 1.0


def crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether ranges ``a`` and ``b`` are equal or overlap without one strictly holding the
    other (nesting, ``بنك المغرب`` around ``المغرب``, is allowed)."""
    (s1, e1), (s2, e2) = a, b
    if e1 <= s2 or e2 <= s1:
        return False
    if (s1, e1) == (s2, e2):
        return True
    return not ((s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2))


def drop_taken(proposals: Iterable[Proposal], taken: Iterable[tuple[int, int]]
               ) -> list[Proposal]:
    """``proposals`` sorted by range, without those equal to or crossing a range of
    ``taken`` (existing spans and suggestions) and without repeated ranges (the first of
    them is kept)."""
    ranges = sorted(set(taken))
    starts = [s for s, _ in ranges]
    longest = max((e - s for s, e in ranges), default=0)
    out: list[Proposal] = []
    seen: set[tuple[int, int]] = set()
    for p in sorted(proposals, key=lambda p: (p.start, p.end)):
        rng = (p.start, p.end)
        if rng in seen:
            continue
        i = bisect_left(starts, p.end)  # ranges starting before the proposal's end
        blocked = False
        while i > 0:
            i -= 1
            if ranges[i][0] + longest <= p.start:
                break
            if crosses(rng, ranges[i]):
                blocked = True
                break
        if not blocked:
            seen.add(rng)
            out.append(p)
    return out
