"""Issue 11, parts 1 and 2: disagreements listed as each annotator marked them (nested spans,
boundaries, labels, event labels per scope), kinds counted per span, and figures on few
units flagged."""

import json
import random
import re

import pytest
from rich.console import Console

from annotator.agreement import AnnotatorWork, DocumentUnit, SpanAnn, build_report
from annotator.agreement.clusters import overlap_clusters
from annotator.agreement.disagreements import KINDS, _span_kinds
from annotator.agreement.render import render_markdown, render_rich

TEXT = (
    "أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني مع إسبانيا. "
    "وقال إن المغرب شريك موثوق للاتحاد الأوروبي في مكافحة الإرهاب."
)
SENTENCES = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", TEXT)]
S2 = SENTENCES[1]


def sp(needle, label):
    start = TEXT.index(needle)
    return SpanAnn(start, start + len(needle), label)


ALICE = {
    sp("وزير الداخلية", "OCC"),
    sp("الداخلية", "ORG"),  # nested in the OCC both marked: bob has no ORG there
    sp("عبد الوافي لفتيت", "PERS"),  # bob: عبد الوافي and لفتيت, two PERS
    sp("الأمني", "TOPIC"),  # bob: التعاون الأمني
    sp("إسبانيا", "GPE"),  # bob: LOC
    sp("المغرب", "GPE"),  # agreed
    sp("شريك موثوق", "MISC"),  # bob: nothing
    sp("للاتحاد الأوروبي", "ORG"),  # bob: الأوروبي
    sp("مكافحة الإرهاب", "TOPIC"),  # agreed
}
BOB = {
    sp("وزير الداخلية", "OCC"),
    sp("عبد الوافي", "PERS"),
    sp("لفتيت", "PERS"),
    sp("التعاون الأمني", "TOPIC"),
    sp("إسبانيا", "LOC"),
    sp("المغرب", "GPE"),
    sp("الأوروبي", "ORG"),
    sp("مكافحة الإرهاب", "TOPIC"),
    sp("الإرهاب", "CRIME"),  # nested in the agreed TOPIC: alice has no CRIME there
}


def seed_doc():
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", TEXT)]
    work = {
        "alice": AnnotatorWork(
            set(ALICE),
            frozenset({"STATEMENT", "COOPERATE"}),
            {SENTENCES[0]: frozenset({"MEET"}), S2: frozenset({"COOPERATE"})},
        ),
        "bob": AnnotatorWork(
            set(BOB), frozenset({"STATEMENT", "MEET"}), {SENTENCES[0]: frozenset({"MEET"})}
        ),
    }
    return DocumentUnit("seed-1", TEXT, SENTENCES, tokens, work)


@pytest.fixture
def report():
    return build_report([seed_doc()], ["alice", "bob"])


def test_twelve_spans_differ_in_seven_places(report):
    assert len(ALICE) + len(BOB) == 18 and len(ALICE & BOB) == 3  # 18 - 2 × 3 = 12 differ
    assert report["spans_differing"] == 12
    assert sum(report["spans_differing_by_kind"].values()) == report["spans_differing"]
    assert report["disagreements_total"] == len(report["disagreements"]) == 7
    assert report["disagreements_by_kind"] == {"missing": 3, "label": 1, "boundary": 3}
    listed = [d for item in report["disagreements"] for d in item["differing"]]
    assert len(listed) == 12
    assert {(d["text"], d["label"], tuple(d["marked_by"])) for d in listed} == {
        (TEXT[s.start : s.end], s.label, ("alice",)) for s in ALICE - BOB
    } | {(TEXT[s.start : s.end], s.label, ("bob",)) for s in BOB - ALICE}


def test_kind_of_each_span(report):
    kinds = {
        (d["text"], d["label"]): d["kind"]
        for item in report["disagreements"]
        for d in item["differing"]
    }
    assert kinds == {
        ("الداخلية", "ORG"): "missing",  # nested in the agreed OCC
        ("عبد الوافي لفتيت", "PERS"): "boundary",
        ("عبد الوافي", "PERS"): "boundary",
        ("لفتيت", "PERS"): "boundary",
        ("الأمني", "TOPIC"): "boundary",
        ("التعاون الأمني", "TOPIC"): "boundary",
        ("إسبانيا", "GPE"): "label",
        ("إسبانيا", "LOC"): "label",
        ("شريك موثوق", "MISC"): "missing",
        ("للاتحاد الأوروبي", "ORG"): "boundary",
        ("الأوروبي", "ORG"): "boundary",
        ("الإرهاب", "CRIME"): "missing",  # nested in the agreed TOPIC
    }
    assert report["spans_differing_by_kind"] == {"missing": 3, "label": 2, "boundary": 7}


def test_boundary_row_shows_each_annotators_version(report):
    item = next(d for d in report["disagreements"] if d["text"] == "عبد الوافي لفتيت")
    assert item["kind"] == "boundary"
    assert [(v["annotator"], v["text"], v["label"]) for v in item["versions"]] == [
        ("alice", "عبد الوافي لفتيت", "PERS"),
        ("bob", "عبد الوافي", "PERS"),
        ("bob", "لفتيت", "PERS"),
    ]
    for v in item["versions"]:
        assert TEXT[v["start"] : v["end"]] == v["text"]
    assert [(r["text"], r["labels"]) for r in item["rows"]] == [
        ("عبد الوافي لفتيت", {"alice": ["PERS"], "bob": []}),
        ("عبد الوافي", {"alice": [], "bob": ["PERS"]}),
        ("لفتيت", {"alice": [], "bob": ["PERS"]}),
    ]


def test_nested_span_is_its_own_row_in_its_cluster(report):
    item = next(d for d in report["disagreements"] if d["text"] == "مكافحة الإرهاب")
    assert item["kind"] == "missing"
    # the agreed TOPIC is in the versions (context), only the nested CRIME differs
    assert [(v["annotator"], v["text"], v["label"]) for v in item["versions"]] == [
        ("alice", "مكافحة الإرهاب", "TOPIC"),
        ("bob", "مكافحة الإرهاب", "TOPIC"),
        ("bob", "الإرهاب", "CRIME"),
    ]
    assert [(r["text"], r["kind"], r["labels"]) for r in item["rows"]] == [
        ("الإرهاب", "missing", {"alice": [], "bob": ["CRIME"]})
    ]
    label_row = next(d for d in report["disagreements"] if d["text"] == "إسبانيا")["rows"]
    assert label_row == [
        {
            "start": TEXT.index("إسبانيا"),
            "end": TEXT.index("إسبانيا") + len("إسبانيا"),
            "text": "إسبانيا",
            "kind": "label",
            "labels": {"alice": ["GPE"], "bob": ["LOC"]},
        }
    ]


def test_event_label_disagreements_per_scope(report):
    events = report["events_disagreements"]
    assert report["events_disagreements_total"] == 2
    doc_level, sentence = events
    assert doc_level["scope"] == "document" and doc_level["start"] is None
    assert doc_level["labels"] == {
        "alice": ["COOPERATE", "STATEMENT"],
        "bob": ["MEET", "STATEMENT"],
    }
    assert doc_level["differ"] == ["COOPERATE", "MEET"]
    assert sentence["scope"] == "sentence" and (sentence["start"], sentence["end"]) == S2
    assert sentence["text"] == TEXT[S2[0] : S2[1]]
    assert sentence["labels"] == {"alice": ["COOPERATE"], "bob": []}


def test_the_renderers_list_it_all(report):
    json.dumps(report, allow_nan=False)
    md = render_markdown(report)
    assert "12 spans differ (missing 3, label 2, boundary 7) in 7 places" in md
    assert "| seed-1 | 2 | 29–34 | لفتيت | boundary | — | PERS |" in md
    assert "| seed-1 | 2 | 18–34 | عبد الوافي لفتيت | boundary | PERS | — |" in md
    assert "الإرهاب | missing | — | CRIME |" in md
    assert "Event-label disagreements" in md
    assert "| document | seed-1 | — | — | COOPERATE, MEET | COOPERATE, STATEMENT |" in md
    assert "| sentence | seed-1 | 65–127 | وقال إن المغرب شريك" in md
    assert "Documents compared (finished by 2+) | 1 of 1" in md
    console = Console(record=True, width=200)
    console.print(render_rich(report))
    out = console.export_text()
    assert "12 spans differ" in out and "CRIME" in out and "COOPERATE, MEET" in out


def _one_unit_report(**kw):
    text = "زار الوزير الرباط."
    work = {
        "a": AnnotatorWork({SpanAnn(11, 17, "GPE")}, frozenset({"VISIT"})),
        "b": AnnotatorWork({SpanAnn(11, 17, "LOC")}, frozenset({"MEET"})),
    }
    unfinished = DocumentUnit("d2", "نص.", [(0, 3)], [(0, 3)], {"a": AnnotatorWork()})
    doc = DocumentUnit("d1", text, [(0, len(text))], [(0, 3), (4, 10), (11, 18)], work)
    return build_report([doc, unfinished], ["a", "b"], **kw)


def test_one_unit_kappa_carries_a_caution():
    report = _one_unit_report()
    fleiss = report["events"]["document"]["fleiss_kappa"]
    assert fleiss["n"] == 1 and fleiss["value"] == pytest.approx(-1.0)
    assert fleiss["caution"] == "only 1 unit"
    assert report["spans"]["pairwise"]["a|b"]["exact"]["caution"] == "only 1 unit"
    assert report["events"]["document"]["cohen_kappa"]["a|b"]["caution"] == "only 1 unit"
    assert report["min_units"] == 30
    # alpha_U counts characters; its caution counts documents
    alpha_u = report["spans"]["unitizing_alpha"]["overall"]
    assert alpha_u["n"] == 18 and alpha_u["caution"] == "only 1 document"
    # an undefined figure has a reason, not a caution
    alpha = report["events"]["sentence"]["alpha_nominal"]
    assert alpha["value"] is None and alpha["caution"] is None
    md = render_markdown(report)
    assert "| Fleiss κ (units all finished) | ~-1.000 | 1 | only 1 unit |" in md
    assert "Documents compared (finished by 2+) | 1 of 2" in md
    assert "~ marks a figure on fewer than 30 units" in md
    console = Console(record=True, width=200, force_terminal=True, color_system="standard")
    console.print(render_rich(report))
    styled = console.export_text(styles=True)
    assert "\x1b[2m~-1.000" in styled  # dimmed


@pytest.mark.parametrize(("min_units", "flagged"), [(1, False), (2, True)])
def test_caution_threshold(min_units, flagged):
    report = _one_unit_report(min_units=min_units)
    assert report["min_units"] == min_units
    fleiss = report["events"]["document"]["fleiss_kappa"]
    assert (fleiss["caution"] is not None) is flagged
    assert ("~-1.000" in render_markdown(report)) is flagged


def test_caution_counts_units_below_the_threshold_only():
    many = []
    for i in range(30):
        text = "زار الوزير الرباط."
        work = {n: AnnotatorWork({SpanAnn(11, 17, "GPE")}, frozenset({"VISIT"})) for n in "ab"}
        many.append(DocumentUnit(f"d{i}", text, [(0, 18)], [(0, 3), (4, 10), (11, 18)], work))
    report = build_report(many, ["a", "b"])
    assert report["spans"]["pairwise"]["a|b"]["exact"]["caution"] is None
    assert report["events"]["document"]["percent_agreement"]["caution"] is None
    assert report["events"]["document"]["percent_agreement"]["n"] == 30
    assert "~" not in render_markdown(report)
    report = build_report(many[:29], ["a", "b"])
    assert report["spans"]["pairwise"]["a|b"]["exact"]["caution"] == "only 29 units"


def test_unused_labels_are_listed_not_scored():
    report = _one_unit_report(
        span_labels=["PERS", "GPE", "LOC", "ORG"], event_labels=["VISIT", "MEET", "ARREST"]
    )
    assert report["unused_labels"] == {"spans": ["PERS", "ORG"], "events": ["ARREST"]}
    assert set(report["spans"]["per_label"]) == {"GPE", "LOC"}
    md = render_markdown(report)
    assert "| Unused span labels | PERS, ORG |" in md
    assert "| Unused event labels | ARREST |" in md
    assert "\n| PERS |" not in md and "\n| ARREST |" not in md
    assert build_report([seed_doc()], ["alice", "bob"])["unused_labels"] == {
        "spans": [],
        "events": [],
    }


def _reference_kinds(cluster, n_present):
    """Each differing span's kind by the module doc's rule, without the fast paths."""
    marked = {}
    for start, end, label, a in cluster:
        marked.setdefault((start, end, label), set()).add(a)
    differing = {k: w for k, w in marked.items() if len(w) < n_present}
    out = {}
    for (start, end, label), who in differing.items():
        kinds = set()
        for b in set(range(n_present)) - who:
            theirs = [k for k, w in differing.items() if b in w and k[0] < end and start < k[1]]
            if any((k[0], k[1]) == (start, end) for k in theirs):
                kinds.add("label")
            elif not theirs:
                kinds.add("missing")
            elif any(k[2] == label for k in theirs):
                kinds.add("boundary")
            else:
                kinds.add("label")
        out[start, end, label] = next(k for k in KINDS if k in kinds)
    return out


@pytest.mark.parametrize("seed", range(20))
def test_span_kinds_fast_paths_follow_the_rule(seed):
    rng = random.Random(seed)
    for _ in range(300):
        n_present = rng.randint(2, 4)
        items = set()
        for a in range(n_present):
            for _ in range(rng.randint(0, 3)):
                start = rng.randint(0, 8)
                items.add((start, start + rng.randint(1, 4), rng.choice("XY"), a))
        for cluster in overlap_clusters(items):
            got = {key: (kind, who) for key, who, kind in _span_kinds(cluster, n_present)}
            want = _reference_kinds(cluster, n_present)
            assert {k: v[0] for k, v in got.items()} == want
            for (start, end, label), (_, who) in got.items():
                assert who == sorted(
                    a for s, e, lab, a in cluster if (s, e, lab) == (start, end, label)
                )


def test_event_label_disagreements_listed_up_to_the_limit_and_all_counted():
    report = build_report([seed_doc()], ["alice", "bob"], max_disagreements=1)
    assert report["events_disagreements_total"] == 2
    assert [e["scope"] for e in report["events_disagreements"]] == ["document"]
    for scope in ("document", "sentence"):
        section = report["events"][scope]
        assert section["disagreements_total"] == 1
        assert len(section["disagreements"]) == 1
    assert render_markdown(report).count("| sentence | seed-1 |") == 0
