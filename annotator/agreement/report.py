"""The agreement report: plain, JSON-ready data (no NaN: undefined values are None with a
"reason"). See DESIGN.md, section "Agreement". Shape (abbreviated)::

    annotators: [name, ...]
    documents: {count, ids, finished: {name: n}, finished_by_two_or_more}
    min_units: int        # a figure on fewer units carries a caution
    unused_labels: {spans: [label, ...], events: [label, ...]}   # of the labels given
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
    disagreements: [{doc_id, start, end, text, kind, labels: {name: label|None}, spans,
        versions: [{annotator, start, end, text, label}],
        differing: [{start, end, text, label, kind, marked_by: [name]}],
        rows: [{start, end, text, kind, labels: {name: [label, ...]}}]}]
        (one per disputed cluster, at most max_disagreements, most disputed documents first)
    disagreements_total: int, disagreements_by_kind: {missing|label|boundary: int} (clusters),
    disagreements_truncated: bool
    spans_differing: int, spans_differing_by_kind: {missing|label|boundary: int} (spans:
        the per-kind counts add up to spans_differing)
    events_disagreements: [{scope, doc_id, start, end, text, labels: {name: [label, ...]},
        differ: [label, ...]}] (at most max_disagreements), events_disagreements_total: int
    event_structure: {triggers, arguments, attributes, disagreements, ...} (structured event
        mentions: see annotator.agreement.event_structure)
    notes: [str]

Every measure (a dict with ``n`` and a value: ``value``, ``kappa``, ``f1`` or ``alpha``)
also carries ``caution``: ``"only N units"`` when its value is defined but rests on fewer
than ``min_units`` units, else None (alpha_U, whose ``n`` counts characters: ``"only N
documents"`` when it rests on fewer than ``min_units`` documents).

In a pair "a|b" (order of ``annotators``), a is the reference and b the prediction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .batch import BatchTally, DocumentTexts, tally_batch
from .columns import Columns, ColumnsBuilder
from .disagreements import DisagreementTally
from .event_structure import event_structure_section
from .events import SCOPES, EventTally, event_section_of, event_tally
from .model import DocumentUnit
from .pairs import pair_key, pairs
from .scores import undefined
from .spans import Counts, PairCounts, PairTally, finish_pair_counts, span_scores
from .tokens import counts_kappa
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
    cols: Columns, tally: PairTally, a: str, b: str
) -> tuple[dict[str, Any], PairCounts]:
    both = cols.finished[a] & cols.finished[b]
    counts = finish_pair_counts(tally, cols.pair_label_counts(a, b))
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
        "token_kappa": counts_kappa(*cols.kappa[a, b]),
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


def _spans(
    cols: Columns, tallies: dict[tuple[str, str], PairTally], annotators: list[str]
) -> dict[str, Any]:
    pairwise: dict[str, Any] = {}
    pooled_exact: dict[str, Counts] = {}
    pooled_overlap: dict[str, Counts] = {}
    for a, b in pairs(annotators):
        key = pair_key(a, b)
        pairwise[key], counts = _pairwise(cols, tallies[a, b], a, b)
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


MIN_UNITS = 30
VALUE_KEYS = ("value", "kappa", "f1", "alpha")


def caution(n: int, min_units: int) -> str | None:
    """The caution a figure on ``n`` units carries (None: enough units)."""
    if n >= min_units:
        return None
    return f"only {n} unit" if n == 1 else f"only {n} units"


def _add_cautions(node: Any, min_units: int) -> None:
    """Give every measure dict under ``node`` its ``caution`` (see the module doc)."""
    if isinstance(node, dict):
        key = next((k for k in VALUE_KEYS if k in node), None)
        if key is not None and "reason" in node and isinstance(node.get("n"), int):
            value = node[key]
            node["caution"] = (
                caution(node["n"], min_units) if isinstance(value, (int, float)) else None
            )
        for child in node.values():
            if isinstance(child, dict):
                _add_cautions(child, min_units)


def _unitizing_cautions(spans: dict[str, Any], min_units: int) -> None:
    """alpha_U's ``n`` counts characters; its caution counts the documents behind it."""

    def mark(score: dict[str, Any], n_docs: int) -> None:
        if score["value"] is not None and n_docs < min_units:
            score["caution"] = f"only {n_docs} document" + ("" if n_docs == 1 else "s")

    blocks = [p["unitizing_alpha"] for p in spans["pairwise"].values()]
    blocks.append(spans["unitizing_alpha"])
    for block in blocks:
        for score in (block["overall"], *block["per_label"].values()):
            mark(score, block["n_docs"])
    for v in spans["per_label"].values():
        mark(v["unitizing_alpha"], spans["unitizing_alpha"]["n_docs"])


def _event_disagreements(
    events: dict[str, Any], limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    out: list[dict[str, Any]] = []
    total = 0
    for scope, section in events.items():
        total += section["disagreements_total"]
        for d in section["disagreements"]:
            if limit is not None and len(out) >= limit:
                break
            sets = [set(v) for v in d["labels"].values()]
            common = set.intersection(*sets) if sets else set()
            differ = sorted(set().union(*sets) - common)
            out.append({"scope": scope, **d, "differ": differ})
    return out, total


def _unused(given: Sequence[str] | None, used: set[str]) -> list[str]:
    return [label for label in dict.fromkeys(given or ()) if label not in used]


class ReportBuilder:
    """The report built a batch of documents at a time (see :func:`build_report` for the
    arguments): each batch is tallied (span disagreements, event units, span columns, pair
    matches) and can then be dropped, so a corpus need not be in memory at once."""

    def __init__(
        self, annotators: Sequence[str], max_disagreements: int | None = 1000, *,
        min_units: int = MIN_UNITS, span_labels: Sequence[str] | None = None,
        event_labels: Sequence[str] | None = None,
    ) -> None:
        self.annotators = names = list(dict.fromkeys(annotators))
        self.min_units = min_units
        self.span_labels, self.event_labels = span_labels, event_labels
        self.disagreements = DisagreementTally(names, max_disagreements)
        self.max_disagreements = max_disagreements
        self.events: dict[str, EventTally | None] = dict.fromkeys(SCOPES)
        self.columns = ColumnsBuilder(names)
        self.pairs = {(a, b): PairTally() for a, b in pairs(names)}
        self.ids: list[str] = []
        self.finished = dict.fromkeys(names, 0)
        self.two_or_more = 0
        # event structure: each document's mentions per annotator who finished it, and the
        # text of the documents that have any (the others lend alpha_U their length)
        self.mentions: dict[str, dict[str, list[Any]]] = {}
        self.texts = DocumentTexts()

    def add(self, docs: Sequence[DocumentUnit]) -> None:
        self.merge(tally_batch(docs, self.annotators, self.max_disagreements))

    def merge(self, batch: BatchTally) -> None:
        """Add the tally of the next batch of documents (made here or in another
        process: `tally_batch`)."""
        self.disagreements.merge(batch.disagreements)
        for scope, tally in batch.events.items():
            mine = self.events[scope]
            if mine is None:
                self.events[scope] = tally
            else:
                mine.merge(tally)
        self.columns.add_part(batch.columns)
        for key, tally in batch.pairs.items():
            self.pairs[key].merge(tally)
        self.ids += batch.ids
        for a, n in batch.finished.items():
            self.finished[a] += n
        self.two_or_more += batch.two_or_more
        self.mentions.update(batch.mentions)
        self.texts.merge(batch.texts)

    def result(self) -> dict[str, Any]:
        annotators, min_units = self.annotators, self.min_units
        disagreements = self.disagreements.result()
        notes = []
        if len(annotators) < 2:
            notes.append("fewer than 2 annotators: agreement is undefined")
        notes += [f"{a} has not finished any document"
                  for a, n in self.finished.items() if n == 0]
        events = {
            scope: event_section_of(tally or event_tally([], annotators, scope), annotators)
            for scope, tally in self.events.items()
        }
        spans = _spans(self.columns.build(), self.pairs, annotators)
        _add_cautions(events, min_units)
        _add_cautions(spans, min_units)
        _unitizing_cautions(spans, min_units)
        event_list, event_total = _event_disagreements(events, self.max_disagreements)
        used_events = {label for section in events.values() for label in section["labels"]}
        return {
            "annotators": annotators,
            "documents": {
                "count": len(self.ids),
                "ids": self.ids,
                "finished": self.finished,
                "finished_by_two_or_more": self.two_or_more,
            },
            "min_units": min_units,
            "unused_labels": {
                "spans": _unused(self.span_labels, set(spans["per_label"])),
                "events": _unused(self.event_labels, used_events),
            },
            "events": events,
            "spans": spans,
            "disagreements": disagreements.items,
            "disagreements_total": disagreements.total,
            "disagreements_by_kind": disagreements.by_kind,
            "disagreements_truncated": disagreements.truncated,
            "spans_differing": disagreements.spans_total,
            "spans_differing_by_kind": disagreements.spans_by_kind,
            "events_disagreements": event_list,
            "events_disagreements_total": event_total,
            "event_structure": event_structure_section(
                self.mentions, min_units=min_units, annotators=annotators,
                texts=self.texts, max_disagreements=self.max_disagreements),
            "notes": notes,
        }


def build_report(
    docs: Iterable[DocumentUnit],
    annotators: list[str],
    max_disagreements: int | None = 1000,
    *,
    min_units: int = MIN_UNITS,
    span_labels: Sequence[str] | None = None,
    event_labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Every agreement figure for ``annotators`` over ``docs``; JSON-ready, no NaN.
    (`ReportBuilder` builds it a batch of documents at a time.)

    ``disagreements`` lists at most ``max_disagreements`` span disagreements (None: all),
    most disputed documents first; ``disagreements_total`` and ``disagreements_by_kind``
    always count all of them (``spans_differing*``: the spans in them). A figure on fewer
    than ``min_units`` units carries a caution. ``span_labels`` / ``event_labels``: the
    labels annotators could use (the project's label set); those nobody used are listed in
    ``unused_labels`` rather than scored."""
    builder = ReportBuilder(annotators, max_disagreements, min_units=min_units,
                            span_labels=span_labels, event_labels=event_labels)
    builder.add(list(docs))
    return builder.result()
