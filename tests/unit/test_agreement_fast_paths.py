"""The fast (vectorised, counted) paths agree with straightforward reference versions on
random data: BIO tags, unitizing alpha, overlap counts, event measures, disagreement lists."""

import random
from bisect import bisect_left, bisect_right
from collections import Counter

import pytest

from annotator.agreement import AnnotatorWork, DocumentUnit, SpanAnn, build_report
from annotator.agreement.categorical import alpha, alpha_nominal, percent_agreement
from annotator.agreement.disagreements import KINDS, span_disagreements
from annotator.agreement.events import event_section
from annotator.agreement.spans import overlap_matches, pair_counts
from annotator.agreement.tokens import bio_tags
from annotator.agreement.unitizing import unitizing_alpha

LABELS = ("A", "B", "C")


def ref_bio_tags(tokens, spans):
    starts, ends = [s for s, _ in tokens], [e for _, e in tokens]
    owner = [None] * len(tokens)
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label)):
        for i in range(bisect_right(ends, span.start), bisect_left(starts, span.end)):
            if owner[i] is None:
                owner[i] = span
    tags, previous = [], None
    for span in owner:
        tags.append("O" if span is None else ("I-" if span is previous else "B-") + span.label)
        previous = span
    return tags


def ref_pair_disagreement(units_a, units_b, begin, end):
    """The segment walk of the original implementation (units merged, gaps in between)."""

    def segments(units):
        merged = []
        for s, e in sorted((max(s, begin), min(e, end)) for s, e in units):
            if e > s:
                if merged and s < merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], e))
                else:
                    merged.append((s, e))
        segs, pos = [], begin
        for s, e in merged:
            if s > pos:
                segs.append((pos, s, False))
            segs.append((s, e, True))
            pos = e
        return segs + ([(pos, end, False)] if pos < end else [])

    def distance(g, h):
        (gs, ge, gu), (hs, he, hu) = g, h
        if gu and hu:
            return (gs - hs) ** 2 + (ge - he) ** 2 if gs < he and hs < ge else 0
        if gu and hs <= gs and ge <= he:
            return (ge - gs) ** 2
        if hu and gs <= hs and he <= ge:
            return (he - hs) ** 2
        return 0

    a, b = segments(units_a), segments(units_b)
    total = i = j = 0
    while i < len(a) and j < len(b):
        total += distance(a[i], b[j])
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def random_spans(rng, length, n):
    out = set()
    for _ in range(n):
        s = rng.randrange(length)
        out.add(SpanAnn(s, min(length, s + rng.randint(1, 8)), rng.choice(LABELS)))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_bio_tags_match_reference(seed):
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, 60), 20))
    tokens = [(s, e - rng.randint(0, 1)) for s, e in zip([0, *cuts], cuts, strict=False)]
    tokens = [(s, e) for s, e in tokens if e > s]
    spans = random_spans(rng, 60, rng.randint(0, 12))
    assert bio_tags(tokens, spans) == ref_bio_tags(tokens, spans)


@pytest.mark.parametrize("seed", range(30))
def test_unitizing_observed_matches_segment_walk(seed):
    rng = random.Random(seed)
    length, begin = rng.randint(20, 80), rng.randint(0, 5)
    coders = {c: random_spans(rng, begin + length + 3, rng.randint(0, 10)) for c in "xyz"}
    result = unitizing_alpha(length, {c: list(u) for c, u in coders.items()}, begin=begin)
    for label in result.observed:
        units = {c: [(s.start, s.end) for s in u if s.label == label] for c, u in coders.items()}
        pair_sum = sum(
            ref_pair_disagreement(units[a], units[b], begin, begin + length)
            for a, b in (("x", "y"), ("x", "z"), ("y", "z"))
        )
        assert result.observed[label] == pytest.approx(2 * pair_sum / (6 * length * length))


@pytest.mark.parametrize("seed", range(30))
def test_pair_counts_match_full_greedy_matching(seed):
    rng = random.Random(seed)
    docs = [(random_spans(rng, 40, rng.randint(0, 8)), random_spans(rng, 40, 6)) for _ in range(4)]
    counts = pair_counts(docs)
    overlap = Counter(a.label for ref, pred in docs for a, _ in overlap_matches(ref, pred))
    exact = Counter(s.label for ref, pred in docs for s in ref & pred)
    for label in counts.exact:
        assert counts.exact[label].tp == exact[label]
        assert counts.overlap[label].tp == overlap[label]


def random_corpus(seed, n_docs=12):
    rng = random.Random(seed)
    docs = []
    for i in range(n_docs):
        text = " ".join("كلمة" for _ in range(15))
        tokens = [(k * 5, k * 5 + 4) for k in range(15)]
        sentences = [(0, 34), (35, len(text))]
        work = {}
        for name in ("a", "b", "c"):
            if rng.random() < 0.8:
                work[name] = AnnotatorWork(
                    random_spans(rng, len(text), rng.randint(0, 6)),
                    frozenset(rng.sample(["E1", "E2", "E3"], rng.randint(0, 2))),
                    {sentences[0]: frozenset(rng.sample(["E1", "E2"], rng.randint(0, 1)))},
                )
        docs.append(DocumentUnit(f"d{i:02}", text, sentences, tokens, work))
    return docs


@pytest.mark.parametrize("seed", range(10))
def test_event_measures_match_unit_by_unit_computation(seed):
    docs = random_corpus(seed)
    names = ["a", "b", "c"]
    section = event_section(docs, names, "document")
    units = [{a: d.work[a].doc_events for a in names if a in d.work} for d in docs]
    for key, score in (("alpha_nominal", alpha(units)), ("percent_agreement", None)):
        expected = score or percent_agreement(units)
        assert section[key]["value"] == pytest.approx(expected.value, abs=1e-12)
        assert section[key]["n"] == expected.n
    for label, got in section["per_label"].items():
        binary = [{a: label in v for a, v in u.items()} for u in units]
        want = alpha_nominal(binary)
        assert got["n"] == want.n and got["reason"] == want.reason
        if want.value is not None:
            assert got["alpha"] == pytest.approx(want.value, abs=1e-9)
        assert got["percent_agreement"] == pytest.approx(percent_agreement(binary).value)


@pytest.mark.parametrize("seed", range(10))
def test_disagreement_list_is_limited_but_fully_counted(seed):
    docs = random_corpus(seed)
    full = span_disagreements(docs, ["a", "b", "c"])
    report = build_report(docs, ["a", "b", "c"], max_disagreements=3)
    assert report["disagreements"] == full[:3]
    assert report["disagreements_total"] == len(full)
    assert report["disagreements_truncated"] == (len(full) > 3)
    kinds = Counter(d["kind"] for d in full)
    assert report["disagreements_by_kind"] == {k: kinds[k] for k in KINDS if kinds[k]}
    assert build_report(docs, ["a", "b", "c"], max_disagreements=None)["disagreements"] == full


def test_report_span_counts_match_pair_counts_on_sets():
    docs = random_corpus(3, n_docs=30)
    report = build_report(docs, ["a", "b", "c"])
    both = [(d.work["a"].spans, d.work["b"].spans) for d in docs if "a" in d.work and "b" in d.work]
    counts = pair_counts(both)
    pair = report["spans"]["pairwise"]["a|b"]
    for label, c in counts.exact.items():
        assert pair["per_label"][label]["exact"]["tp"] == c.tp
        assert pair["per_label"][label]["exact"]["fp"] == c.fp
        assert pair["per_label"][label]["overlap"]["fn"] == counts.overlap[label].fn
