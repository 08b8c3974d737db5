"""The CLI through Typer's CliRunner: import, status, schema, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()


def invoke(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def test_import_then_status_json(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "a.db"
    result = invoke(db, "import", str(seeds_dir))
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    result = invoke(db, "import", str(seeds_dir))
    assert result.exit_code == 0 and "0 added, 5 duplicates" in result.output
    result = invoke(db, "status", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"] == 5


def test_status_counts_per_annotator(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    rec = {"id": "r", "text": "قال الوزير إن التعاون مستمر.",
           "spans": [{"start": 4, "end": 10, "label": "OCC"}],
           "events": [{"label": "STATEMENT", "scope": "document"}]}
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert invoke(db, "import", "--annotator", "alice", str(f)).exit_code == 0
    report = json.loads(invoke(db, "status", "--json").stdout)
    assert report["annotators"]["alice"] == {
        "role": "annotator", "new": 0, "in_progress": 0, "done": 1, "spans": 1, "events": 1,
        "suggestions": {source: {"accepted": 0, "rejected": 0}
                        for source in ("occurrences", "gazetteer", "model")},
    }


def test_bad_input_exit_1_one_line_no_traceback(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    f = tmp_path / "bad.jsonl"
    f.write_text('{"text": "نص"}\n{oops\n', encoding="utf-8")
    result = invoke(db, "import", str(f))
    assert result.exit_code == 1
    assert f"{f}:2: invalid JSON" in result.output
    assert "Traceback" not in result.output
    assert "1 added" in result.output


def test_schema_check(tmp_path: Path) -> None:
    assert runner.invoke(app, ["schema", "check"]).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[entity]]\nname = "PERS"\nhotkey = "1"\ncolor = "red"\nen = "a"\nar = "ب"\n'
        '[[entity]]\nname = "PERS"\nhotkey = "1"\ncolor = "#ffffff"\nen = "a"\nar = "ب"\n'
        '[[entity]]\nname = ""\nhotkey = "q"\ncolor = "#ffffff"\nen = "a"\nar = "ب"\n'
        '[[event]]\nname = "MEET"\nhotkey = "m"\ncolor = "#ffffff"\nen = "a"\nar = ""\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["schema", "check", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert "is not #rrggbb" in out and "duplicate name 'PERS'" in out
    assert "hotkey '1' already used by PERS" in out and "empty name" in out
    assert "reserved by the app" in out and "missing ar description" in out
    shown = runner.invoke(app, ["schema", "show"])
    assert shown.exit_code == 0 and "PERS" in shown.output and "MEET" in shown.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = invoke(tmp_path / "a.db", "agreement", "--json", "--markdown")
    assert result.exit_code == 2
    assert runner.invoke(app, ["import"]).exit_code == 2
    assert runner.invoke(app, ["role", "x", "king", "--help"]).exit_code == 0
    result = invoke(tmp_path / "a.db", "role", "carol", "king")
    assert result.exit_code == 1 and "unknown role" in result.output


def test_role_grant(tmp_path: Path) -> None:
    result = invoke(tmp_path / "a.db", "role", "carol", "adjudicator")
    assert result.exit_code == 0 and "carol: adjudicator" in result.output


def test_unusable_database_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("this is not sqlite\n", encoding="utf-8")
    for db in (bad, tmp_path / "missing-dir" / "x.db"):
        result = invoke(db, "status")
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("annotator: database sqlite:///")
        assert "Traceback" not in result.output


def test_schema_change_that_drops_a_used_label_is_refused(tmp_path: Path) -> None:
    from annotator.commands.common import open_store
    from annotator.errors import AnnotatorError
    from annotator.labelschema import load_schema, parse_schema

    db = str(tmp_path / "a.db")
    store, schema = open_store(db)
    doc, _ = store.add_document(external_id="d", title="t", text="قال الوزير", sentences=[])
    store.add_span(doc.id, "alice", 4, 10, "OCC")
    store.close()
    text = load_schema().source_text
    # a compatible change (a new colour) is accepted and remembered
    recoloured, errors = parse_schema(text.replace('"#98c379"', '"#00ff00"', 1))
    assert errors == []
    store, _ = open_store(db, recoloured)
    assert store.get_setting("label_schema") == recoloured.source_text
    store.close()
    # dropping OCC, which alice used, is refused
    start = text.index('[[entity]]\nname = "OCC"')
    end = text.index("[[entity]]", start + 1)
    without_occ, errors = parse_schema(text[:start] + text[end:])
    assert errors == [] and "OCC" not in without_occ.entity_names()
    with pytest.raises(AnnotatorError, match="no longer has OCC"):
        open_store(db, without_occ)


def test_annotate_on_an_empty_or_mistyped_database_says_how_to_import(tmp_path: Path) -> None:
    typo = tmp_path / "anotations.db"
    result = invoke(typo, "annotate", "--user", "alice")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no database at" in lines[0]
    assert f"annotator --db {typo} import seeds/" in lines[0]
    assert not typo.exists()  # never created, never given demo articles
    empty = tmp_path / "empty.db"
    assert invoke(empty, "status", "--json").exit_code == 0  # creates an empty database
    result = invoke(empty, "annotate", "--user", "alice")
    assert result.exit_code == 1 and "holds no documents" in result.output
    assert json.loads(invoke(empty, "status", "--json").stdout)["documents"] == 0
