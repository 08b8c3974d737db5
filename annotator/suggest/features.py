"""Tokens, BIO tags and Arabic features for the suggestion model (annotator.suggest.crf).

Tokens are the project's tokens (:func:`annotator.io.token_split.tokens_of`) with their
proclitics split off, so that a span may start after ``و``/``بال``/``لل``: a proclitic
run ending with the article always (``وال|مغرب`` → ``و`` ``ال`` ``مغرب``; ``لل|مغرب`` →
``ل`` ``ل`` ``مغرب``), a conjunction/preposition before a name only when the rest is a
known first word of a name (``و|لفتيت``; never ``و|زير``). The model then learns the
team's convention: the article token tagged with the name, or left ``O``.

Features of a token: its match key, its clitic-stripped key, key prefixes and
suffixes, digit class and shape, the keys of its neighbours (two each side), and the
gazetteer's B-/I- tag for it and its neighbours.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache

from annotator.io.token_split import tokens_of
from annotator.suggest.clitics import ARTICLE, split_proclitic
from annotator.text.keys import match_key
from annotator.text.segment import split_sentences

__all__ = [
    "bio_tags",
    "first_word_keys",
    "gazetteer_tags",
    "model_tokens",
    "outermost",
    "sequence_features",
    "sequences",
    "spans_of_tags",
]

Range = tuple[int, int]
_CLITIC_START = frozenset("وفبكلاأإآٱ")
_LETTERS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1 << 16)
def _word_cuts(word: str, known: frozenset[str]) -> tuple[int, ...]:
    """Where a word is cut (offsets inside it) to split its proclitics off (see the
    module docstring): the article gets a token of its own."""
    prefix, _ = split_proclitic(word, known)
    if not prefix:
        return ()
    cut = len(prefix)
    pkey = match_key(prefix)
    if not (pkey.endswith(ARTICLE) or pkey.endswith("\u0644\u0644")):  # …ال / …لل
        return (cut,)
    before = len(pkey) - (2 if pkey.endswith(ARTICLE) else 1)  # key letters before it
    head = keys = 0
    while head < cut and keys < before:
        keys += len(match_key(word[head]))
        head += 1
    while head < cut and not match_key(word[head]):
        head += 1  # harakat of the last proclitic letter stay with it
    return (head, cut) if head else (cut,)


def model_tokens(text: str, known: frozenset[str] = frozenset(), cuts: Iterable[int] = ()
                 ) -> list[Range]:
    """The model's tokens of ``text``: proclitics split off, and every token cut at each
    of ``cuts`` inside it (span edges, when training)."""
    out: list[Range] = []
    for s, e in tokens_of(text):
        if e - s > 2 and text[s] in _CLITIC_START:
            word_start = s
            for c in _word_cuts(text[s:e], known):
                out.append((s, word_start + c))
                s = word_start + c
        out.append((s, e))
    points = sorted({p for p in cuts})
    if not points:
        return out
    cut_out: list[Range] = []
    for s, e in out:
        i = bisect_right(points, s)
        while i < len(points) and points[i] < e:
            cut_out.append((s, points[i]))
            s = points[i]
            i += 1
        cut_out.append((s, e))
    return cut_out


def sequences(text: str, tokens: Sequence[Range]) -> list[list[int]]:
    """Token indices grouped by sentence (a token goes with the sentence it starts in,
    or the one before)."""
    starts = [s for s, _ in split_sentences(text)]
    groups: list[list[int]] = []
    current = -2
    for i, (s, _) in enumerate(tokens):
        k = bisect_right(starts, s) - 1
        if k != current or not groups:
            groups.append([])
            current = k
        groups[-1].append(i)
    return groups


def outermost(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans a BIO sequence can hold: the outermost of nested ones, the first of
    crossing ones."""
    out: list[tuple[int, int, str]] = []
    for s, e, label in sorted(spans, key=lambda x: (x[0], -x[1], x[2])):
        if s < e and (not out or s >= out[-1][1]):
            out.append((s, e, label))
    return out


def _tag(tokens: Sequence[Range], spans: Iterable[tuple[int, int, str]],
         outside: str) -> list[str]:
    """``B-label``/``I-label`` for the tokens inside each of ``spans`` (in order; a later
    one overwrites), ``outside`` elsewhere."""
    tags = [outside] * len(tokens)
    starts = [s for s, _ in tokens]
    for s, e, label in spans:
        i = max(0, bisect_right(starts, s) - 1)
        first = True
        while i < len(tokens) and tokens[i][0] < e:
            if tokens[i][1] > s:
                tags[i] = ("B-" if first else "I-") + label
                first = False
            i += 1
    return tags


def bio_tags(tokens: Sequence[Range], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags of ``tokens`` (cut at every span edge) for ``spans``."""
    return _tag(tokens, outermost(spans), "O")


def gazetteer_tags(tokens: Sequence[Range], matches: Iterable[tuple[int, int, str]]
                   ) -> list[str]:
    """``B-label``/``I-label`` for the tokens inside a gazetteer match, ``""`` elsewhere."""
    return _tag(tokens, matches, "")


def first_word_keys(text: str, spans: Iterable[tuple[int, int, str]]) -> set[str]:
    """The keys of the first words of ``spans`` (what a proclitic may be split from)."""
    out: set[str] = set()
    for s, e, _ in spans:
        m = _LETTERS.match(match_key(text[s:e]))
        if m and len(m.group()) >= 2:
            out.add(m.group())
    return out


def _shape(tok: str) -> str:
    if tok.isdigit() or tok[:1].isdigit():
        return "D" if tok.isdigit() else "Dx"
    if tok.isalpha():
        if tok.isascii():
            return "Lu" if tok[:1].isupper() else "Ll"
        return "A"
    return "P"


def _digits(key: str) -> str:
    if not key[:1].isdigit():
        return ""
    if key.isdigit():
        n = len(key)
        return "d4" if n == 4 and key[:2] in ("19", "20") else f"d{min(n, 5)}"
    return "d/" if "/" in key else "d."


def sequence_features(text: str, tokens: Sequence[Range], idx: Sequence[int],
                      keys: Sequence[str], gaz: Sequence[str]) -> list[list[str]]:
    """The feature strings of the tokens ``idx`` (one sentence), ``keys`` their match keys
    and ``gaz`` their gazetteer tags (indexed like ``tokens``)."""
    n = len(idx)
    ks = [keys[i] for i in idx]
    stripped = [k[2:] if k.startswith(ARTICLE) and len(k) > 3 else k for k in ks]
    gs = [gaz[i] for i in idx]
    out: list[list[str]] = []
    for j, i in enumerate(idx):
        k = ks[j]
        s, e = tokens[i]
        f = ["b", "k=" + k, "s=" + stripped[j], "p3=" + k[:3], "x2=" + k[-2:],
             "x3=" + k[-3:], "sh=" + _shape(text[s:e])]
        dg = _digits(k)
        if dg:
            f.append("dg=" + dg)
        if k in (ARTICLE, "\u0644") and e < len(text) and not text[e].isspace():
            f.append("art")
        elif e < len(text) and text[e].isalpha():
            f.append("pre")  # a proclitic glued to the next token
        if j:
            f.append("k-1=" + ks[j - 1])
            f.append("kk=" + ks[j - 1] + "|" + k)
            if j > 1:
                f.append("k-2=" + ks[j - 2])
        else:
            f.append("BOS")
        if j + 1 < n:
            f.append("k+1=" + ks[j + 1])
            if j + 2 < n:
                f.append("k+2=" + ks[j + 2])
        else:
            f.append("EOS")
        if gs[j]:
            f.append("g=" + gs[j])
        if j and gs[j - 1]:
            f.append("g-1=" + gs[j - 1])
        if j + 1 < n and gs[j + 1]:
            f.append("g+1=" + gs[j + 1])
        out.append(f)
    return out


def spans_of_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last, label)`` token ranges (``last`` exclusive) of a BIO sequence; an
    ``I-`` without its ``B-`` starts a span."""
    out: list[tuple[int, int, str]] = []
    first = -1
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and first >= 0 and tag[2:] == label:
            continue
        if first >= 0:
            out.append((first, i, label))
            first = -1
        if tag != "O":
            first, label = i, tag[2:]
    return out
