"""Structured event mentions as the store hands them out (issue 13): pure, no database.

A mention is a trigger `[start, end)` (Python str offsets into the document's NFC text,
a token or a sub-token such as `زيارة` inside `وزيارة`) of one annotator, its event type,
its attributes and its arguments; an argument names an entity span of the same annotator
(by its range and label, which are unique per annotator and document) in a role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ArgumentView:
    """One argument link: `role` filled by the span `[start, end)` labelled `label`."""

    id: int
    role: str
    start: int
    end: int
    label: str

    def sort_key(self) -> tuple[str, int, int, str]:
        """The export's order of a mention's arguments: (role, start, end), then label."""
        return (self.role, self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class MentionView:
    """One event mention: trigger `[start, end)`, `type`, `attributes` ({name: value}),
    `arguments` in (role, start, end) order, `coref_of` the id of an earlier mention of
    the same event in the document (or None)."""

    id: int
    start: int
    end: int
    type: str
    attributes: dict[str, Any] = field(default_factory=dict)
    arguments: tuple[ArgumentView, ...] = ()
    coref_of: int | None = None

    def sort_key(self) -> tuple[int, int, str]:
        """The export's order of a document's mentions: (trigger start, end, type)."""
        return (self.start, self.end, self.type)

    def trigger_text(self, text: str) -> str:
        return text[self.start:self.end]
