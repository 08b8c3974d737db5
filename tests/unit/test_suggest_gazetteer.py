"""Gazetteers (annotator.suggest.gazetteer): an Aho–Corasick automaton over match keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.suggest.clitics import Form
from annotator.suggest.gazetteer import (
    Gazetteer,
    GazetteerErrors,
    gazetteer_key,
    read_gazetteer_file,
)

NAMES = [("المغرب", "GPE"), ("وزارة الداخلية", "ORG"), ("الداخلية", "ORG"),
         ("لفتيت", "PERS"), ("بنك المغرب", "ORG"), ("وزير الداخلية", "OCC")]


def _found(g: Gazetteer, text: str, taken=()) -> list[tuple[str, str]]:
    return [(text[p.start:p.end], p.label) for p in g.find(text, taken)]


def test_names_are_found_on_keys_with_proclitics_outside() -> None:
    g = Gazetteer(NAMES)
    text = "قال وزير الداخلية لفتيت إن وزارة الداخليّة وللمغرب ولفتيت بالمَغْرِبِ"
    assert _found(g, text) == [
        ("وزير الداخلية", "OCC"),  # longest wins over الداخلية
        ("لفتيت", "PERS"),
        ("وزارة الداخليّة", "ORG"),
        ("مغرب", "GPE"),  # لل: the article's alef is not written
        ("لفتيت", "PERS"),
        ("المَغْرِبِ", "GPE"),
    ]
    assert all(p.source == "gazetteer" and p.score == 1.0 for p in g.find(text))


def test_word_boundaries_and_longest_match() -> None:
    g = Gazetteer(NAMES)
    assert _found(g, "المغربية والمغربي ومغرب") == []
    assert _found(g, "محافظ بنك المغرب") == [("بنك المغرب", "ORG")]


def test_taken_ranges_are_skipped_nesting_is_not() -> None:
    g = Gazetteer([("المغرب", "GPE")])
    text = "المغرب ثم المغرب"
    assert [(p.start, p.end) for p in g.find(text, taken=[(0, 6), (8, 16)])] == [(10, 16)]
    assert g.find(text, taken=[(0, 6), (12, 17)]) == []


def test_a_name_with_several_labels_takes_the_most_frequent() -> None:
    g = Gazetteer([("فاس", "GPE"), ("فاس", "ORG"), ("فاس", "ORG")])
    assert _found(g, "في فاس") == [("فاس", "ORG")]
    assert len(g) == 1


def test_forms_keep_the_article_outside() -> None:
    g = Gazetteer.from_forms([(Form("مغرب", "outside"), "GPE")], source="occurrences")
    text = "المغرب وللمغرب مغرب"
    assert [(text[p.start:p.end], p.source) for p in g.find(text)] == [
        ("مغرب", "occurrences"), ("مغرب", "occurrences")]


def test_an_empty_gazetteer_finds_nothing() -> None:
    assert Gazetteer([]).find("المغرب") == []
    assert gazetteer_key(" الأمم\tالمتحدة ") == "الامم المتحده"


def test_reading_a_file(tmp_path: Path) -> None:
    plain = tmp_path / "gpe.txt"
    plain.write_text("# cities\nالرباط\n\nفاس\nطنجة\tGPE\n", encoding="utf-8")
    assert list(read_gazetteer_file(plain, "GPE")) == [
        (2, "الرباط", "GPE"), (4, "فاس", "GPE"), (5, "طنجة", "GPE")]
    tsv = tmp_path / "names.tsv"
    tsv.write_text("لفتيت\tPERS\nبلا تسمية\nا\tb\tc\n،\tPUNCT\nبنك المغرب\tORG\n",
                   encoding="utf-8")
    got = []
    with pytest.raises(GazetteerErrors) as info:
        for row in read_gazetteer_file(tsv, None):
            got.append(row)
    assert got == [(1, "لفتيت", "PERS"), (5, "بنك المغرب", "ORG")]
    lines = [str(e) for e in info.value.errors]
    assert lines[0] == f"{tsv}:2: a name without a label (give --label, or name<TAB>label)"
    assert [e.line for e in info.value.errors] == [2, 3, 4]
    assert all("\n" not in line for line in lines)


def test_an_unreadable_file_is_one_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(GazetteerErrors, match=r"bad.txt: not UTF-8"):
        list(read_gazetteer_file(bad, "GPE"))
    with pytest.raises(GazetteerErrors, match="cannot read"):
        list(read_gazetteer_file(tmp_path / "missing.txt", "GPE"))


def test_a_stem_starting_with_lam_after_li() -> None:
    g = Gazetteer([("اللجنة", "ORG")])
    assert _found(g, "قال وللجنة واللجنة للجنتين") == [("لجنة", "ORG"), ("اللجنة", "ORG")]


@given(st.lists(st.sampled_from(["وللمغرب", "بالرباط", "المغربية", "الرباط", "بنك", "المغرب",
                                 "لفتيت", "ولفتيت", " ", "  ", "،", "ـ", "\u064e", "ﻻ", "\n",
                                 "x"]), min_size=1, max_size=30))
def test_every_match_is_a_range_of_the_text_with_a_names_key(parts: list[str]) -> None:
    g = Gazetteer(NAMES)
    text = "".join(parts)
    keys = {gazetteer_key(n) for n, _ in NAMES}
    keys |= {k[2:] for k in keys if k.startswith("ال")}
    last = -1
    for p in g.find(text):
        assert 0 <= p.start < p.end <= len(text) and p.start >= last
        assert gazetteer_key(text[p.start:p.end]) in keys
        last = p.end
