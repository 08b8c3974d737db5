"""The shapes the fast exporters must keep (issue 11, speed and memory): the token layout
(bisect per edge) equals the per-token walk it replaced; CoNLL files padded only where the
depth grew; spaCy DocBins written in shards that spaCy reads back, built with the same
bytes as `DocBin.add`."""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path

import pytest
from export_corpus import export, read_jsonl, spans_of
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.conll import ConllWriter, document_lines, read_conll
from annotator.io.token_split import TokenSpan, layout
from annotator.text.segment import split_sentences, split_tokens

# --- the token layout against the straightforward per-token algorithm -------------------


def walk_tokens(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Every token cut at every point inside it, by walking the tokens."""
    points = sorted(set(cuts))
    out = []
    for s, e in split_tokens(text):
        for p in points:
            if s < p < e:
                out.append((s, p))
                s = p
        out.append((s, e))
    return out


def walk_blocks(tokens, sentences, spans: list[TokenSpan]) -> list[tuple[int, int]]:
    """Blocks by the key (sentence, inside it) of every token; merged across spans."""
    starts = [s for s, _ in sentences]
    keys = []
    for s, e in tokens:
        i = bisect_right(starts, s) - 1
        keys.append((i, i >= 0 and e <= sentences[i][1]))
    blocks, first = [], 0
    for j in range(1, len(tokens)):
        held = any(sp.first < j < sp.last for sp in spans)
        if keys[j] != keys[j - 1] and not held:
            blocks.append((first, j))
            first = j
    if tokens:
        blocks.append((first, len(tokens)))
    return blocks


PIECES = ["للبوليساريو", "عبد", " ", "  ", ".", "\n", "،", "و", "3.5", "؟", "«", "»", "\t"]


@st.composite
def documents(draw):
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=25)))
    n = len(text)
    offset = st.integers(0, n)

    def ranges(k: int) -> list[tuple[int, int]]:
        return [tuple(sorted(draw(st.tuples(offset, offset)))) for _ in range(k)]

    if draw(st.booleans()):
        sentences = split_sentences(text)
    else:
        sentences = ranges(draw(st.integers(0, 4)))
    spans = [(s, e, draw(st.sampled_from("AB"))) for s, e in ranges(draw(st.integers(0, 7)))]
    return text, sentences, spans


@settings(max_examples=400, deadline=None)
@given(documents())
def test_layout_equals_the_per_token_walk(doc) -> None:
    text, sentences, spans = doc
    lay = layout(text, sentences, spans)
    cuts = [p for s, e, _ in spans for p in (s, e)] + [p for r in sentences for p in r]
    assert lay.tokens == walk_tokens(text, cuts)
    for sp in lay.spans:  # every placed span covers the tokens inside its range
        inside = [j for j, (s, e) in enumerate(lay.tokens) if sp.start <= s and e <= sp.end]
        assert (sp.first, sp.last) == (inside[0], inside[-1] + 1)
    assert lay.blocks == walk_blocks(lay.tokens, sorted(sentences), lay.spans)


# --- CoNLL: padding only where the depth grew -------------------------------------------


def record(rid: str, text: str, spans: list[tuple[int, int, str]], split=None) -> dict:
    return {"id": rid, "text": text, "sentences": [{"start": s, "end": e}
                                                   for s, e in split_sentences(text)],
            "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
            "events": [], "meta": {"split": split}}


FLAT = record("a", "وزير الداخلية عبد الوافي لفتيت.", [(0, 4, "OCC")])
DEEP = record("b", "سفير المملكة المغربية في مدريد.",
              [(0, 30, "OCC"), (5, 21, "GPE"), (13, 21, "NORP")])


@pytest.mark.parametrize("order", [[FLAT, DEEP, FLAT], [DEEP, FLAT], [FLAT, FLAT]])
def test_conll_columns_padded_to_the_deepest(order, tmp_path: Path) -> None:
    out = tmp_path / "x.conll"
    writer = ConllWriter(out)
    for rec in order:
        writer.add(rec)
    assert writer.close() == [out]
    depth = max(document_lines(rec)[1] for rec in order)
    lines = out.read_text(encoding="utf-8").split("\n")
    token_lines = [ln for ln in lines if ln and ln != "-DOCSTART-"]
    assert {ln.count("\t") for ln in token_lines} == {depth}
    # the same text as every document's lines padded to that depth, one after another
    expected = [ln for rec in order for ln in document_lines(rec, depth)[0]]
    assert lines == [*expected, ""]
    assert read_conll(out, [r["text"] for r in order]) == [
        sorted(spans_of(r), key=lambda t: (t[0], -t[1], t[2])) for r in order]
    assert [p.name for p in tmp_path.iterdir()] == ["x.conll"]  # no scratch file left


def test_conll_split_files_padded_each_to_its_own_depth(tmp_path: Path) -> None:
    out = tmp_path / "s.conll"
    writer = ConllWriter(out)
    for rec in (record("a", FLAT["text"], [(0, 4, "OCC")], "train"),
                {**DEEP, "meta": {"split": "dev"}}):
        writer.add(rec)
    writer.close()
    train = (tmp_path / "s.train.conll").read_text(encoding="utf-8")
    dev = (tmp_path / "s.dev.conll").read_text(encoding="utf-8")
    assert {ln.count("\t") for ln in train.split("\n") if "\t" in ln} == {1}
    assert {ln.count("\t") for ln in dev.split("\n") if "\t" in ln} == {3}


# --- spaCy: shards, spaCy's own readers, the same bytes as DocBin.add --------------------


@pytest.fixture
def small_shards(monkeypatch):
    pytest.importorskip("spacy")
    from annotator.io import spacy_docbin

    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 2)
    return spacy_docbin


def test_spacy_shards_are_read_by_spacy(corpus, small_shards, tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Corpus

    ref = tmp_path / "ref.jsonl"
    assert export(corpus.db, ref, "--source", "annotator:alice").exit_code == 0
    records = read_jsonl(ref)
    assert len(records) == 3
    out = tmp_path / "alice.spacy"
    result = export(corpus.db, out, "--source", "annotator:alice", "--format", "spacy",
                    "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"] == [str(out)]
    assert out.is_dir()
    parts = sorted(p.name for p in out.iterdir())
    assert parts == ["part-0000.spacy", "part-0001.spacy"]  # 2 + 1 documents
    vocab = spacy.blank("ar").vocab
    docs = [doc for name in parts
            for doc in DocBin().from_disk(out / name).get_docs(vocab)]
    assert [d.user_data["id"] for d in docs] == [r["id"] for r in records]
    for doc, rec in zip(docs, records, strict=True):
        assert doc.text == rec["text"]
        assert sorted(((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]),
                      key=lambda t: (t[0], -t[1], t[2])) == spans_of(rec)
    # what `spacy train --paths.train OUT` does: a Corpus over the folder
    nlp = spacy.blank("ar")
    examples = list(Corpus(out)(nlp))
    assert sorted(ex.reference.text for ex in examples) == sorted(r["text"] for r in records)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_spacy_export_replaces_its_earlier_output(corpus, small_shards, tmp_path) -> None:
    out = tmp_path / "x.spacy"
    args = ("--source", "annotator:alice", "--format", "spacy")
    assert export(corpus.db, out, *args).exit_code == 0
    assert out.is_dir()
    assert export(corpus.db, out, *args).exit_code == 0  # a folder of shards: replaced
    assert sorted(p.name for p in out.iterdir()) == ["part-0000.spacy", "part-0001.spacy"]
    small_shards.SHARD_DOCS = 1000
    assert export(corpus.db, out, *args).exit_code == 0  # now one file
    assert out.is_file()


def test_spacy_export_refuses_a_foreign_folder(corpus, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = export(corpus.db, out, "--source", "annotator:alice", "--format", "spacy")
    assert result.exit_code == 2
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_spacy_add_is_docbin_add(corpus, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    from annotator.commands.common import open_store
    from annotator.io.records import iter_records, parse_source, select_documents
    from annotator.io.spacy_docbin import SpacyWriter, add_to_docbin

    store, schema = open_store(str(corpus.db))
    try:
        for source in ("gold", "majority", "annotator:alice"):
            writer = SpacyWriter(tmp_path / "unused.spacy", event_labels=schema.event_names())
            theirs, ours = writer._new_bin(), writer._new_bin()
            sel = select_documents(store, parse_source(source))
            for rec in iter_records(store, sel, schema_version=schema.version):
                doc, words = writer._build(rec)
                theirs.add(doc)
                add_to_docbin(ours, doc, words)
            writer.abort()
            assert len(ours) and ours.strings == theirs.strings
            assert ours.to_bytes() == theirs.to_bytes()
    finally:
        store.close()


def test_spacy_writer_restores_srsly(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    import srsly

    from annotator.io.spacy_docbin import SpacyWriter

    writer = SpacyWriter(tmp_path / "e.spacy")
    assert "get_all" in vars(srsly.msgpack_encoders)
    writer.close()
    assert "get_all" not in vars(srsly.msgpack_encoders)
    assert (tmp_path / "e.spacy").is_file()


# --- the export's tokenizer is split_tokens ----------------------------------------------

TOKEN_CHARS = st.sampled_from([
    "ك", "ت", "ا", "ب", "a", "Z", "é", "7", "٣", ".", ",", "/", ":", "\u066b", "\u066c", " ",
    "\n", "\t", "،", "؟", "«", "»", "-", "_", "\u064b", "\u0651", "\u0670", "\u200c",
    "\u200d", "\u200f", "\u00ad", "\u0300", "\U0001d167", "\U000e0100", "\U000e0001",
    "\U0001f600", "\U00010400", "\u0640",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(TOKEN_CHARS, max_size=40).map("".join))
def test_tokens_of_is_split_tokens(text: str) -> None:
    from annotator.io.token_split import _token_pattern, tokens_of

    assert _token_pattern() is not None  # the fast pattern is in use
    assert tokens_of(text) == split_tokens(text)
