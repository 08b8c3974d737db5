"""Pure adjudication logic: disagreements, the unanimous rule, decisions."""

from __future__ import annotations

import pytest

from annotator.adjudication import (
    DOCUMENT_UNIT,
    Work,
    agreed_items,
    auto_plan,
    choose,
    edit,
    find_disagreements,
    reject,
    remaining,
)

S1 = ("sentence", 0, 55)
S2 = ("sentence", 56, 80)

# a fixture with known agreements and disagreements
ALICE = Work.of(
    spans=[
        (4, 17, "OCC"),  # agreed by all
        (18, 34, "PERS"),  # label: bob says ORG
        (40, 50, "GPE"),  # boundary: bob has (40, 47)
        (60, 65, "DATE"),  # missing: only alice
        (70, 75, "LOC"),  # agreed by all
    ],
    doc_events=["STATEMENT", "MEET"],  # STATEMENT agreed; MEET only alice
    sent_events={(0, 55): ["COOPERATE"], (56, 80): ["ARREST"]},  # S1 agreed
)
BOB = Work.of(
    spans=[(4, 17, "OCC"), (18, 34, "ORG"), (40, 47, "GPE"), (70, 75, "LOC")],
    doc_events=["STATEMENT"],
    sent_events={(0, 55): ["COOPERATE"]},
)
WORKS = {"alice": ALICE, "bob": BOB}



def test_agreed_items_are_the_unanimous_ones() -> None:
    agreed = agreed_items(WORKS)
    assert agreed.spans == {(4, 17, "OCC"), (70, 75, "LOC")}
    assert agreed.events == {DOCUMENT_UNIT: {"STATEMENT"}, S1: {"COOPERATE"}}
    assert agreed.count == 4
    assert agreed_items({"alice": ALICE}).count == 0  # one finisher: nothing is "agreed"


def test_auto_plan_skips_what_gold_holds() -> None:
    gold = Work.of(spans=[(4, 17, "OCC")], doc_events=["STATEMENT"])
    plan = auto_plan(WORKS, gold)
    assert plan.spans == {(70, 75, "LOC")}
    assert plan.events == {S1: {"COOPERATE"}}
    # once everything agreed is in gold, the plan is empty (idempotence)
    full = Work.of(spans=agreed_items(WORKS).spans, doc_events=["STATEMENT"],
                   sent_events={(0, 55): ["COOPERATE"]})
    assert auto_plan(WORKS, full).count == 0


def test_each_kind_of_disagreement() -> None:
    items = find_disagreements(WORKS)
    assert [(d.kind, d.start, d.end) for d in items] == [
        ("event", None, None),
        ("label", 18, 34),
        ("boundary", 40, 50),
        ("event", 56, 80),
        ("missing", 60, 65),
    ]
    label = items[1]
    assert [(v.annotators, v.spans) for v in label.versions] == [
        (("alice",), ((18, 34, "PERS"),)), (("bob",), ((18, 34, "ORG"),))]
    missing = items[4]
    assert [(v.annotators, v.spans) for v in missing.versions] == [
        (("alice",), ((60, 65, "DATE"),)), (("bob",), ())]
    doc_event = items[0]
    assert doc_event.unit == DOCUMENT_UNIT and doc_event.agreed == ("STATEMENT",)
    assert [(v.annotators, v.labels) for v in doc_event.versions] == [
        (("alice",), ("MEET", "STATEMENT")), (("bob",), ("STATEMENT",))]
    assert items[3].unit == S2 and items[3].versions[1].labels == ()


def test_agreeing_annotators_share_a_version_and_keys_are_stable() -> None:
    carol = Work.of(spans=[(4, 17, "OCC"), (18, 34, "PERS"), (40, 47, "GPE"), (70, 75, "LOC")])
    items = find_disagreements({"alice": ALICE, "bob": BOB, "carol": carol})
    label = next(d for d in items if d.start == 18)
    assert [v.annotators for v in label.versions] == [("alice", "carol"), ("bob",)]
    assert label.holders_of_span((18, 34, "PERS")) == ("alice", "carol")
    again = find_disagreements({"carol": carol, "bob": BOB, "alice": ALICE})
    assert [d.key for d in items] == [d.key for d in again]
    # a changed version gives a new key (an old decision does not cover new work)
    changed = find_disagreements({"alice": ALICE, "bob": BOB})
    assert next(d for d in changed if d.start == 18).key != label.key


def test_overlapping_disputed_spans_form_one_cluster() -> None:
    a = Work.of(spans=[(0, 10, "ORG"), (12, 20, "GPE")])
    b = Work.of(spans=[(0, 20, "ORG")])  # one span over both of alice's
    items = find_disagreements({"a": a, "b": b})
    assert len(items) == 1 and (items[0].start, items[0].end) == (0, 20)
    assert items[0].kind == "label"
    # nested: the agreed inner span stays out of the cluster
    a = Work.of(spans=[(0, 20, "OCC"), (5, 20, "PERS")])
    b = Work.of(spans=[(5, 20, "PERS")])
    items = find_disagreements({"a": a, "b": b})
    assert [(d.kind, d.start, d.end) for d in items] == [("missing", 0, 20)]


def test_no_disagreement_when_all_agree_or_one_finisher() -> None:
    assert find_disagreements({"alice": ALICE, "bob": ALICE}) == []
    assert find_disagreements({"alice": ALICE}) == []


def test_choose_one_several_reject_edit() -> None:
    items = find_disagreements(WORKS)
    label = items[1]
    one = choose(label, [1])
    assert one.outcome == "accepted" and one.spans == (((18, 34, "ORG"), ("bob",)),)
    both = choose(label, [0, 1])
    assert [s for s, _ in both.spans] == [(18, 34, "ORG"), (18, 34, "PERS")]
    assert reject(label).spans == () and reject(label).outcome == "rejected"
    edited = edit(items[2], (40, 48, "GPE"))
    assert edited.outcome == "edited" and edited.spans == (((40, 48, "GPE"), ()),)
    assert edit(items[2], (40, 47, "GPE")).spans[0][1] == ("bob",)
    with pytest.raises(ValueError):
        choose(label, [5])
    with pytest.raises(ValueError):
        choose(label, [])


def test_event_decisions_keep_the_agreed_labels() -> None:
    doc_event = find_disagreements(WORKS)[0]
    assert choose(doc_event, [0]).labels == (
        ("MEET", ("alice",)), ("STATEMENT", ("alice", "bob")))
    assert reject(doc_event).labels == (("STATEMENT", ("alice", "bob")),)
    assert choose(doc_event, [1]).labels == reject(doc_event).labels
    with pytest.raises(ValueError):
        edit(doc_event, (0, 3, "PERS"))


def test_remaining_counts_undecided() -> None:
    items = find_disagreements(WORKS)
    assert remaining(items, set()) == 5
    assert remaining(items, {items[0].key, items[2].key}) == 3
