"""Gazetteers: lists of names matched in a text through one Aho–Corasick automaton.

Names and texts are compared on their match keys (:func:`annotator.text.keys.match_key`,
whitespace runs as one space), at word boundaries, proclitics outside the span
(:mod:`annotator.suggest.clitics`): a name written with the article keeps it inside
(``المغرب`` in ``وبالمغرب``; ``مغرب`` in ``للمغرب``, where the article's alef is not
written). Overlapping matches: the longest wins, then the leftmost.

The automaton (``pyahocorasick``) is built once per gazetteer; one pass over the text's
key finds every name, so the cost is the text's length, not the number of names.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import ahocorasick

from annotator.errors import InputError
from annotator.suggest.clitics import (
    ARTICLE,
    BEFORE_ARTICLE,
    BEFORE_LAM,
    BEFORE_NAME,
    INSIDE,
    NONE,
    Form,
    form_of_surface,
    key_range,
    name_key,
)
from annotator.suggest.proposal import Proposal, drop_taken
from annotator.text.keys import keyed

__all__ = ["Gazetteer", "GazetteerErrors", "gazetteer_key", "read_gazetteer_file"]

# how a pattern's match sits in its word: the proclitics allowed before it, and how many
# of its own key characters lead the span's start (the lam of ``لل``, an article outside)
_BEFORE = {
    "article": re.compile(BEFORE_ARTICLE),  # pattern ال+stem, span from ال
    "article-out": re.compile(BEFORE_ARTICLE),  # pattern ال+stem, span from the stem
    "lam": re.compile(BEFORE_LAM),  # pattern ل+stem (in لل+stem), span from the stem
    "lam-stem": re.compile(BEFORE_LAM),  # pattern stem starting with ل (ل|لجنة)
    "name": re.compile(BEFORE_NAME),  # pattern stem, span the whole
}
_SKIP = {"article": 0, "article-out": len(ARTICLE), "lam": 1, "lam-stem": 0, "name": 0}
_WHITESPACE = {c: " " for c in "\t\n\v\f\r\x1c\x1d\x1e\x85\xa0\u1680\u2028\u2029\u202f"
               "\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))}
_MAX_PROCLITICS = 4  # letters: the longest proclitic run (فبال)


def gazetteer_key(name: str) -> str:
    """The key a gazetteer name is stored and matched under (``GazetteerEntry.key``)."""
    return name_key(name)


def _patterns(form: Form) -> list[tuple[str, str]]:
    if form.article == NONE:
        return [(form.stem, "name")]
    first = "article" if form.article == INSIDE else "article-out"
    out = [(ARTICLE + form.stem, first), ("\u0644" + form.stem, "lam")]
    if form.stem.startswith("\u0644"):  # ل + اللجنة is written للجنة
        out.append((form.stem, "lam-stem"))
    return out


class Gazetteer:
    """Names with labels, matched in texts. Built from ``(name, label)`` pairs: a name
    listed with several labels is proposed with the one it was given most often (the
    first of equals)."""

    def __init__(self, entries: Iterable[tuple[str, str]], *, source: str = "gazetteer"
                 ) -> None:
        self._init(((form_of_surface(name), label) for name, label in entries), source)

    @classmethod
    def from_forms(cls, forms: Iterable[tuple[Form, str]], *, source: str) -> Gazetteer:
        """A gazetteer of names in given forms (e.g. the surfaces an annotator labelled,
        article inside or outside as they drew it), its proposals tagged ``source``."""
        self = cls.__new__(cls)
        self._init(forms, source)
        return self

    def _init(self, forms: Iterable[tuple[Form, str]], source: str) -> None:
        self.source = source
        counts: Counter[tuple[Form, str]] = Counter()
        for form, label in forms:
            if form.stem and label:
                counts[(form, label)] += 1
        best: dict[Form, str] = {}
        for (form, label), _ in counts.most_common():
            best.setdefault(form, label)
        self.forms = best
        self._automaton: ahocorasick.Automaton | None = None
        if best:
            automaton = ahocorasick.Automaton()
            table: dict[str, list[tuple[str, str]]] = {}
            for form, label in best.items():
                for pattern, kind in _patterns(form):
                    table.setdefault(pattern, []).append((kind, label))
            for pattern, kinds in table.items():
                automaton.add_word(pattern, (len(pattern), tuple(kinds)))
            automaton.make_automaton()
            self._automaton = automaton

    def __len__(self) -> int:
        return len(self.forms)

    def matches(self, text: str, *, keyed_text: tuple[str, list[int]] | None = None
                ) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` of every name in ``text``, overlaps resolved (longest
        wins, then leftmost), sorted by start."""
        if self._automaton is None or not text:
            return []
        key, offsets = keyed_text if keyed_text is not None else keyed(text)
        hay = key.translate(_WHITESPACE) if not key.isascii() else key
        n = len(hay)
        found: list[tuple[int, int, int, str]] = []  # (-length, key start, key end, label)
        for last, (length, kinds) in self._automaton.iter(hay):
            end = last + 1
            if end < n and _word(hay[end]):
                continue
            start = end - length
            word = start
            while word > 0 and start - word <= _MAX_PROCLITICS and _word(hay[word - 1]):
                word -= 1
            if word > 0 and _word(hay[word - 1]):
                continue
            before = hay[word:start]
            for kind, label in kinds:
                if _BEFORE[kind].fullmatch(before):
                    ks = start + _SKIP[kind]
                    found.append((ks - end, ks, end, label))
                    break
        if not found:
            return []
        found.sort()
        chosen: list[tuple[int, int]] = []  # key ranges kept, sorted
        out: list[tuple[int, int, str]] = []
        for _, ks, ke, label in found:
            i = bisect_right(chosen, (ks, n + 1))
            if i and chosen[i - 1][1] > ks:
                continue
            if i < len(chosen) and chosen[i][0] < ke:
                continue
            chosen.insert(bisect_left(chosen, (ks, ke)), (ks, ke))
            rng = key_range(text, offsets, ks, ke)
            if rng is not None:
                out.append((rng[0], rng[1], label))
        out.sort()
        return out

    def find(self, text: str, taken: Iterable[tuple[int, int]] = (), *,
             keyed_text: tuple[str, list[int]] | None = None) -> list[Proposal]:
        """The names in ``text`` as proposals (score 1.0), without the ranges equal to
        or crossing one of ``taken``. ``keyed_text``: ``keyed(text)`` when the caller
        already has it."""
        return self.proposals(self.matches(text, keyed_text=keyed_text), taken)

    def proposals(self, matches: Iterable[tuple[int, int, str]],
                  taken: Iterable[tuple[int, int]] = ()) -> list[Proposal]:
        """``matches`` (of :meth:`matches`) as this gazetteer's proposals (score 1.0),
        without the ranges equal to or crossing one of ``taken``."""
        return drop_taken([Proposal(s, e, label, self.source) for s, e, label in matches],
                          taken)


def _word(ch: str) -> bool:
    return ch.isalnum()


def read_gazetteer_file(path: str | Path, label: str | None
                        ) -> Iterator[tuple[int, str, str]]:
    """``(line number, name, label)`` for each name of a gazetteer file (UTF-8): one name
    a line (``label`` gives the label), or ``name<TAB>label`` (a label on the line wins
    over ``label``). Blank lines and lines starting with ``#`` are skipped.

    Bad lines do not stop the reading: once every good line was yielded,
    :class:`GazetteerErrors` is raised holding one :class:`InputError` per bad line
    (``file:line: what is wrong``); a file that cannot be read raises it at once."""
    errors: list[InputError] = []
    for number, name, lab, problem in _lines(Path(path), label):
        if problem:
            errors.append(InputError(str(path), problem, number))
            continue
        yield number, name, lab
    if errors:
        raise GazetteerErrors(errors)


class GazetteerErrors(InputError):
    """Every bad line of a gazetteer file (``.errors``, each one line); its own message
    is the first error's."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.message, first.line)


def _lines(path: Path, label: str | None) -> Iterator[tuple[int | None, str, str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        yield None, "", "", f"cannot read: {exc.strerror or exc}"
        return
    except UnicodeDecodeError as exc:
        yield None, "", "", f"not UTF-8 (byte {exc.start})"
        return
    for number, raw in enumerate(text.splitlines(), 1):
        line = unicodedata.normalize("NFC", raw).strip()
        if not line or line.startswith("#"):
            continue
        if "\t" in line:
            parts = [p.strip() for p in line.split("\t")]
            if len(parts) != 2 or not parts[0] or not parts[1]:
                yield number, "", "", "expected one name, a tab, one label"
                continue
            name, lab = parts
        elif label:
            name, lab = line, label
        else:
            yield number, "", "", "a name without a label (give --label, or name<TAB>label)"
            continue
        if not any(c.isalnum() for c in gazetteer_key(name)):
            yield number, "", "", f"the name {name!r} has no letter to match"
            continue
        yield number, name, lab, ""
