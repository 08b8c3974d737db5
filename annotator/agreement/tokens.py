"""Token-level agreement over IOB2 tags.

A token takes the tag of the longest span that overlaps it (the outermost one for nested
spans; ties broken by earlier start, then label); ``B-`` on the first token of that span's
run of tokens, ``I-`` on the following ones, ``O`` elsewhere. Cohen's kappa is reported on
all tokens and on the *marked* tokens (those either annotator tagged other than ``O``);
the latter ignores agreement on unmarked text and is therefore lower.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from .categorical import cohen_kappa
from .model import SpanAnn
from .scores import Score, undefined


def bio_tags(tokens: Sequence[tuple[int, int]], spans: Iterable[SpanAnn]) -> list[str]:
    """IOB2 tags for ``tokens`` (sorted, non-overlapping (start, end) offsets)."""
    starts = [s for s, _ in tokens]
    ends = [e for _, e in tokens]
    owner: list[SpanAnn | None] = [None] * len(tokens)
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label)):
        lo = bisect_right(ends, span.start)  # first token ending after the span starts
        hi = bisect_left(starts, span.end)  # first token starting at or after its end
        for i in range(lo, hi):
            if owner[i] is None:
                owner[i] = span
    tags: list[str] = []
    previous: SpanAnn | None = None
    for span in owner:
        if span is None:
            tags.append("O")
        else:
            tags.append(("I-" if span is previous else "B-") + span.label)
        previous = span
    return tags


def _kappa_dict(score: Score, agree: int) -> dict[str, Any]:
    return {
        "kappa": score.value,
        "percent_agreement": agree / score.n if score.n else None,
        "n": score.n,
        "reason": score.reason,
    }


def token_kappa(
    docs: Iterable[tuple[Sequence[tuple[int, int]], set[SpanAnn], set[SpanAnn]]],
) -> dict[str, dict[str, Any]]:
    """Cohen's kappa of two annotators' token tags. ``docs`` yields (tokens, A's spans,
    B's spans) per document both finished; ``n`` counts tokens."""
    tags_a: list[str] = []
    tags_b: list[str] = []
    for tokens, spans_a, spans_b in docs:
        tags_a += bio_tags(tokens, spans_a)
        tags_b += bio_tags(tokens, spans_b)
    marked = [(a, b) for a, b in zip(tags_a, tags_b, strict=True) if a != "O" or b != "O"]
    all_score = cohen_kappa(tags_a, tags_b)
    if marked:
        ma, mb = zip(*marked, strict=True)
        marked_score = cohen_kappa(ma, mb)
    else:
        marked_score = undefined(0, "undefined: no token was marked by either annotator")
    return {
        "all_tokens": _kappa_dict(
            all_score, sum(a == b for a, b in zip(tags_a, tags_b, strict=True))
        ),
        "marked_tokens": _kappa_dict(marked_score, sum(a == b for a, b in marked)),
    }
