"""The argument mode's pure part: candidate spans (same sentence, label fits, nearest to
the trigger first, already linked last), Tab cycling, mentions of a sentence, under the
cursor, and j / k stepping."""

from __future__ import annotations

from annotator.events_model import MentionView
from annotator.tui.argument_mode import (
    candidates,
    cycle,
    gap,
    in_sentence,
    mention_at,
    step_mention,
)
from annotator.tui.span_index import SpanRec

SENTENCE = (100, 200)
TRIGGER = (140, 145)


def span(i: int, start: int, end: int, label: str) -> SpanRec:
    return SpanRec.of(i, start, end, label)


def test_gap_is_zero_when_touching_or_overlapping() -> None:
    assert gap((0, 5), (5, 9)) == 0
    assert gap((0, 5), (3, 9)) == 0
    assert gap((0, 5), (7, 9)) == 2
    assert gap((7, 9), (0, 5)) == 2


def test_candidates_fit_the_role_stay_in_the_sentence_nearest_first() -> None:
    spans = [
        span(1, 101, 110, "PERS"),   # 30 before
        span(2, 146, 160, "PERS"),   # 1 after
        span(3, 130, 138, "GPE"),    # 2 before
        span(4, 150, 155, "DATE"),   # does not fit
        span(5, 90, 99, "PERS"),     # previous sentence
        span(6, 195, 205, "PERS"),   # crosses the sentence's end
        span(7, 170, 180, "ORG"),    # 25 after
    ]
    got = candidates(spans, SENTENCE, TRIGGER, ("PERS", "ORG", "GPE"))
    assert [s.id for s in got] == [2, 3, 7, 1]
    assert [s.id for s in candidates(spans, SENTENCE, TRIGGER, ("DATE",))] == [4]
    assert candidates(spans, SENTENCE, TRIGGER, ("LOC",)) == []


def test_ties_go_in_text_order_and_linked_spans_come_last() -> None:
    spans = [span(1, 147, 150, "GPE"), span(2, 130, 138, "GPE"), span(3, 120, 123, "GPE")]
    assert [s.id for s in candidates(spans, SENTENCE, TRIGGER, ("GPE",))] == [2, 1, 3]
    linked = {(130, 138, "GPE")}
    assert [s.id for s in candidates(spans, SENTENCE, TRIGGER, ("GPE",), linked)] == [1, 3, 2]


def test_the_trigger_itself_is_no_candidate() -> None:
    spans = [span(1, *TRIGGER, "PERS"), span(2, 150, 152, "PERS")]
    assert [s.id for s in candidates(spans, SENTENCE, TRIGGER, ("PERS",))] == [2]


def test_cycle_wraps_and_starts_at_either_end() -> None:
    assert cycle(None, 3, 1) == 0
    assert cycle(None, 3, -1) == 2
    assert cycle(2, 3, 1) == 0
    assert cycle(0, 3, -1) == 2
    assert cycle(None, 0, 1) is None


def mention(i: int, start: int, end: int, type_: str = "VISIT") -> MentionView:
    return MentionView(i, start, end, type_)


def test_mentions_of_a_sentence_and_under_the_cursor() -> None:
    ms = [mention(1, 150, 155), mention(2, 105, 110), mention(3, 210, 215),
          mention(4, 100, 120, "MEET")]
    assert [m.id for m in in_sentence(ms, SENTENCE)] == [4, 2, 1]
    assert mention_at(ms, (150, 155)).id == 1  # type: ignore[union-attr]
    assert mention_at(ms, (106, 107)).id == 2  # the innermost of the overlapping
    assert mention_at(ms, (160, 170)) is None
    assert mention_at(ms, None) is None


def test_step_mention_from_the_current_one_or_the_cursor() -> None:
    ms = [mention(1, 150, 155), mention(2, 105, 110), mention(3, 210, 215)]
    assert step_mention(ms, None, 0, 1).id == 2  # type: ignore[union-attr]
    assert step_mention(ms, None, 160, 1).id == 3  # type: ignore[union-attr]
    assert step_mention(ms, None, 160, -1).id == 1  # type: ignore[union-attr]
    assert step_mention(ms, 3, 0, 1).id == 2  # wraps  # type: ignore[union-attr]
    assert step_mention(ms, 2, 0, -1).id == 3  # type: ignore[union-attr]
    assert step_mention([], None, 0, 1) is None
