"""Exports that format in a second process (`annotator.io.parallel`) write exactly what
formatting one document at a time here writes."""

from pathlib import Path

import pytest

from annotator.io import parallel
from annotator.io.conll import ConllWriter, read_conll
from annotator.io.parallel import Pipeline


def run_all(fn, items: list, **kwargs) -> list:
    """`fn` over `items` through a pipeline, everything it gives back in order."""
    pipe = Pipeline(fn, **kwargs)
    out = []
    for item in items:
        out.extend(pipe.put(item))
    out.extend(pipe.drain())
    pipe.close()
    return out


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


def test_spacy_shards_built_in_worker_processes_are_byte_identical(
        tmp_path: Path, monkeypatch) -> None:
    """Shards built by the forked workers equal a DocBin per shard built here, in order."""
    pytest.importorskip("spacy")
    from annotator.io import spacy_docbin

    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 4)  # a folder of shards
    records = _records(18)
    forked = _spacy(tmp_path / "forked.spacy", records)
    assert list(forked) == [f"part-{i:04d}.spacy" for i in range(5)]
    builder = spacy_docbin.DocBuilder(["MEET"])
    for i, name in enumerate(forked):
        here = tmp_path / f"here-{i}.spacy"
        assert not builder.write([{**r, "title": "", "events": [], "meta": {
            **r["meta"], "source": "gold", "annotators": []}} for r in records[4 * i:4 * i + 4]],
            here)
        assert here.read_bytes() == forked[name], name
    assert not list(tmp_path.glob(".*"))  # no scratch left behind


def test_spacy_one_shard_is_one_file_built_here(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    out = _spacy(tmp_path / "one.spacy", _records(3))
    assert list(out) == ["one.spacy"]


def test_spacy_abort_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("spacy")
    from annotator.io import spacy_docbin
    from annotator.io.spacy_docbin import SpacyWriter

    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 2)
    writer = SpacyWriter(tmp_path / "gone.spacy")
    for r in _records(7):
        writer.add({**r, "title": "", "events": [],
                    "meta": {**r["meta"], "source": "gold", "annotators": []}})
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_conll_file_repads_whatever_order_the_columns_come_in(tmp_path: Path) -> None:
    """Two workers each pad to the deepest they have seen: a file may get 1, 2, then 1
    column again; every line of the finished file has the file's depth."""
    from annotator.io.conll import _SplitFile

    f = _SplitFile(tmp_path / "x.conll")
    f.write(b"-DOCSTART-\n\na\tO\n\n", 1)
    f.write(b"-DOCSTART-\n\nb\tB-X\tB-Y\n\n", 2)
    f.write(b"-DOCSTART-\n\nc\tO\n\n", 1)
    text = f.finish().read_text()
    assert text == ("-DOCSTART-\n\na\tO\tO\n\n-DOCSTART-\n\nb\tB-X\tB-Y\n\n"
                    "-DOCSTART-\n\nc\tO\tO\n\n")
