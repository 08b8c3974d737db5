"""Majority vote over the annotators who finished a document.

An annotation is kept when MORE than half of the voters have it: a span must match
exactly (start, end, label); an event label must match label, scope and, for sentence
scope, the sentence range. A tie (exactly half, e.g. one of two annotators) is dropped:
with an even number of voters the majority must be strict, so two annotators keep only
what both marked. Each voter counts once per annotation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def majority(votes: Mapping[str, Iterable[K]], voters: Sequence[str]) -> list[K]:
    """Items that more than half of `voters` have (each voter's items are a set).

    `votes` maps a voter to their items; voters missing from `votes` voted for nothing.
    The result keeps first-seen order; callers sort it.
    """
    counts: Counter[K] = Counter()
    for voter in voters:
        counts.update(set(votes.get(voter, ())))
    n = len(voters)
    return [item for item, c in counts.items() if 2 * c > n]
