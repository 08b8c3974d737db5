"""`export --source gold` after adjudication (CLI): adjudicated documents with provenance."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from annotator.adjudication import choose, edit, reject
from annotator.cli import app
from annotator.labelschema import load_schema
from annotator.store.gold import auto_merge, decide, load_document
from annotator.store.service import Store

ROOT = Path(__file__).resolve().parents[2]
TEXT = ("أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني مع إسبانيا. "
        "وقال إن المغرب شريك موثوق للاتحاد الأوروبي في مكافحة الإرهاب.")


def build(path: str) -> None:
    store = Store.open(path, label_checker=load_schema())
    try:
        d1, _ = store.add_document(external_id="d1", title="t1", text=TEXT,
                                   sentences=[(0, 65), (66, 127)])
        d2, _ = store.add_document(external_id="d2", title="t2", text=TEXT + " ثانية",
                                   sentences=[(0, 65), (66, 134)])
        assert d1.id and d2.id
        store.import_annotations(d1.id, "alice", [
            (4, 17, "OCC"), (18, 34, "PERS"), (74, 80, "GPE"), (92, 108, "ORG"),
        ], [("STATEMENT", "document", None, None), ("COOPERATE", "document", None, None)])
        store.import_annotations(d1.id, "bob", [
            (4, 17, "OCC"), (18, 34, "ORG"), (93, 108, "ORG"),
        ], [("STATEMENT", "document", None, None)])
        # d2: bob disagrees and nobody adjudicated yet, so it is not gold
        store.import_annotations(d2.id, "alice", [(18, 34, "PERS")], [])
        store.import_annotations(d2.id, "bob", [(18, 34, "ORG")], [])
        auto_merge(store, by="carol")
        state = load_document(store, d1.id)
        assert state is not None
        items = {d.kind: d for d in state.items}
        decide(store, d1.id, "carol", choose(items["label"], [0]))
        decide(store, d1.id, "carol", reject(items["missing"]))
        decide(store, d1.id, "carol", edit(items["boundary"], (93, 108, "ORG")))
        decide(store, d1.id, "carol", choose(items["event"], [0]))
        assert store.status(d1.id, "gold") == "done"
    finally:
        store.close()


def test_export_gold_after_adjudication(databases, tmp_path: Path) -> None:
    db = databases.new("g")
    build(db)
    out = tmp_path / "gold.jsonl"
    result = CliRunner().invoke(app, ["--db", db, "export", str(out), "--source", "gold"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["d1"]  # d2 is not adjudicated
    rec = records[0]
    schema = json.loads((ROOT / "schema" / "gold-record.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(rec)) == []
    assert [(s["start"], s["end"], s["label"]) for s in rec["spans"]] == [
        (4, 17, "OCC"), (18, 34, "PERS"), (93, 108, "ORG")]
    for span in rec["spans"]:
        assert rec["text"][span["start"]:span["end"]] == span["text"]
    assert {(e["label"], e["scope"]) for e in rec["events"]} == {
        ("STATEMENT", "document"), ("COOPERATE", "document")}
    meta = rec["meta"]
    assert meta["source"] == "gold" and meta["annotators"] == ["alice", "bob"]
    prov = {(p["start"], p["label"]): p for p in meta["provenance"]["spans"]}
    assert prov[(4, "OCC")]["rule"] == "unanimous" and prov[(4, "OCC")]["by"] == "carol"
    assert prov[(4, "OCC")]["annotators"] == ["alice", "bob"]
    assert prov[(18, "PERS")]["annotators"] == ["alice"] and prov[(18, "PERS")]["by"] == "carol"
    assert prov[(18, "PERS")]["rule"] == "adjudicated"
    assert prov[(93, "ORG")]["rule"] == "edited" and prov[(93, "ORG")]["annotators"] == ["bob"]
    events = {e["label"]: e for e in meta["provenance"]["events"]}
    assert events["COOPERATE"]["annotators"] == ["alice"] and events["COOPERATE"]["by"] == "carol"
    assert events["STATEMENT"]["rule"] == "unanimous"
