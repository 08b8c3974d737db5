"""`annotator adjudicate` through the CLI: --auto, idempotence, refusals."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.labelschema import load_schema
from annotator.store.models import GOLD
from annotator.store.service import Store

TEXT = ("أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني مع إسبانيا. "
        "وقال إن المغرب شريك موثوق للاتحاد الأوروبي في مكافحة الإرهاب.")


@pytest.fixture
def db(databases) -> str:
    path = databases.new("cli")
    store = Store.open(path, label_checker=load_schema())
    doc, _ = store.add_document(external_id="d1", title="t", text=TEXT,
                                sentences=[(0, 65), (66, 127)])
    assert doc.id is not None
    store.import_annotations(doc.id, "alice", [(4, 17, "OCC"), (18, 34, "PERS")],
                             [("STATEMENT", "document", None, None)])
    store.import_annotations(doc.id, "bob", [(4, 17, "OCC"), (18, 34, "ORG")],
                             [("STATEMENT", "document", None, None)])
    store.set_role("carol", "adjudicator")
    store.close()
    return path


def test_auto_prints_counts_and_is_idempotent(db: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["--db", db, "adjudicate", "--auto", "--user", "carol"])
    assert first.exit_code == 0, first.output
    assert "1 documents" in first.output
    assert "2 agreed items taken into gold (1 spans, 1 event labels)" in first.output
    assert "1 disagreements left in 1 documents" in first.output
    second = runner.invoke(app, ["--db", db, "adjudicate", "--auto", "--user", "carol"])
    assert second.exit_code == 0
    assert "0 agreed items taken" in second.output
    store = Store.open(db)
    try:
        doc = store.document_by_external_id("d1")
        assert doc is not None
        assert [(s.start, s.end, s.label) for s in store.spans(doc.id, GOLD)] == [(4, 17, "OCC")]
    finally:
        store.close()


@pytest.mark.parametrize("args", [["--auto"], []])
def test_annotator_is_refused(db: str, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["--db", db, "adjudicate", "--user", "alice", *args])
    assert result.exit_code == 1
    assert "alice may not adjudicate" in result.output
    assert "only adjudicators" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    store = Store.open(db)
    try:
        doc = store.document_by_external_id("d1")
        assert doc is not None and store.spans(doc.id, GOLD) == []  # nothing written
    finally:
        store.close()


def test_role_then_allowed(db: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "role", "alice", "adjudicator"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "adjudicate", "--auto", "--user", "alice"])
    assert result.exit_code == 0


def test_bad_bidi_is_usage_error(db: str) -> None:
    result = CliRunner().invoke(app, ["--db", db, "adjudicate", "--user", "carol",
                                      "--bidi", "sideways"])
    assert result.exit_code == 2
