"""`annotator schema set|show|check` on the database's schema, and every command using it:
one line per problem, exit 1 (2 for bad usage), never a traceback; SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.labelschema import default_schema_path
from annotator.store.service import Store

runner = CliRunner()
PACKAGED = default_schema_path().read_text(encoding="utf-8")
TEXT = "قال الوزير إن الاجتماع ناجح."


def invoke(db: str, *args: str):  # noqa: ANN201 (click's Result)
    result = runner.invoke(app, ["--db", db, *args], env={"ANNOTATOR_USER": "lead"})
    assert "Traceback" not in result.output
    return result


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_title(text: str = PACKAGED) -> str:
    return text.replace('name = "OCC"\n', 'name = "TITLE"\n')


def test_show_and_check_without_a_database_do_not_create_it(tmp_path: Path) -> None:
    db = str(tmp_path / "none.db")
    shown = invoke(db, "schema", "show")
    assert shown.exit_code == 0 and "no database yet" in shown.output and "MEET" in shown.output
    assert "Entity [e] (PERS ORG GPE" in shown.output and "asserted*" in shown.output
    checked = invoke(db, "schema", "check")
    assert checked.exit_code == 0 and "labels.toml: ok" in checked.output
    assert not Path(db).exists()


def test_set_then_show_and_check_the_databases_schema(db: str, tmp_path: Path) -> None:
    first = invoke(db, "schema", "show", "--toml")
    assert first.exit_code == 0 and first.stdout == PACKAGED  # seeded as version 1
    new = write(tmp_path, "new.toml", with_title())
    result = invoke(db, "schema", "set", str(new), "--rename", "OCC=TITLE", "--note", "x")
    assert result.exit_code == 0, result.output
    assert "label schema version 2 stored" in result.output
    assert "renamed OCC→TITLE: nothing stored used them" in result.output
    shown = invoke(db, "schema", "show")
    assert shown.exit_code == 0 and "label schema version 2 of" in shown.output
    assert "TITLE" in shown.output and "OCC" not in shown.output.split("\n", 1)[1]
    assert "by lead, x" in shown.output
    assert invoke(db, "schema", "show", "--toml").stdout == with_title()
    history = invoke(db, "schema", "show", "--history").output.splitlines()
    assert [line.split()[0] for line in history] == ["v1", "v2"]
    checked = invoke(db, "schema", "check")
    assert checked.exit_code == 0 and "database schema v2: ok" in checked.output
    again = invoke(db, "schema", "set", str(new))
    assert again.exit_code == 0 and "unchanged (version 2)" in again.output
    logged = [json.loads(line) for line in invoke(db, "log", "--json").stdout.splitlines()]
    assert [(r["kind"], r["by"], r["payload"]["after"]) for r in logged
            if r["kind"] == "schema"] == [("schema", "lead", 2)]


def test_every_command_uses_the_databases_schema(db: str, tmp_path: Path) -> None:
    record = {"id": "r1", "title": "t", "text": TEXT,
              "spans": [{"start": 4, "end": 10, "label": "TITLE", "text": "الوزير"}]}
    data = write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    refused = invoke(db, "import", str(data), "--annotator", "alice")
    assert refused.exit_code == 1 and "span label 'TITLE' is not in the schema" in refused.output
    assert invoke(db, "schema", "set", str(write(tmp_path, "n.toml", with_title())),
                  "--rename", "OCC=TITLE").exit_code == 0
    imported = invoke(db, "import", str(data), "--annotator", "alice")
    assert imported.exit_code == 0, imported.output
    store = Store.open(db)
    try:
        (doc,) = store.documents()
        assert [s.label for s in store.spans(doc.id, "alice")] == ["TITLE"]
    finally:
        store.close()


def test_set_refuses_a_vanishing_label_and_a_bad_file(db: str, tmp_path: Path) -> None:
    record = {"id": "r1", "title": "t", "text": TEXT,
              "spans": [{"start": 4, "end": 10, "label": "OCC", "text": "الوزير"}]}
    data = write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    assert invoke(db, "import", str(data), "--annotator", "alice").exit_code == 0
    new = write(tmp_path, "new.toml", with_title())
    result = invoke(db, "schema", "set", str(new))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no longer has OCC (1 spans)" in lines[0]
    assert "--rename OLD=NEW" in lines[0]
    bad = write(tmp_path, "bad.toml", with_title().replace('hotkey = "t"', 'hotkey = "p"')
                .replace('default = "asserted"', 'default = "maybe"', 1))
    result = invoke(db, "schema", "set", str(bad), "--rename", "OCC=TITLE")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(f"{bad}:")]
    assert len(problems) == 12  # ten hotkey clashes, one default, and the summary line
    time_header = bad.read_text(encoding="utf-8").splitlines().index('name = "Time"')  # 1-based
    assert (f"{bad}:{time_header}: event MEET role Time: hotkey 'p' already used by role "
            "Place") in problems
    assert "attribute modality: default 'maybe' is not one of the values" in result.output
    assert result.output.rstrip().endswith("not stored (11 problems)")
    assert invoke(db, "schema", "show", "--toml").stdout == PACKAGED  # still version 1
    merged = invoke(db, "schema", "set", str(new), "--rename", "OCC=TITLE")
    assert merged.exit_code == 0 and "renamed OCC→TITLE: 1 span" in merged.output


def test_bad_rename_options_are_usage_errors(db: str, tmp_path: Path) -> None:
    new = write(tmp_path, "new.toml", with_title())
    for value in ("OCC", "=TITLE", "OCC="):
        result = invoke(db, "schema", "set", str(new), "--rename", value)
        assert result.exit_code == 2 and "write OLD=NEW" in result.output
    result = invoke(db, "schema", "set", str(new), "--rename", "NOPE=TITLE")
    assert result.exit_code == 1 and "NOPE is not a label of the current schema" in result.output
    missing = invoke(db, "schema", "set", str(tmp_path / "missing.toml"))
    assert missing.exit_code == 1 and "cannot read label schema" in missing.output
