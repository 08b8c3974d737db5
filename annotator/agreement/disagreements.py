"""Span disagreements, for adjudication.

In each document, the spans of the annotators who finished it are grouped into clusters of
overlapping ranges (whatever their labels). A cluster where those annotators marked exactly
the same spans is agreement; any other cluster is a disagreement (a disputed place).

Each annotator's ``label`` is that of their longest span in the cluster (``None`` when they
marked nothing); ``spans`` lists all of them. Documents with the most disagreements come
first, then by id; within a document by offset.

Inside a cluster, every *span* (a distinct start, end and label) that not every annotator
marked differs, and gets a kind of its own (so the per-kind counts add up to the spans that
differ); each annotator who did not mark it gives one:

* ``label``: they marked the same range with another label, or only overlapping spans of
  their own that differ, none with this label;
* ``missing``: they marked nothing there that differs (nothing at all, or only spans
  everybody marked: a nested span inside an agreed one);
* ``boundary``: they marked an overlapping span of theirs with this label, over another
  range;

and the span takes the first of ``missing``, ``label``, ``boundary`` that one gives; a
cluster takes the first of its spans' kinds. Nested spans are spans like any other: each
is listed, none is merged into its cluster's range.

An item (one cluster) keeps the cluster's range, kind and longest label per annotator, and
lists every annotator's own ``versions`` (offsets, text, label), the ``differing`` spans
(with kind and who marked them) and ``rows``: one per range that differs, with the labels
each annotator put on exactly that range (an empty list: not that range).

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


SpanKey = tuple[int, int, str]


def _agrees(cluster: Cluster, n_present: int) -> bool:
    # each annotator marks a span at most once, so every span of the cluster was marked by
    # everyone exactly when the cluster holds n_present copies of each distinct span
    return len(cluster) == n_present * len({item[:3] for item in cluster})


def _span_kinds(cluster: Cluster, n_present: int) -> list[tuple[SpanKey, list[int], str]]:
    """The spans of a cluster that not every annotator marked: (span, who marked it, kind),
    in reading order (see the module doc); empty when everyone marked the same spans."""
    if len(cluster) == 1:  # a span nobody else marked, and nothing else there
        start, end, label, a = cluster[0]
        return [((start, end, label), [a], "missing")]
    marked: dict[SpanKey, list[int]] = {}
    for start, end, label, a in cluster:
        who = marked.get((start, end, label))
        if who is None:
            marked[start, end, label] = [a]
        else:
            who.append(a)
    differing = [(key, who) for key, who in marked.items() if len(who) < n_present]
    if not differing:
        return []
    if len(differing) == 1:  # nobody who left it out marked anything else there
        return [(differing[0][0], differing[0][1], "missing")]
    if len(differing) == 2:  # the common case, without the general loop
        (k1, w1), (k2, w2) = differing
        if len(set(w1).union(w2)) < n_present or not (k1[0] < k2[1] and k2[0] < k1[1]):
            kind = "missing"  # someone marked neither, or they are apart
        elif (k1[0] == k2[0] and k1[1] == k2[1]) or k1[2] != k2[2]:
            kind = "label"
        else:
            kind = "boundary"
        return [(k1, w1, kind), (k2, w2, kind)]
    out = []
    for key, who in differing:
        start, end, label = key
        rank = 2  # index into KINDS: the first kind any annotator who left it out gives
        for b in range(n_present):
            if b in who:
                continue
            theirs = [k for k, w in differing if b in w and k[0] < end and start < k[1]]
            if not theirs:
                rank = 0
                break
            if any(k[0] == start and k[1] == end for k in theirs) or all(
                k[2] != label for k in theirs
            ):
                rank = 1
        out.append((key, who, KINDS[rank]))
    return out


@dataclass
class DocDisagreements:
    doc: DocumentUnit
    present: list[str]
    clusters: list[tuple[Cluster, str]] = field(default_factory=list)
    span_kinds: list[list[tuple[SpanKey, list[int], str]]] = field(default_factory=list)


def _classify(doc: DocumentUnit, annotators: Sequence[str]) -> DocDisagreements:
    present = [a for a in annotators if a in doc.work]
    out = DocDisagreements(doc, present)
    if len(present) < 2:
        return out
    items = [(s[0], s[1], s[2], i) for i, a in enumerate(present) for s in doc.work[a].spans]
    for cluster in overlap_clusters(items):
        if not _agrees(cluster, len(present)):
            spans = _span_kinds(cluster, len(present))
            kinds = [kind for _, _, kind in spans]
            kind = next(k for k in KINDS if k in kinds) if len(kinds) > 2 else kinds[0]
            out.clusters.append((cluster, kind))
            out.span_kinds.append(spans)
    return out


def _longest_label(spans: list[SpanAnn]) -> str | None:
    if not spans:
        return None
    return max(spans, key=lambda s: (s.end - s.start, -s.start)).label


def _rows(
    found: DocDisagreements, differing: list[dict[str, Any]], by_ann: dict[str, list[SpanAnn]]
) -> list[dict[str, Any]]:
    """One row per range that differs: each annotator's labels on exactly that range."""
    text = found.doc.text
    kinds: dict[tuple[int, int], set[str]] = {}
    for d in differing:
        kinds.setdefault((d["start"], d["end"]), set()).add(d["kind"])
    return [
        {
            "start": start,
            "end": end,
            "text": text[start:end],
            "kind": next(k for k in KINDS if k in row_kinds),
            "labels": {
                a: sorted(s.label for s in spans if s.start == start and s.end == end)
                for a, spans in by_ann.items()
            },
        }
        for (start, end), row_kinds in sorted(kinds.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    ]


def _item(
    found: DocDisagreements,
    cluster: Cluster,
    kind: str,
    span_kinds: list[tuple[SpanKey, list[int], str]],
) -> dict[str, Any]:
    by_ann: dict[str, list[SpanAnn]] = {a: [] for a in found.present}
    for start, end, label, i in cluster:
        by_ann[found.present[i]].append(SpanAnn(start, end, label))
    for spans in by_ann.values():
        spans.sort(key=lambda s: (s.start, s.end, s.label))
    start = min(s for s, _, _, _ in cluster)
    end = max(e for _, e, _, _ in cluster)
    text = found.doc.text
    differing = [
        {
            "start": s,
            "end": e,
            "text": text[s:e],
            "label": label,
            "kind": span_kind,
            "marked_by": [found.present[i] for i in who],
        }
        for (s, e, label), who, span_kind in span_kinds
    ]
    return {
        "doc_id": found.doc.doc_id,
        "start": start,
        "end": end,
        "text": text[start:end],
        "kind": kind,
        "labels": {a: _longest_label(spans) for a, spans in by_ann.items()},
        "spans": {a: [[s.start, s.end, s.label] for s in spans] for a, spans in by_ann.items()},
        "versions": [
            {
                "annotator": a,
                "start": s.start,
                "end": s.end,
                "text": text[s.start : s.end],
                "label": s.label,
            }
            for a, spans in by_ann.items()
            for s in spans
        ],
        "differing": differing,
        "rows": _rows(found, differing, by_ann),
    }


@dataclass
class SpanDisagreements:
    items: list[dict[str, Any]]  # the first ``limit`` disagreements
    total: int  # disputed places (clusters)
    by_kind: dict[str, int]  # clusters per kind
    spans_total: int = 0  # spans that differ
    spans_by_kind: dict[str, int] = field(default_factory=dict)  # spans per kind

    @property
    def truncated(self) -> bool:
        return len(self.items) < self.total


class DisagreementTally:
    """Span disagreements found a batch of documents at a time: every cluster counted, and
    only the documents that can still make the first ``limit`` items kept (with their
    text), so a corpus need not be in memory at once."""

    def __init__(self, annotators: Sequence[str], limit: int | None = None,
                 floor: int = 0) -> None:
        self.annotators = list(annotators)
        self.limit = limit
        self.floor = floor  # a document with fewer disputed clusters cannot be listed
        self.found: list[DocDisagreements] = []
        self.kinds: Counter[str] = Counter()
        self.span_kinds: Counter[str] = Counter()

    def add(self, docs: Sequence[DocumentUnit]) -> None:
        new = [f for f in (_classify(doc, self.annotators) for doc in docs) if f.clusters]
        for f in new:
            self.kinds.update(kind for _, kind in f.clusters)
            self.span_kinds.update(kind for sk in f.span_kinds for _, _, kind in sk)
        self._keep(new)

    def listed(self, docs: Sequence[DocumentUnit], per_doc: Sequence[int]) -> list[int]:
        """The documents (indices into ``docs``) whose disputed clusters (``per_doc``, as
        counted) can make the first ``limit`` items, most disputed first."""
        least = max(1, self.floor)
        ranked = sorted((i for i, n in enumerate(per_doc) if n >= least),
                        key=lambda i: (-per_doc[i], docs[i].doc_id))
        if self.limit is not None:
            kept, clusters = 0, 0
            while kept < len(ranked) and clusters < self.limit:
                clusters += per_doc[ranked[kept]]
                kept += 1
            del ranked[kept:]
        return ranked

    def add_counted(self, listed: Sequence[DocumentUnit], kinds: Counter[str],
                    span_kinds: Counter[str]) -> None:
        """Add a batch whose disagreements were counted already (`table_counts`): the
        clusters and spans per kind, and the documents `listed` picked (only those are
        classified here)."""
        self.kinds.update(kinds)
        self.span_kinds.update(span_kinds)
        self._keep([_classify(doc, self.annotators) for doc in listed])

    def least_listed(self) -> int:
        """The disputed clusters a document needs, at the least, to enter the listing now
        (0 while it is not full): the kept documents are the most disputed ones, so a
        later batch need not classify documents with fewer (ties may still enter)."""
        if self.limit is None or sum(len(f.clusters) for f in self.found) < self.limit:
            return 0
        return len(self.found[-1].clusters) if self.found else 0

    def merge(self, other: DisagreementTally) -> None:
        """Add another tally's documents (a batch tallied elsewhere)."""
        self.kinds.update(other.kinds)
        self.span_kinds.update(other.span_kinds)
        self._keep(other.found)

    def _keep(self, new: list[DocDisagreements]) -> None:
        found = self.found + new
        found.sort(key=lambda f: (-len(f.clusters), f.doc.doc_id))
        if self.limit is not None:  # keep the documents the first `limit` items come from
            kept, clusters = 0, 0
            while kept < len(found) and clusters < self.limit:
                clusters += len(found[kept].clusters)
                kept += 1
            del found[kept:]
        self.found = found

    def result(self) -> SpanDisagreements:
        ordered = (
            (f, cluster, kind, sk)
            for f in self.found
            for (cluster, kind), sk in zip(f.clusters, f.span_kinds, strict=True)
        )
        kinds, span_kinds = self.kinds, self.span_kinds
        return SpanDisagreements(
            [_item(f, cluster, kind, sk) for f, cluster, kind, sk
             in islice(ordered, self.limit)],
            sum(kinds.values()),
            {kind: kinds[kind] for kind in KINDS if kinds[kind]},
            sum(span_kinds.values()),
            {kind: span_kinds[kind] for kind in KINDS if span_kinds[kind]},
        )


def find_span_disagreements(
    docs: Sequence[DocumentUnit], annotators: Sequence[str], limit: int | None = None
) -> SpanDisagreements:
    """Every disagreement counted, at most ``limit`` (None: all) listed, most disputed
    documents first."""
    tally = DisagreementTally(annotators, limit)
    tally.add(docs)
    return tally.result()


def span_disagreements(
    docs: Sequence[DocumentUnit], annotators: Sequence[str]
) -> list[dict[str, Any]]:
    return find_span_disagreements(docs, annotators).items
