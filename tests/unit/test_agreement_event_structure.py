"""Agreement on event structure, on a hand-computed two-annotator example.

Document d1 (60 characters; alice is the reference, bob the prediction)::

    alice: VISIT  [10,15) polarity=positive tense=past  Agent [0,5) PERS, Place [20,26) GPE
           MEET   [30,34) polarity=positive tense=past  Entity [0,5) PERS, Entity [40,45) ORG
           ATTACK [50,55) polarity=positive tense=past
    bob:   VISIT  [10,15) polarity=positive tense=past  Agent [0,5) PERS, Destination [20,26) GPE
           MEET   [30,34) polarity=negative tense=past  Entity [0,5) PERS
           STATEMENT [35,38)
           ATTACK [51,55)

Document d2 is finished by alice only: it counts nowhere.

Triggers, exact: tp = 2 (VISIT, MEET), fp = 2 (bob's STATEMENT and ATTACK), fn = 1
(alice's ATTACK): P = 2/4, R = 2/3, F1 = 2tp / (2tp + fp + fn) = 4/7; units 3 + 4 = 7.
Overlap: the ATTACKs overlap: tp = 3, fp = 1, fn = 0: P = 3/4, R = 1, F1 = 6/7.
Per type (exact): VISIT 1 (n 2), MEET 1 (n 2), ATTACK 0 (n 2; overlap 1), STATEMENT 0 with
recall undefined (alice marked none; n 1).

alpha_U per type, continuum 60: VISIT and MEET identical units: D_o = 0, alpha = 1.
ATTACK: the units [50,55) and [51,55) overlap: (50-51)^2 + 0^2 = 1, so
D_o = 2 * 1 / (2 * 1 * 60^2) = 1/3600. D_e (Krippendorff 2004, units 5 and 4; gaps 50, 5
and 51, 5): denominator 120 * 119 - (5*4 + 4*3) = 14248; for the unit of 5:
(2*125 - 3*25 + 5) + 3*25 * ((5-4)+(5-4)+(50-4)+(51-4)) = 180 + 75 * 95 = 7305; for the
unit of 4: (2*64 - 3*16 + 4) + 3*16 * ((5-3)+(5-3)+(50-3)+(51-3)) = 84 + 48 * 99 = 4836;
D_e = 2 * (7305 + 4836) / (3 * 60 * 14248) = 24282 / 2564640; alpha = 1 - D_o / D_e
= 1 - 2564640 / (3600 * 24282) = 0.970661...

Arguments of the matched triggers (VISIT, MEET), on (role, start, end):
Agent tp 1 (F1 1, n 2); Place fn 1 (F1 0, n 1); Destination fp 1 (F1 0, n 1);
Entity tp 1, fn 1 (P 1, R 1/2, F1 2/3, n 3). Micro: tp 2, fp 1, fn 2: F1 4/7, n 7.

Roles of arguments matched by range: [0,5) Agent/Agent, [20,26) Place/Destination,
[0,5) Entity/Entity ([40,45) is alice's only): p_o = 2/3; p_e = (1*1 + 1*1) / 9 = 2/9;
kappa = (2/3 - 2/9) / (1 - 2/9) = 4/7, n 3.
Attributes of the matched triggers: polarity (pos, pos), (pos, neg): p_o = 1/2,
p_e = (2*1) / 4 = 1/2, kappa = 0, n 2; tense always past: undefined (no variation).

Disagreements, in reading order: VISIT argument-role at [20,26); MEET argument-missing at
[40,45); MEET attribute polarity; STATEMENT trigger-missing; ATTACK trigger-boundary.
"""

from __future__ import annotations

import json

import pytest

from annotator.agreement.event_structure import event_structure_section, rows_for_table
from annotator.agreement.event_structure_rows import versions_text
from annotator.agreement.unitizing import unitizing_alpha
from annotator.events_model import ArgumentView, MentionView

TEXT = "abcdefghij" * 6
POS = {"polarity": "positive", "tense": "past"}
NEG = {"polarity": "negative", "tense": "past"}


def mention(start: int, end: int, type_: str, attrs: dict | None = None,
            *args: tuple[str, int, int, str]) -> MentionView:
    return MentionView(id=start, start=start, end=end, type=type_, attributes=attrs or {},
                       arguments=tuple(ArgumentView(i, r, s, e, lab)
                                       for i, (r, s, e, lab) in enumerate(args)))


ALICE = [
    mention(10, 15, "VISIT", POS, ("Agent", 0, 5, "PERS"), ("Place", 20, 26, "GPE")),
    mention(30, 34, "MEET", POS, ("Entity", 0, 5, "PERS"), ("Entity", 40, 45, "ORG")),
    mention(50, 55, "ATTACK", POS),
]
BOB = [
    mention(10, 15, "VISIT", POS, ("Agent", 0, 5, "PERS"), ("Destination", 20, 26, "GPE")),
    mention(30, 34, "MEET", NEG, ("Entity", 0, 5, "PERS")),
    mention(35, 38, "STATEMENT"),
    mention(51, 55, "ATTACK", POS),
]
DOCS = {"d1": {"alice": ALICE, "bob": BOB},
        "d2": {"alice": [mention(1, 4, "MEET", POS)]}}
TEXTS = {"d1": TEXT, "d2": TEXT}


@pytest.fixture(scope="module")
def section() -> dict:
    return event_structure_section(DOCS, texts=TEXTS)


def test_triggers_exact_and_overlap(section: dict) -> None:
    t = section["triggers"]
    assert section["annotators"] == ["alice", "bob"] and section["documents"] == 1
    assert (t["exact"]["tp"], t["exact"]["fp"], t["exact"]["fn"]) == (2, 2, 1)
    assert t["exact"]["precision"] == pytest.approx(0.5)
    assert t["exact"]["recall"] == pytest.approx(2 / 3)
    assert t["exact"]["f1"] == pytest.approx(4 / 7)
    assert t["exact"]["n"] == 7 and t["exact"]["caution"] == "only 7 units"
    assert t["overlap"]["f1"] == pytest.approx(6 / 7) and t["overlap"]["recall"] == 1.0
    per = t["per_type"]
    assert per["VISIT"]["exact"]["f1"] == 1.0 and per["VISIT"]["exact"]["n"] == 2
    assert per["ATTACK"]["exact"]["f1"] == 0.0 and per["ATTACK"]["overlap"]["f1"] == 1.0
    statement = per["STATEMENT"]["exact"]
    assert statement["f1"] == 0.0 and statement["n"] == 1
    assert statement["recall"] is None  # alice marked none: a mean leaves it out
    assert t["pairwise"]["alice|bob"]["per_type"]["STATEMENT"]["exact"]["reason"] == (
        "recall undefined: the first annotator marked no trigger")
    assert t["mentions"] == {"alice": 4, "bob": 4}  # d2 counts in the totals only
    assert per["MEET"]["mentions"] == {"alice": 2, "bob": 1}


def test_unitizing_alpha_over_triggers(section: dict) -> None:
    alpha = section["triggers"]["per_type"]
    assert alpha["VISIT"]["unitizing_alpha"]["value"] == pytest.approx(1.0)
    assert alpha["MEET"]["unitizing_alpha"]["value"] == pytest.approx(1.0)
    hand = 1 - 2564640 / (3600 * 24282)
    assert alpha["ATTACK"]["unitizing_alpha"]["value"] == pytest.approx(hand)
    assert hand == pytest.approx(0.970661, abs=1e-6)
    overall = section["triggers"]["unitizing_alpha"]
    direct = unitizing_alpha(60, {
        "alice": [(m.start, m.end, m.type) for m in ALICE],
        "bob": [(m.start, m.end, m.type) for m in BOB]})
    assert overall["overall"]["value"] == pytest.approx(direct.overall.value)
    assert overall["n_docs"] == 1 and overall["overall"]["caution"] == "only 1 document"


def test_arguments_given_matched_triggers(section: dict) -> None:
    a = section["arguments"]
    assert a["matched_triggers"] == 2
    assert a["micro"]["f1"] == pytest.approx(4 / 7) and a["micro"]["n"] == 7
    roles = a["per_role"]
    assert roles["Agent"]["f1"] == 1.0 and roles["Agent"]["n"] == 2
    assert roles["Place"]["f1"] == 0.0 and roles["Place"]["precision"] is None
    assert roles["Destination"]["f1"] == 0.0 and roles["Destination"]["recall"] is None
    assert roles["Entity"]["f1"] == pytest.approx(2 / 3) and roles["Entity"]["n"] == 3
    assert a["role_kappa"]["kappa"] == pytest.approx(4 / 7) and a["role_kappa"]["n"] == 3
    assert a["role_kappa"]["caution"] == "only 3 units"


def test_attribute_kappa(section: dict) -> None:
    attrs = section["attributes"]
    assert attrs["polarity"]["kappa"] == pytest.approx(0.0) and attrs["polarity"]["n"] == 2
    assert attrs["tense"]["kappa"] is None
    assert attrs["tense"]["reason"].startswith("undefined: every value is the same")
    assert attrs["tense"]["caution"] is None  # an undefined value carries no caution


def test_disagreements_with_each_version(section: dict) -> None:
    rows = section["disagreements"]
    assert [(r["type"], r["kind"]) for r in rows] == [
        ("VISIT", "argument-role"), ("MEET", "argument-missing"), ("MEET", "attribute"),
        ("STATEMENT", "trigger-missing"), ("ATTACK", "trigger-boundary")]
    role = rows[0]
    assert role["argument"] == {"start": 20, "end": 26, "text": TEXT[20:26]}
    assert role["versions"]["alice"][0]["role"] == "Place"
    assert role["versions"]["bob"][0]["role"] == "Destination"
    assert rows[1]["versions"]["bob"] == []
    assert rows[2]["attribute"] == "polarity"
    assert rows[2]["versions"] == {"alice": [{"value": "positive"}],
                                   "bob": [{"value": "negative"}]}
    assert rows[3]["versions"]["alice"] == [] and rows[3]["text"] == TEXT[35:38]
    assert (rows[4]["start"], rows[4]["end"]) == (50, 55)
    assert section["disagreements_total"] == 5
    assert section["disagreements_by_kind"]["argument-role"] == 1
    assert not section["disagreements_truncated"]


def test_json_ready_and_min_units() -> None:
    low = event_structure_section(DOCS, texts=TEXTS, min_units=3)
    json.dumps(low, allow_nan=False)
    assert low["triggers"]["exact"]["caution"] is None  # 7 units >= 3
    assert low["arguments"]["per_role"]["Agent"]["caution"] == "only 2 units"


def test_three_annotators_average_the_pairs() -> None:
    docs = {"d1": {"alice": ALICE, "bob": BOB, "carol": ALICE}}
    s = event_structure_section(docs, texts=TEXTS)
    pairs = s["triggers"]["pairwise"]
    assert list(pairs) == ["alice|bob", "alice|carol", "bob|carol"]
    assert pairs["alice|carol"]["exact"]["f1"] == 1.0
    mean = sum(p["exact"]["f1"] for p in pairs.values()) / 3
    assert s["triggers"]["exact"]["f1"] == pytest.approx(mean)
    assert s["triggers"]["exact"]["pairs"] == 3
    assert s["arguments"]["role_kappa"]["pairs"]["alice|carol"] == pytest.approx(1.0)


def test_table_rows(section: dict) -> None:
    figures = rows_for_table(section)
    assert ("role kappa", "matched arguments") in [r[:2] for r in figures]
    exact = next(r for r in figures if r[:2] == ("trigger F1 exact", "micro"))
    assert exact[2] == pytest.approx(4 / 7) and exact[3:5] == (7, "only 7 units")
    dis = rows_for_table(section, "disagreements")
    assert dis[0][:6] == ("d1", 10, 15, TEXT[10:15], "VISIT", "argument-role")
    assert dis[0][6] == f"[20,26) «{TEXT[20:26]}»"
    assert dis[0][7] == (f"alice=Place GPE [20,26) «{TEXT[20:26]}»; "
                         f"bob=Destination GPE [20,26) «{TEXT[20:26]}»")
    assert versions_text(section["disagreements"][3]["versions"]).startswith("alice=—; bob=")
    with pytest.raises(ValueError):
        rows_for_table(section, "nope")


def test_undefined_without_a_second_annotator() -> None:
    s = event_structure_section({"d1": {"alice": ALICE}})
    assert s["triggers"]["exact"]["f1"] is None and s["triggers"]["exact"]["reason"]
    assert s["triggers"]["unitizing_alpha"]["overall"]["value"] is None
    assert s["disagreements"] == [] and s["notes"]


def test_documents_without_mentions_only_count_and_lend_their_length() -> None:
    empty = {"alice": [], "bob": []}
    docs = {"e0": empty, "d1": DOCS["d1"], "e2": {"alice": []}, "e3": dict(empty)}
    texts = {"e0": "x" * 7, "d1": TEXT, "e2": "y" * 5, "e3": "z" * 11}
    with_empty = event_structure_section(docs, texts=texts)
    alone = event_structure_section({"d1": DOCS["d1"]}, texts=TEXTS)
    assert (with_empty["documents"], alone["documents"]) == (3, 1)
    pair = with_empty["triggers"]["pairwise"]["alice|bob"]
    assert pair["n_docs"] == 3
    assert {**pair, "n_docs": 1} == alone["triggers"]["pairwise"]["alice|bob"]
    for key in ("mentions", "exact", "overlap"):
        assert with_empty["triggers"][key] == alone["triggers"][key]
    for key in ("arguments", "attributes", "disagreements", "disagreements_by_kind"):
        assert with_empty[key] == alone[key]
    # alpha_U: e0, d1 and e3 laid end to end (e2 is alice's only), d1's triggers after e0
    units = {a: [(m.start + 7, m.end + 7, m.type) for m in DOCS["d1"][a]]
             for a in ("alice", "bob")}
    direct = unitizing_alpha(7 + len(TEXT) + 11, units)
    alpha = with_empty["triggers"]["unitizing_alpha"]
    assert (alpha["n_docs"], alpha["overall"]["n"]) == (3, 7 + len(TEXT) + 11)
    assert alpha["overall"]["value"] == direct.overall.value
    for t, score in direct.per_label.items():
        assert with_empty["triggers"]["per_type"][t]["unitizing_alpha"]["value"] == score.value
