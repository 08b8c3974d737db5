"""Cross-validated precision/recall/F1 of the suggestion sources (annotator.suggest.evaluate)."""

from __future__ import annotations

import pytest

from annotator.suggest.evaluate import Counts, build_source, evaluate_sources
from annotator.suggest.gazetteer import Gazetteer


def _doc(text: str, *names: tuple[str, str]) -> tuple[str, list[tuple[int, int, str]]]:
    spans = []
    for name, label in names:
        at = text.index(name)
        spans.append((at, at + len(name), label))
    return text, spans


DOCS = [
    _doc("زار الوزير المغرب أمس.", ("المغرب", "GPE")),
    _doc("قال لفتيت إن المغرب آمن.", ("لفتيت", "PERS"), ("المغرب", "GPE")),
    _doc("وصل لفتيت إلى الرباط.", ("لفتيت", "PERS"), ("الرباط", "GPE")),
    _doc("في الرباط اجتماع.", ("الرباط", "GPE")),
]


def test_counts_report_precision_recall_f1() -> None:
    c = Counts()
    c.add([(0, 2, "A"), (3, 5, "B")], [(0, 2, "A"), (3, 5, "A"), (6, 7, "B")])
    rep = c.report()
    assert rep["micro"] == {"precision": 0.3333, "recall": 0.5, "f1": 0.4, "tp": 1,
                            "fp": 2, "fn": 1}
    assert rep["labels"]["A"]["precision"] == 0.5
    assert rep["labels"]["B"]["recall"] == 0.0
    assert Counts().report() == {"micro": {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                           "tp": 0, "fp": 0, "fn": 0}, "labels": {}}


def test_cross_validation_of_occurrences_and_gazetteer() -> None:
    out = evaluate_sources(DOCS, ["occurrences", "gazetteer"], folds=2)
    assert out["documents"] == 4 and out["folds"] == 2
    occ = out["sources"]["occurrences"]["micro"]
    # fold 0 (docs 0, 2) learns from docs 1, 3 and back: every name recurs across folds
    assert occ["precision"] == 1.0 and occ["tp"] == 6 and occ["fn"] == 0
    assert out["sources"]["gazetteer"]["micro"]["f1"] == 1.0


def test_a_given_gazetteer_is_used_as_it_is() -> None:
    gaz = Gazetteer([("المغرب", "ORG")])
    rep = evaluate_sources(DOCS, ["gazetteer"], folds=2, gazetteer=gaz)
    micro = rep["sources"]["gazetteer"]["micro"]
    assert micro["tp"] == 0 and micro["fp"] == 2 and micro["fn"] == 6


def test_the_model_source_is_cross_validated() -> None:
    docs = DOCS * 4
    micro = evaluate_sources(docs, ["model"], folds=4)["sources"]["model"]["micro"]
    assert micro["tp"] + micro["fn"] == 24
    assert micro["f1"] > 0.5


def test_too_few_documents_and_unknown_sources() -> None:
    assert evaluate_sources(DOCS[:1], ["occurrences"])["folds"] == 0
    with pytest.raises(ValueError, match="unknown suggestion source"):
        evaluate_sources(DOCS, ["magic"])
    with pytest.raises(ValueError):
        build_source("magic", DOCS)
    assert build_source("model", [("نص.", [])])("نص.") == []
