"""Views over annotator pairs: every measure per pair (the pairwise matrix), a label
confusion matrix per pair, each annotator against adjudicated gold, and the labels table.

Tables are :class:`~annotator.agreement.views.ViewTable` objects in long form (one row per
pair, per label pair, per annotator); :func:`matrix_grids` lays the pair table out as one
annotator × annotator grid per measure for the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from .model import DocumentUnit, SpanAnn
from .pairs import pair_key, pairs
from .spans import Counts, pair_counts
from .views import ViewTable

NONE = "(none)"
PAIR_COLUMNS = (
    "annotator_a", "annotator_b", "documents",
    "exact_precision", "exact_recall", "exact_f1",
    "overlap_precision", "overlap_recall", "overlap_f1",
    "token_kappa", "token_kappa_marked", "alpha_u",
)
CONFUSION_COLUMNS = ("annotator_a", "annotator_b", "label_a", "label_b", "count")
GOLD_COLUMNS = (
    "annotator", "documents", "gold_spans", "spans",
    "exact_precision", "exact_recall", "exact_f1",
    "overlap_precision", "overlap_recall", "overlap_f1",
)
LABEL_COLUMNS = ("label", "spans", "exact_f1", "overlap_f1", "alpha_u")
#: the measures of the pairwise matrix: (PAIR_COLUMNS name, title)
MATRIX_MEASURES = (
    ("exact_f1", "exact F1"), ("overlap_f1", "overlap F1"),
    ("token_kappa", "token κ (all tokens)"), ("alpha_u", "α_U"),
)


def pair_table(report: dict[str, Any]) -> ViewTable:
    """Every span measure per annotator pair, from a built report (a = reference)."""
    table = ViewTable("pairs", "Span agreement per pair (first annotator = reference)",
                      PAIR_COLUMNS)
    for a, b in pairs(report["annotators"]):
        p = report["spans"]["pairwise"][pair_key(a, b)]
        ex, ov, tk = p["exact"], p["overlap"], p["token_kappa"]
        table.rows.append([
            a, b, p["n_docs"], ex["precision"], ex["recall"], ex["f1"],
            ov["precision"], ov["recall"], ov["f1"],
            tk["all_tokens"]["kappa"], tk["marked_tokens"]["kappa"],
            p["unitizing_alpha"]["overall"]["value"],
        ])
    return table


def matrix_grids(pair: ViewTable, annotators: Sequence[str]) -> list[ViewTable]:
    """The pair table as one symmetric annotator × annotator grid per measure (F1, kappa
    and alpha_U do not depend on which annotator is the reference); the diagonal is None."""
    index = {name: i for i, name in enumerate(pair.columns)}
    grids = []
    for measure, title in MATRIX_MEASURES:
        values: dict[tuple[str, str], Any] = {}
        for row in pair.rows:
            a, b, v = row[0], row[1], row[index[measure]]
            values[a, b] = values[b, a] = v
        grid = ViewTable(f"matrix_{measure}", f"Pairwise {title}", ("annotator", *annotators))
        for a in annotators:
            grid.rows.append([a, *(values.get((a, b)) for b in annotators)])
        grids.append(grid)
    return grids


def confusion_counts(
    docs: Iterable[tuple[set[SpanAnn], set[SpanAnn]]],
) -> Counter[tuple[str, str]]:
    """(a's label, b's label) counts over spans at the same offsets, (label, NONE) for a's
    spans at offsets b did not mark and (NONE, label) the other way. At offsets where an
    annotator has several spans, equal labels pair first, then the rest in label order."""
    counts: Counter[tuple[str, str]] = Counter()
    same: Counter[str] = Counter()
    for spans_a, spans_b in docs:
        common = spans_a & spans_b  # same offsets and label: paired first
        same.update(map(itemgetter(2), common))
        if len(common) == len(spans_a) == len(spans_b):
            continue
        at_a: dict[tuple[int, int], list[str]] = {}
        at_b: dict[tuple[int, int], list[str]] = {}
        for s in spans_a - common:
            at_a.setdefault((s.start, s.end), []).append(s.label)
        for s in spans_b - common:
            at_b.setdefault((s.start, s.end), []).append(s.label)
        for offsets in at_a.keys() | at_b.keys():
            ra = sorted(at_a.get(offsets, ()))
            rb = sorted(at_b.get(offsets, ()))
            for i in range(max(len(ra), len(rb))):
                counts[ra[i] if i < len(ra) else NONE, rb[i] if i < len(rb) else NONE] += 1
    counts.update({(label, label): n for label, n in same.items()})
    return counts


def _label_key(label: str) -> tuple[bool, str]:
    return label == NONE, label


def confusion(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> ViewTable:
    """Label confusion per pair over the documents both finished, in long form."""
    table = ViewTable("confusion", "Label confusion per pair (same offsets, any label)",
                      CONFUSION_COLUMNS)
    for a, b in pairs(list(annotators)):
        counts = confusion_counts(
            (d.work[a].spans, d.work[b].spans) for d in docs if a in d.work and b in d.work)
        for (la, lb), n in sorted(counts.items(),
                                  key=lambda kv: (_label_key(kv[0][0]), _label_key(kv[0][1]))):
            table.rows.append([a, b, la, lb, n])
    table.caption = f"rows: the first annotator's label; {NONE}: no span at those offsets"
    return table


def confusion_grids(table: ViewTable) -> list[ViewTable]:
    """The confusion table as one grid per pair: a's labels down, b's labels across."""
    by_pair: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for a, b, la, lb, n in table.rows:
        by_pair.setdefault((a, b), {})[la, lb] = n
    grids = []
    for (a, b), cells in by_pair.items():
        rows = sorted({la for la, _ in cells}, key=_label_key)
        cols = sorted({lb for _, lb in cells}, key=_label_key)
        grid = ViewTable(f"confusion_{a}_{b}", f"Label confusion: {a} (rows) × {b} (columns)",
                         (f"{a} \\ {b}", *cols))
        for la in rows:
            grid.rows.append([la, *(cells.get((la, lb), 0) for lb in cols)])
        grids.append(grid)
    return grids


def against_gold(
    docs: Sequence[DocumentUnit], annotators: Sequence[str], gold: str = "gold"
) -> ViewTable:
    """Each annotator's precision, recall and F1 against ``gold`` (the reference), on the
    documents both gold and the annotator finished; exact and overlap match."""
    table = ViewTable("gold", f"Each annotator against {gold} (reference)", GOLD_COLUMNS)
    for a in annotators:
        if a == gold:
            continue
        both = [(d.work[gold].spans, d.work[a].spans) for d in docs
                if gold in d.work and a in d.work]
        counts = pair_counts(both)
        ex, ov = Counts(), Counts()
        for c in counts.exact.values():
            ex.add(c)
        for c in counts.overlap.values():
            ov.add(c)
        table.rows.append([
            a, counts.n_docs, sum(len(g) for g, _ in both), sum(len(s) for _, s in both),
            ex.precision, ex.recall, ex.f1, ov.precision, ov.recall, ov.f1,
        ])
    table.caption = f"only documents {gold} marked done; documents: those the annotator finished"
    return table


def label_table(report: dict[str, Any]) -> ViewTable:
    """Per label (pooled over pairs): all annotators' spans, exact and overlap F1, alpha_U."""
    table = ViewTable("labels", "Span agreement per label (pooled over pairs)", LABEL_COLUMNS)
    for label, v in report["spans"]["per_label"].items():
        table.rows.append([
            label, sum(v["spans"].values()), v["exact"]["f1"], v["overlap"]["f1"],
            v["unitizing_alpha"]["value"],
        ])
    return table
