"""`annotator suggest` and the suggestion service: what each source stores for whom,
blindness (another annotator's work is never read, suggestions never reach agreement,
status counts or exports), paging, `status`' accepted/rejected counts. SQLite and
(with $ANNOTATOR_TEST_PG) PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from export_corpus import build_corpus
from typer.testing import CliRunner

from annotator.cli import app
from annotator.labelschema import LabelSchema
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.suggest import service
from annotator.suggest.proposal import Proposal
from annotator.text.segment import split_sentences

runner = CliRunner()

DOCS = {
    "a1": "زار وزير الداخلية المغرب أمس. وقال الوزير إن المغرب شريك أساسي.",
    "a2": "أكد المسؤول أن للمغرب دورا كبيرا وأن المغربية فازت.",
    "a3": "وصل الوفد إلى بالمغرب ثم إلى الرباط.",
    "a4": "ناقش المجلس أمن المغرب وتنظيم داعش في الساحل.",
}


def _add(store: Store, eid: str, text: str) -> int:
    doc, _ = store.add_document(external_id=eid, title=eid, text=text,
                                sentences=split_sentences(text))
    assert doc.id is not None
    return doc.id


def _span(store: Store, doc: int, user: str, text: str, sub: str, label: str,
          n: int = 1) -> None:
    starts = [m.start() for m in re.finditer(re.escape(sub), text)]
    store.add_span(doc, user, starts[n - 1], starts[n - 1] + len(sub), label)


@pytest.fixture
def corpus(databases, schema: LabelSchema) -> tuple[str, dict[str, int]]:
    """a1 labelled by alice (one المغرب, not finished); bob finished a4 (داعش ORG)."""
    db = databases.new("s")
    store = Store.open(db, label_checker=schema)
    try:
        ids = {eid: _add(store, eid, text) for eid, text in DOCS.items()}
        _span(store, ids["a1"], "alice", DOCS["a1"], "المغرب", "GPE")
        _span(store, ids["a4"], "bob", DOCS["a4"], "داعش", "ORG")
        _span(store, ids["a4"], "bob", DOCS["a4"], "المغرب", "LOC")
        store.set_status(ids["a4"], "bob", "done")
    finally:
        store.close()
    return db, ids


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_occurrences_from_her_own_spans(corpus) -> None:
    db, ids = corpus
    result = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                                 "occurrences", "--json"])
    assert result.exit_code == 0, result.output
    rows = _json_lines(result.stdout)
    assert rows and set(rows[0]) == {"doc_id", "start", "end", "text", "label", "source",
                                     "score"}
    for r in rows:
        assert DOCS[r["doc_id"]][r["start"]:r["end"]] == r["text"]
        assert (r["label"], r["source"], r["score"]) == ("GPE", "occurrences", 1.0)
    got = {(r["doc_id"], r["text"]) for r in rows}
    # the article stays inside as she drew it; لل hides its alef: the span is مغرب there;
    # المغربية is another word
    assert got == {("a1", "المغرب"), ("a2", "مغرب"), ("a3", "المغرب"), ("a4", "المغرب")}
    a1 = [r for r in rows if r["doc_id"] == "a1"]
    assert a1[0]["start"] == DOCS["a1"].rindex("المغرب")  # not her own span again
    # run again: nothing new is stored, the same pending suggestions are printed
    again = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                                "occurrences", "--json"])
    assert _json_lines(again.stdout) == rows
    text = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                               "occurrences"])
    assert text.exit_code == 0
    assert text.stdout.startswith("alice: 0 new suggestions on 4 documents (occurrences 0); "
                                  f"{len(rows)} pending in all")


def test_only_her_documents_and_never_bobs_work(corpus, schema: LabelSchema) -> None:
    db, ids = corpus
    result = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                                 "occurrences,model", "--json"])
    assert result.exit_code == 0
    rows = _json_lines(result.stdout)
    # bob's داعش (ORG) and LOC المغرب are his, unadjudicated: alice learns nothing of them
    assert {r["label"] for r in rows} == {"GPE"}
    assert "داعش" not in {r["text"] for r in rows}
    store = Store.open(db, label_checker=schema)
    try:
        assert store.suggestion_counts("bob") == {}
        for doc in ids.values():
            assert store.suggestions(doc, "bob", None) == []
        docs = service.training_documents(store, "alice")
        assert docs == []  # she finished nothing, gold has nothing
        assert service.retrain(store, "alice") is False
        assert store.load_model("alice") is None
        # bob's training set is his own finished document
        [(text, spans)] = service.training_documents(store, "bob")
        assert text == DOCS["a4"] and {lab for *_, lab in spans} == {"ORG", "LOC"}
    finally:
        store.close()
    assert "no model for alice yet" in result.stderr


def test_documents_done_are_left_alone_and_doc_picks_one(corpus, schema) -> None:
    db, ids = corpus
    result = runner.invoke(app, ["--db", db, "suggest", "--user", "bob", "--source",
                                 "occurrences", "--json"])
    rows = _json_lines(result.stdout)
    assert {r["doc_id"] for r in rows} == {"a1", "a2", "a3"}  # a4 is done for bob
    assert all(r["text"] != "المغرب" or r["label"] == "LOC" for r in rows)
    only = runner.invoke(app, ["--db", db, "suggest", "--user", "carol", "--doc", "a1",
                               "--source", "gazetteer"])
    assert only.exit_code == 0
    assert "carol: 0 new suggestions on 1 documents" in only.stdout
    assert "the gazetteer is empty" in only.stderr


@pytest.mark.parametrize("args, needle", [
    (["--doc", "a1", "--all"], "exclude each other"),
    (["--source", "occurrences,guess"], "--source"),
    (["--source", ","], "--source"),
    (["--doc", "nope"], "no document with external id 'nope'"),
    (["--evaluate", "--doc", "a1"], "--evaluate"),
])
def test_usage_errors(corpus, args: list[str], needle: str) -> None:
    db, _ = corpus
    result = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", *args])
    assert needle in one_line_error(result, 2)


def test_missing_database(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = runner.invoke(app, ["--db", str(db), "suggest", "--user", "alice"])
    assert "no database at" in one_line_error(result, 1)
    assert not db.exists()


def test_gold_gets_none(corpus) -> None:
    db, _ = corpus
    result = runner.invoke(app, ["--db", db, "suggest", "--user", GOLD])
    assert "adjudication" in one_line_error(result, 2)


def test_all_pages_through_documents(corpus, schema, monkeypatch) -> None:
    db, ids = corpus
    monkeypatch.setattr(service, "PAGE", 1)
    store = Store.open(db, label_checker=schema)
    try:
        assert list(service.unfinished_documents(store, "bob")) == [
            ids["a1"], ids["a2"], ids["a3"]]
        added = service.suggest_documents(store, "alice", service.unfinished_documents(
            store, "alice"), ["occurrences"])
        assert added == 4
        assert sum(len(store.suggestions(d, "alice")) for d in ids.values()) == 4
    finally:
        store.close()


def test_annotate_all_occurrences(corpus, schema) -> None:
    db, ids = corpus
    store = Store.open(db, label_checker=schema)
    try:
        text = DOCS["a1"]
        start = text.index("المغرب")
        assert service.suggest_occurrences(store, "carol", ids["a1"], start, start + 6,
                                           "GPE") == 1
        [only] = store.suggestions(ids["a1"], "carol")
        assert (only.start, only.end) == (text.rindex("المغرب"), text.rindex("المغرب") + 6)
        # everywhere: her unfinished documents (all four), each occurrence once
        assert service.suggest_occurrences(store, "carol", ids["a1"], start, start + 6,
                                           "GPE", everywhere=True) == 3
        a2 = store.suggestions(ids["a2"], "carol")
        assert [DOCS["a2"][s.start:s.end] for s in a2] == ["مغرب"]
        sid = store.suggestions(ids["a3"], "carol")[0].id
        store.reject_suggestion(sid, "carol")
        assert service.suggest_occurrences(store, "carol", ids["a1"], start, start + 6,
                                           "GPE", everywhere=True) == 0
        assert store.suggestions(ids["a3"], "carol") == []
    finally:
        store.close()


def _model_corpus(db: str, schema: LabelSchema) -> dict[str, int]:
    """alice finished ten documents each marking the one city after «مدينة»; bob
    finished one marking «الوفد» ORG."""
    cities = ["طنجة", "فاس", "مكناس", "وجدة", "أكادير", "تطوان", "العيون", "آسفي",
              "الجديدة", "بركان"]
    store = Store.open(db, label_checker=schema)
    ids: dict[str, int] = {}
    try:
        for i, city in enumerate(cities):
            text = f"وصل الوفد إلى مدينة {city} صباح اليوم. واستقبله المسؤولون هناك."
            ids[f"t{i}"] = _add(store, f"t{i}", text)
            _span(store, ids[f"t{i}"], "alice", text, city, "GPE")
            store.set_status(ids[f"t{i}"], "alice", "done")
            _span(store, ids[f"t{i}"], "bob", text, "الوفد", "ORG")
            store.set_status(ids[f"t{i}"], "bob", "done")
        ids["new"] = _add(store, "new", "وصل الوفد إلى مدينة الناظور صباح اليوم.")
    finally:
        store.close()
    return ids


def test_model_learns_her_pattern_and_nothing_of_bobs(databases, schema) -> None:
    db = databases.new("m")
    ids = _model_corpus(db, schema)
    result = runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                                 "model", "--json"])
    assert result.exit_code == 0, result.output
    rows = _json_lines(result.stdout)
    assert [(r["doc_id"], r["text"], r["label"], r["source"]) for r in rows] == [
        ("new", "الناظور", "GPE", "model")]
    assert 0 < rows[0]["score"] <= 1
    store = Store.open(db, label_checker=schema)
    try:
        assert store.load_model("alice") is not None  # trained on the way, kept
        docs = service.training_documents(store, "alice")
        assert len(docs) == 10
        assert {lab for _, spans in docs for *_, lab in spans} == {"GPE"}  # never bob's ORG
        # gold done on t0 with an ORG: adjudicated gold is learnt from, in place of hers
        store.add_span(ids["t0"], GOLD, 4, 9, "ORG")
        store.set_status(ids["t0"], GOLD, "done")
        docs = service.training_documents(store, "alice")
        assert len(docs) == 10
        assert sum(1 for _, spans in docs if (4, 9, "ORG") in spans) == 1
        assert service.retrain(store, "alice") is True
    finally:
        store.close()


def test_nothing_learnt_from_gold_on_a_gold_done_document(databases, schema) -> None:
    db = databases.new("g")
    store = Store.open(db, label_checker=schema)
    try:
        ids = {eid: _add(store, eid, text) for eid, text in DOCS.items()}
        _span(store, ids["a4"], GOLD, DOCS["a4"], "داعش", "ORG")
        store.set_status(ids["a4"], GOLD, "done")
        _span(store, ids["a2"], "dora", DOCS["a2"], "المسؤول", "OCC")
        added = service.suggest_documents(store, "dora", list(ids.values()), ["occurrences"])
        assert added == 0  # gold's داعش is in no other document; not proposed on a4 itself
        ids["a5"] = _add(store, "a5", "هاجم تنظيم داعش القرية.")
        assert service.suggest_documents(store, "dora", [ids["a5"]], ["occurrences"]) == 1
    finally:
        store.close()


# ------------------------------------------------------------------- blindness
def _outputs(db: str, tmp: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    tmp.mkdir()
    for source in ("gold", "majority", "annotator:alice", "annotator:bob"):
        path = tmp / f"{source.replace(':', '_')}.jsonl"
        result = runner.invoke(app, ["--db", db, "export", str(path), "--source", source])
        assert result.exit_code == 0, result.output
        out[source] = path.read_text(encoding="utf-8")
    agreement = runner.invoke(app, ["--db", db, "agreement", "--json"])
    assert agreement.exit_code == 0
    out["agreement"] = agreement.stdout
    status = json.loads(runner.invoke(app, ["--db", db, "status", "--json"]).stdout)
    for row in status["annotators"].values():
        row.pop("suggestions")
    out["status"] = json.dumps(status)
    return out


def test_suggestions_absent_from_agreement_export_status(databases, tmp_path) -> None:
    corpus = build_corpus(databases.new("c"))
    db = str(corpus.db)
    before = _outputs(db, tmp_path / "before")
    store = Store.open(db)
    try:
        d1, d3 = corpus.ids["d1"], corpus.ids["d3"]
        t1 = corpus.texts["d1"]
        rabat = t1.index("الرباط")
        store.add_suggestions("bob", d1, [Proposal(rabat, rabat + 6, "GPE", "gazetteer"),
                                          Proposal(0, 5, "EVENT", "model", 0.3)])
        store.add_suggestions("carol", d3, [Proposal(0, 6, "PERS", "model", 0.6)])
        store.reject_suggestion(store.suggestions(d3, "carol")[0].id, "carol")
        assert store.suggestions(d1, "alice") == []
    finally:
        store.close()
    assert _outputs(db, tmp_path / "after") == before


def test_status_counts_decisions_per_source(corpus, schema) -> None:
    db, ids = corpus
    runner.invoke(app, ["--db", db, "suggest", "--user", "alice", "--source",
                        "occurrences"])
    store = Store.open(db, label_checker=schema)
    try:
        pending = [s for d in ids.values() for s in store.suggestions(d, "alice")]
        store.accept_suggestions([s.id for s in pending[:2]], "alice")
        store.reject_suggestion(pending[2].id, "alice")
    finally:
        store.close()
    report = json.loads(runner.invoke(app, ["--db", db, "status", "--json"]).stdout)
    assert report["annotators"]["alice"]["suggestions"] == {
        "occurrences": {"accepted": 2, "rejected": 1},
        "gazetteer": {"accepted": 0, "rejected": 0},
        "model": {"accepted": 0, "rejected": 0}}
    assert report["annotators"]["bob"]["suggestions"]["occurrences"] == {
        "accepted": 0, "rejected": 0}
    assert report["annotators"]["alice"]["spans"] == 3  # hers + the two accepted
    text = runner.invoke(app, ["--db", db, "status"]).stdout
    [line] = [ln for ln in text.splitlines() if "occurrences" in ln]
    assert re.search(r"alice\W+occurrences\W+2\W+1", line), line


def test_evaluate_cross_validates_her_finished_documents(databases, schema) -> None:
    db = databases.new("e")
    _model_corpus(db, schema)
    result = runner.invoke(app, ["--db", db, "suggest", "--evaluate", "--user", "alice",
                                 "--source", "occurrences,model", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["annotator"], report["documents"], report["folds"]) == ("alice", 10, 5)
    assert list(report["sources"]) == ["occurrences", "model"]
    occ, model = report["sources"]["occurrences"], report["sources"]["model"]
    # every city is named once: its other occurrences never help; the model learns «مدينة X»
    assert occ["micro"]["tp"] == 0 and occ["micro"]["fn"] == 10
    assert model["micro"]["tp"] >= 5 and set(model["labels"]) <= {"GPE"}  # never bob's ORG
    text = runner.invoke(app, ["--db", db, "suggest", "--evaluate", "--user", "alice",
                               "--source", "model"])
    assert text.exit_code == 0 and "micro" in text.stdout and "GPE" in text.stdout
    none = runner.invoke(app, ["--db", db, "suggest", "--evaluate", "--user", "carol"])
    assert "carol has finished 0 documents" in one_line_error(none, 1)
