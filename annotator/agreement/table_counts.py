"""Span disagreement kinds and pair matches, counted over a `span_table.SpanTable` with
whole-array operations: the same counts `disagreements` gives cluster by cluster and
`spans` document by document (the tests hold them to it), without a Python step per span.

* Disagreements (see `disagreements` for the rules): a span differs when fewer than the
  document's annotators marked it; for each annotator who did not, their differing spans
  in the cluster that overlap it give its kind (none: ``missing``; one over the same
  range, or none with its label: ``label``; else ``boundary``); a span takes the first
  kind any of them gives, a cluster the first of its spans'.
* Pair matches: exact matches are the spans both marked. Overlap matches beyond them pair
  the rest greedily (`spans.overlap_matches`); where a candidate pair shares neither span
  with another candidate it is matched whatever the order, so only the documents with a
  span in two candidates go through the greedy matching, span by span.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .disagreements import KINDS
from .model import SpanAnn
from .span_table import Grouped, SpanTable
from .spans import PairTally, overlap_matches
from .tokens import expand_ranges

MAX_ANNOTATORS = 62  # one bit each in an int64 mask


@dataclass(frozen=True)
class DisagreementCounts:
    per_doc: np.ndarray  # disputed clusters per document of the batch
    clusters: Counter[str]  # disputed clusters per kind
    spans: Counter[str]  # differing spans per kind
    differing_per_doc: np.ndarray  # differing spans per document


def _kind_counter(ranks: np.ndarray) -> Counter[str]:
    counts = np.bincount(ranks, minlength=len(KINDS)).tolist()
    return Counter({kind: n for kind, n in zip(KINDS, counts, strict=False) if n})


def disagreement_counts(table: SpanTable, g: Grouped) -> DisagreementCounts:
    n_docs, n_ann = table.present.shape
    start, end, label = (x[g.rows] for x in (table.start, table.end, table.label))
    ann = table.ann[g.rows]
    differing = g.span_count < g.n_present[g.span_doc]
    spans = np.flatnonzero(differing)
    cluster = g.span_cluster[spans]
    # every differing span x against every row r of its cluster
    x, r = expand_ranges(g.cluster_first[cluster], g.cluster_first[cluster + 1])
    fx = g.span_first[spans[x]]  # a row of x: its start, end, label
    valid = (differing[g.span[r]] & ((g.span_mask[spans[x]] >> ann[r]) & 1 == 0)
             & (start[r] < end[fx]) & (start[fx] < end[r]))
    key = x * n_ann + ann[r]
    size = len(spans) * n_ann

    def tally(where: np.ndarray) -> np.ndarray:
        return np.bincount(key[where], minlength=size).reshape(len(spans), n_ann)

    theirs = tally(valid)
    same_range = tally(valid & (start[r] == start[fx]) & (end[r] == end[fx]))
    same_label = tally(valid & (label[r] == label[fx]))
    rank = np.where(theirs == 0, 0, np.where((same_range > 0) | (same_label == 0), 1, 2))
    marked = (g.span_mask[spans][:, None] >> np.arange(n_ann)) & 1 == 1
    asked = table.present[g.span_doc[spans]] & ~marked  # who left the span out
    span_rank = np.where(asked, rank, len(KINDS)).min(axis=1, initial=len(KINDS))
    cluster_rank = np.full(len(g.cluster_first) - 1, len(KINDS), dtype=np.int64)
    np.minimum.at(cluster_rank, cluster, span_rank)
    disputed = cluster_rank < len(KINDS)
    cluster_doc = table.doc[g.rows[g.cluster_first[:-1]]]
    return DisagreementCounts(
        np.bincount(cluster_doc[disputed], minlength=n_docs),
        _kind_counter(cluster_rank[disputed]), _kind_counter(span_rank),
        np.bincount(g.span_doc[spans], minlength=n_docs))


def pair_matches(table: SpanTable, g: Grouped, i: int, j: int) -> PairTally:
    """Annotator i (reference) against j: documents both finished, exact and (beyond them)
    overlap matches per label; spans per side are not counted (`PairTally.ref`/``pred``)."""
    labels = table.labels
    start, end, label = (x[g.rows] for x in (table.start, table.end, table.label))
    ann, doc = table.ann[g.rows], table.doc[g.rows]
    by_i, by_j = (g.span_mask >> i) & 1 == 1, (g.span_mask >> j) & 1 == 1
    out = PairTally(n_docs=int((table.present[:, i] & table.present[:, j]).sum()))
    exact = np.bincount(label[g.span_first[by_i & by_j]], minlength=len(labels))
    out.exact_tp.update({labels[k]: int(exact[k]) for k in np.flatnonzero(exact)})
    left_i = np.flatnonzero((ann == i) & ~by_j[g.span])  # i's rows j did not match exactly
    left_j = (ann == j) & ~by_i[g.span]
    a, b = expand_ranges(g.cluster_first[g.cluster[left_i]],
                         g.cluster_first[g.cluster[left_i] + 1])
    a = left_i[a]
    cand = left_j[b] & (label[b] == label[a]) & (start[b] < end[a]) & (start[a] < end[b])
    a, b = a[cand], b[cand]
    n = len(g.rows)
    simple = (np.bincount(a, minlength=n)[a] == 1) & (np.bincount(b, minlength=n)[b] == 1)
    hard = np.unique(doc[a[~simple]])
    easy = simple & ~np.isin(doc[a], hard)
    overlap = np.bincount(label[a[easy]], minlength=len(labels))
    out.overlap_tp.update({labels[k]: int(overlap[k]) for k in np.flatnonzero(overlap)})
    rows_i, rows_j = left_i, np.flatnonzero(left_j)  # sorted by document, as the rows

    def left(rows: np.ndarray, d: int) -> list[SpanAnn]:
        lo, hi = np.searchsorted(doc[rows], [d, d + 1])
        rows = rows[lo:hi]
        return [SpanAnn(s, e, labels[k]) for s, e, k in zip(
            start[rows].tolist(), end[rows].tolist(), label[rows].tolist(), strict=True)]

    for d in hard.tolist():
        out.overlap_tp.update(m.label for m, _ in overlap_matches(left(rows_i, d),
                                                                   left(rows_j, d)))
    return out
