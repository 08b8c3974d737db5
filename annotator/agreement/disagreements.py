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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .model import DocumentUnit, SpanAnn


def _clusters(spans: list[tuple[str, SpanAnn]]) -> list[list[tuple[str, SpanAnn]]]:
    clusters: list[list[tuple[str, SpanAnn]]] = []
    reach = -1
    for item in sorted(spans, key=lambda x: (x[1].start, x[1].end, x[1].label, x[0])):
        if clusters and item[1].start < reach:
            clusters[-1].append(item)
            reach = max(reach, item[1].end)
        else:
            clusters.append([item])
            reach = item[1].end
    return clusters


def _kind(by_ann: dict[str, list[SpanAnn]]) -> str | None:
    span_sets = [frozenset(s) for s in by_ann.values()]
    if len(set(span_sets)) == 1:
        return None
    if any(not s for s in span_sets):
        return "missing"
    label_sets = {frozenset(s.label for s in spans) for spans in span_sets}
    return "label" if len(label_sets) > 1 else "boundary"


def doc_disagreements(doc: DocumentUnit, annotators: Sequence[str]) -> list[dict[str, Any]]:
    present = [a for a in annotators if a in doc.work]
    if len(present) < 2:
        return []
    items = [(a, s) for a in present for s in doc.work[a].spans]
    out = []
    for cluster in _clusters(items):
        by_ann: dict[str, list[SpanAnn]] = {a: [] for a in present}
        for a, s in cluster:
            by_ann[a].append(s)
        kind = _kind(by_ann)
        if kind is None:
            continue
        start = min(s.start for _, s in cluster)
        end = max(s.end for _, s in cluster)
        labels = {
            a: (max(spans, key=lambda s: (s.end - s.start, -s.start)).label if spans else None)
            for a, spans in by_ann.items()
        }
        out.append(
            {
                "doc_id": doc.doc_id,
                "start": start,
                "end": end,
                "text": doc.text[start:end],
                "kind": kind,
                "labels": labels,
                "spans": {
                    a: [
                        [s.start, s.end, s.label]
                        for s in sorted(spans, key=lambda s: (s.start, s.end))
                    ]
                    for a, spans in by_ann.items()
                },
            }
        )
    return out


def span_disagreements(
    docs: Sequence[DocumentUnit], annotators: Sequence[str]
) -> list[dict[str, Any]]:
    per_doc = [doc_disagreements(doc, annotators) for doc in docs]
    per_doc = [d for d in per_doc if d]
    per_doc.sort(key=lambda items: (-len(items), items[0]["doc_id"]))
    return [item for items in per_doc for item in items]
