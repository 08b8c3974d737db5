"""Pure pieces of the exporters: splits, majority vote, edge-respecting tokens, IOB2."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import UsageError
from annotator.io.conll import ConllWriter, read_conll
from annotator.io.majority import majority
from annotator.io.split import assign_split, parse_split, unit_interval
from annotator.io.token_split import edge_tokens, layout
from annotator.text.segment import split_sentences


def test_parse_split() -> None:
    assert parse_split("train=0.8,dev=0.1,test=0.1") == [
        ("train", 0.8), ("dev", 0.1), ("test", 0.1)]
    assert parse_split("a=1") == [("a", 1.0)]
    assert parse_split(" x = 0.5 , y=0.5 ") == [("x", 0.5), ("y", 0.5)]
    assert parse_split("train=0.7,dev=0.3,test=0") == [("train", 0.7), ("dev", 0.3),
                                                       ("test", 0.0)]


@pytest.mark.parametrize("bad", [
    "", "train", "train=", "=0.5,dev=0.5", "train=abc,dev=1", "train=-0.2,dev=1.2",
    "train=0.8,dev=0.1", "train=0.5,train=0.5", "train=nan,dev=1", "train=inf",
    "train=0.8;dev=0.2", "../x=1", "a/b=1", "..=1",
])
def test_parse_split_rejects(bad: str) -> None:
    with pytest.raises(UsageError) as exc:
        parse_split(bad)
    assert "\n" not in str(exc.value) and str(exc.value).startswith("--split")


def test_split_is_stable_and_seeded() -> None:
    spec = parse_split("train=0.8,dev=0.1,test=0.1")
    ids = [f"doc{i:04d}" for i in range(2000)]
    first = [assign_split(i, spec, 3) for i in ids]
    assert first == [assign_split(i, spec, 3) for i in ids]
    assert first != [assign_split(i, spec, 4) for i in ids]
    share = first.count("train") / len(ids)
    assert 0.75 < share < 0.85
    # a fixed value: independent of Python's hash randomisation and of the platform
    assert unit_interval("d1", 0) == int.from_bytes(
        __import__("hashlib").sha256(b"0:d1").digest()[:8], "big") / 2.0**64
    # a zero share gets nothing
    zero = parse_split("train=0.5,dev=0.5,test=0")
    assert "test" not in {assign_split(i, zero, 1) for i in ids}


def test_majority_strict() -> None:
    votes = {"a": ["x", "y", "z"], "b": ["x", "y"], "c": ["x", "w"]}
    assert sorted(majority(votes, ["a", "b", "c"])) == ["x", "y"]
    # two voters: a tie (one of two) is dropped
    assert majority({"a": ["x", "y"], "b": ["x"]}, ["a", "b"]) == ["x"]
    # four voters: two of four is a tie, three of four is kept
    four = {"a": ["x", "y"], "b": ["x", "y"], "c": ["x"], "d": []}
    assert majority(four, ["a", "b", "c", "d"]) == ["x"]
    # a voter with nothing still counts; duplicates count once
    assert majority({"a": ["x", "x"]}, ["a", "b"]) == []


def test_edge_tokens_split_clitics() -> None:
    text = "ورفضه للبوليساريو."
    s = text.index("بوليساريو")
    tokens = [text[a:b] for a, b in edge_tokens(text, [s, s + 9])]
    assert tokens == ["ورفضه", "لل", "بوليساريو", "."]
    assert [text[a:b] for a, b in edge_tokens(text, [])] == ["ورفضه", "للبوليساريو", "."]


def test_layout_reports_whitespace_edges() -> None:
    text = "قال الوزير  إن"
    lay = layout(text, [(0, len(text))], [(3, 10, "OCC"), (10, 12, "PERS")])
    assert [(text[lay.tokens[s.first][0]:lay.tokens[s.last - 1][1]]) for s in lay.spans] == [
        "الوزير"]
    assert len(lay.problems) == 2
    assert "whitespace at an edge" in lay.problems[0] and "covers no token" in lay.problems[1]


def test_layout_merges_sentences_a_span_crosses() -> None:
    text = "زار الوفد. المغرب أمس."
    sents = split_sentences(text)
    assert len(sents) == 2
    lay = layout(text, sents, [(text.index("الوفد"), text.index("أمس"), "ORG")])
    assert len(lay.blocks) == 1
    assert len(layout(text, sents, []).blocks) == 2


def test_export_with_whitespace_edge_exits_1(databases, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from annotator.cli import app
    from annotator.store.service import Store

    db = databases.new("w")
    store = Store.open(db)
    text = "قال الوزير إن التعاون مستمر."
    doc, _ = store.add_document(external_id="w", title="w", text=text,
                                sentences=split_sentences(text))
    store.add_span(doc.id, "alice", 3, 10, "OCC")  # " الوزير": leading space
    store.set_status(doc.id, "alice", "done")
    store.close()
    result = CliRunner().invoke(app, ["--db", db, "export", str(tmp_path / "w.conll"),
                                      "--format", "conll", "--source", "annotator:alice"])
    assert result.exit_code == 1
    assert "whitespace at an edge" in result.stderr
    assert "الوزير\tB-OCC" in (tmp_path / "w.conll").read_text(encoding="utf-8")


WORDS = ["المغرب", "للبوليساريو", "وزير", "،", "30/03/2022", "الداخلية", "«قال»", "3.5",
         "بوريطة", "."]


@st.composite
def documents(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    seps = draw(st.lists(st.sampled_from([" ", " ", "  ", "\n", ""]), min_size=len(words),
                         max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).strip() or "س"
    solid = [i for i, c in enumerate(text) if not c.isspace()]
    spans = set()
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.sampled_from(solid))
        b = draw(st.sampled_from([i for i in solid if i >= a]))
        spans.add((a, b + 1, draw(st.sampled_from(["PERS", "ORG", "GPE"]))))
    return text, sorted(spans, key=lambda t: (t[0], -t[1], t[2]))


@settings(max_examples=150, deadline=None)
@given(documents())
def test_conll_round_trip_any_spans(tmp_path_factory, doc) -> None:
    text, spans = doc
    record = {"id": "h", "title": "", "text": text,
              "sentences": [{"start": s, "end": e} for s, e in split_sentences(text)],
              "spans": [{"start": s, "end": e, "label": lab, "text": text[s:e]}
                        for s, e, lab in spans],
              "events": [], "meta": {"split": None}}
    out = tmp_path_factory.mktemp("h") / "h.conll"
    writer = ConllWriter(out)
    writer.add(record)
    writer.close()
    assert writer.problems == []
    assert read_conll(out, [text]) == [spans]
