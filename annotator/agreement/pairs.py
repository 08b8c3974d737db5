"""Annotator pairs and their JSON keys."""

from __future__ import annotations

from itertools import combinations


def pairs(annotators: list[str]) -> list[tuple[str, str]]:
    """Unordered pairs in the order of ``annotators``; the first is the reference."""
    return list(combinations(annotators, 2))


def pair_key(a: str, b: str) -> str:
    return f"{a}|{b}"
