"""The agreement report: plain, JSON-ready data (no NaN: undefined values are None with a
"reason"). See DESIGN.md, section "Agreement". Shape (abbreviated)::

    annotators: [name, ...]
    documents: {count, ids, finished: {name: n}, finished_by_two_or_more}
    events: {document|sentence: {
        units, labels,
        alpha_nominal | alpha_masi | fleiss_kappa | percent_agreement: {value, n, reason},
        cohen_kappa: {"a|b": {kappa, percent_agreement, n, reason}},
        per_label: {label: {alpha, percent_agreement, n, reason}},   # binary presence
        disagreements: [{doc_id, start, end, text, labels: {name: [label, ...]}}]}}
    spans:
        pairwise: {"a|b": {n_docs,
            exact | overlap: {precision, recall, f1, tp, fp, fn, n, reason},
            per_label: {label: {exact, overlap}}, macro: {exact | overlap: {..., labels}},
            token_kappa: {all_tokens | marked_tokens: {kappa, percent_agreement, n, reason}},
            unitizing_alpha: {overall, per_label, n_docs}}}
        per_label: {label: {exact, overlap, spans: {name: count}, unitizing_alpha}}
        token_kappa: {all_tokens | marked_tokens: {kappa, n, pairs: {"a|b": kappa}, method}}
        unitizing_alpha: {overall: {value, n, reason}, per_label: {...}, n_docs}
    disagreements: [{doc_id, start, end, text, kind, labels: {name: label|None}, spans}]
        (at most max_disagreements of them, most disputed documents first)
    disagreements_total: int, disagreements_by_kind: {missing|label|boundary: int},
    disagreements_truncated: bool
    notes: [str]

In a pair "a|b" (order of ``annotators``), a is the reference and b the prediction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .columns import Columns, columns
from .disagreements import find_span_disagreements
from .events import SCOPES, event_section
from .model import DocumentUnit
from .pairs import pair_key, pairs
from .scores import undefined
from .spans import Counts, PairCounts, pair_counts, span_scores
from .tokens import code_kappa
from .unitizing import UnitizingAlpha


def _unitizing_dict(result: UnitizingAlpha, n_docs: int) -> dict[str, Any]:
    return {
        "overall": result.overall.to_dict(),
        "per_label": {label: s.to_dict() for label, s in result.per_label.items()},
        "n_docs": n_docs,
    }


def _mean_kappa(per_pair: dict[str, dict[str, Any]], which: str) -> dict[str, Any]:
    values = {k: v[which]["kappa"] for k, v in per_pair.items()}
    defined = [v for v in values.values() if v is not None]
    n = sum(v[which]["n"] for v in per_pair.values())
    return {
        "kappa": sum(defined) / len(defined) if defined else None,
        "n": n,
        "pairs": values,
        "method": "mean of the pairwise Cohen's kappas that are defined",
        "reason": None if defined else "undefined: no annotator pair has a defined kappa",
    }


def _pairwise(
    docs: Sequence[DocumentUnit], cols: Columns, a: str, b: str
) -> tuple[dict[str, Any], PairCounts]:
    both = cols.finished[a] & cols.finished[b]
    counts = pair_counts(
        ((d.work[a].spans, d.work[b].spans) for d in docs if a in d.work and b in d.work),
        cols.pair_label_counts(a, b),
    )
    n_docs = int(both.sum())
    if n_docs:
        unitizing = cols.unitizing(both, [a, b])
    else:
        unitizing = UnitizingAlpha(
            undefined(0, "undefined: no document finished by every coder"), {}
        )
    return {
        "n_docs": n_docs,
        **span_scores(counts),
        "token_kappa": code_kappa(*cols.pair_tags(a, b)),
        "unitizing_alpha": _unitizing_dict(unitizing, n_docs),
    }, counts


def _overall_unitizing(cols: Columns, annotators: list[str]) -> tuple[UnitizingAlpha, int]:
    complete = np.ones(len(cols.lengths), dtype=bool)
    for a in annotators:
        complete &= cols.finished[a]
    n_complete = int(complete.sum())
    if len(annotators) < 2:
        return UnitizingAlpha(undefined(0, "undefined: fewer than 2 annotators"), {}), n_complete
    if not n_complete:
        reason = "undefined: no document was finished by every annotator"
        return UnitizingAlpha(undefined(0, reason), {}), n_complete
    return cols.unitizing(complete, annotators), n_complete


def _spans(docs: Sequence[DocumentUnit], annotators: list[str]) -> dict[str, Any]:
    cols = columns(docs, annotators)
    pairwise: dict[str, Any] = {}
    pooled_exact: dict[str, Counts] = {}
    pooled_overlap: dict[str, Counts] = {}
    for a, b in pairs(annotators):
        key = pair_key(a, b)
        pairwise[key], counts = _pairwise(docs, cols, a, b)
        for label, c in counts.exact.items():
            pooled_exact.setdefault(label, Counts()).add(c)
        for label, c in counts.overlap.items():
            pooled_overlap.setdefault(label, Counts()).add(c)
    overall_u, n_complete = _overall_unitizing(cols, annotators)
    n_pair_docs = sum(p["n_docs"] for p in pairwise.values())
    span_counts = {a: cols.label_counts(a) for a in annotators}
    per_label = {}
    for i, label in enumerate(cols.labels):
        u = overall_u.per_label.get(label)
        if u is None:
            u = undefined(
                0,
                overall_u.overall.reason
                or "undefined: label not used in the documents every annotator finished",
            )
        per_label[label] = {
            "exact": pooled_exact.get(label, Counts()).to_dict(n_pair_docs),
            "overlap": pooled_overlap.get(label, Counts()).to_dict(n_pair_docs),
            "spans": {a: span_counts[a][i] for a in annotators},
            "unitizing_alpha": u.to_dict(),
        }
    token = {k: p["token_kappa"] for k, p in pairwise.items()}
    return {
        "pairwise": pairwise,
        "per_label": per_label,
        "token_kappa": {
            "all_tokens": _mean_kappa(token, "all_tokens"),
            "marked_tokens": _mean_kappa(token, "marked_tokens"),
        },
        "unitizing_alpha": _unitizing_dict(overall_u, n_complete),
    }


def build_report(
    docs: list[DocumentUnit], annotators: list[str], max_disagreements: int | None = 1000
) -> dict[str, Any]:
    """Every agreement figure for ``annotators`` over ``docs``; JSON-ready, no NaN.

    ``disagreements`` lists at most ``max_disagreements`` span disagreements (None: all),
    most disputed documents first; ``disagreements_total`` and ``disagreements_by_kind``
    always count all of them."""
    annotators = list(dict.fromkeys(annotators))
    disagreements = find_span_disagreements(docs, annotators, max_disagreements)
    finished = {a: sum(1 for d in docs if a in d.work) for a in annotators}
    notes = []
    if len(annotators) < 2:
        notes.append("fewer than 2 annotators: agreement is undefined")
    notes += [f"{a} has not finished any document" for a, n in finished.items() if n == 0]
    return {
        "annotators": annotators,
        "documents": {
            "count": len(docs),
            "ids": [d.doc_id for d in docs],
            "finished": finished,
            "finished_by_two_or_more": sum(
                1 for d in docs if sum(a in d.work for a in annotators) >= 2
            ),
        },
        "events": {scope: event_section(docs, annotators, scope) for scope in SCOPES},
        "spans": _spans(docs, annotators),
        "disagreements": disagreements.items,
        "disagreements_total": disagreements.total,
        "disagreements_by_kind": disagreements.by_kind,
        "disagreements_truncated": disagreements.truncated,
        "notes": notes,
    }
