"""Tokens that respect span edges, and the layout token formats (CoNLL, spaCy) share.

Tokens come from `annotator.text.segment.split_tokens`, then every token is cut at each
span edge and sentence edge that falls inside it: a clitic stays its own token
(لل|بوليساريو) and the span keeps its exact range; nothing is widened or dropped.

A span whose edge falls in whitespace cannot be expressed in tokens (tokens never hold
whitespace): it is shrunk to the tokens inside it, and a span with no token inside is
left out; both are reported in `Layout.problems`, never silently.

Blocks are the sentence units of the token formats: the stored sentences, plus runs of
tokens lying outside every sentence; two neighbouring blocks are merged when a span
crosses the boundary between them, so no span is ever cut by a sentence break.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.text.segment import split_tokens

Range = tuple[int, int]


def edge_tokens(text: str, cuts: Iterable[int]) -> list[Range]:
    """The tokens of `text`, each cut at every position of `cuts` strictly inside it."""
    points = sorted(set(cuts))
    tokens = split_tokens(text)
    if not points:
        return tokens
    out: list[Range] = []
    k, n = 0, len(points)
    for s, e in tokens:  # tokens and points both ascend: one walk over each
        while k < n and points[k] <= s:
            k += 1
        while k < n and points[k] < e:
            out.append((s, points[k]))
            s = points[k]
            k += 1
        out.append((s, e))
    return out


@dataclass(frozen=True)
class TokenSpan:
    """A span as a token range [first, last) with its level (0 = outermost)."""

    first: int
    last: int
    label: str
    start: int  # the character range it was made from
    end: int
    level: int = 0


@dataclass
class Layout:
    tokens: list[Range]
    spans: list[TokenSpan] = field(default_factory=list)
    blocks: list[Range] = field(default_factory=list)  # token index ranges [first, last)
    problems: list[str] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 1 + max((s.level for s in self.spans), default=0)


def _levels(spans: list[tuple[int, int, str, int, int]]) -> list[TokenSpan]:
    """Nesting levels, outermost first: sorted by (first, -last, label), each span takes
    the lowest level whose last span ends before it starts."""
    ends: list[int] = []  # per level: the last token (exclusive) of its latest span
    out: list[TokenSpan] = []
    for first, last, label, start, end in sorted(spans, key=lambda t: (t[0], -t[1], t[2])):
        level = next((i for i, e in enumerate(ends) if e <= first), len(ends))
        if level == len(ends):
            ends.append(last)
        else:
            ends[level] = last
        out.append(TokenSpan(first, last, label, start, end, level))
    return out


def _blocks(tokens: list[Range], sentences: Sequence[Range], spans: list[TokenSpan]) -> list[Range]:
    starts = [s for s, _ in sentences]
    keys: list[tuple[int, bool]] = []
    for s, e in tokens:
        i = bisect_right(starts, s) - 1
        inside = i >= 0 and e <= sentences[i][1]
        keys.append((i, inside))
    # a boundary between token j and j+1 is crossed when a span holds both
    crossed = [0] * (len(tokens) + 1)
    for sp in spans:
        crossed[sp.first] += 1
        crossed[sp.last - 1] -= 1
    open_spans = 0
    blocks: list[Range] = []
    first = 0
    for j in range(1, len(tokens)):
        open_spans += crossed[j - 1]
        if keys[j] != keys[j - 1] and open_spans == 0:
            blocks.append((first, j))
            first = j
    if tokens:
        blocks.append((first, len(tokens)))
    return blocks


def layout(text: str, sentences: Sequence[Range], spans: Iterable[tuple[int, int, str]]) -> Layout:
    """Tokens cut at every span and sentence edge; spans as token ranges with nesting
    levels; sentence blocks."""
    spans = list(spans)
    cuts = [p for s, e, _ in spans for p in (s, e)] + [p for r in sentences for p in r]
    tokens = edge_tokens(text, cuts)
    out = Layout(tokens)
    tok_starts = [s for s, _ in tokens]
    tok_ends = [e for _, e in tokens]
    placed: list[tuple[int, int, str, int, int]] = []
    for s, e, label in spans:
        first = bisect_left(tok_starts, s)
        last = bisect_right(tok_ends, e)
        shown = f"{label} [{s}, {e}) {text[s:e]!r}"
        if first >= last:
            out.problems.append(f"span {shown} covers no token: left out")
            continue
        if tokens[first][0] != s or tokens[last - 1][1] != e:
            out.problems.append(
                f"span {shown} has whitespace at an edge: exported as "
                f"[{tokens[first][0]}, {tokens[last - 1][1]})")
        placed.append((first, last, label, s, e))
    out.spans = _levels(placed)
    out.blocks = _blocks(tokens, sorted(sentences), out.spans)
    return out
