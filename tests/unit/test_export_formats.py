"""CoNLL, spaCy and brat exports: every span survives with its exact offsets."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from export_corpus import D1, at, export, read_jsonl, spans_of
from typer.testing import CliRunner

from annotator.io.conll import read_conll

runner = CliRunner()


@pytest.fixture(params=["gold", "majority", "annotator:alice"])
def reference(request, corpus, tmp_path: Path) -> tuple[str, list[dict]]:
    """The JSONL records of a source: what every other format must agree with."""
    out = tmp_path / "ref.jsonl"
    assert export(corpus.db, out, "--source", request.param).exit_code == 0
    return request.param, read_jsonl(out)


def test_conll_reads_back_the_same_spans(corpus, reference, tmp_path: Path) -> None:
    source, records = reference
    out = tmp_path / "out.conll"
    result = export(corpus.db, out, "--source", source, "--format", "conll")
    assert result.exit_code == 0, result.output
    docs = read_conll(out, [r["text"] for r in records])
    assert docs == [spans_of(r) for r in records]
    for spans, rec in zip(docs, records, strict=True):
        for s, e, _ in spans:
            assert rec["text"][s:e]


def test_conll_layout(corpus, tmp_path: Path) -> None:
    out = tmp_path / "a.conll"
    assert export(corpus.db, out, "--source", "annotator:alice", "--format", "conll")\
        .exit_code == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "-DOCSTART-" and lines[1] == ""
    assert lines.count("-DOCSTART-") == 3
    token_lines = [ln for ln in lines if ln and ln != "-DOCSTART-"]
    # alice nests three deep in d1 (سفير [المملكة [المغربية]] في مدريد): 3 tag columns
    assert {ln.count("\t") for ln in token_lines} == {3}
    # the clitic is split: لل | بوليساريو
    i = token_lines.index("لل\tO\tO\tO")
    assert token_lines[i + 1] == "بوليساريو\tB-ORG\tO\tO"
    # nested: outermost first
    assert "سفير\tB-OCC\tO\tO" in token_lines
    assert "المملكة\tI-OCC\tB-GPE\tO" in token_lines
    assert "المغربية\tI-OCC\tI-GPE\tB-NORP" in token_lines
    # a blank line between sentences, none inside a span
    assert lines[lines.index("الرباط\tB-GPE\tO\tO") + 2] == ""


def test_conll_split_files(corpus, tmp_path: Path) -> None:
    out = tmp_path / "s.conll"
    result = export(corpus.db, out, "--source", "annotator:alice", "--format", "conll",
                    "--split", "train=0.5,dev=0.5", "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    files = [Path(f) for f in summary["files"]]
    assert {f.name for f in files} <= {"s.train.conll", "s.dev.conll"}
    assert not out.exists()
    total = sum(f.read_text(encoding="utf-8").count("-DOCSTART-") for f in files)
    assert total == 3 == sum(summary["splits"].values())


def test_spacy_docbin_has_the_same_spans(corpus, reference, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    source, records = reference
    out = tmp_path / "out.spacy"
    result = export(corpus.db, out, "--source", source, "--format", "spacy")
    assert result.exit_code == 0, result.output
    nlp = spacy.blank("ar")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert len(docs) == len(records)
    for doc, rec in zip(docs, records, strict=True):
        assert doc.text == rec["text"]
        assert doc.user_data["id"] == rec["id"]
        got = sorted(((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]),
                     key=lambda t: (t[0], -t[1], t[2]))
        assert got == spans_of(rec)
        ents = [(e.start_char, e.end_char) for e in doc.ents]
        assert all(a[1] <= b[0] for a, b in pairwise(ents))
        assert set(ents) <= {(s, e) for s, e, _ in spans_of(rec)}
        doc_events = {e["label"] for e in rec["events"] if e["scope"] == "document"}
        assert {k for k, v in doc.cats.items() if v == 1.0} == doc_events
        sent_events = sorted((e["start"], e["end"], e["label"]) for e in rec["events"]
                             if e["scope"] == "sentence")
        assert sorted((s.start_char, s.end_char, s.label_)
                      for s in doc.spans["events"]) == sent_events
        starts = [t.idx for t in doc if t.is_sent_start]
        assert starts == [s["start"] for s in rec["sentences"]]


def test_spacy_clitic_and_longest_ent(corpus, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "a.spacy"
    assert export(corpus.db, out, "--source", "annotator:alice", "--format", "spacy")\
        .exit_code == 0
    doc = next(DocBin().from_disk(out).get_docs(spacy.blank("ar").vocab))
    s, e = at(D1, "بوليساريو")
    assert [t.text for t in doc.char_span(s - 2, e)] == ["لل", "بوليساريو"]
    # of the nested سفير المملكة المغربية في مدريد / المملكة المغربية / المغربية: the longest
    ents = {(x.text, x.label_) for x in doc.ents}
    assert ("سفير المملكة المغربية في مدريد", "OCC") in ents
    assert ("المغربية", "NORP") not in ents


def test_spacy_missing_is_one_line(corpus, tmp_path: Path, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_spacy(name, *args, **kwargs):
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    result = export(corpus.db, tmp_path / "x.spacy", "--format", "spacy")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "spaCy" in result.stderr


def read_ann(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_brat(corpus, reference, tmp_path: Path) -> None:
    source, records = reference
    out = tmp_path / "brat"
    result = export(corpus.db, out, "--source", source, "--format", "brat")
    assert result.exit_code == 0, result.output
    assert (out / "annotation.conf").read_text(encoding="utf-8").startswith("[entities]")
    for rec in records:
        text = (out / f"{rec['id']}.txt").read_text(encoding="utf-8")
        assert text == rec["text"]
        lines = read_ann(out / f"{rec['id']}.ann")
        tb = {}
        spans = []
        for line in lines:
            if line.startswith("T"):
                tid, body, shown = line.split("\t")
                label, where = body.split(" ", 1)
                frags = [tuple(map(int, f.split())) for f in where.split(";")]
                assert " ".join(text[s:e] for s, e in frags) == shown
                tb[tid] = (label, frags)
                if label not in ("DOCUMENT", "SENTENCE"):
                    spans.append((frags[0][0], frags[-1][1], label))
        assert sorted(spans, key=lambda t: (t[0], -t[1], t[2])) == spans_of(rec)
        events = []
        for line in lines:
            if line.startswith("A"):
                _, body = line.split("\t")
                label, target = body.split(" ")
                kind, frags = tb[target]
                if kind == "DOCUMENT":
                    events.append({"label": label, "scope": "document"})
                else:
                    assert kind == "SENTENCE"
                    events.append({"label": label, "scope": "sentence",
                                   "start": frags[0][0], "end": frags[-1][1]})
        assert events == rec["events"]
        notes = [ln for ln in lines if ln.startswith("#")]
        assert bool(notes) == (source == "gold")


def test_brat_gold_notes(corpus, tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert export(corpus.db, out, "--format", "brat").exit_code == 0
    lines = read_ann(out / "d1.ann")
    t_pers = next(ln.split("\t")[0] for ln in lines if "\tPERS " in ln)
    note = next(ln for ln in lines if ln.startswith("#") and f" {t_pers}\t" in ln)
    assert note.endswith("annotators=alice,bob,carol; rule=unanimous; by=dina; "
                         "at=2024-05-01T10:00:00+00:00")
