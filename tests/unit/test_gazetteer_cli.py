"""`annotator gazetteer add|list|remove` and the gazetteer source of `annotator suggest`:
bad lines are `file:line: what is wrong`, skipped, exit 1; labels are checked against the
label schema; names are matched on the Arabic match keys. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.labelschema import LabelSchema
from annotator.store.service import Store
from annotator.text.segment import split_sentences

runner = CliRunner()

TEXT = "زار الوفد بالرباط ثم طنجة، وقال إن تنظيم داعش يهدد الساحل والرباط."


@pytest.fixture
def db(databases, schema: LabelSchema) -> str:
    path = databases.new("g")
    store = Store.open(path, label_checker=schema)
    try:
        store.add_document(external_id="n1", title="n1", text=TEXT,
                           sentences=split_sentences(TEXT))
    finally:
        store.close()
    return path


def _file(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _list(db: str, *args: str) -> list[dict]:
    result = runner.invoke(app, ["--db", db, "gazetteer", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_add_names_with_a_label_and_tsv(db: str, tmp_path: Path) -> None:
    cities = _file(tmp_path, "cities.txt", "الرباط\nطنجة\n\n# a comment\nطنجة\n")
    result = runner.invoke(app, ["--db", db, "gazetteer", "add", str(cities), "--label",
                                 "GPE"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{cities}: 2 names added, 0 already there, " \
                                    "0 lines rejected"
    groups = _file(tmp_path, "groups.tsv", "داعش\tORG\nالرباط\tLOC\n")
    assert runner.invoke(app, ["--db", db, "gazetteer", "add", str(groups)]).exit_code == 0
    rows = _list(db)
    assert [(r["name"], r["label"], r["source"]) for r in rows] == [
        ("الرباط", "GPE", str(cities)), ("طنجة", "GPE", str(cities)),
        ("الرباط", "LOC", str(groups)), ("داعش", "ORG", str(groups))]
    assert [r["name"] for r in _list(db, "--label", "ORG")] == ["داعش"]
    again = runner.invoke(app, ["--db", db, "gazetteer", "add", str(cities), "--label",
                                "GPE"])
    assert "0 names added, 2 already there" in again.stdout


def test_bad_lines_are_reported_skipped_exit_1(db: str, tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.tsv",
                "داعش\tORG\nالرباط\n\tGPE\nفاس\tTOWN\na\tb\tc\n...\tGPE\nطنجة\tGPE\n")
    result = runner.invoke(app, ["--db", db, "gazetteer", "add", str(bad)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert [e.split(": ", 1)[0] for e in errors] == [
        f"{bad}:2", f"{bad}:3", f"{bad}:4", f"{bad}:5", f"{bad}:6"]
    assert "without a label" in errors[0] and "TOWN" in errors[2]
    assert "Traceback" not in result.output
    assert "2 names added" in result.stdout and "5 lines rejected" in result.stdout
    assert {r["name"] for r in _list(db)} == {"داعش", "طنجة"}


@pytest.mark.parametrize("args, needle", [
    (["add", "FILE", "--label", "TOWN"], "--label 'TOWN' is not an entity type"),
    (["remove"], "name the entries to remove"),
])
def test_usage_errors(db: str, tmp_path: Path, args: list[str], needle: str) -> None:
    path = _file(tmp_path, "x.txt", "فاس\n")
    args = [str(path) if a == "FILE" else a for a in args]
    result = runner.invoke(app, ["--db", db, "gazetteer", *args])
    assert result.exit_code == 2
    assert needle in result.stderr and result.stderr.count("\n") == 1
    assert _list(db) == []


def test_unreadable_file(db: str, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9\n".encode("latin-1"))
    result = runner.invoke(app, ["--db", db, "gazetteer", "add", str(path), "--label",
                                 "GPE"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: not UTF-8")


def test_remove_by_name_label_source(db: str, tmp_path: Path) -> None:
    a = _file(tmp_path, "a.txt", "الرباط\nطنجة\nفاس\n")
    b = _file(tmp_path, "b.tsv", "داعش\tORG\nالقاعدة\tORG\nالرباط\tLOC\n")
    runner.invoke(app, ["--db", db, "gazetteer", "add", str(a), "--label", "GPE"])
    runner.invoke(app, ["--db", db, "gazetteer", "add", str(b)])
    # a name is matched on its key (hamza, ta marbuta …), every label unless --label
    result = runner.invoke(app, ["--db", db, "gazetteer", "remove", "الرباط", "--label",
                                 "LOC"])
    assert result.exit_code == 0 and "1 names removed" in result.stdout
    result = runner.invoke(app, ["--db", db, "gazetteer", "remove", "طنجه", "مراكش"])
    assert result.exit_code == 1
    assert "no gazetteer entry 'مراكش'" in result.stderr
    assert "1 names removed" in result.stdout
    assert runner.invoke(app, ["--db", db, "gazetteer", "remove", "--label", "ORG"]
                         ).exit_code == 0
    assert {r["name"] for r in _list(db)} == {"الرباط", "فاس"}
    result = runner.invoke(app, ["--db", db, "gazetteer", "remove", "--source", str(a)])
    assert result.exit_code == 0 and "2 names removed" in result.stdout
    assert _list(db) == []
    result = runner.invoke(app, ["--db", db, "gazetteer", "remove", "--label", "ORG"])
    assert result.exit_code == 1 and "no gazetteer entry labelled ORG" in result.stderr


def test_list_empty_and_table(db: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["--db", db, "gazetteer", "list"]).stdout.strip() == \
        "the gazetteer is empty"
    runner.invoke(app, ["--db", db, "gazetteer", "add",
                        str(_file(tmp_path, "c.txt", "الرباط\n")), "--label", "GPE"])
    out = runner.invoke(app, ["--db", db, "gazetteer", "list"]).stdout
    assert "الرباط" in out and "GPE" in out and "1 name" in out


def test_gazetteer_suggestions_leave_clitics_outside(db: str, tmp_path: Path) -> None:
    runner.invoke(app, ["--db", db, "gazetteer", "add",
                        str(_file(tmp_path, "g.tsv", "الرباط\tGPE\nداعش\tORG\n"))])
    result = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                                 "gazetteer", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["label"], r["source"]) for r in rows] == [
        ("الرباط", "GPE", "gazetteer"), ("داعش", "ORG", "gazetteer"),
        ("الرباط", "GPE", "gazetteer")]
    assert [TEXT[r["start"]:r["end"]] for r in rows] == [r["text"] for r in rows]
    assert rows[0]["start"] == TEXT.index("بالرباط") + 1  # ب outside
    assert rows[2]["start"] == TEXT.index("والرباط") + 1  # و outside
