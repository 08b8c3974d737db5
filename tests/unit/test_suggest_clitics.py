"""Proclitics: which letters before a name stay outside its span (annotator.suggest.clitics)."""

from __future__ import annotations

import pytest

from annotator.suggest.clitics import (
    PROCLITICS,
    Form,
    article_outside,
    form_of_span,
    form_of_surface,
    name_key,
    split_proclitic,
)


@pytest.mark.parametrize(
    ("word", "known", "expected"),
    [
        ("وللمغرب", (), ("ولل", "مغرب")),
        ("بالرباط", (), ("بال", "رباط")),
        ("والمغرب", (), ("وال", "مغرب")),
        ("فالمغرب", (), ("فال", "مغرب")),
        ("كالمغرب", (), ("كال", "مغرب")),
        ("المغرب", (), ("ال", "مغرب")),
        ("بِالرِّبَاط", (), ("بِال", "رِّبَاط")),  # harakat stay with their letters
        ("وزير", (), ("", "وزير")),  # no known name after و: not split
        ("ولفتيت", ("لفتيت",), ("و", "لفتيت")),
        ("بفرنسا", ("فرنسا",), ("ب", "فرنسا")),
        ("الي", (), ("", "الي")),  # no stem of two letters after ال
    ],
)
def test_split_proclitic(word: str, known: tuple[str, ...], expected: tuple[str, str]) -> None:
    assert split_proclitic(word, frozenset(known)) == expected
    assert "".join(split_proclitic(word, frozenset(known))) == word


def test_proclitic_runs_are_keys_longest_first() -> None:
    assert {"و", "ف", "ب", "ك", "ل", "ال", "لل", "وال", "بال", "كال", "فال"} <= set(PROCLITICS)
    assert [len(p) for p in PROCLITICS] == sorted((len(p) for p in PROCLITICS), reverse=True)


def test_form_of_a_span_reads_the_article_convention() -> None:
    text = "زار والمغرب"
    at = text.index("المغرب")
    assert form_of_span(text, at, at + 6) == Form("مغرب", "inside")
    assert form_of_span(text, at + 2, at + 6) == Form("مغرب", "outside")
    assert article_outside(text, at + 2)
    assert not article_outside(text, at)
    plain = "زار فرنسا"
    assert form_of_span(plain, 4, 9) == Form("فرنسا", "none")


def test_form_of_surface_folds_like_the_search() -> None:
    assert form_of_surface("الأُمَم  المتحدة") == Form("امم المتحده", "inside")
    assert form_of_surface("مغرب", with_article=True) == Form("مغرب", "outside")
    assert name_key(" وزارة\u00a0الداخلية ") == "وزاره الداخليه"
