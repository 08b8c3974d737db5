"""How good each suggestion source is: precision, recall and F1 against known spans.

A proposal counts as right only when its range and label are exactly a gold span's.
:func:`evaluate_sources` cross-validates on an annotator's finished documents: each
fold's documents are suggested for by sources built from the other folds only.

The sources as they learn from a set of documents (:func:`build_source`):

``occurrences``
    every surface form labelled in those documents, in the form its span was drawn
    (article inside or outside), matched in the new document;
``gazetteer``
    the gazetteer given, or (none given) the names labelled in those documents as a
    names list (the article always inside);
``model``
    the CRF trained on them (with the gazetteer's features when one is given).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotator.agreement.spans import Counts as SpanCounts
from annotator.suggest.clitics import form_of_span
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.proposal import SOURCES, Proposal

__all__ = ["Counts", "build_source", "evaluate_sources", "score_documents"]

Doc = tuple[str, Sequence[tuple[int, int, str]]]
Suggest = Callable[[str], list[Proposal]]


@dataclass
class Counts:
    """True/false positives and false negatives, per label; the measures are those of
    span agreement (:class:`annotator.agreement.spans.Counts`), an undefined one as 0."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, gold: Iterable[tuple[int, int, str]], proposed: Iterable[tuple[int, int, str]]
            ) -> None:
        g, p = set(gold), set(proposed)
        for _, _, label in g & p:
            self.tp[label] += 1
        for _, _, label in p - g:
            self.fp[label] += 1
        for _, _, label in g - p:
            self.fn[label] += 1

    def report(self) -> dict:
        """``{"micro": {precision, recall, f1, tp, fp, fn}, "labels": {label: {...}}}``."""
        labels = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        return {
            "micro": _prf(SpanCounts(sum(self.tp.values()), sum(self.fp.values()),
                                     sum(self.fn.values()))),
            "labels": {lab: _prf(SpanCounts(self.tp[lab], self.fp[lab], self.fn[lab]))
                       for lab in labels},
        }


def _rounded(value: float | None) -> float:
    return 0.0 if value is None else round(value, 4)


def _prf(c: SpanCounts) -> dict[str, float | int]:
    return {"precision": _rounded(c.precision), "recall": _rounded(c.recall),
            "f1": _rounded(c.f1), "tp": c.tp, "fp": c.fp, "fn": c.fn}


def build_source(source: str, docs: Sequence[Doc], *, gazetteer: Gazetteer | None = None
                 ) -> Suggest:
    """The source ``source`` learnt from ``docs``: a function from a text to proposals."""
    if source == "occurrences":
        forms = [(form_of_span(text, s, e), label) for text, spans in docs
                 for s, e, label in spans]
        return Gazetteer.from_forms(forms, source="occurrences").find
    if source == "gazetteer":
        if gazetteer is None:
            gazetteer = Gazetteer((text[s:e], label) for text, spans in docs
                                  for s, e, label in spans)
        return gazetteer.find
    if source == "model":
        from annotator.suggest.crf import SpanModel, train_model  # imports pycrfsuite

        data = train_model(docs, gazetteer=gazetteer)
        if data is None:
            return lambda text: []
        return SpanModel.from_bytes(data, gazetteer=gazetteer).predict
    raise ValueError(f"unknown suggestion source {source!r} (one of {', '.join(SOURCES)})")


def score_documents(suggest: Suggest, docs: Iterable[Doc], counts: Counts | None = None
                    ) -> Counts:
    """``counts`` (new when None) with the proposals of ``suggest`` on ``docs`` scored
    against their spans."""
    counts = counts if counts is not None else Counts()
    for text, spans in docs:
        counts.add(spans, ((p.start, p.end, p.label) for p in suggest(text)))
    return counts


def evaluate_sources(docs: Sequence[Doc], sources: Sequence[str], *, folds: int = 5,
                     gazetteer: Gazetteer | None = None) -> dict:
    """Cross-validated precision, recall and F1 per label and micro, per source:
    ``{"documents": n, "folds": k, "sources": {source: Counts.report()}}``. Document i
    is in fold ``i % k``, ``k = min(folds, n)``; with fewer than two documents nothing
    can be held out and every source reports zeros."""
    docs = [(text, list(spans)) for text, spans in docs]
    for source in sources:
        if source not in SOURCES:
            raise ValueError(f"unknown suggestion source {source!r} "
                             f"(one of {', '.join(SOURCES)})")
    k = min(folds, len(docs))
    totals = {source: Counts() for source in sources}
    if k >= 2:
        for fold in range(k):
            train = [d for i, d in enumerate(docs) if i % k != fold]
            test = [d for i, d in enumerate(docs) if i % k == fold]
            for source in sources:
                suggest = build_source(source, train, gazetteer=gazetteer)
                score_documents(suggest, test, totals[source])
    return {"documents": len(docs), "folds": k if k >= 2 else 0,
            "sources": {source: totals[source].report() for source in sources}}
