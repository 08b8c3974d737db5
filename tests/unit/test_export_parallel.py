"""Exports that format in a second process (`annotator.io.parallel`) write exactly what
formatting one document at a time here writes."""

from pathlib import Path

import pytest

from annotator.io import parallel
from annotator.io.conll import ConllWriter, read_conll
from annotator.io.parallel import Pipeline, run_all


def _double(items: list[int]) -> list[int]:
    return [2 * i for i in items]


@pytest.mark.parametrize("n", [0, 1, 4, 5, 23])
def test_pipeline_keeps_order(n: int) -> None:
    assert run_all(_double, list(range(n)), chunk=5) == [2 * i for i in range(n)]


def test_pipeline_short_stream_runs_here() -> None:
    pipe: Pipeline[int, int] = Pipeline(_double, chunk=5)
    assert list(pipe.put(1)) == [] and list(pipe.drain()) == [2]
    assert pipe.pool is None


def _records(n: int) -> list[dict]:
    text = "قال وزير الداخلية عبد الوافي لفتيت في الرباط"
    out = []
    for i in range(n):
        spans = [{"start": 4, "end": 17, "label": "OCC"}]
        if i % 7 == 5:  # nesting grows the file's depth part-way through
            spans += [{"start": 4, "end": 8, "label": "OCC"},
                      {"start": 5, "end": 8, "label": "ORG"}]
        if i % 3 == 0:
            spans.append({"start": 18, "end": 34, "label": "PERS"})
        out.append({"id": f"d{i:03}", "text": text, "meta": {"split": None},
                    "sentences": [{"start": 0, "end": len(text)}], "spans": spans})
    return out


def _write(path: Path, records: list[dict]) -> bytes:
    writer = ConllWriter(path)
    for r in records:
        writer.add(r)
    (out,) = writer.close()
    return out.read_bytes()


def test_conll_in_a_second_process_is_byte_identical(tmp_path: Path, monkeypatch) -> None:
    records = _records(40)
    here = _write(tmp_path / "here.conll", records)
    monkeypatch.setattr(parallel, "CHUNK", 3)  # a worker process from the third record
    forked = _write(tmp_path / "forked.conll", records)
    assert forked == here
    assert here.count(b"-DOCSTART-") == 40 and b"\tB-ORG" in here
    back = read_conll(tmp_path / "forked.conll", [r["text"] for r in records])
    assert back[5] == sorted(((s["start"], s["end"], s["label"]) for s in records[5]["spans"]),
                             key=lambda s: (s[0], -s[1], s[2]))


def _spacy(path: Path, records: list[dict]) -> dict[str, bytes]:
    from annotator.io.spacy_docbin import SpacyWriter

    writer = SpacyWriter(path, event_labels=["MEET"])
    for r in records:
        writer.add({**r, "title": "", "events": [],
                    "meta": {**r["meta"], "source": "gold", "annotators": []}})
    (out,) = writer.close()
    assert not writer.problems
    files = sorted(out.iterdir()) if out.is_dir() else [out]
    return {f.name: f.read_bytes() for f in files}


def test_spacy_in_a_second_process_is_byte_identical(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("spacy")
    from annotator.io import spacy_docbin

    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 4)  # a folder of shards
    records = _records(18)
    here = _spacy(tmp_path / "here.spacy", records)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    forked = _spacy(tmp_path / "forked.spacy", records)
    assert list(here) == [f"part-{i:04d}.spacy" for i in range(5)]
    assert forked == here
    assert not list(tmp_path.glob(".*"))  # no scratch left behind


def test_spacy_abort_in_the_worker_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("spacy")
    from annotator.io.spacy_docbin import SpacyWriter

    monkeypatch.setattr(parallel, "CHUNK", 2)
    writer = SpacyWriter(tmp_path / "gone.spacy")
    for r in _records(5):
        writer.add({**r, "title": "", "events": [],
                    "meta": {**r["meta"], "source": "gold", "annotators": []}})
    writer.abort()
    assert list(tmp_path.iterdir()) == []
