"""Grouping spans that overlap, shared by the agreement report and adjudication."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T", bound=tuple)


def overlap_clusters(items: Iterable[T]) -> list[list[T]]:
    """Group items (tuples that start with `start, end`) whose ranges overlap, transitively,
    in reading order; items in a group keep their sorted order."""
    groups: list[list[T]] = []
    reach = -1
    for item in sorted(items):
        if groups and item[0] < reach:
            groups[-1].append(item)
            reach = max(reach, item[1])
        else:
            groups.append([item])
            reach = item[1]
    return groups
