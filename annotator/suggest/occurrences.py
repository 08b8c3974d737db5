"""Annotate all occurrences: every other place a labelled name is written.

Matching is on the Arabic match keys the search uses (``annotator.text.keys``), at word
boundaries, with the proclitics left outside the span the way the original span left
them (see :mod:`annotator.suggest.clitics`): after labelling ``المغرب`` (article inside),
``وللمغرب`` gets ``مغرب`` and ``بالمغرب`` gets ``المغرب``; after labelling ``مغرب`` in
``ال|مغرب`` (article outside), ``بالمغرب`` gets ``مغرب``.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.suggest.clitics import Form, form_of_span, form_of_surface, form_pattern, key_range
from annotator.suggest.proposal import Proposal, drop_taken
from annotator.text.keys import keyed

__all__ = ["find_form", "find_in_other", "find_occurrences"]

SOURCE = "occurrences"


def find_form(text: str, form: Form, *, keyed_text: tuple[str, list[int]] | None = None
              ) -> list[tuple[int, int]]:
    """The text ranges of every occurrence of ``form`` in ``text``, left to right.
    ``keyed_text``: ``keyed(text)`` when the caller already has it."""
    if not form.stem:
        return []
    key, offsets = keyed_text if keyed_text is not None else keyed(text)
    out: list[tuple[int, int]] = []
    for m in form_pattern(form).finditer(key):
        group = "a" if m.start("a") >= 0 else "b"
        rng = key_range(text, offsets, m.start(group), m.end(group))
        if rng is not None:
            out.append(rng)
    return out


def _proposals(ranges: Iterable[tuple[int, int]], label: str,
               taken: Iterable[tuple[int, int]]) -> list[Proposal]:
    return drop_taken([Proposal(s, e, label, SOURCE) for s, e in ranges], taken)


def find_occurrences(text: str, start: int, end: int, label: str, *,
                     taken: Iterable[tuple[int, int]] = ()) -> list[Proposal]:
    """Every other occurrence in ``text`` of the span ``text[start:end]`` labelled
    ``label``, its proclitics outside the span as the original left them; ranges equal
    to or crossing one of ``taken`` (and the original span itself) are left out."""
    if not 0 <= start < end <= len(text):
        return []
    ranges = [r for r in find_form(text, form_of_span(text, start, end))
              if r[1] <= start or r[0] >= end]
    return _proposals(ranges, label, [*taken, (start, end)])


def find_in_other(text: str, surface: str, label: str, *, with_article: bool,
                  taken: Iterable[tuple[int, int]] = ()) -> list[Proposal]:
    """The occurrences in ``text`` (another document) of a name labelled elsewhere:
    ``surface`` is the original span's text, ``with_article`` whether it stood after an
    article it left outside (:func:`annotator.suggest.clitics.article_outside` of the
    original span's start); a surface starting with the article keeps it inside."""
    form = form_of_surface(surface, with_article=with_article)
    return _proposals(find_form(text, form), label, taken)
