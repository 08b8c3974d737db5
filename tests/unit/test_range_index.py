"""The annotate screen's pure indexes: spans (`SpanIndex`) and pending suggestions
(`SuggestionIndex`), both ranges in reading order (outer before inner at one start)."""

from __future__ import annotations

from annotator.tui.span_index import SpanIndex, SpanRec
from annotator.tui.suggestion_index import SuggestionIndex, SuggestionRec, pick_under


def _ids(recs: list) -> list[int]:
    return [r.id for r in recs]


def test_records_sort_in_reading_order_outer_first() -> None:
    inner, outer = SpanRec.of(1, 5, 8, "GPE"), SpanRec.of(2, 0, 8, "ORG")
    nested = SpanRec.of(3, 0, 3, "PERS")
    assert sorted([inner, nested, outer]) == [outer, nested, inner]
    assert (outer.start, outer.end, outer.neg_end) == (0, 8, -8)
    rec = SuggestionRec.of(7, 2, 9, "GPE", "model", 0.25)
    assert (rec.start, rec.end, rec.label, rec.id, rec.source, rec.score) == (
        2, 9, "GPE", 7, "model", 0.25)
    # source and score are not compared (nor hashed): one range, label and id
    assert rec == SuggestionRec.of(7, 2, 9, "GPE") and len({rec, SuggestionRec.of(
        7, 2, 9, "GPE", "gazetteer")}) == 1
    assert SuggestionRec.of(1, 0, 4, "A").source == "" and SuggestionRec.of(
        1, 0, 4, "A").score == 1.0


def test_span_index_overlapping_covering_position() -> None:
    spans = [SpanRec.of(1, 10, 20, "ORG"), SpanRec.of(2, 14, 20, "GPE"),
             SpanRec.of(3, 30, 35, "PERS"), SpanRec.of(4, 0, 3, "LOC")]
    index = SpanIndex(spans)
    assert len(index) == 4
    assert _ids(index.spans) == [4, 1, 2, 3]
    assert _ids(index.overlapping(15, 31)) == [1, 2, 3]
    assert _ids(index.overlapping(3, 10)) == []  # end exclusive on both sides
    assert _ids(index.overlapping(19, 20)) == [1, 2]
    assert _ids(index.covering(14)) == [1, 2]  # outermost first
    assert index.position_of(14) == 2  # the innermost: GPE, third in reading order
    assert index.position_of(25) is None
    assert SpanIndex().spans == [] and SpanIndex(None).overlapping(0, 100) == []


def test_span_index_add_and_remove_keep_queries_right() -> None:
    index = SpanIndex([SpanRec.of(1, 10, 12, "ORG")])
    assert index.add(SpanRec.of(2, 0, 40, "EVENT")) == 0  # longer than any before
    assert index.add(SpanRec.of(3, 11, 12, "GPE")) == 2
    assert _ids(index.overlapping(35, 36)) == [2]  # found past the old longest span
    assert _ids(index.covering(11)) == [2, 1, 3]
    assert index.remove(1) == SpanRec.of(1, 10, 12, "ORG")
    assert index.remove(1) is None
    assert _ids(index.spans) == [2, 3] and len(index) == 2
    assert _ids(index.overlapping(11, 12)) == [2, 3]


def test_suggestion_index_queries_and_removal() -> None:
    recs = [SuggestionRec.of(1, 20, 30, "ORG", "model", 0.5),
            SuggestionRec.of(2, 22, 26, "GPE", "occurrences"),
            SuggestionRec.of(3, 0, 4, "PERS", "gazetteer"),
            SuggestionRec.of(4, 50, 55, "GPE", "occurrences")]
    index = SuggestionIndex(iter(recs))  # any iterable
    assert _ids(list(index)) == [3, 1, 2, 4] and len(index) == 4
    assert _ids(index.overlapping(25, 51)) == [1, 2, 4]
    assert _ids(index.overlapping(4, 20)) == []
    assert _ids(index.within(20, 30)) == [1, 2] and _ids(index.within(21, 30)) == [2]
    assert index.get(2) is recs[1] and index.get(None) is None and index.get(9) is None
    assert index.counts() == {"gazetteer": 1, "model": 1, "occurrences": 2}
    assert index.remove([9]) == [] and len(index) == 4
    assert _ids(index.remove([1, 4])) == [1, 4]
    assert _ids(index.recs) == [3, 2] and _ids(index.overlapping(25, 60)) == [2]
    assert SuggestionIndex().step(1) is None and len(SuggestionIndex()) == 0


def test_pick_under_ranks_current_exact_holding_rest() -> None:
    recs = [SuggestionRec.of(1, 0, 20, "ORG"), SuggestionRec.of(2, 5, 10, "GPE"),
            SuggestionRec.of(3, 5, 8, "LOC"), SuggestionRec.of(4, 12, 15, "PERS")]
    index = SuggestionIndex(recs)
    assert pick_under(index, None, 0) == []
    assert pick_under(index, (30, 31), 30) == []
    assert _ids(pick_under(index, (5, 10), 6)) == [2, 3, 1]
    assert _ids(pick_under(index, (5, 10), 6, current=recs[0])) == [1, 2, 3]
    assert _ids(pick_under(index, (0, 16), 13)) == [4, 1, 2, 3]  # innermost holder first
