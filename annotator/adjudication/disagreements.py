"""Find what the annotators of one document disagree on.

Spans every annotator has are agreed (the unanimous rule takes them). The other spans are
*disputed*; disputed spans that overlap (transitively) form one cluster, and each cluster
is one disagreement. Its versions are the annotators' disputed spans in it (annotators
with the same spans share a version; an annotator with none there has the empty version).
Its kind, checked in this order: ``missing`` (some annotator has nothing there), ``label``
(the label sets differ), ``boundary`` (same labels, different ranges).

Event labels are per unit (the document, or one sentence): a unit where the annotators'
label sets differ is one ``event`` disagreement; its versions are the whole label sets.

Items come in reading order: the document's event unit first, then by start offset.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping

from annotator.adjudication.model import (
    DOCUMENT_UNIT,
    KIND_BOUNDARY,
    KIND_EVENT,
    KIND_LABEL,
    KIND_MISSING,
    Disagreement,
    Unit,
    Version,
    Work,
)
from annotator.agreement.clusters import overlap_clusters


def _digest(payload: object) -> str:
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def _versions(by_annotator: Mapping[str, tuple]) -> tuple[tuple[str, ...], ...]:
    """Annotators grouped by identical value, groups ordered by their first annotator."""
    groups: dict[tuple, list[str]] = {}
    for name in sorted(by_annotator):
        groups.setdefault(by_annotator[name], []).append(name)
    return tuple(tuple(names) for names in groups.values())


def _span_kind(versions: Collection[Version]) -> str:
    if any(not v.spans for v in versions):
        return KIND_MISSING
    label_sets = {frozenset(s[2] for s in v.spans) for v in versions}
    return KIND_LABEL if len(label_sets) > 1 else KIND_BOUNDARY


def span_disagreements(works: Mapping[str, Work]) -> list[Disagreement]:
    names = sorted(works)
    if len(names) < 2:
        return []
    every = frozenset().union(*(works[n].spans for n in names))
    agreed = frozenset.intersection(*(works[n].spans for n in names))
    out: list[Disagreement] = []
    for cluster in overlap_clusters(every - agreed):
        members = set(cluster)
        mine = {n: tuple(sorted(works[n].spans & members)) for n in names}
        versions = tuple(
            Version(annotators=group, spans=mine[group[0]]) for group in _versions(mine)
        )
        start = min(s[0] for s in cluster)
        end = max(s[1] for s in cluster)
        content = [[list(v.annotators), [list(s) for s in v.spans]] for v in versions]
        out.append(Disagreement(
            key=f"span:{start}-{end}:{_digest(content)}",
            kind=_span_kind(versions), versions=versions, start=start, end=end,
        ))
    return out


def _unit_key(unit: Unit) -> str:
    scope, start, end = unit
    return scope if unit == DOCUMENT_UNIT else f"{scope}:{start}-{end}"


def event_disagreements(works: Mapping[str, Work]) -> list[Disagreement]:
    names = sorted(works)
    if len(names) < 2:
        return []
    units = {u for n in names for u in works[n].events}
    out: list[Disagreement] = []
    for unit in sorted(units, key=lambda u: (u != DOCUMENT_UNIT, u[1] or 0, u[2] or 0)):
        sets = {n: tuple(sorted(works[n].labels(unit))) for n in names}
        if len(set(sets.values())) == 1:
            continue
        versions = tuple(
            Version(annotators=group, labels=sets[group[0]]) for group in _versions(sets)
        )
        agreed = frozenset.intersection(*(frozenset(v) for v in sets.values()))
        content = [[list(v.annotators), list(v.labels)] for v in versions]
        out.append(Disagreement(
            key=f"event:{_unit_key(unit)}:{_digest(content)}",
            kind=KIND_EVENT, versions=versions, start=unit[1], end=unit[2], unit=unit,
            agreed=tuple(sorted(agreed)),
        ))
    return out


def find_disagreements(works: Mapping[str, Work]) -> list[Disagreement]:
    """Every disagreement of one document among `works` (the annotators who finished it)."""
    items = span_disagreements(works) + event_disagreements(works)
    return sorted(items, key=lambda d: (d.start is not None, d.start or 0, d.is_event,
                                        d.end or 0, d.key))


def remaining(items: Iterable[Disagreement], decided: Collection[str]) -> int:
    """How many of `items` have no decision (by key) yet."""
    return sum(1 for d in items if d.key not in decided)
