"""The agreement views (issue 11, part 3) against hand-computed values on tiny corpora."""

from __future__ import annotations

import pytest

from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.agreement.report import build_report
from annotator.agreement.unitizing import unitizing_alpha
from annotator.agreement.views import by_document, by_period
from annotator.agreement.views_pairs import (
    NONE,
    against_gold,
    confusion,
    confusion_grids,
    label_table,
    matrix_grids,
    pair_table,
)
from annotator.commands.agreement_load import load_units

# the disputed article of tests/adjudication_example.py
ALICE = {SpanAnn(4, 17, "OCC"), SpanAnn(18, 34, "PERS"), SpanAnn(57, 64, "GPE"),
         SpanAnn(74, 80, "GPE"), SpanAnn(92, 108, "ORG")}
BOB = {SpanAnn(4, 17, "OCC"), SpanAnn(18, 34, "ORG"), SpanAnn(57, 64, "GPE"),
       SpanAnn(93, 108, "ORG")}
TEXT = "x" * 127


def unit(doc_id: str, text: str = TEXT, **work: AnnotatorWork) -> DocumentUnit:
    return DocumentUnit(doc_id=doc_id, text=text, sentences=[(0, 65), (66, 127)],
                        work=dict(work))


def disputed(doc_id: str = "d1") -> DocumentUnit:
    return unit(
        doc_id,
        alice=AnnotatorWork(set(ALICE), frozenset({"STATEMENT", "COOPERATE"}),
                            {(0, 65): frozenset({"MEET"}), (66, 127): frozenset({"COOPERATE"})}),
        bob=AnnotatorWork(set(BOB), frozenset({"STATEMENT"}), {(0, 65): frozenset({"MEET"})}),
    )


def agreed(doc_id: str) -> DocumentUnit:
    spans = {SpanAnn(0, 10, "PERS")}
    return unit(doc_id, alice=AnnotatorWork(set(spans)), bob=AnnotatorWork(set(spans)))


def test_by_document_disputed_article() -> None:
    doc = disputed()
    table = by_document([doc], ["alice", "bob"])
    (row,) = table.records()
    assert row["doc_id"] == "d1" and row["annotators"] == 2
    # exact: OCC and GPE 57-64 shared; tp 2, fp 2 (bob's ORG 18-34, ORG 93-108), fn 3
    assert row["exact_f1"] == pytest.approx(4 / 9)
    # the 7 distinct spans, 2 of them marked by both
    assert row["span_disagreements"] == 5
    # document labels differ; sentence 1 (MEET) agrees; sentence 2 COOPERATE vs nothing
    assert row["event_disagreements"] == 2
    expected = unitizing_alpha(127, {"alice": ALICE, "bob": BOB}).overall.value
    assert row["alpha_u"] == pytest.approx(expected)


def test_by_document_worst_first_and_single_annotator_left_out() -> None:
    lone = unit("d0", alice=AnnotatorWork({SpanAnn(0, 3, "PERS")}))
    nothing = unit("d4", alice=AnnotatorWork(), bob=AnnotatorWork())
    docs = [lone, agreed("d2"), disputed("d3"), nothing]
    rows = by_document(docs, ["alice", "bob"]).records()
    assert [r["doc_id"] for r in rows] == ["d3", "d2", "d4"]
    assert rows[1]["exact_f1"] == 1.0 and rows[1]["alpha_u"] == pytest.approx(1.0)
    assert rows[1]["span_disagreements"] == 0 and rows[1]["event_disagreements"] == 0
    assert rows[2]["exact_f1"] is None and rows[2]["alpha_u"] is None


def test_by_document_three_annotators_micro_over_pairs() -> None:
    a = {SpanAnn(0, 5, "PERS"), SpanAnn(10, 15, "ORG")}
    b = {SpanAnn(0, 5, "PERS")}
    c = {SpanAnn(0, 5, "ORG")}
    doc = unit("d", alice=AnnotatorWork(a), bob=AnnotatorWork(b), carol=AnnotatorWork(c))
    (row,) = by_document([doc], ["alice", "bob", "carol"]).records()
    # alice|bob tp 1 fp 0 fn 1; alice|carol tp 0, 1 + 2; bob|carol tp 0, 1 + 1
    # F1 = 2*1 / (2*1 + 1 + 3 + 2) = 2/8
    assert row["exact_f1"] == pytest.approx(0.25)
    assert row["span_disagreements"] == 3  # PERS 0-5 (not carol's), ORG 10-15, ORG 0-5


def test_pair_matrix_three_annotators() -> None:
    a = {SpanAnn(0, 5, "PERS"), SpanAnn(10, 15, "ORG")}
    b = {SpanAnn(0, 5, "PERS")}
    c = {SpanAnn(0, 4, "PERS")}
    doc = unit("d", text="x" * 20, alice=AnnotatorWork(a), bob=AnnotatorWork(b),
               carol=AnnotatorWork(c))
    doc.tokens = [(0, 2), (3, 5), (6, 9), (10, 15), (16, 20)]
    names = ["alice", "bob", "carol"]
    report = build_report([doc], names)
    table = pair_table(report)
    rows = {(r["annotator_a"], r["annotator_b"]): r for r in table.records()}
    assert set(rows) == {("alice", "bob"), ("alice", "carol"), ("bob", "carol")}
    ab = rows["alice", "bob"]
    assert ab["documents"] == 1
    assert ab["exact_precision"] == 1.0 and ab["exact_recall"] == 0.5
    assert ab["exact_f1"] == pytest.approx(2 / 3)
    assert rows["bob", "carol"]["exact_f1"] == 0.0
    assert rows["bob", "carol"]["overlap_f1"] == 1.0  # 0-5 and 0-4 overlap, same label
    grids = {g.key: g for g in matrix_grids(table, names)}
    assert set(grids) == {"matrix_exact_f1", "matrix_overlap_f1", "matrix_token_kappa",
                          "matrix_alpha_u"}
    f1 = grids["matrix_exact_f1"].records()
    assert f1[0] == {"annotator": "alice", "alice": None, "bob": ab["exact_f1"],
                     "carol": 0.0}
    assert f1[1]["alice"] == f1[0]["bob"]  # symmetric
    kappa = grids["matrix_token_kappa"].records()
    assert kappa[0]["bob"] == report["spans"]["pairwise"]["alice|bob"]["token_kappa"][
        "all_tokens"]["kappa"]


def test_confusion_matrix_disputed_article() -> None:
    table = confusion([disputed()], ["alice", "bob"])
    counts = {(r["label_a"], r["label_b"]): r["count"] for r in table.records()}
    assert counts == {
        ("OCC", "OCC"): 1, ("GPE", "GPE"): 1, ("PERS", "ORG"): 1,
        ("GPE", NONE): 1, ("ORG", NONE): 1, (NONE, "ORG"): 1,
    }
    (grid,) = confusion_grids(table)
    assert grid.columns == ("alice \\ bob", "GPE", "OCC", "ORG", NONE)
    assert [r[0] for r in grid.rows] == ["GPE", "OCC", "ORG", "PERS", NONE]
    assert grid.rows[0] == ["GPE", 1, 0, 0, 1]
    assert grid.rows[3] == ["PERS", 0, 0, 1, 0]


def test_confusion_same_offsets_several_labels() -> None:
    a = {SpanAnn(0, 5, "PERS"), SpanAnn(0, 5, "ORG")}
    b = {SpanAnn(0, 5, "ORG")}
    doc = unit("d", alice=AnnotatorWork(a), bob=AnnotatorWork(b))
    counts = {(r[2], r[3]): r[4] for r in confusion([doc], ["alice", "bob"]).rows}
    assert counts == {("ORG", "ORG"): 1, ("PERS", NONE): 1}


def test_against_gold() -> None:
    doc = disputed()
    gold = {SpanAnn(4, 17, "OCC"), SpanAnn(18, 34, "PERS"), SpanAnn(93, 108, "ORG")}
    doc.work["gold"] = AnnotatorWork(gold)
    not_gold = agreed("d2")  # gold did not finish it: left out
    rows = {r["annotator"]: r for r in against_gold([doc, not_gold], ["alice", "bob"])
            .records()}
    alice, bob = rows["alice"], rows["bob"]
    assert alice["documents"] == 1 and alice["gold_spans"] == 3 and alice["spans"] == 5
    # alice: OCC, PERS exact (tp 2); GPE 57-64, GPE 74-80 and ORG 92-108 extra; ORG 93-108 missed
    assert alice["exact_precision"] == pytest.approx(2 / 5)
    assert alice["exact_recall"] == pytest.approx(2 / 3)
    assert alice["exact_f1"] == pytest.approx(4 / 8)
    # overlap: ORG 92-108 matches ORG 93-108
    assert alice["overlap_precision"] == pytest.approx(3 / 5)
    assert alice["overlap_recall"] == 1.0
    # bob: OCC, ORG 93-108 exact; ORG 18-34 and GPE extra; PERS missed
    assert bob["exact_precision"] == pytest.approx(2 / 4)
    assert bob["exact_recall"] == pytest.approx(2 / 3)
    assert bob["exact_f1"] == pytest.approx(4 / 7)


def test_by_period() -> None:
    docs = [disputed("d1"), agreed("d2"), agreed("d3")]
    periods = {"d1": "2026-W01", "d2": "2026-W01", "d3": "2026-W02"}
    table = by_period(docs, ["alice", "bob"], periods, kind="week")
    assert table.key == "weeks" and table.columns[0] == "week"
    rows = table.records()
    assert [r["week"] for r in rows] == ["2026-W01", "2026-W02"]
    w1, w2 = rows
    # week 1: d1 (tp 2, fp 2, fn 3) + d2 (tp 1): F1 = 6 / (6 + 5)
    assert w1["documents"] == 2 and w1["exact_f1"] == pytest.approx(6 / 11)
    assert w1["span_disagreements"] == 5
    assert w2["exact_f1"] == 1.0 and w2["alpha_u"] == pytest.approx(1.0)
    assert w2["span_disagreements"] == 0
    batches = by_period(docs, ["alice", "bob"], {"d3": "b.json", "d1": "a.json"},
                        kind="batch", order=["b.json", "a.json"])
    assert batches.key == "batches"
    assert [r["batch"] for r in batches.records()] == ["b.json", "a.json"]


def test_label_table() -> None:
    report = build_report([disputed()], ["alice", "bob"])
    rows = {r["label"]: r for r in label_table(report).records()}
    assert rows["OCC"]["exact_f1"] == 1.0 and rows["OCC"]["spans"] == 2
    assert rows["PERS"]["exact_f1"] == 0.0


def test_views_use_store_units(store) -> None:
    from adjudication_example import add_disputed_document

    add_disputed_document(store)
    units, names = load_units(store, None)
    assert names == ["alice", "bob"]
    (row,) = by_document(units, names).records()
    assert row["exact_f1"] == pytest.approx(4 / 9)
    assert row["span_disagreements"] == 5 and row["event_disagreements"] == 2


def test_alpha_u_per_document_equals_one_document_at_a_time() -> None:
    import random

    from annotator.agreement.views import doc_alpha_u
    from annotator.agreement.views_alpha import alpha_u_per_document

    rng = random.Random(7)
    names = ["alice", "bob", "carol"]
    docs = []
    for i in range(60):
        length = rng.choice([0, 1, 5, 30, 80])
        work = {}
        for a in names:
            if rng.random() < 0.25:
                continue  # not finished
            spans = set()
            for _ in range(rng.randint(0, 6)):
                s = rng.randint(0, max(length, 1))
                spans.add(SpanAnn(s, s + rng.randint(1, 12), rng.choice("ABC")))
            work[a] = AnnotatorWork(spans)
        docs.append(DocumentUnit(f"d{i}", "x" * length, work=work))
    fast = alpha_u_per_document(docs, names)
    for doc, value in zip(docs, fast, strict=True):
        present = [a for a in names if a in doc.work]
        slow = doc_alpha_u(doc, present) if len(present) >= 2 and doc.text else None
        if slow is None:
            assert value is None, doc
        else:
            assert value == pytest.approx(slow, abs=1e-9), doc


def test_terminal_cells_go_through_the_app_bidi() -> None:
    from rich.console import Console

    from annotator.agreement.views import ViewTable
    from annotator.agreement.views_render import markdown_tables, rich_tables
    from annotator.bidi.cell import visual_cell

    doc_id = "خبر عاجل"
    table = ViewTable("documents", "t", ("doc_id", "exact_f1"), [[doc_id, 0.5]])

    def text(terminal: bool) -> str:
        console = Console(width=60, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(rich_tables([table], terminal=terminal))
        return console.export_text()

    assert visual_cell(doc_id) != doc_id
    assert visual_cell(doc_id) in text(True) and doc_id not in text(True)
    assert doc_id in text(False)
    assert f"| {doc_id} | 0.500 |" in markdown_tables([table])
