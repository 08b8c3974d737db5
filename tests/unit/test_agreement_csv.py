"""`annotator agreement` views from the command line: each flag exits 0, `--csv DIR` writes
one CSV per table with its documented columns, `--json` carries the views."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.agreement.csv_out import write_csvs
from annotator.agreement.views import ViewTable
from annotator.cli import app
from annotator.labelschema import load_schema
from annotator.store.service import Store

COLUMNS = {
    "pairs": ["annotator_a", "annotator_b", "documents", "exact_precision", "exact_recall",
              "exact_f1", "overlap_precision", "overlap_recall", "overlap_f1", "token_kappa",
              "token_kappa_marked", "alpha_u"],
    "labels": ["label", "spans", "exact_f1", "overlap_f1", "alpha_u"],
    "disagreements": ["doc_id", "cluster_start", "cluster_end", "start", "end", "text",
                      "label", "kind", "marked_by", "not_marked_by"],
    "event_disagreements": ["scope", "doc_id", "start", "end", "text", "differ", "labels"],
    "documents": ["doc_id", "annotators", "exact_f1", "alpha_u", "span_disagreements",
                  "event_disagreements"],
    "confusion": ["annotator_a", "annotator_b", "label_a", "label_b", "count"],
    "gold": ["annotator", "documents", "gold_spans", "spans", "exact_precision",
             "exact_recall", "exact_f1", "overlap_precision", "overlap_recall", "overlap_f1"],
    "weeks": ["week", "documents", "exact_f1", "overlap_f1", "token_kappa", "alpha_u",
              "span_disagreements"],
    "batches": ["batch", "documents", "exact_f1", "overlap_f1", "token_kappa", "alpha_u",
                "span_disagreements"],
    "event_structure": ["measure", "scope", "value", "n", "caution", "reason"],
    "event_structure_disagreements": ["doc_id", "start", "end", "text", "type", "kind",
                                      "detail", "versions"],
}


@pytest.fixture
def corpus(databases) -> str:
    """The disputed article (d1, from a.json) adjudicated to gold, and an agreed one (d2,
    from b.json, not adjudicated)."""
    from adjudication_example import SENTENCES, TEXT, add_disputed_document

    db = databases.new("views")
    store = Store.open(db, label_checker=load_schema())
    try:
        d1 = add_disputed_document(store)
        d2, _ = store.add_document(external_id="d2", title="t2", text=TEXT + " ثانية",
                                   sentences=SENTENCES, source_path="b.json")
        assert d2.id is not None
        for name in ("alice", "bob"):
            store.import_annotations(d2.id, name, [(18, 34, "PERS")], [])
        for start, end, label in [(4, 17, "OCC"), (18, 34, "PERS"), (93, 108, "ORG")]:
            store.add_span(d1, "gold", start, end, label)
        store.set_status(d1, "gold", "done")
    finally:
        store.close()
    return db


def run(db: str, *args: str):
    result = CliRunner().invoke(app, ["--db", db, "agreement", *args])
    assert result.exit_code == 0, result.output
    return result


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def test_csv_every_table(corpus: str, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    run(corpus, "--by", "document", "--by", "pair", "--by", "week", "--by", "batch",
        "--confusion", "--against", "gold", "--csv", str(out))
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(COLUMNS)
    for key, cols in COLUMNS.items():
        assert header(out / f"{key}.csv") == cols, key
    docs = read(out / "documents.csv")
    assert [r["doc_id"] for r in docs] == ["d1", "d2"]  # worst first
    assert float(docs[0]["exact_f1"]) == pytest.approx(4 / 9)
    assert docs[0]["span_disagreements"] == "5"
    gold = {r["annotator"]: r for r in read(out / "gold.csv")}
    assert float(gold["bob"]["exact_f1"]) == pytest.approx(4 / 7)
    assert gold["alice"]["documents"] == "1"
    batches = [r["batch"] for r in read(out / "batches.csv")]
    assert set(batches) == {"b.json", next(b for b in batches if b.startswith("added "))}


def test_csv_default_tables_only(corpus: str, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = run(corpus, "--json", "--csv", str(out))
    assert sorted(p.name for p in out.iterdir()) == [
        "disagreements.csv", "event_disagreements.csv", "event_structure.csv",
        "event_structure_disagreements.csv", "labels.csv", "pairs.csv"]
    spans = read(out / "disagreements.csv")
    # the disputed article: 5 spans differ (PERS/ORG 18-34, GPE 74-80, ORG 92-108, 93-108)
    assert len(spans) == 5
    assert {(r["start"], r["label"], r["marked_by"], r["not_marked_by"]) for r in spans} >= {
        ("18", "PERS", "alice", "bob"), ("93", "ORG", "bob", "alice")}
    assert spans[0]["text"] == "عبد الوافي لفتيت"  # logical order
    events = read(out / "event_disagreements.csv")
    assert [(r["scope"], r["differ"]) for r in events] == [
        ("document", "COOPERATE"), ("sentence", "COOPERATE")]
    assert events[0]["labels"] == "alice=COOPERATE+STATEMENT; bob=STATEMENT"
    assert "views" not in json.loads(result.stdout)


@pytest.mark.parametrize("flags", [
    ["--by", "document"], ["--by", "pair"], ["--by", "week"], ["--by", "batch"],
    ["--confusion"], ["--against", "gold"], ["--chart"], ["--chart", "--by", "week"],
    ["--markdown", "--by", "document", "--confusion"],
])
def test_each_flag_exits_0(corpus: str, flags: list[str]) -> None:
    result = run(corpus, *flags)
    assert result.stdout.strip()


def test_json_views(corpus: str) -> None:
    report = json.loads(run(corpus, "--json", "--by", "document", "--against", "gold",
                            "--confusion").stdout)
    views = report["views"]
    assert set(views) == {"documents", "gold", "confusion"}
    assert list(views["documents"][0]) == COLUMNS["documents"]
    assert views["documents"][0]["doc_id"] == "d1"
    # gold is the reference, not one of the annotators compared
    assert report["annotators"] == ["alice", "bob"]
    # logical order in JSON: the Arabic cell is as stored
    assert report["documents"]["count"] == 2


def test_markdown_keeps_logical_order(corpus: str) -> None:
    out = run(corpus, "--markdown", "--by", "document").stdout
    assert "| Doc | Annotators |" in out and "| d1 | 2 |" in out


def test_usage_errors(corpus: str) -> None:
    result = CliRunner().invoke(app, ["--db", corpus, "agreement", "--by", "month"])
    assert result.exit_code != 0
    result = CliRunner().invoke(app, ["--db", corpus, "agreement", "--against", "carol"])
    assert result.exit_code != 0


def test_no_gold_yet(databases) -> None:
    from adjudication_example import add_disputed_document

    db = databases.new("nogold")
    store = Store.open(db, label_checker=load_schema())
    try:
        add_disputed_document(store)
    finally:
        store.close()
    result = CliRunner().invoke(app, ["--db", db, "agreement", "--against", "gold"])
    assert result.exit_code != 0 and "gold" in result.output


def test_write_csvs_logical_order_and_empty_undefined(tmp_path: Path) -> None:
    table = ViewTable("documents", "t", ("doc_id", "exact_f1"), [["خبر", None], ["b", 0.5]])
    (path,) = write_csvs(tmp_path / "x", [table])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read(path) == [{"doc_id": "خبر", "exact_f1": ""}, {"doc_id": "b", "exact_f1": "0.5"}]


def test_min_units(corpus: str) -> None:
    assert json.loads(run(corpus, "--json").stdout)["min_units"] == 30
    assert json.loads(run(corpus, "--json", "--min-units", "1").stdout)["min_units"] == 1
    result = CliRunner().invoke(app, ["--db", corpus, "agreement", "--min-units", "0"])
    assert result.exit_code != 0


def test_weeks_from_when_the_last_annotator_finished(corpus: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from annotator.store.models import Assignment, Document

    store = Store.open(corpus, label_checker=load_schema())
    try:
        a, d = Assignment.__table__, Document.__table__
        people = {name: store.annotator(name).id for name in ("alice", "bob")}
        with store.engine.begin() as conn:
            ids = {e: i for e, i in conn.execute(select(d.c.external_id, d.c.id))}
            utc = UTC
            when = {("d1", "alice"): datetime(2026, 1, 5, tzinfo=utc),
                    ("d1", "bob"): datetime(2026, 1, 12, tzinfo=utc),
                    ("d2", "alice"): datetime(2025, 12, 29, tzinfo=utc),
                    ("d2", "bob"): datetime(2026, 1, 1, tzinfo=utc)}
            for (doc, name), at in when.items():
                conn.execute(update(a).where(a.c.document_id == ids[doc],
                                             a.c.annotator_id == people[name])
                             .values(updated_at=at))
    finally:
        store.close()
    views = json.loads(run(corpus, "--json", "--by", "week").stdout)["views"]
    weeks = [(r["week"], r["documents"], r["exact_f1"]) for r in views["weeks"]]
    # d2 (agreed) was finished in ISO week 2026-W01 (29 Dec 2025 is its Monday); d1 in W03
    assert weeks == [("2026-W01", 1, 1.0), ("2026-W03", 1, pytest.approx(4 / 9))]


def test_event_structure_section_in_every_form(corpus: str, tmp_path: Path) -> None:
    """alice and bob both mark the trigger أكد (0-3) as STATEMENT on d2; bob says its
    polarity is negative: triggers agree (F1 1.0 on 2 units, cautioned), one attribute
    disagreement is listed with each version."""
    store = Store.open(corpus, label_checker=load_schema())
    try:
        d2 = next(d.id for d in store.documents() if d.external_id == "d2")
        for name in ("alice", "bob"):
            m = store.add_event_mention(d2, name, 0, 3, "STATEMENT")
            assert m is not None
            if name == "bob":
                store.set_mention_attributes(m.id, name, {"polarity": "negative"})
    finally:
        store.close()
    section = json.loads(run(corpus, "--json").stdout)["event_structure"]
    assert section["triggers"]["mentions"] == {"alice": 1, "bob": 1}
    assert section["triggers"]["exact"]["f1"] == pytest.approx(1.0)
    assert section["triggers"]["exact"]["caution"] == "only 2 units"
    (row,) = section["disagreements"]
    assert (row["doc_id"], row["kind"], row["attribute"]) == ("d2", "attribute", "polarity")
    assert row["text"] == "أكد"
    md = run(corpus, "--markdown").stdout
    assert "## Event structure: triggers, arguments, roles, attributes" in md
    assert "| trigger F1 exact | micro | ~1.000 | 2 |" in md
    assert "alice=positive; bob=negative" in md
    out = tmp_path / "csv"
    run(corpus, "--csv", str(out))
    rows = read(out / "event_structure_disagreements.csv")
    assert [(r["kind"], r["detail"]) for r in rows] == [("attribute", "polarity")]


def test_by_document_streamed_equals_by_document_with_documents_kept(corpus: str) -> None:
    """Alone, --by document is built batch by batch with the report; beside a view that
    needs every document kept it is built from them: the same rows."""
    alone = json.loads(run(corpus, "--json", "--by", "document").stdout)
    kept = json.loads(run(corpus, "--json", "--by", "document", "--confusion").stdout)
    assert alone["views"]["documents"] == kept["views"]["documents"]
    assert [r["doc_id"] for r in alone["views"]["documents"]] == ["d1", "d2"]
    assert {k: v for k, v in alone.items() if k != "views"} == \
        {k: v for k, v in kept.items() if k != "views"}
