"""The whole-array span counts (`span_table`, `table_counts`) against the span-by-span
reference implementations they replace on the report's path: the disagreement kinds of
`disagreements._classify` and the pair matches of `spans.pair_tally`."""

from __future__ import annotations

import copy
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.disagreements import DisagreementTally
from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.agreement.pairs import pairs
from annotator.agreement.span_table import fill_spans, group, span_table
from annotator.agreement.spans import pair_tally
from annotator.agreement.table_counts import disagreement_counts, pair_matches

NAMES = ["a", "b", "c", "d"]

# short texts and few labels: overlaps, nesting, same range with another label, twins
span = st.tuples(st.integers(0, 14), st.integers(1, 6), st.sampled_from("XYZ")).map(
    lambda t: SpanAnn(t[0], t[0] + t[1], t[2]))
work = st.one_of(st.none(), st.sets(span, max_size=6))
document = st.lists(work, min_size=len(NAMES), max_size=len(NAMES))
corpus = st.lists(document, min_size=1, max_size=8)


def _docs(drawn: list[list[set[SpanAnn] | None]]) -> list[DocumentUnit]:
    return [
        DocumentUnit(f"d{i}", "x" * 20, work={
            name: AnnotatorWork(spans=set(spans))
            for name, spans in zip(NAMES, doc, strict=True) if spans is not None})
        for i, doc in enumerate(drawn)
    ]


@settings(max_examples=300, deadline=None)
@given(corpus, st.sampled_from([None, 1, 3]))
def test_counted_disagreements_equal_the_cluster_by_cluster_ones(drawn, limit):
    docs = _docs(drawn)
    reference = DisagreementTally(NAMES, limit)
    reference.add(docs)
    table = span_table(docs, NAMES)
    counted = disagreement_counts(table, group(table))
    per_doc = counted.per_doc.tolist()
    assert per_doc == [_clusters(d) for d in docs]
    tally = DisagreementTally(NAMES, limit)
    tally.add_counted([docs[i] for i in tally.listed(docs, per_doc)], counted.clusters,
                      counted.spans)
    assert tally.kinds == reference.kinds
    assert tally.span_kinds == reference.span_kinds
    assert tally.result() == reference.result()


def _clusters(doc: DocumentUnit) -> int:
    tally = DisagreementTally(NAMES)
    tally.add([doc])
    return sum(tally.kinds.values())


@settings(max_examples=300, deadline=None)
@given(corpus)
def test_pair_matches_equal_the_document_by_document_ones(drawn):
    docs = _docs(drawn)
    table = span_table(docs, NAMES)
    grouped = group(table)
    for a, b in pairs(NAMES):
        expected = pair_tally(((d.work[a].spans, d.work[b].spans) for d in docs
                               if a in d.work and b in d.work), count_spans=False)
        got = pair_matches(table, grouped, NAMES.index(a), NAMES.index(b))
        assert got == expected, (a, b)


@settings(max_examples=100, deadline=None)
@given(corpus)
def test_fill_spans_gives_back_the_spans_of_the_table(drawn):
    docs = _docs(drawn)
    table = span_table(docs, NAMES)
    bare = copy.deepcopy(docs)
    for doc in bare:
        for w in doc.work.values():
            w.spans = set()
    fill_spans(bare, table, NAMES, range(len(bare)))
    assert [d.work for d in bare] == [d.work for d in docs]


def test_a_nested_boundary_and_label_case_by_hand():
    """a: [0,10) X with [0,4) X inside; b: [0,10) Y and [5,9) X: every span differs."""
    docs = _docs([[{SpanAnn(0, 10, "X"), SpanAnn(0, 4, "X")},
                   {SpanAnn(0, 10, "Y"), SpanAnn(5, 9, "X")}, None, None]])
    table = span_table(docs, NAMES)
    counted = disagreement_counts(table, group(table))
    assert counted.per_doc.tolist() == [1]
    # [0,10) X and Y: the same range, another label; [0,4) X: b's only span over it is
    # a Y -> label; [5,9) X: a's X over it covers another range -> boundary
    assert counted.spans == {"label": 3, "boundary": 1}
    assert counted.clusters == {"label": 1}


@settings(max_examples=150, deadline=None)
@given(corpus, st.lists(st.sets(st.sampled_from("EF"), max_size=2), min_size=32, max_size=32))
def test_document_rows_from_the_table_equal_the_unit_by_unit_ones(drawn, events):
    from annotator.agreement.events import SCOPES, event_tally
    from annotator.agreement.views import document_rows, table_document_rows

    docs = _docs(drawn)
    labels = iter(events)
    for doc in docs:
        for w in doc.work.values():
            w.doc_events = frozenset(next(labels))
    table = span_table(docs, NAMES)
    grouped = group(table)
    counted = disagreement_counts(table, grouped)
    per_doc = sum((event_tally(docs, NAMES, scope, limit=1).per_doc for scope in SCOPES),
                  Counter())
    got = table_document_rows(docs, NAMES, table, grouped, counted.differing_per_doc, per_doc)
    assert got == document_rows(docs, NAMES)


@settings(max_examples=200, deadline=None)
@given(st.lists(corpus, min_size=1, max_size=4), st.sampled_from([1, 2, 4]))
def test_batches_skipping_documents_below_the_listing_floor_list_the_same(batches, limit):
    """A batch told the least disputed clusters the listing so far takes
    (`least_listed`) classifies fewer documents and lists exactly the same."""
    reference = DisagreementTally(NAMES, limit)
    merged = DisagreementTally(NAMES, limit)
    base = 0
    for drawn in batches:
        docs = _docs(drawn)
        for i, d in enumerate(docs):  # ids unique and ordered across batches
            d.doc_id = f"d{base + i:03d}"
        base += len(docs)
        reference.add(docs)
        table = span_table(docs, NAMES)
        counted = disagreement_counts(table, group(table))
        per_doc = counted.per_doc.tolist()
        batch = DisagreementTally(NAMES, limit, merged.least_listed())
        batch.add_counted([docs[i] for i in batch.listed(docs, per_doc)], counted.clusters,
                          counted.spans)
        merged.merge(batch)
    assert merged.result() == reference.result()
