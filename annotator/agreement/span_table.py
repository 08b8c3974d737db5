"""One batch of documents' spans as numpy columns, with their overlap clusters and
distinct spans, for counting span agreement over whole arrays rather than span by span.

The rows (one per span an annotator marked, in a document that annotator finished) are
sorted by document, start, end, label, annotator: the order `clusters.overlap_clusters`
sorts a document's spans in. In the documents two or more finished (the compared ones),
rows are grouped into *clusters* (overlapping ranges, transitively, as
`overlap_clusters` groups them) and into *spans* (a distinct start, end and label: the
rows of the annotators who marked it, side by side). `disagreement_counts` and
`pair_matches` count from these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from .model import DocumentUnit, SpanAnn


@dataclass(frozen=True)
class SpanTable:
    """Every span of a batch (see the module doc); labels index the sorted ``labels``."""

    labels: list[str]
    doc: np.ndarray  # document index in the batch, per row
    ann: np.ndarray  # annotator index, per row
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray
    present: np.ndarray  # (documents, annotators): who finished each document


def span_table(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> SpanTable:
    """The table of the documents' spans (as loaded in their work)."""
    counts: list[int] = []
    owners: list[tuple[int, int]] = []
    found: list[SpanAnn] = []
    present = presence(docs, annotators)
    for d, a in zip(*np.nonzero(present), strict=True):
        spans = docs[d].work[annotators[a]].spans
        counts.append(len(spans))
        owners.append((d, a))
        found.extend(spans)
    n = len(found)
    return table_of(np.repeat(np.array([d for d, _ in owners], dtype=np.int64), counts),
                    np.repeat(np.array([a for _, a in owners], dtype=np.int64), counts),
                    np.fromiter(map(itemgetter(0), found), dtype=np.int64, count=n),
                    np.fromiter(map(itemgetter(1), found), dtype=np.int64, count=n),
                    list(map(itemgetter(2), found)), present)


def presence(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> np.ndarray:
    """(documents, annotators): who finished each document."""
    return np.array([[a in doc.work for a in annotators] for doc in docs],
                    dtype=bool).reshape(len(docs), len(annotators))


def table_of(doc: np.ndarray, ann: np.ndarray, start: np.ndarray, end: np.ndarray,
             label: list[str], present: np.ndarray) -> SpanTable:
    """The table of rows given as columns, in any order (``label``: the names)."""
    labels = sorted(set(label))
    index = {name: i for i, name in enumerate(labels)}
    codes = np.fromiter(map(index.__getitem__, label), dtype=np.int64, count=len(label))
    order = np.lexsort((ann, codes, end, start, doc))
    return SpanTable(labels, doc[order], ann[order], start[order], end[order], codes[order],
                     present)


def fill_spans(docs: Sequence[DocumentUnit], table: SpanTable, annotators: Sequence[str],
               which: Iterable[int]) -> None:
    """Give the documents ``which`` (indices) their spans from the table, in each finished
    annotator's work (for the steps that read a document's spans one by one)."""
    labels = table.labels
    for d in which:
        lo, hi = np.searchsorted(table.doc, [d, d + 1])
        rows = zip(table.ann[lo:hi].tolist(), table.start[lo:hi].tolist(),
                   table.end[lo:hi].tolist(), table.label[lo:hi].tolist(), strict=True)
        for a, start, end, label in rows:
            docs[d].work[annotators[a]].spans.add(SpanAnn(start, end, labels[label]))


@dataclass(frozen=True)
class Grouped:
    """The rows of the compared documents (``rows``: indices into the table), grouped."""

    rows: np.ndarray
    cluster: np.ndarray  # cluster id per row (numbered in row order)
    span: np.ndarray  # span id per row
    cluster_first: np.ndarray  # first row (index into ``rows``) of each cluster, and n
    span_first: np.ndarray  # first row of each span
    span_mask: np.ndarray  # the annotators who marked each span, one bit each
    span_count: np.ndarray  # how many marked it
    span_cluster: np.ndarray
    span_doc: np.ndarray
    n_present: np.ndarray  # per document: how many of the annotators finished it


def group(table: SpanTable) -> Grouped:
    n_present = table.present.sum(axis=1)
    rows = np.flatnonzero(n_present[table.doc] >= 2)
    d, s, e, lab = (x[rows] for x in (table.doc, table.start, table.end, table.label))
    n = len(rows)
    # documents laid apart on one line so a running maximum of ends never crosses over
    width = int(e.max(initial=0)) + 1
    shifted_start, reach = s + d * width, np.maximum.accumulate(e + d * width)
    new_cluster = np.ones(n, dtype=bool)
    new_cluster[1:] = shifted_start[1:] >= reach[:-1]
    new_span = new_cluster.copy()
    new_span[1:] |= (s[1:] != s[:-1]) | (e[1:] != e[:-1]) | (lab[1:] != lab[:-1])
    cluster = np.cumsum(new_cluster) - 1
    span = np.cumsum(new_span) - 1
    span_first = np.flatnonzero(new_span)
    bits = np.left_shift(1, table.ann[rows])
    span_mask = (np.bitwise_or.reduceat(bits, span_first) if n
                 else np.zeros(0, dtype=np.int64))
    return Grouped(
        rows, cluster, span, np.append(np.flatnonzero(new_cluster), n), span_first,
        span_mask, np.diff(np.append(span_first, n)), cluster[span_first], d[span_first],
        n_present)

