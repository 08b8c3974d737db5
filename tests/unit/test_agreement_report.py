"""build_report end to end on fake annotators, its edge cases, and the renderers."""

import ast
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from annotator.agreement import (
    AnnotatorWork,
    DocumentUnit,
    SpanAnn,
    build_report,
    render_markdown,
    render_rich,
)

TEXT1 = "التقى ناصر بوريطة وزير الخارجية في الرباط. وأعلنت الداخلية تفكيك خلية."
TEXT2 = "زار الوفد المغربي مدريد. ناقش الطرفان التعاون الأمني."


def tokens(text):
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def sentences(text):
    return [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]


def span(text, needle, label):
    start = text.index(needle)
    return SpanAnn(start, start + len(needle), label)


def doc(doc_id, text, work):
    return DocumentUnit(doc_id, text, sentences(text), tokens(text), work)


@pytest.fixture
def docs():
    s1 = sentences(TEXT1)
    s2 = sentences(TEXT2)
    d1 = doc(
        "d1",
        TEXT1,
        {
            "alice": AnnotatorWork(
                {span(TEXT1, "ناصر بوريطة", "PERS"), span(TEXT1, "الرباط", "GPE"),
                 span(TEXT1, "الداخلية", "ORG")},
                frozenset({"MEET", "ARREST"}),
                {s1[0]: frozenset({"MEET"}), s1[1]: frozenset({"ARREST"})},
            ),
            "bob": AnnotatorWork(
                {span(TEXT1, "ناصر بوريطة", "PERS"), span(TEXT1, "الرباط", "LOC"),
                 span(TEXT1, "وزير الخارجية", "OCC")},
                frozenset({"MEET"}),
                {s1[0]: frozenset({"MEET"}), s1[1]: frozenset({"ARREST"})},
            ),
            "carol": AnnotatorWork(
                {span(TEXT1, "ناصر", "PERS"), span(TEXT1, "الرباط", "GPE"),
                 span(TEXT1, "الداخلية", "ORG")},
                frozenset({"MEET", "ARREST"}),
                {s1[0]: frozenset({"MEET"})},
            ),
        },
    )  # fmt: skip
    d2 = doc(
        "d2",
        TEXT2,
        {
            "alice": AnnotatorWork(
                {span(TEXT2, "مدريد", "GPE")},
                frozenset({"VISIT", "COOPERATE"}),
                {s2[0]: frozenset({"VISIT"}), s2[1]: frozenset({"COOPERATE"})},
            ),
            "bob": AnnotatorWork(
                {span(TEXT2, "مدريد", "GPE")},
                frozenset({"VISIT"}),
                {s2[0]: frozenset({"VISIT"}), s2[1]: frozenset({"COOPERATE"})},
            ),
        },
    )
    d3 = doc("d3", "نص لم ينته منه أحد.", {})
    return [d1, d2, d3]


def test_end_to_end_shape(docs):
    report = build_report(docs, ["alice", "bob", "carol"])
    json.dumps(report, allow_nan=False)
    assert report["annotators"] == ["alice", "bob", "carol"]
    assert report["documents"]["count"] == 3
    assert report["documents"]["ids"] == ["d1", "d2", "d3"]
    assert report["documents"]["finished"] == {"alice": 2, "bob": 2, "carol": 1}
    assert set(report["events"]) == {"document", "sentence"}
    pair = report["spans"]["pairwise"]["alice|bob"]
    assert set(pair) >= {"exact", "overlap", "per_label", "macro", "token_kappa", "unitizing_alpha"}
    assert set(pair["exact"]) >= {"precision", "recall", "f1", "tp", "fp", "fn", "n"}
    assert set(report["spans"]["pairwise"]) == {"alice|bob", "alice|carol", "bob|carol"}
    assert set(report["spans"]["token_kappa"]) == {"all_tokens", "marked_tokens"}
    assert "n" in report["spans"]["token_kappa"]["all_tokens"]
    assert set(report["spans"]["unitizing_alpha"]) >= {"overall", "per_label"}


def test_end_to_end_values(docs):
    report = build_report(docs, ["alice", "bob", "carol"])
    ab = report["spans"]["pairwise"]["alice|bob"]
    assert ab["n_docs"] == 2
    # alice: PERS, GPE, ORG, GPE(d2); bob: PERS, LOC, OCC, GPE(d2)
    assert (ab["exact"]["tp"], ab["exact"]["fp"], ab["exact"]["fn"]) == (2, 2, 2)
    assert ab["exact"]["f1"] == pytest.approx(0.5)
    ac = report["spans"]["pairwise"]["alice|carol"]
    assert ac["n_docs"] == 1
    assert ac["exact"]["tp"] == 2 and ac["overlap"]["tp"] == 3  # ناصر overlaps ناصر بوريطة
    assert report["spans"]["per_label"]["PERS"]["spans"] == {"alice": 1, "bob": 1, "carol": 1}

    doc_ev = report["events"]["document"]
    assert doc_ev["units"] == 3
    assert doc_ev["alpha_nominal"]["n"] == 2  # d3 finished by nobody
    assert doc_ev["fleiss_kappa"]["n"] == 1  # only d1 finished by all three
    assert doc_ev["cohen_kappa"]["alice|bob"]["n"] == 2
    assert doc_ev["cohen_kappa"]["alice|bob"]["percent_agreement"] == 0.0
    assert doc_ev["labels"] == ["ARREST", "COOPERATE", "MEET", "VISIT"]
    assert doc_ev["per_label"]["MEET"]["percent_agreement"] == 1.0
    assert doc_ev["alpha_masi"]["value"] is not None

    sent_ev = report["events"]["sentence"]
    assert sent_ev["units"] == 5  # 2 + 2 + 1 sentences
    assert sent_ev["cohen_kappa"]["alice|bob"]["kappa"] == pytest.approx(1.0)
    assert sent_ev["cohen_kappa"]["alice|carol"]["n"] == 2
    assert {d["doc_id"] for d in sent_ev["disagreements"]} == {"d1"}

    ua = report["spans"]["unitizing_alpha"]
    assert ua["n_docs"] == 1 and ua["overall"]["n"] == len(TEXT1)
    assert ua["overall"]["value"] is not None


def test_disagreements_kinds_and_order(docs):
    report = build_report(docs, ["alice", "bob", "carol"])
    items = report["disagreements"]
    assert all(d["doc_id"] == "d1" for d in items)  # d2 agrees
    by_text = {d["text"]: d for d in items}
    assert by_text["الرباط"]["kind"] == "label"
    assert by_text["الرباط"]["labels"] == {"alice": "GPE", "bob": "LOC", "carol": "GPE"}
    assert by_text["ناصر بوريطة"]["kind"] == "boundary"
    assert by_text["الداخلية"]["kind"] == "missing"
    assert by_text["الداخلية"]["labels"]["bob"] is None
    assert by_text["وزير الخارجية"]["kind"] == "missing"
    assert [d["start"] for d in items] == sorted(d["start"] for d in items)
    for d in items:
        assert TEXT1[d["start"] : d["end"]] == d["text"]
    # kinds per span (a distinct span and who marked it): they add up to the spans that differ
    assert report["disagreements_by_kind"] == {"missing": 2, "label": 1, "boundary": 1}
    assert report["spans_differing"] == 6
    assert report["spans_differing_by_kind"] == {"missing": 2, "label": 2, "boundary": 2}
    differing = {(d["text"], d["label"]): d for item in items for d in item["differing"]}
    assert differing["ناصر بوريطة", "PERS"]["marked_by"] == ["alice", "bob"]
    assert differing["ناصر", "PERS"]["marked_by"] == ["carol"]
    assert differing["ناصر", "PERS"]["kind"] == "boundary"
    assert differing["الرباط", "LOC"]["kind"] == differing["الرباط", "GPE"]["kind"] == "label"
    assert by_text["الرباط"]["rows"][0]["labels"] == {
        "alice": ["GPE"],
        "bob": ["LOC"],
        "carol": ["GPE"],
    }


def test_most_disputed_documents_first():
    text = "أ ب ج د"
    few = doc("a_few", text, {"x": AnnotatorWork({SpanAnn(0, 1, "PERS")}), "y": AnnotatorWork()})
    many = doc(
        "z_many",
        text,
        {"x": AnnotatorWork({SpanAnn(0, 1, "PERS"), SpanAnn(4, 5, "ORG")}), "y": AnnotatorWork()},
    )
    items = build_report([few, many], ["x", "y"])["disagreements"]
    assert [d["doc_id"] for d in items] == ["z_many", "z_many", "a_few"]


def _assert_json_and_renders(report):
    json.dumps(report, allow_nan=False)
    md = render_markdown(report)
    assert md.startswith("# Inter-annotator agreement")
    console = Console(record=True, width=160)
    console.print(render_rich(report))
    assert "Summary" in console.export_text()
    return md


def test_one_annotator_is_undefined_not_a_crash(docs):
    report = build_report(docs, ["alice"])
    _assert_json_and_renders(report)
    assert report["spans"]["pairwise"] == {}
    assert report["events"]["document"]["alpha_nominal"]["value"] is None
    assert "fewer than 2" in report["events"]["document"]["fleiss_kappa"]["reason"]
    assert report["spans"]["unitizing_alpha"]["overall"]["value"] is None
    assert report["spans"]["token_kappa"]["all_tokens"]["kappa"] is None
    assert report["disagreements"] == []
    assert report["notes"]


def test_annotator_with_nothing_finished(docs):
    report = build_report(docs, ["alice", "bob", "dave"])
    _assert_json_and_renders(report)
    assert report["documents"]["finished"]["dave"] == 0
    assert "dave has not finished any document" in report["notes"]
    fleiss = report["events"]["document"]["fleiss_kappa"]
    assert fleiss["value"] is None and "dave" in fleiss["reason"]
    assert report["spans"]["pairwise"]["alice|dave"]["n_docs"] == 0
    assert report["spans"]["pairwise"]["alice|dave"]["exact"]["f1"] is None
    # alice and bob still get their figures
    assert (
        report["events"]["document"]["alpha_nominal"]["value"] is not None
        or (report["events"]["document"]["alpha_nominal"]["reason"])
    )
    assert report["spans"]["pairwise"]["alice|bob"]["exact"]["f1"] == pytest.approx(0.5)


def test_no_spans_and_no_events():
    text = "نص قصير."
    work = {"a": AnnotatorWork(), "b": AnnotatorWork()}
    report = build_report([doc("d", text, work)], ["a", "b"])
    _assert_json_and_renders(report)
    assert report["spans"]["pairwise"]["a|b"]["exact"]["f1"] is None
    assert report["spans"]["unitizing_alpha"]["overall"]["value"] is None
    ev = report["events"]["document"]
    assert (
        ev["alpha_nominal"]["value"] is None
        and "expected disagreement is 0" in (ev["alpha_nominal"]["reason"])
    )
    assert ev["percent_agreement"]["value"] == 1.0


def test_everyone_agrees():
    text = "التقى الوزير نظيره في الرباط."
    s = SpanAnn(text.index("الرباط"), text.index("الرباط") + 6, "GPE")
    work = {n: AnnotatorWork({s}, frozenset({"MEET"})) for n in ("a", "b", "c")}
    report = build_report([doc("d", text, work)], ["a", "b", "c"])
    _assert_json_and_renders(report)
    assert report["spans"]["pairwise"]["a|b"]["exact"]["f1"] == 1.0
    assert report["spans"]["token_kappa"]["all_tokens"]["kappa"] == pytest.approx(1.0)
    assert report["spans"]["unitizing_alpha"]["overall"]["value"] == pytest.approx(1.0)
    assert report["disagreements"] == []
    # a single unit with one value for everybody: alpha undefined, agreement 100 %
    assert report["events"]["document"]["alpha_nominal"]["value"] is None
    assert report["events"]["document"]["percent_agreement"]["value"] == 1.0


def test_empty_inputs():
    for report in (build_report([], ["a", "b"]), build_report([], [])):
        _assert_json_and_renders(report)
        assert report["documents"]["count"] == 0


def test_markdown_lists_the_measures(docs):
    md = _assert_json_and_renders(build_report(docs, ["alice", "bob", "carol"]))
    assert "Fleiss κ" in md and "α_U" in md and "alice\\|bob" in md
    assert "Span disagreements" in md


def test_agreement_package_is_pure():
    package = Path(__file__).parents[2] / "annotator" / "agreement"
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root not in {"textual", "sqlmodel", "sqlalchemy", "sqlite3"}, path
                assert not name.startswith("annotator.store"), path
