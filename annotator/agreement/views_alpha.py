"""Krippendorff's alpha_U of every document at once (for ``--by document``).

The same figure as :func:`annotator.agreement.unitizing.unitizing_alpha` on one document's
characters with the annotators who finished it, but computed with numpy over all
documents together: each (document, label) is a *group* laid end to end on one continuum,
so no unit or gap crosses from one group to the next, and every sum is taken per group
with ``bincount`` (a loop over documents would cost a millisecond each).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from operator import itemgetter

import numpy as np

from .model import DocumentUnit, SpanAnn
from .span_table import SpanTable
from .unitizing import _merged

I64 = np.int64


def _gather(docs: Sequence[DocumentUnit], coder: str, rows: list[int]
            ) -> tuple[np.ndarray, list[SpanAnn]]:
    """Document row of each of ``coder``'s spans in the documents kept, and the spans."""
    doc_rows: list[int] = []
    counts: list[int] = []
    spans: list[SpanAnn] = []
    for d, row in zip(docs, rows, strict=True):
        work = d.work.get(coder)
        if work is None or row < 0:
            continue
        doc_rows.append(row)
        counts.append(len(work.spans))
        spans.extend(work.spans)
    return np.repeat(np.array(doc_rows, dtype=I64), counts), spans


def _arrays(doc: np.ndarray, spans: list[SpanAnn], index: dict[str, int]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(spans)
    return (doc, np.fromiter(map(itemgetter(0), spans), dtype=I64, count=n),
            np.fromiter(map(itemgetter(1), spans), dtype=I64, count=n),
            np.fromiter(map(index.__getitem__, map(itemgetter(2), spans)), dtype=I64, count=n))


def alpha_u_per_document(
    docs: Sequence[DocumentUnit], annotators: Sequence[str], table: SpanTable | None = None
) -> list[float | None]:
    """alpha_U of each document (None: fewer than two of ``annotators`` finished it, nobody
    marked a unit, or the expected disagreement is 0). ``table``: the documents' spans, when
    their works do not carry them."""
    present = np.array([[a in d.work for a in annotators] for d in docs], dtype=bool)
    present = present.reshape(len(docs), len(annotators))
    m_doc = present.sum(axis=1)
    lengths = np.array([len(d.text) for d in docs], dtype=I64)
    keep = (m_doc >= 2) & (lengths > 0)
    rows = np.where(keep, np.cumsum(keep) - 1, -1)
    out: list[float | None] = [None] * len(docs)
    if not keep.any() or len(annotators) < 2:
        return out
    if table is None:
        gathered = [_gather(docs, a, rows.tolist()) for a in annotators]
        labels = sorted(set().union(*(map(itemgetter(2), spans) for _, spans in gathered)))
        index = {label: i for i, label in enumerate(labels)}
        coder_spans = [_arrays(doc, spans, index) for doc, spans in gathered]
        del gathered
    else:  # the same groups in the same order: labels are numbered in name order either way
        labels = table.labels
        coder_spans = []
        for c in range(len(annotators)):
            mine = (table.ann == c) & (rows[table.doc] >= 0)
            coder_spans.append((rows[table.doc[mine]], table.start[mine], table.end[mine],
                                table.label[mine]))
    n_labels = max(len(labels), 1)
    length = lengths[keep]
    m = m_doc[keep].astype(I64)
    # groups: the (document, label) pairs someone marked, in order, laid end to end
    used = np.unique(np.concatenate([doc * n_labels + lab for doc, _, _, lab in coder_spans]))
    if not len(used):
        return out
    g_doc = used // n_labels
    g_len = length[g_doc]
    g_begin = np.cumsum(g_len) - g_len
    total = int(g_len.sum())
    g_present = present[keep][g_doc]  # (groups, coders)

    merged = []  # per coder: (starts, ends, group) of its merged units on the continuum
    for doc, starts, ends, lab in coder_spans:
        g = np.searchsorted(used, doc * n_labels + lab)
        lo = g_begin[g]
        s = np.clip(starts, 0, g_len[g]) + lo
        e = np.clip(ends, 0, g_len[g]) + lo
        ms, me = _merged(s, e, 0, total)
        merged.append((ms, me, np.searchsorted(g_begin, ms, side="right") - 1))

    n_groups = len(used)
    pair_sum = np.zeros(n_groups, dtype=np.float64)
    for x, y in combinations(range(len(annotators)), 2):
        both = g_present[:, x] & g_present[:, y]
        for a, b in ((merged[x], merged[y]), (merged[y], merged[x])):
            lo = np.searchsorted(b[1], a[0], side="right")
            hi = np.maximum(np.searchsorted(b[0], a[1], side="left"), lo)
            alone = (hi == lo) & both[a[2]]
            ln = (a[1] - a[0])[alone]
            pair_sum += np.bincount(a[2][alone], weights=(ln * ln).astype(np.float64),
                                    minlength=n_groups)
        a, b = merged[x], merged[y]
        lo = np.searchsorted(b[1], a[0], side="right")
        hi = np.maximum(np.searchsorted(b[0], a[1], side="left"), lo)
        counts = hi - lo
        ia = np.repeat(np.arange(len(lo)), counts)
        ib = np.arange(int(counts.sum())) - (np.cumsum(counts) - counts)[ia] + lo[ia]
        ds, de = a[0][ia] - b[0][ib], a[1][ia] - b[1][ib]
        pair_sum += np.bincount(a[2][ia], weights=(ds * ds + de * de).astype(np.float64),
                                minlength=n_groups)
    gm = m[g_doc].astype(np.float64)
    glen = g_len.astype(np.float64)
    d_o = 2 * pair_sum / (gm * (gm - 1) * glen * glen)

    # expected: every unit of a group against every gap of that group
    unit_len = np.concatenate([e - s for s, e, _ in merged])
    unit_group = np.concatenate([g for _, _, g in merged])
    gap_len, gap_group = [], []
    for c, (s, e, g) in enumerate(merged):
        first = np.ones(len(s), dtype=bool)
        first[1:] = g[1:] != g[:-1]
        last = np.ones(len(s), dtype=bool)
        last[:-1] = g[1:] != g[:-1]
        gap_len += [s[first] - g_begin[g[first]], s[1:][~first[1:]] - e[:-1][~first[1:]],
                    g_begin[g[last]] + g_len[g[last]] - e[last]]
        gap_group += [g[first], g[1:][~first[1:]], g[last]]
        empty = g_present[:, c].copy()
        empty[g] = False  # present, but marked nothing of this label: one gap, the group
        gap_len.append(g_len[empty])
        gap_group.append(np.flatnonzero(empty))
    gaps = np.concatenate(gap_len)
    ggroups = np.concatenate(gap_group)
    nonempty = gaps > 0
    gaps, ggroups = gaps[nonempty], ggroups[nonempty]
    big = int(length.max()) + 2
    key = ggroups * big + gaps
    order = np.argsort(key, kind="stable")
    key, gaps = key[order], gaps[order]
    suffix = np.append(np.cumsum(gaps[::-1])[::-1], 0).astype(np.float64)
    k = np.searchsorted(key, unit_group * big + unit_len, side="left")
    end = np.searchsorted(key, (unit_group + 1) * big, side="left")
    ln = unit_len.astype(np.float64)
    placements = suffix[k] - suffix[end] - (ln - 1) * (end - k)
    n_c = np.bincount(unit_group, minlength=n_groups)[unit_group].astype(np.float64)
    per_unit = (n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln) + 3 * ln * ln * placements
    numerator3 = np.bincount(unit_group, weights=per_unit, minlength=n_groups)
    denominator = gm * glen * (gm * glen - 1) - np.bincount(
        unit_group, weights=ln * (ln - 1), minlength=n_groups)
    safe = np.where(denominator > 0, denominator, 1.0)
    d_e = np.where(denominator > 0, 2 * numerator3 / (3 * glen * safe), 0.0)

    sum_o = np.bincount(g_doc, weights=d_o, minlength=len(length))
    sum_e = np.bincount(g_doc, weights=d_e, minlength=len(length))
    has_units = np.bincount(g_doc, minlength=len(length)) > 0
    for row, i in enumerate(np.flatnonzero(keep).tolist()):
        if has_units[row] and sum_e[row] > 0:
            out[i] = float(1.0 - sum_o[row] / sum_e[row])
    return out
