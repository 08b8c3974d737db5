"""JSONL export: sources, record shape (JSON Schema), majority, round trip, splits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_corpus import (
    D1,
    D3,
    at,
    build_corpus,
    export,
    read_jsonl,
    record_validator,
    spans_of,
)
from typer.testing import CliRunner

runner = CliRunner()


def check_records(records: list[dict]) -> None:
    validator = record_validator()
    for rec in records:
        errors = [e.message for e in validator.iter_errors(rec)]
        assert not errors, errors
        for span in rec["spans"]:
            assert rec["text"][span["start"]:span["end"]] == span["text"]
        assert list(rec) == ["id", "title", "text", "sentences", "spans", "events",
                             "event_mentions", "meta"]
        keys = [(s["start"], -s["end"], s["label"]) for s in rec["spans"]]
        assert keys == sorted(keys)


def test_gold_exports_finished_adjudication_only(corpus, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    result = export(corpus.db, out, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1 and summary["unfinished_gold"] == 1
    assert "adjudication is not marked done" in result.stderr
    records = read_jsonl(out)
    check_records(records)
    [rec] = records
    assert rec["id"] == "d1"
    assert rec["meta"]["source"] == "gold"
    assert rec["meta"]["annotators"] == ["alice", "bob", "carol"]
    assert rec["meta"]["split"] is None and rec["meta"]["schema_version"] == 1
    assert (*at(D1, "بوليساريو"), "ORG") in spans_of(rec)
    prov = rec["meta"]["provenance"]
    assert len(prov["spans"]) == len(rec["spans"]) and len(prov["events"]) == len(rec["events"])
    pers = next(p for p in prov["spans"] if p["label"] == "PERS")
    assert pers["rule"] == "unanimous" and pers["by"] == "dina"
    assert pers["annotators"] == ["alice", "bob", "carol"]
    assert rec["events"][0] == {"label": "MEET", "scope": "document"}
    assert rec["events"][1]["scope"] == "sentence"
    assert summary["spans"] == 6 and summary["events"] == 2


def test_file_format(corpus, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert export(corpus.db, out, "--source", "annotator:alice").exit_code == 0
    raw = out.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 3
    assert "بوريطة".encode() in raw  # ensure_ascii off
    records = read_jsonl(out)
    check_records(records)
    assert [r["id"] for r in records] == ["d1", "d2", "d3"]
    assert all(r["meta"]["annotators"] == ["alice"] for r in records)
    assert all("provenance" not in r["meta"] for r in records)


def test_majority_three_voters_and_tie(corpus, tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    result = export(corpus.db, out, "--source", "majority")
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in read_jsonl(out)}
    check_records(list(records.values()))
    d1 = records["d1"]
    assert d1["meta"]["annotators"] == ["alice", "bob", "carol"]
    # 2 or 3 of 3 keep a span; 1 of 3 drops it
    assert spans_of(d1) == sorted([
        (*at(D1, "وزير الخارجية"), "OCC"),       # alice, bob
        (*at(D1, "ناصر بوريطة"), "PERS"),        # all
        (*at(D1, "الرباط"), "GPE"),              # alice, carol
        (*at(D1, "بوليساريو"), "ORG"),           # all
        (*at(D1, "المملكة المغربية"), "GPE"),    # all
        (*at(D1, "المغربية"), "NORP"),           # alice, carol
        (*at(D1, "مدريد"), "GPE"),               # alice, bob
    ], key=lambda s: (s[0], -s[1], s[2]))
    assert [e["label"] for e in d1["events"] if e["scope"] == "document"] == ["MEET"]
    assert [e["label"] for e in d1["events"] if e["scope"] == "sentence"] == ["STATEMENT"]
    # d3: two voters; what only one of them has is a tie and is dropped
    d3 = records["d3"]
    assert d3["meta"]["annotators"] == ["alice", "bob"]
    assert spans_of(d3) == [(*at(D3, "محمد السادس"), "PERS"), (*at(D3, "الدار البيضاء"), "GPE")]
    assert d3["events"] == [{"label": "MEET", "scope": "document"}]


def test_round_trip_is_byte_identical(corpus, databases, tmp_path: Path) -> None:
    importing = pytest.importorskip("annotator.commands.importing")
    from annotator.commands.common import open_store

    first = tmp_path / "first.jsonl"
    args = ("--source", "annotator:alice", "--split", "train=0.5,dev=0.25,test=0.25",
            "--seed", "7")
    assert export(corpus.db, first, *args).exit_code == 0
    db2 = databases.new("fresh")
    store, schema = open_store(db2)
    try:
        summary = importing.import_paths(store, schema, [first], annotator="alice")
    finally:
        store.close()
    assert not summary.errors and summary.added == 3
    second = tmp_path / "second.jsonl"
    assert export(db2, second, *args).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_split_is_deterministic(corpus, tmp_path: Path) -> None:
    outs = []
    for name, seed in (("a", "1"), ("b", "1")):
        out = tmp_path / f"{name}.jsonl"
        result = export(corpus.db, out, "--source", "annotator:alice", "--split",
                        "train=0.6,dev=0.2,test=0.2", "--seed", seed, "--json")
        assert result.exit_code == 0
        summary = json.loads(result.stdout)
        assert sum(summary["splits"].values()) == 3
        assert list(summary["splits"]) == ["train", "dev", "test"]
        outs.append(out.read_bytes())
        check_records(read_jsonl(out))
        assert {r["meta"]["split"] for r in read_jsonl(out)} <= {"train", "dev", "test"}
    assert outs[0] == outs[1]


def test_nothing_to_export_warns(databases, tmp_path: Path) -> None:
    corpus = build_corpus(databases.new("c"))
    out = tmp_path / "x.jsonl"
    result = export(corpus.db, out, "--source", "annotator:alice", "--json")
    assert result.exit_code == 0
    # an annotator who finished nothing: empty file, a warning, exit 0
    from annotator.store.service import Store

    store = Store.open(str(corpus.db))
    store.annotator("erin")
    store.close()
    result = export(corpus.db, out, "--source", "annotator:erin", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"] == 0
    assert out.read_bytes() == b""
    assert "no document" in result.stderr
