"""Input model of the agreement report: plain data built by the caller (e.g. from the database).

Offsets are Python ``str`` indices into ``DocumentUnit.text``, end exclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from annotator.events_model import MentionView


class SpanAnn(NamedTuple):
    """One entity span marked by one annotator (a named tuple: cheap to build, hash, sort)."""

    start: int
    end: int
    label: str


@dataclass
class AnnotatorWork:
    """One annotator's finished work on one document."""

    spans: set[SpanAnn] = field(default_factory=set)
    doc_events: frozenset[str] = frozenset()
    # sentence (start, end) -> labels; a sentence that is absent carries the empty set
    sent_events: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    # structured event mentions (trigger, type, attributes, arguments), in reading order
    mentions: list[MentionView] = field(default_factory=list)


@dataclass
class DocumentUnit:
    """A document with the work of the annotators who marked it done (and only those)."""

    doc_id: str
    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # token (start, end) offsets, sorted: a list of pairs or an (n, 2) integer array
    tokens: Sequence[tuple[int, int]] | np.ndarray = field(default_factory=list)
    work: dict[str, AnnotatorWork] = field(default_factory=dict)
