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

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from annotator.text._chars import mark_class
from annotator.text.segment import _patterns, split_tokens

Range = tuple[int, int]


@cache
def _token_pattern() -> re.Pattern[str] | None:
    """`split_tokens`'s own pattern with its mark class written as two: the marks of the
    Basic Multilingual Plane (one class the regex engine looks up in a table) and, behind
    a one-range guard, the astral ones (a list it scans, hundreds of ranges, once at every
    token's end before). The same matches, a third less time. None when the pattern is
    not the expected shape: then `split_tokens` itself is used."""
    token = _patterns()[2].pattern
    mark = mark_class()
    ranges = re.fullmatch(r"\[((?:\\U[0-9a-f]{8}(?:-\\U[0-9a-f]{8})?)+)\]", mark)
    if ranges is None or mark not in token:
        return None
    low: list[str] = []
    high: list[str] = []
    for m in re.finditer(r"\\U([0-9a-f]{8})(?:-\\U([0-9a-f]{8}))?", ranges.group(1)):
        lo, hi = int(m.group(1), 16), int(m.group(2) or m.group(1), 16)
        if lo <= 0xFFFF < hi:
            return None
        (low if hi <= 0xFFFF else high).append(m.group(0))
    split = f"(?:[{''.join(low)}]" + (
        f"|(?=[\\U00010000-\\U0010ffff])[{''.join(high)}])" if high else ")")
    return re.compile(token.replace(mark, split))


def tokens_of(text: str) -> list[Range]:
    """`annotator.text.segment.split_tokens(text)`, faster (see `_token_pattern`)."""
    pattern = _token_pattern()
    if pattern is None:
        return split_tokens(text)
    return [m.span() for m in pattern.finditer(text)]


def edge_tokens(text: str, cuts: Iterable[int]) -> list[Range]:
    """The tokens of `text`, each cut at every position of `cuts` strictly inside it.

    Work per cut point, not per token: the points that are no token's edge are looked up
    (bisect) among the tokens, and only the tokens with a point inside them are rebuilt."""
    tokens = tokens_of(text)
    points = set(cuts)
    points.difference_update(chain.from_iterable(tokens))  # token edges: nothing to cut
    inside: dict[int, list[int]] = {}
    for p in sorted(points):
        i = bisect_left(tokens, (p, -1)) - 1  # the last token starting before p
        if i >= 0 and p < tokens[i][1]:
            inside.setdefault(i, []).append(p)
    if not inside:
        return tokens
    out: list[Range] = []
    done = 0
    for i in sorted(inside):
        out.extend(tokens[done:i])
        s, e = tokens[i]
        for p in inside[i]:
            out.append((s, p))
            s = p
        out.append((s, e))
        done = i + 1
    out.extend(tokens[done:])
    return out


class TokenSpan(NamedTuple):
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


def _levels(spans: list[tuple[int, int, str, int, int, int]]) -> list[TokenSpan]:
    """Nesting levels, outermost first: sorted by (first, -last, label), each span takes
    the lowest level whose last span ends before it starts. `spans` holds
    (first, -last, label, order, start, end): sorted as they are (order: the input
    position, so equal token ranges keep their input order)."""
    ends: list[int] = []  # per level: the last token (exclusive) of its latest span
    out: list[TokenSpan] = []
    new = tuple.__new__  # TokenSpan(...) without its Python-level __new__
    for first, neg_last, label, _, start, end in sorted(spans):
        last = -neg_last
        for level, e in enumerate(ends):
            if e <= first:
                ends[level] = last
                break
        else:
            level = len(ends)
            ends.append(last)
        out.append(new(TokenSpan, (first, last, label, start, end, level)))
    return out


def _blocks(starts: list[int], sentences: Sequence[Range], spans: list[TokenSpan]) -> list[Range]:
    """Token ranges of the blocks. `starts`: the tokens' starts, the tokens cut at every
    sentence edge (so no token holds a sentence edge inside it); `sentences` sorted.

    A token's key is (i, inside): i the last sentence starting at or before it, inside
    whether it ends within that sentence; a block ends where the key changes and no span
    holds the tokens on both sides. The key changes only at the first token starting at
    or after a sentence start, or within one sentence's tokens at the first that ends
    after that sentence: found by bisect per sentence, not by a walk over the tokens."""
    n = len(starts)
    if not n:
        return []
    cuts: set[int] = set()
    groups = [(s, e) for k, (s, e) in enumerate(sentences)
              if k + 1 == len(sentences) or sentences[k + 1][0] != s]  # the last of equal starts
    if not groups:
        return [(0, n)]
    los = [bisect_left(starts, s) for s, _ in groups]
    his = los[1:] + [n]
    for (_, end), lo, hi in zip(groups, los, his, strict=True):
        if lo >= hi:
            continue
        cuts.add(lo)
        # tokens ending at or before `end` are those starting before it (none holds it)
        flip = max(lo, bisect_left(starts, end))
        if flip < hi:
            cuts.add(flip)
    cuts.discard(0)
    cuts.discard(n)
    if not cuts:
        return [(0, n)]
    held = bytearray(n + 1)  # held[j]: a span holds tokens j - 1 and j
    for sp in spans:
        if sp.last - sp.first > 1:
            held[sp.first + 1:sp.last] = b"\x01" * (sp.last - sp.first - 1)
    blocks: list[Range] = []
    first = 0
    for j in sorted(cuts):
        if not held[j]:
            blocks.append((first, j))
            first = j
    blocks.append((first, n))
    return blocks


def layout(text: str, sentences: Sequence[Range], spans: Iterable[tuple[int, int, str]]) -> Layout:
    """Tokens cut at every span and sentence edge; spans as token ranges with nesting
    levels; sentence blocks."""
    spans = list(spans)
    cuts = [p for s, e, _ in spans for p in (s, e)] + [p for r in sentences for p in r]
    tokens = edge_tokens(text, cuts)
    out = Layout(tokens)
    starts = list(map(itemgetter(0), tokens))
    at = dict(zip(starts, range(len(starts)), strict=True))  # token start -> its index
    placed: list[tuple[int, int, str, int, int, int]] = []
    for s, e, label in spans:
        # tokens are cut at every span edge: no token holds s or e inside it, so the
        # tokens ending at or before e are the tokens starting before e
        first = at.get(s)
        if first is None:
            first = bisect_left(starts, s)
        last = at.get(e)
        if last is None:
            last = bisect_left(starts, e)
        if first >= last or tokens[first][0] != s or tokens[last - 1][1] != e:
            shown = f"{label} [{s}, {e}) {text[s:e]!r}"
            if first >= last:
                out.problems.append(f"span {shown} covers no token: left out")
                continue
            out.problems.append(
                f"span {shown} has whitespace at an edge: exported as "
                f"[{tokens[first][0]}, {tokens[last - 1][1]})")
        placed.append((first, -last, label, len(placed), s, e))
    out.spans = _levels(placed)
    out.blocks = _blocks(starts, sorted(sentences), out.spans)
    return out
