"""Span precision/recall/F1 (exact, overlap) and BIO token kappa."""

import pytest

from annotator.agreement.model import SpanAnn as S
from annotator.agreement.spans import overlap_matches, pair_counts, span_scores
from annotator.agreement.tokens import bio_tags, token_kappa


def scores(*docs):
    return span_scores(pair_counts(docs))


def test_exact_and_overlap_micro():
    ref = {S(0, 5, "PERS"), S(10, 20, "ORG"), S(30, 35, "GPE")}
    pred = {S(0, 5, "PERS"), S(12, 20, "ORG"), S(30, 35, "LOC"), S(40, 45, "GPE")}
    r = scores((ref, pred))
    assert (r["exact"]["tp"], r["exact"]["fp"], r["exact"]["fn"]) == (1, 3, 2)
    assert r["exact"]["precision"] == pytest.approx(1 / 4)
    assert r["exact"]["recall"] == pytest.approx(1 / 3)
    assert r["exact"]["f1"] == pytest.approx(2 / 7)
    assert (r["overlap"]["tp"], r["overlap"]["fp"], r["overlap"]["fn"]) == (2, 2, 1)
    assert r["overlap"]["f1"] == pytest.approx(4 / 7)
    assert r["exact"]["n"] == 1


def test_per_label_and_macro():
    ref = {S(0, 5, "PERS"), S(10, 20, "ORG")}
    pred = {S(0, 5, "PERS"), S(10, 15, "ORG"), S(30, 35, "LOC")}
    r = scores((ref, pred))
    assert r["per_label"]["PERS"]["exact"]["f1"] == 1.0
    assert r["per_label"]["ORG"]["exact"]["f1"] == 0.0
    assert r["per_label"]["ORG"]["overlap"]["f1"] == 1.0
    loc = r["per_label"]["LOC"]["exact"]
    assert loc["recall"] is None and loc["precision"] == 0.0 and loc["reason"]
    macro = r["macro"]["exact"]
    assert macro["labels"] == 3
    assert macro["f1"] == pytest.approx((1 + 0 + 0) / 3)
    assert macro["recall"] == pytest.approx((1 + 0) / 2)  # LOC's undefined recall left out


def test_overlap_matching_is_one_to_one_and_prefers_larger_overlap():
    a_long, a_short = S(0, 10, "ORG"), S(8, 12, "ORG")
    b = S(2, 11, "ORG")
    matches = overlap_matches({a_long, a_short}, {b})
    assert matches == [(a_long, b)]
    r = scores(({a_long, a_short}, {b}))
    assert (r["overlap"]["tp"], r["overlap"]["fp"], r["overlap"]["fn"]) == (1, 0, 1)


def test_overlap_ties_prefer_closer_boundaries():
    a = S(0, 10, "ORG")
    b_exact, b_wider = S(0, 10, "ORG"), S(0, 12, "ORG")
    assert overlap_matches({a}, {b_wider, b_exact}) == [(a, b_exact)]


def test_overlap_requires_same_label_and_real_overlap():
    assert overlap_matches({S(0, 5, "PERS")}, {S(0, 5, "ORG")}) == []
    assert overlap_matches({S(0, 5, "PERS")}, {S(5, 9, "PERS")}) == []


def test_no_spans_is_undefined_not_zero():
    r = scores((set(), set()), (set(), set()))
    assert r["exact"]["f1"] is None and r["exact"]["precision"] is None
    assert r["exact"]["reason"]
    assert r["exact"]["n"] == 2
    assert r["macro"]["exact"]["f1"] is None
    assert r["per_label"] == {}


def test_bio_tags_iob2_nested_uses_outermost():
    tokens = [(0, 4), (5, 9), (10, 14), (15, 19), (20, 24)]
    spans = {S(0, 9, "ORG"), S(5, 9, "GPE"), S(10, 14, "PERS"), S(15, 19, "PERS")}
    assert bio_tags(tokens, spans) == ["B-ORG", "I-ORG", "B-PERS", "B-PERS", "O"]


def test_bio_tags_span_inside_a_token_marks_it():
    # clitic: the span starts inside the token "للبوليساريو"
    tokens = [(0, 11)]
    assert bio_tags(tokens, {S(2, 11, "ORG")}) == ["B-ORG"]
    assert bio_tags([], {S(0, 3, "ORG")}) == []


def test_token_kappa_all_and_marked():
    tokens = [(i * 2, i * 2 + 1) for i in range(10)]
    a = {S(0, 3, "PERS"), S(10, 11, "ORG")}
    b = {S(0, 3, "PERS"), S(12, 13, "ORG")}
    r = token_kappa([(tokens, a, b)])
    assert r["all_tokens"]["n"] == 10
    assert r["marked_tokens"]["n"] == 4
    assert r["all_tokens"]["percent_agreement"] == pytest.approx(0.8)
    assert r["marked_tokens"]["percent_agreement"] == pytest.approx(0.5)
    assert r["marked_tokens"]["kappa"] < r["all_tokens"]["kappa"] < 1.0
    same = token_kappa([(tokens, a, set(a))])
    assert same["all_tokens"]["kappa"] == pytest.approx(1.0)


def test_token_kappa_without_marks_is_undefined():
    tokens = [(0, 1), (2, 3)]
    r = token_kappa([(tokens, set(), set())])
    assert r["all_tokens"]["kappa"] is None and r["all_tokens"]["n"] == 2
    assert r["marked_tokens"]["kappa"] is None and r["marked_tokens"]["n"] == 0
    assert r["marked_tokens"]["reason"]
