"""Plain data of adjudication: one annotator's work, a disagreement and its versions, an outcome.

Offsets are Python ``str`` indices into the document text, end exclusive, as everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SpanT = tuple[int, int, str]  # (start, end, label)
Unit = tuple[str, int | None, int | None]  # (scope, start, end): an event-label unit
DOCUMENT_UNIT: Unit = ("document", None, None)

KIND_LABEL = "label"  # same place, different labels
KIND_BOUNDARY = "boundary"  # same labels, different ranges
KIND_MISSING = "missing"  # a span only some annotators have
KIND_EVENT = "event"  # an event label only some annotators have on a unit

OUTCOME_ACCEPTED = "accepted"
OUTCOME_REJECTED = "rejected"
OUTCOME_EDITED = "edited"

RULE_UNANIMOUS = "unanimous"
RULE_ADJUDICATED = "adjudicated"
RULE_EDITED = "edited"


@dataclass(frozen=True)
class Work:
    """What one annotator (or gold) marked in one document."""

    spans: frozenset[SpanT] = frozenset()
    events: Mapping[Unit, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        spans: Iterable[SpanT] = (),
        doc_events: Iterable[str] = (),
        sent_events: Mapping[tuple[int, int], Iterable[str]] | None = None,
    ) -> Work:
        events: dict[Unit, frozenset[str]] = {}
        doc = frozenset(doc_events)
        if doc:
            events[DOCUMENT_UNIT] = doc
        for (start, end), labels in (sent_events or {}).items():
            labs = frozenset(labels)
            if labs:
                events[("sentence", start, end)] = labs
        return cls(frozenset(spans), events)

    @classmethod
    def from_rows(
        cls,
        spans: Iterable[tuple[int, int, str]],
        events: Iterable[tuple[str, str, int | None, int | None]],
    ) -> Work:
        """From store rows: spans (start, end, label), events (label, scope, start, end)."""
        units: dict[Unit, set[str]] = {}
        for label, scope, start, end in events:
            unit: Unit = DOCUMENT_UNIT if scope == "document" else (scope, start, end)
            units.setdefault(unit, set()).add(label)
        return cls(frozenset(spans), {u: frozenset(v) for u, v in units.items() if v})

    def labels(self, unit: Unit) -> frozenset[str]:
        return self.events.get(unit, frozenset())


@dataclass(frozen=True)
class Version:
    """One way the annotators marked a disagreement; annotators with the same way share it.

    For span items `spans` are the annotators' disputed spans in the cluster (empty: they
    marked nothing there). For event items `labels` is their whole label set on the unit.
    """

    annotators: tuple[str, ...]
    spans: tuple[SpanT, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.spans and not self.labels


@dataclass(frozen=True)
class Disagreement:
    """One item to adjudicate: a cluster of overlapping disputed spans, or an event unit.

    `key` identifies it (it changes when any annotator's version of it changes, so a
    decision never silently covers work it did not see). `start`/`end` is the extent of
    the cluster, or the sentence of a sentence event unit; None for the document unit.
    `agreed` holds, for an event unit, the labels every annotator gave it.
    """

    key: str
    kind: str
    versions: tuple[Version, ...]
    start: int | None
    end: int | None
    unit: Unit | None = None
    agreed: tuple[str, ...] = ()

    @property
    def is_event(self) -> bool:
        return self.kind == KIND_EVENT

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(sorted(a for v in self.versions for a in v.annotators))

    def holders_of_span(self, span: SpanT) -> tuple[str, ...]:
        return tuple(sorted(a for v in self.versions if span in v.spans for a in v.annotators))

    def holders_of_label(self, label: str) -> tuple[str, ...]:
        return tuple(sorted(a for v in self.versions if label in v.labels for a in v.annotators))


@dataclass(frozen=True)
class Outcome:
    """What a decision puts into gold for one disagreement.

    Span items: `spans`, each with the annotators who had exactly that span. Event items:
    `labels`, the unit's complete gold label set, each with the annotators who gave it.
    `accepted` are the (0-based) indices of the versions taken.
    """

    key: str
    outcome: str  # accepted | rejected | edited
    rule: str  # adjudicated | edited
    accepted: tuple[int, ...] = ()
    spans: tuple[tuple[SpanT, tuple[str, ...]], ...] = ()
    labels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unit: Unit | None = None
