"""Span disagreements, for adjudication.

In each document, the spans of the annotators who finished it are grouped into clusters of
overlapping ranges (whatever their labels). A cluster where those annotators marked exactly
the same spans is agreement; any other cluster is a disagreement of one kind, checked in
this order:

* ``missing``: at least one annotator marked nothing there;
* ``label``: labels differ (whether or not boundaries also differ);
* ``boundary``: same labels, different ranges.

Each annotator's ``label`` is that of their longest span in the cluster (``None`` when they
marked nothing); ``spans`` lists all of them. Documents with the most disagreements come
first, then by id; within a document by offset.

Every cluster is classified (for the counts), but items are only built for the documents
that make it into the (optionally limited) list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .clusters import overlap_clusters
from .model import DocumentUnit, SpanAnn

KINDS = ("missing", "label", "boundary")

Item = tuple[int, int, str, int]  # start, end, label, annotator (index into present)
Cluster = list[Item]


def _kind(cluster: Cluster, n_present: int) -> str | None:
    # each annotator marks a span at most once, so every span of the cluster was marked by
    # everyone exactly when the cluster holds n_present copies of each distinct span
    if len(cluster) == n_present * len({item[:3] for item in cluster}):
        return None
    if len({item[3] for item in cluster}) < n_present:
        return "missing"
    labels: list[set[str]] = [set() for _ in range(n_present)]
    for _, _, label, a in cluster:
        labels[a].add(label)
    return "label" if any(s != labels[0] for s in labels) else "boundary"


@dataclass
class DocDisagreements:
    doc: DocumentUnit
    present: list[str]
    clusters: list[tuple[Cluster, str]] = field(default_factory=list)


def _classify(doc: DocumentUnit, annotators: Sequence[str]) -> DocDisagreements:
    present = [a for a in annotators if a in doc.work]
    out = DocDisagreements(doc, present)
    if len(present) < 2:
        return out
    items = [(s[0], s[1], s[2], i) for i, a in enumerate(present) for s in doc.work[a].spans]
    for cluster in overlap_clusters(items):
        kind = _kind(cluster, len(present))
        if kind is not None:
            out.clusters.append((cluster, kind))
    return out


def _longest_label(spans: list[SpanAnn]) -> str | None:
    if not spans:
        return None
    return max(spans, key=lambda s: (s.end - s.start, -s.start)).label


def _item(found: DocDisagreements, cluster: Cluster, kind: str) -> dict[str, Any]:
    by_ann: dict[str, list[SpanAnn]] = {a: [] for a in found.present}
    for start, end, label, i in cluster:
        by_ann[found.present[i]].append(SpanAnn(start, end, label))
    start = min(s for s, _, _, _ in cluster)
    end = max(e for _, e, _, _ in cluster)
    return {
        "doc_id": found.doc.doc_id,
        "start": start,
        "end": end,
        "text": found.doc.text[start:end],
        "kind": kind,
        "labels": {a: _longest_label(spans) for a, spans in by_ann.items()},
        "spans": {
            a: [[s.start, s.end, s.label] for s in sorted(spans, key=lambda s: (s.start, s.end))]
            for a, spans in by_ann.items()
        },
    }


@dataclass
class SpanDisagreements:
    items: list[dict[str, Any]]  # the first ``limit`` disagreements
    total: int
    by_kind: dict[str, int]

    @property
    def truncated(self) -> bool:
        return len(self.items) < self.total


def find_span_disagreements(
    docs: Sequence[DocumentUnit], annotators: Sequence[str], limit: int | None = None
) -> SpanDisagreements:
    """Every disagreement counted, at most ``limit`` (None: all) listed, most disputed
    documents first."""
    found = [f for f in (_classify(doc, annotators) for doc in docs) if f.clusters]
    found.sort(key=lambda f: (-len(f.clusters), f.doc.doc_id))
    kinds = Counter(kind for f in found for _, kind in f.clusters)
    ordered = ((f, cluster, kind) for f in found for cluster, kind in f.clusters)
    return SpanDisagreements(
        [_item(f, cluster, kind) for f, cluster, kind in islice(ordered, limit)],
        sum(kinds.values()),
        {kind: kinds[kind] for kind in KINDS if kinds[kind]},
    )


def span_disagreements(
    docs: Sequence[DocumentUnit], annotators: Sequence[str]
) -> list[dict[str, Any]]:
    return find_span_disagreements(docs, annotators).items
