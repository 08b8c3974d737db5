"""A proposed span: what every suggestion source returns, before the store keeps it.

Offsets are ``[start, end)`` Python str offsets into the document's stored NFC text, so
``text[start:end]`` is the proposed span's text. ``source`` names where it came from
(one of :data:`SOURCES`); ``score`` is 1.0 for exact matches (occurrences, gazetteer)
and the model's marginal probability of the span for the model.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES: tuple[str, ...] = ("occurrences", "gazetteer", "model")


@dataclass(frozen=True, slots=True)
class Proposal:
    start: int
    end: int
    label: str
    source: str
    score: float = 1.0
