"""Arabic proclitics: which letters before a name are left outside its span, and how.

Everything works on match keys (:mod:`annotator.text.keys`): hamza/alef forms, ta
marbuta, alef maqsura, tashkeel and tatweel are folded before any comparison, so
``بالمغرب`` and ``بِالمَغْرِب`` are the same word.

A name is one of three *forms*, read from the span an annotator drew (or, for a
gazetteer name, from the name itself):

``inside``
    the article is part of the span (``المغرب``). Occurrences: ``المغرب``, ``والمغرب``,
    ``بالمغرب``, ``فالمغرب``, ``كالمغرب``, ``وبالمغرب`` → the span covers ``المغرب``; in
    ``للمغرب``/``وللمغرب`` the article's alef is not written, so the span covers
    ``مغرب`` (the project's token convention ``لل|بوليساريو``); a stem starting with ل
    loses the article's lam too (``اللجنة`` → ``ل|لجنة``).
``outside``
    the text has the article but the span left it out (``ال|مغرب``): every occurrence
    with the article (``المغرب``, ``والمغرب``, ``للمغرب`` …) gets a span on ``مغرب``.
``none``
    a name that takes no article (``لفتيت``, ``فرنسا``): ``فرنسا``, ``وفرنسا``,
    ``بفرنسا``, ``لفرنسا``, ``ولفرنسا`` … → the span covers ``فرنسا``.

The proclitics before the article are a conjunction (و ف) then a preposition (ب ك);
without the article, a conjunction then one of ب ك ل. A match must start at a word
start (after its proclitics) and end at a word end: ``المغربية`` is not ``المغرب``.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from annotator.text.keys import keyed, match_key

__all__ = [
    "ARTICLE",
    "PROCLITICS",
    "Form",
    "form_of_span",
    "form_of_surface",
    "form_pattern",
    "name_key",
    "split_proclitic",
]

ARTICLE = "\u0627\u0644"  # ال (a key: every alef form folds to ا)
#: Every proclitic run that is left outside a span, as keys (longest first).
PROCLITICS: tuple[str, ...] = tuple(sorted({
    c + p + a
    for c in ("", "و", "ف")
    for p, a in (("", ""), ("ب", ""), ("ك", ""), ("ل", ""), ("", "ال"), ("ب", "ال"),
                 ("ك", "ال"), ("ل", "ل"))
} - {""}, key=lambda s: (-len(s), s)))

INSIDE, OUTSIDE, NONE = "inside", "outside", "none"

# a letter or digit of a key (the key has no harakat left)
_WORD = r"[^\W_]"
#: before the article: a conjunction then ب or ك (keys)
BEFORE_ARTICLE = "[وف]?[بك]?"
#: before the lam of the article written ``لل``: a conjunction then the preposition ل
BEFORE_LAM = "[وف]?ل"
#: before a name without the article
BEFORE_NAME = "[وف]?[بكل]?"
_OUTSIDE_PREFIX = re.compile(f"(?:{BEFORE_ARTICLE}{ARTICLE}|{BEFORE_LAM}ل)")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Form:
    """A name as matching sees it: ``stem`` is its key without the article (whitespace
    runs as one space), ``article`` is ``inside``, ``outside`` or ``none``."""

    stem: str
    article: str

    @property
    def key(self) -> str:
        """The key of the span this form stands for in a plain occurrence."""
        return ARTICLE + self.stem if self.article == INSIDE else self.stem


def name_key(name: str) -> str:
    """The key of a name: :func:`match_key`, whitespace runs as one space, stripped."""
    return _SPACES.sub(" ", match_key(name)).strip()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or (not ch.isspace() and not match_key(ch))


def _split_article(key: str) -> tuple[str, str] | None:
    """``(ARTICLE, stem)`` when ``key`` starts with the article and a stem of at least
    two letters follows, else None."""
    if key.startswith(ARTICLE) and len(key) >= len(ARTICLE) + 2 and key[2] != " ":
        return ARTICLE, key[2:]
    return None


def form_of_surface(surface: str, *, with_article: bool = False) -> Form:
    """The form of a name written ``surface`` (a span's text). A surface starting with
    the article is ``inside``; otherwise ``with_article`` says whether it stood after an
    article left outside its span (``outside``) or takes none (``none``)."""
    key = name_key(surface)
    split = _split_article(key)
    if split is not None:
        return Form(split[1], INSIDE)
    return Form(key, OUTSIDE if with_article else NONE)


def article_outside(text: str, start: int) -> bool:
    """Whether the word letters right before ``start`` (in the same word) are proclitics
    ending with the article: ``ال|مغرب``, ``وال|مغرب``, ``لل|مغرب``."""
    i = start
    while i > 0 and start - i < 12 and _is_word_char(text[i - 1]):
        i -= 1
    if i == start or (i > 0 and _is_word_char(text[i - 1])):
        return False
    return _OUTSIDE_PREFIX.fullmatch(match_key(text[i:start])) is not None


def form_of_span(text: str, start: int, end: int) -> Form:
    """The form of the span ``text[start:end]``: the team's convention read from it."""
    return form_of_surface(text[start:end], with_article=article_outside(text, start))


def _stem_pattern(stem: str) -> str:
    return r"\s+".join(re.escape(w) for w in stem.split(" "))


@lru_cache(maxsize=512)
def form_pattern(form: Form) -> re.Pattern[str]:
    """A regex over a text's key finding the form's occurrences; the span is the named
    group ``a`` or ``b`` (whichever matched)."""
    stem = _stem_pattern(form.stem)
    # ل + ال + stem is written لل + stem, or ل + stem when the stem starts with ل (للجنة)
    lam = f"{BEFORE_LAM}\u0644?" if form.stem.startswith("\u0644") else f"{BEFORE_LAM}\u0644"
    if form.article == INSIDE:
        body = f"(?:{BEFORE_ARTICLE}(?P<a>{ARTICLE}{stem})|{lam}(?P<b>{stem}))"
    elif form.article == OUTSIDE:
        body = f"(?:{BEFORE_ARTICLE}{ARTICLE}|{lam})(?P<a>{stem})"
    else:
        body = f"{BEFORE_NAME}(?P<a>{stem})"
    return re.compile(f"(?<!{_WORD}){body}(?!{_WORD})")


def key_range(text: str, key_offsets: list[int], ks: int, ke: int) -> tuple[int, int] | None:
    """The text range of the key range ``[ks, ke)`` (``key_offsets`` from
    :func:`annotator.text.keys.keyed`), running on over the dropped characters (harakat,
    tatweel) after its last letter; None when an edge falls inside a character that
    expands into several key characters."""
    if ks >= ke:
        return None
    if ks > 0 and key_offsets[ks - 1] == key_offsets[ks]:
        return None
    if ke < len(key_offsets) and key_offsets[ke] == key_offsets[ke - 1]:
        return None
    start = key_offsets[ks]
    end = key_offsets[ke - 1] + 1
    stop = key_offsets[ke] if ke < len(key_offsets) else len(text)
    while end < stop and not match_key(text[end]):
        end += 1
    return start, end


def split_proclitic(word: str, known: Container[str] = ()) -> tuple[str, str]:
    """``(proclitics, rest)`` with ``proclitics + rest == word``: the longest proclitic
    run ending with the article (``وال``, ``بال``, ``لل`` …) when a stem of two letters or
    more follows; otherwise a conjunction/preposition run (``و``, ``ب``, ``ول`` …) only
    when the key of the rest is in ``known`` (``وزير`` is not ``و`` + ``زير``).
    ``("", word)`` when nothing is split off."""
    key, offsets = keyed(word)
    m = re.match(f"(?:{BEFORE_ARTICLE}{ARTICLE}|{BEFORE_LAM}\u0644)(?={_WORD}{{2}})", key)
    cut = m.end() if m else 0
    if not cut and known:
        for p in re.findall(f"^{BEFORE_NAME}", key)[:1]:
            for n in range(len(p), 0, -1):
                if len(key) - n >= 2 and key[n:] in known:
                    cut = n
                    break
    if not cut or cut >= len(offsets):
        return "", word
    at = offsets[cut]
    return word[:at], word[at:]
