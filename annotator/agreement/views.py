"""Views of agreement a reviewer acts on: plain tables computed from the loaded units (no
database, no Textual). Each view is a :class:`ViewTable`: a fixed column set (also the CSV
header and the JSON keys) and rows of plain values (``None`` where a measure is undefined).

* :func:`by_document` — per-document exact span F1 and unitizing alpha, worst first, with
  the disagreement counts (the adjudicator's to-do list);
* :func:`by_period` — the same measures per week or per import batch;
* :func:`pair_table` / :func:`confusion` / :func:`against_gold` — in ``views_pairs``.

Per document, exact F1 is micro-averaged over the pairs of annotators who finished it
(tp, fp, fn summed over pairs; with two annotators it is their pair's F1), and alpha_U is
Krippendorff's unitizing alpha of all of them over the document's characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from .columns import columns
from .model import DocumentUnit
from .pairs import pairs
from .scores import ratio
from .span_table import Grouped, SpanTable
from .tokens import code_kappa
from .unitizing import unitizing_alpha

DOCUMENT_COLUMNS = (
    "doc_id", "annotators", "exact_f1", "alpha_u", "span_disagreements",
    "event_disagreements",
)
PERIOD_MEASURES = (
    "documents", "exact_f1", "overlap_f1", "token_kappa", "alpha_u", "span_disagreements",
)


@dataclass
class ViewTable:
    """One table: ``key`` names its CSV file (``key.csv``) and its JSON entry."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[list[Any]] = field(default_factory=list)
    caption: str = ""

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def span_disagreements(doc: DocumentUnit, present: Sequence[str]) -> int:
    """Spans (offsets and label) that some but not all of ``present`` marked."""
    if len(present) < 2:
        return 0
    sets = [doc.work[a].spans for a in present]
    return len(set().union(*sets) - set.intersection(*map(set, sets)))


def event_disagreements(doc: DocumentUnit, present: Sequence[str]) -> int:
    """Event units (the document, each sentence) whose label sets differ among ``present``."""
    if len(present) < 2:
        return 0
    works = [doc.work[a] for a in present]
    n = int(len({w.doc_events for w in works}) > 1)
    sentences = set(doc.sentences).union(*(w.sent_events for w in works))
    empty: frozenset[str] = frozenset()
    for s in sentences:
        n += len({w.sent_events.get(s, empty) for w in works}) > 1
    return n


def doc_exact_f1(doc: DocumentUnit, present: Sequence[str]) -> float | None:
    """Exact-match F1 micro-averaged over the pairs of ``present`` (None: no span at all)."""
    tp = fp_fn = 0
    for a, b in combinations(present, 2):
        sa, sb = doc.work[a].spans, doc.work[b].spans
        common = len(sa & sb)
        tp += common
        fp_fn += len(sa) + len(sb) - 2 * common
    return ratio(2 * tp, 2 * tp + fp_fn)


def doc_alpha_u(doc: DocumentUnit, present: Sequence[str]) -> float | None:
    result = unitizing_alpha(len(doc.text), {a: doc.work[a].spans for a in present})
    return result.overall.value


def _worst_first(row: list[Any]) -> tuple[Any, ...]:
    # undefined F1 / alpha (nobody marked a span) is no disagreement: after the defined ones
    f1, alpha = row[2], row[3]
    return (f1 is None, f1 if f1 is not None else 0.0, alpha is None,
            alpha if alpha is not None else 0.0, -(row[4] + row[5]), row[0])


def document_rows(docs: Iterable[DocumentUnit], annotators: Sequence[str]) -> list[list[Any]]:
    """The `by_document` rows of ``docs`` (in their order): each document stands alone, so
    a corpus can be done a batch of documents at a time."""
    from .views_alpha import alpha_u_per_document

    docs = list(docs)
    rows = []
    for doc, alpha in zip(docs, alpha_u_per_document(docs, annotators), strict=True):
        present = [a for a in annotators if a in doc.work]
        if len(present) < 2:
            continue
        rows.append([
            doc.doc_id, len(present), doc_exact_f1(doc, present), alpha,
            span_disagreements(doc, present), event_disagreements(doc, present),
        ])
    return rows


def table_document_rows(
    docs: Sequence[DocumentUnit], annotators: Sequence[str], table: SpanTable,
    grouped: Grouped, differing: np.ndarray, events: Mapping[str, int],
) -> list[list[Any]]:
    """`document_rows` from a batch's `SpanTable` (its documents' works need not carry
    their spans): ``differing`` spans per document (`table_counts.disagreement_counts`),
    ``events`` the event units whose labels differ, per document
    (`events.EventTally.per_doc`)."""
    from .views_alpha import alpha_u_per_document

    present = table.present
    n_docs, n_ann = present.shape
    marked = np.bincount(table.doc * n_ann + table.ann,
                         minlength=n_docs * n_ann).reshape(n_docs, n_ann)
    tp = np.zeros(n_docs, dtype=np.int64)
    fp_fn = np.zeros(n_docs, dtype=np.int64)
    for x, y in combinations(range(n_ann), 2):
        both = present[:, x] & present[:, y]
        twins = (grouped.span_mask >> x) & (grouped.span_mask >> y) & 1 == 1
        common = np.bincount(grouped.span_doc[twins], minlength=n_docs)
        tp += np.where(both, common, 0)
        fp_fn += np.where(both, marked[:, x] + marked[:, y] - 2 * common, 0)
    alphas = alpha_u_per_document(docs, annotators, table)
    rows = []
    for d in np.flatnonzero(present.sum(axis=1) >= 2).tolist():
        doc_id = docs[d].doc_id
        rows.append([doc_id, int(present[d].sum()),
                     ratio(2 * int(tp[d]), 2 * int(tp[d]) + int(fp_fn[d])), alphas[d],
                     int(differing[d]), events.get(doc_id, 0)])
    return rows


def document_table(rows: list[list[Any]]) -> ViewTable:
    """The per-document table of `document_rows`, worst first: lowest exact F1, then
    lowest alpha_U, then most disagreements, then id."""
    table = ViewTable("documents", "Agreement per document (worst first)", DOCUMENT_COLUMNS,
                      sorted(rows, key=_worst_first))
    table.caption = (
        "exact F1 micro-averaged over the pairs who finished the document; α_U over its "
        "characters; span diffs: spans not marked by all; event diffs: event units (the "
        "document, each sentence) whose labels differ"
    )
    return table


def by_document(docs: Iterable[DocumentUnit], annotators: Sequence[str]) -> ViewTable:
    """One row per document two or more of ``annotators`` finished, worst first."""
    return document_table(document_rows(docs, annotators))


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def by_period(
    docs: Sequence[DocumentUnit], annotators: Sequence[str], periods: Mapping[str, str],
    *, kind: str = "week", order: Sequence[str] | None = None,
) -> ViewTable:
    """Agreement per period: ``periods`` maps a document id to its period (a week, a batch;
    documents without one are left out); ``order`` lists the periods in display order
    (default: sorted). Per period: documents two or more finished, exact and overlap F1
    (pooled over pairs), token kappa (all tokens, mean over pairs), alpha_U over the
    documents every annotator finished, and the spans not marked by all."""
    from .spans import Counts, pair_counts

    plural = {"batch": "batches"}.get(kind, kind + "s")
    table = ViewTable(plural, f"Agreement per {kind}", (kind, *PERIOD_MEASURES))
    names = list(annotators)
    cols = columns(docs, names)
    doc_period = [periods.get(d.doc_id) for d in docs]
    keys = list(order) if order is not None else sorted({p for p in doc_period if p})
    complete = np.ones(len(docs), dtype=bool)
    for a in names:
        complete &= cols.finished[a]
    for key in keys:
        mask = np.array([p == key for p in doc_period], dtype=bool)
        idx = np.flatnonzero(mask).tolist()
        in_period = [docs[i] for i in idx]
        paired = [d for d in in_period if sum(a in d.work for a in names) >= 2]
        exact, overlap, kappas = Counts(), Counts(), []
        for a, b in pairs(names):
            counts = pair_counts(
                (d.work[a].spans, d.work[b].spans) for d in in_period
                if a in d.work and b in d.work)
            for c in counts.exact.values():
                exact.add(c)
            for c in counts.overlap.values():
                overlap.add(c)
            both = (cols.finished[a] & cols.finished[b] & mask)[cols.token_doc]
            if both.any():
                kappas.append(code_kappa(cols.tags[a][both], cols.tags[b][both])
                              ["all_tokens"]["kappa"])
        every = complete & mask
        alpha = cols.unitizing(every, names).overall.value if every.any() and len(names) > 1 \
            else None
        disagreements = sum(
            span_disagreements(d, [a for a in names if a in d.work]) for d in paired)
        table.rows.append([key, len(paired), exact.f1, overlap.f1, _mean(kappas), alpha,
                           disagreements])
    return table
