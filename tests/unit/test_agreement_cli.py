"""`annotator agreement` end to end: three annotators' work loaded with import --annotator."""

from __future__ import annotations

import json
import math
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

TEXT = ("أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني. "
        "وقال إن المغرب شريك في مكافحة الإرهاب.")
VERSIONS = {
    "alice": ([(18, 34, "PERS"), (4, 17, "OCC"), (63, 69, "GPE")], ["STATEMENT"]),
    "bob": ([(18, 34, "PERS"), (9, 17, "ORG"), (63, 69, "GPE")], ["STATEMENT", "COOPERATE"]),
    "carol": ([(22, 34, "PERS"), (63, 69, "GPE")], ["COOPERATE"]),
}


def _load(databases, tmp_path: Path) -> str:
    """Three annotators' versions of one document, in a fresh database of the backend."""
    db = databases.new("ag")
    runner = CliRunner()
    for name, (spans, events) in VERSIONS.items():
        rec = {"id": "d1", "text": TEXT,
               "spans": [{"start": a, "end": b, "label": lab} for a, b, lab in spans],
               "events": [{"label": e, "scope": "document"} for e in events]}
        f = tmp_path / f"{name}.jsonl"
        f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
        result = runner.invoke(app, ["--db", db, "import", "--annotator", name, str(f)])
        assert result.exit_code == 0, result.output
    return db


def _no_nan(value) -> bool:
    if isinstance(value, float):
        return not math.isnan(value)
    if isinstance(value, dict):
        return all(_no_nan(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_nan(v) for v in value)
    return True


def test_agreement_json_keys(databases, tmp_path: Path) -> None:
    db = _load(databases, tmp_path)
    result = CliRunner().invoke(app, ["--db", db, "agreement", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["annotators"] == ["alice", "bob", "carol"]
    assert report["documents"]["count"] == 1
    assert set(report["events"]) == {"document", "sentence"}
    pair = report["spans"]["pairwise"]["alice|bob"]
    # alice and bob share PERS and GPE exactly; OCC vs ORG differ
    assert abs(pair["exact"]["f1"] - 2 / 3) < 1e-9
    assert "f1" in pair["overlap"]
    assert "PERS" in report["spans"]["per_label"]
    assert "all_tokens" in report["spans"]["token_kappa"]
    assert report["disagreements"]
    assert _no_nan(report)


def test_agreement_subset_and_markdown(databases, tmp_path: Path) -> None:
    db = _load(databases, tmp_path)
    result = CliRunner().invoke(
        app, ["--db", db, "agreement", "--annotators", "alice,bob", "--markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "|" in result.output and "alice" in result.output and "carol" not in result.output
    result = CliRunner().invoke(app, ["--db", db, "agreement", "--annotators", ","])
    assert result.exit_code == 2


def test_all_disagreements_flag(databases, tmp_path: Path) -> None:
    db = _load(databases, tmp_path)
    report = json.loads(
        CliRunner().invoke(app, ["--db", db, "agreement", "--json",
                                 "--all-disagreements"]).stdout
    )
    assert report["disagreements_truncated"] is False
    assert len(report["disagreements"]) == report["disagreements_total"] > 0


def test_unknown_annotator_is_a_usage_error(databases, tmp_path: Path) -> None:
    db = _load(databases, tmp_path)
    result = CliRunner().invoke(app, ["--db", db, "agreement", "--annotators", "alice,zed"])
    assert result.exit_code == 2
    assert "no annotator named 'zed' (known: alice, bob, carol)" in result.output
