"""`annotator export` argument errors: exit 2, one line on stderr, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_corpus import build_corpus
from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(module_databases) -> str:
    """The export corpus, built once per backend for this module."""
    return str(build_corpus(module_databases.new("c")).db)


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    err = result.stderr
    assert err.count("\n") == 1 and err.startswith("annotator: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("args, needle", [
    (["--split", "train=0.8,dev=0.1"], "sum to 1"),
    (["--split", "train=x,dev=1"], "not a number"),
    (["--split", "train=-1,dev=2"], ">= 0"),
    (["--split", "train"], "NAME=FRACTION"),
    (["--source", "silver"], "--source"),
    (["--source", "annotator:"], "--source"),
    (["--source", "annotator:nobody"], "no annotator named 'nobody'"),
    (["--format", "xml"], "--format"),
])
def test_usage_errors(db: str, tmp_path: Path, args: list[str], needle: str) -> None:
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["--db", db, "export", str(out), *args])
    assert needle in one_line_error(result, 2)
    assert not out.exists()


def test_missing_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "none.db"), "export",
                                 str(tmp_path / "o.jsonl")])
    assert "no database" in one_line_error(result, 1)
    assert not (tmp_path / "none.db").exists()


def test_out_kind_mismatch(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", db, "export", str(tmp_path)])
    assert "is a folder" in one_line_error(result, 2)
    f = tmp_path / "file"
    f.write_text("x")
    result = runner.invoke(app, ["--db", db, "export", str(f), "--format", "brat"])
    assert "needs a folder" in one_line_error(result, 2)


def test_json_summary_is_all_of_stdout(db: str, tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    result = runner.invoke(app, ["--db", db, "export", str(out), "--source", "majority",
                                 "--split", "train=0.8,dev=0.1,test=0.1", "--seed", "5",
                                 "--json"])
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["documents"] == 3 and summary["source"] == "majority"
    assert summary["out"] == str(out) and summary["files"] == [str(out)]
    assert sum(summary["splits"].values()) == 3 and summary["seed"] == 5
    assert summary["spans"] == sum(len(json.loads(x)["spans"])
                                   for x in out.read_text(encoding="utf-8").splitlines())


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from annotator.commands import export as export_cmd

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    advance, stop = export_cmd._progress(10_000)
    assert advance() is None and stop() is None  # no-ops
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    advance, stop = export_cmd._progress(export_cmd.PROGRESS_THRESHOLD)
    assert advance.__name__ == "<lambda>" and advance() is None  # too short for a bar
    advance, stop = export_cmd._progress(export_cmd.PROGRESS_THRESHOLD + 1)
    try:
        advance()
        assert getattr(stop, "__self__", None) is not None  # a rich Progress is running
    finally:
        stop()


def test_never_exports_over_the_database(tmp_path: Path) -> None:  # a SQLite file
    db = Path(build_corpus(tmp_path / "c.db").db)
    before = db.read_bytes()
    for out, extra in ((db, []), (Path(f"{db}-wal"), ["--format", "conll"]),
                       (tmp_path / "." / db.name, ["--format", "spacy"])):
        result = runner.invoke(app, ["--db", str(db), "export", str(out), "--source",
                                     "majority", *extra])
        assert "is the database" in one_line_error(result, 2)
    assert db.read_bytes() == before


def test_unwritable_out_is_one_line(db: str, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    for fmt in ("jsonl", "conll", "brat"):
        result = runner.invoke(app, ["--db", db, "export", str(blocker / "sub" / "o"),
                                     "--format", fmt, "--source", "majority"])
        err = one_line_error(result, 1)
        assert "cannot write" in err and "internal error" not in err, err
