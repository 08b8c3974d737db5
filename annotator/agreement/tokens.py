"""Token-level agreement over IOB2 tags.

A token takes the tag of the longest span that overlaps it (the outermost one for nested
spans; ties broken by earlier start, then label); ``B-`` on the first token of that span's
run of tokens, ``I-`` on the following ones, ``O`` elsewhere. Cohen's kappa is reported on
all tokens and on the *marked* tokens (those either annotator tagged other than ``O``);
the latter ignores agreement on unmarked text and is therefore lower.

Tags are computed as integer codes with numpy (see :func:`bio_codes`): ``0`` is ``O``,
``1 + 2 * i`` is ``B-labels[i]`` and ``2 + 2 * i`` is ``I-labels[i]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .categorical import NO_VARIATION
from .model import SpanAnn
from .scores import Score, undefined

NO_MARKS = "undefined: no token was marked by either annotator"


def token_offsets(tokens: Sequence[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """``tokens`` as an (n, 2) int64 array."""
    return np.asarray(tokens, dtype=np.int64).reshape(-1, 2)


def expand_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [lo[k], hi[k]) (hi >= lo): (k, i) for every i in every range."""
    counts = hi - lo
    which = np.repeat(np.arange(len(lo)), counts)
    firsts = np.cumsum(counts) - counts
    return which, np.arange(int(counts.sum())) - firsts[which] + lo[which]


def bio_codes(
    tokens: np.ndarray, starts: np.ndarray, ends: np.ndarray, labels: np.ndarray
) -> np.ndarray:
    """IOB2 tag codes of ``tokens`` ((n, 2), sorted, non-overlapping) for the spans
    ``starts``/``ends``/``labels`` (label indices, in label order). Spans of several documents
    can be tagged at once when every document's offsets are shifted apart."""
    n = len(tokens)
    owner = np.full(n, len(starts), dtype=np.int64)
    if len(starts):
        # rank of each span in priority order: longest first, then earlier start, then label
        order = np.lexsort((labels, starts, starts - ends))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        lo = np.searchsorted(tokens[:, 1], starts, side="right")  # first token ending after
        hi = np.maximum(np.searchsorted(tokens[:, 0], ends, side="left"), lo)
        span, token = expand_ranges(lo, hi)
        best = np.full(n, len(starts), dtype=np.int64)
        np.minimum.at(best, token, rank[span])
        marked = best < len(starts)
        owner[marked] = order[best[marked]]
    codes = np.zeros(n, dtype=np.int64)
    marked = owner < len(starts)
    label = np.asarray(labels, dtype=np.int64)[owner[marked]] if marked.any() else owner[:0]
    first = np.ones(n, dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    codes[marked] = 1 + 2 * label + (~first[marked])
    return codes


def bio_tags(tokens: Sequence[tuple[int, int]] | np.ndarray, spans: Iterable[SpanAnn]) -> list[str]:
    """IOB2 tags for ``tokens`` (sorted, non-overlapping (start, end) offsets)."""
    spans = list(spans)
    names = sorted({s.label for s in spans})
    index = {label: i for i, label in enumerate(names)}
    codes = bio_codes(
        token_offsets(tokens),
        np.array([s.start for s in spans], dtype=np.int64),
        np.array([s.end for s in spans], dtype=np.int64),
        np.array([index[s.label] for s in spans], dtype=np.int64),
    )
    return ["O" if c == 0 else ("B-" if c % 2 else "I-") + names[(c - 1) // 2] for c in codes]


@dataclass
class TagCounts:
    """What Cohen's kappa needs of two annotators' paired tags, and nothing more: the
    number of pairs, how many agree, and how often each tag occurs on either side. Counts
    add up, so a corpus's tokens need not be kept: each batch of documents is counted and
    merged (the tag keys are names or codes, the same on both sides)."""

    n: int = 0
    agree: int = 0
    a: Counter[Any] = field(default_factory=Counter)
    b: Counter[Any] = field(default_factory=Counter)

    def merge(self, other: TagCounts) -> None:
        self.n += other.n
        self.agree += other.agree
        self.a.update(other.a)
        self.b.update(other.b)

    def kappa(self) -> tuple[Score, int]:
        """Cohen's kappa (same arithmetic as ``cohen_kappa``) and the agreeing pairs."""
        n = self.n
        if n == 0:
            return undefined(0, "undefined: no unit coded by both coders"), 0
        p_o = self.agree / n
        p_e = sum(x * self.b.get(tag, 0) for tag, x in self.a.items()) / (n * n)
        if p_e >= 1.0:
            return undefined(n, NO_VARIATION.replace("alpha", "kappa")), self.agree
        return Score((p_o - p_e) / (1.0 - p_e), n), self.agree


def _counts(a: np.ndarray, b: np.ndarray, names: Sequence[Any] | None) -> TagCounts:
    n_codes = int(max(a.max(initial=0), b.max(initial=0))) + 1
    keys = names if names is not None else range(n_codes)

    def tally(codes: np.ndarray) -> Counter[Any]:
        counts = np.bincount(codes, minlength=n_codes)
        return Counter({keys[c]: int(counts[c]) for c in np.flatnonzero(counts).tolist()})

    return TagCounts(len(a), int(np.count_nonzero(a == b)), tally(a), tally(b))


def tag_counts(a: np.ndarray, b: np.ndarray, names: Sequence[Any] | None = None
               ) -> tuple[TagCounts, TagCounts]:
    """The `TagCounts` of paired tag codes on all tokens and on the marked ones (either
    annotator tagged other than ``O``); ``names`` names the codes (default: the codes)."""
    marked = (a != 0) | (b != 0)
    return _counts(a, b, names), _counts(a[marked], b[marked], names)


def code_names(labels: Sequence[str]) -> list[str]:
    """The tag of each code over ``labels``: ``O``, ``B-x``, ``I-x``, ..."""
    return ["O", *(f"{p}-{label}" for label in labels for p in "BI")]


def _kappa_dict(score: Score, agree: int) -> dict[str, Any]:
    return {
        "kappa": score.value,
        "percent_agreement": agree / score.n if score.n else None,
        "n": score.n,
        "reason": score.reason,
    }


def counts_kappa(all_tokens: TagCounts, marked: TagCounts) -> dict[str, dict[str, Any]]:
    """Token kappa (all tokens, marked tokens) from the pair's `TagCounts`."""
    marked_dict = _kappa_dict(*marked.kappa()) if marked.n else \
        _kappa_dict(undefined(0, NO_MARKS), 0)
    return {"all_tokens": _kappa_dict(*all_tokens.kappa()), "marked_tokens": marked_dict}


def code_kappa(a: np.ndarray, b: np.ndarray) -> dict[str, dict[str, Any]]:
    """Token kappa (all tokens, marked tokens) of two annotators' paired tag codes."""
    return counts_kappa(*tag_counts(a, b))


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
    index = {t: i for i, t in enumerate(["O", *sorted((set(tags_a) | set(tags_b)) - {"O"})])}
    return code_kappa(
        np.array([index[t] for t in tags_a], dtype=np.int64),
        np.array([index[t] for t in tags_b], dtype=np.int64),
    )
