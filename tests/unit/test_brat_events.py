"""brat export of structured event mentions: trigger T lines, E lines, A attributes and
their declarations in annotation.conf."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from export_corpus import export
from test_export_events import (
    TEXT,
    add_mentions,
    alice_d1,
    arg,
    mention,
    record,
    span,
    visit_record,
)

from annotator.io.brat import BratWriter, ann_lines, annotation_conf


@dataclass(frozen=True)
class Role:  # the shape of annotator.labelschema.EventRole
    name: str
    hotkey: str
    labels: tuple[str, ...]
    required: bool = False
    repeat: bool = False


@dataclass(frozen=True)
class Attribute:  # the shape of annotator.labelschema.EventAttribute
    name: str
    values: tuple[str, ...]
    default: str


ROLES = {"VISIT": (Role("Agent", "a", ("PERS", "ORG"), required=True),
                   Role("Place", "p", ("GPE", "LOC", "FAC"))),
         "MEET": (Role("Entity", "e", ("PERS", "ORG", "GPE", "NORP"), repeat=True),
                  Role("Place", "p", ("GPE", "LOC", "FAC")),
                  Role("Time", "t", ("DATE",)))}
ATTRS = {kind: (Attribute("polarity", ("positive", "negative"), "positive"),
                Attribute("tense", ("past", "present", "future", "unspecified"), "unspecified"))
         for kind in ("VISIT", "MEET")}
DEFAULTS = {k: {a.name: a.default for a in v} for k, v in ATTRS.items()}


def parse(text: str, lines: list[str]) -> tuple[dict, list[tuple], dict]:
    """T lines by id (label, start, end), the events as the record has them (type,
    trigger range, sorted (role without number, start, end, label)), attributes by E id."""
    tb: dict[str, tuple[str, int, int]] = {}
    for line in lines:
        if line.startswith("T"):
            tid, body, shown = line.split("\t")
            label, where = body.split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in where.split(";")]
            assert " ".join(text[s:e] for s, e in frags) == shown
            tb[tid] = (label, frags[0][0], frags[-1][1])
    events = []
    attrs: dict[str, dict[str, str]] = {}
    for line in lines:
        if line.startswith("E"):
            eid, body = line.split("\t")
            (kind, trig), *rest = (part.split(":") for part in body.split(" "))
            label, s, e = tb[trig]
            assert label == kind
            args = sorted((re.sub(r"\d+$", "", role), *tb[t][1:], tb[t][0]) for role, t in rest)
            events.append((kind, s, e, args))
        if line.startswith("A") and line.count(" ") == 2:
            _, body = line.split("\t")
            name, target, value = body.split(" ")
            attrs.setdefault(target, {})[name] = value
    return tb, events, attrs


def as_record_events(rec: dict) -> list[tuple]:
    return [(m["type"], m["trigger"]["start"], m["trigger"]["end"],
             sorted((a["role"], a["start"], a["end"], a["label"]) for a in m["arguments"]))
            for m in rec["event_mentions"]]


def test_e_lines_read_back() -> None:
    rec = visit_record()
    lines, problems = ann_lines(rec, DEFAULTS)
    assert problems == []
    tb, events, attrs = parse(rec["text"], lines)
    assert events == as_record_events(rec)
    # the sub-token trigger keeps its exact range: زيارة, not وزيارة
    assert "\tVISIT " in next(ln for ln in lines if ln.endswith("\tزيارة"))
    # only the non-default attribute of E2 is written; E1 is at every default
    assert attrs == {"E2": {"tense": "future"}}
    e_lines = [ln for ln in lines if ln.startswith("E")]
    assert [ln.split("\t")[0] for ln in e_lines] == ["E1", "E2"]
    assert re.fullmatch(r"E1\tVISIT:T\d+ Agent:T2 Place:T3", e_lines[0])


def test_without_defaults_every_attribute_is_written() -> None:
    rec = visit_record()
    lines, _ = ann_lines(rec)
    _, _, attrs = parse(rec["text"], lines)
    assert attrs == {"E1": {"polarity": "positive"},
                     "E2": {"polarity": "positive", "tense": "future"}}
    numbers = [int(ln.split("\t")[0][1:]) for ln in lines if ln.startswith("A")]
    assert numbers == list(range(1, len(numbers) + 1))


def test_repeated_role_is_numbered_and_trigger_shared() -> None:
    t = TEXT
    trig = (at_ := t.index("وصل"), at_ + 3)
    spans = [span(t, "ناصر بوريطة", "PERS"), span(t, "وزير الخارجية", "OCC"),
             span(t, "مدريد", "GPE"), span(t, "إسبانيا", "GPE")]
    meet = mention(t, "E1", "MEET", trig, [arg(t, "Entity", "ناصر بوريطة", "PERS"),
                                           arg(t, "Entity", "إسبانيا", "GPE"),
                                           arg(t, "Place", "مدريد", "GPE")],
                   polarity="negative")
    visit = mention(t, "E2", "VISIT", trig, [arg(t, "Place", "مدريد", "GPE")])
    rec = record(t, spans, [meet, visit])
    lines, problems = ann_lines(rec, DEFAULTS)
    assert problems == []
    e1 = next(ln for ln in lines if ln.startswith("E1\t"))
    assert re.fullmatch(r"E1\tMEET:T\d+ Entity:T2 Entity2:T4 Place:T3", e1)
    # one trigger T per (range, type): MEET and VISIT on the same word are two T lines
    triggers = [ln for ln in lines if ln.startswith("T") and ln.endswith("\tوصل")]
    assert sorted(ln.split("\t")[1].split(" ")[0] for ln in triggers) == ["MEET", "VISIT"]
    assert "A1\tpolarity E1 negative" in lines
    _, events, _ = parse(t, lines)
    assert events == as_record_events(rec)


def test_unresolvable_argument_is_a_problem() -> None:
    t = TEXT
    rec = record(t, [span(t, "مدريد", "GPE")],
                 [mention(t, "E1", "VISIT", (0, 3), [arg(t, "Place", "مدريد", "GPE"),
                                                      arg(t, "Agent", "بوريطة", "PERS")])])
    lines, problems = ann_lines(rec, DEFAULTS)
    assert len(problems) == 1 and "argument Agent PERS" in problems[0]
    assert re.fullmatch(r"E1\tVISIT:T2 Place:T1", next(ln for ln in lines if ln[0] == "E"))


def test_gold_provenance_note_on_e_line() -> None:
    rec = visit_record()
    rec["meta"]["provenance"] = {
        "spans": [None] * len(rec["spans"]), "events": [],
        "event_mentions": [{"rule": "unanimous", "by": "dina"}, None]}
    lines, _ = ann_lines(rec, DEFAULTS)
    assert "#1\tAnnotatorNotes E1\trule=unanimous; by=dina" in lines


def test_annotation_conf_declares_roles_and_attributes() -> None:
    conf = annotation_conf(["PERS", "GPE"], ["MEET", "VISIT", "HOST"], ROLES, ATTRS)
    sections = dict(re.findall(r"\[(\w+)\]\n(.*?)(?=\n\[|\Z)", conf, re.S))
    events = sections["events"].strip().splitlines()
    assert events == ["MEET\tEntity*:PERS|ORG|GPE|NORP, Place?:GPE|LOC|FAC, Time?:DATE",
                      "VISIT\tAgent:PERS|ORG, Place?:GPE|LOC|FAC", "HOST"]
    attrs = sections["attributes"].strip().splitlines()
    assert "MEET\tArg:DOCUMENT|SENTENCE" in attrs  # the event labels stay as they were
    assert "polarity\tArg:MEET|VISIT, Value:positive|negative" in attrs
    assert "# polarity: not written when positive (the default)" in attrs
    assert "tense\tArg:MEET|VISIT, Value:past|present|future|unspecified" in attrs


def test_writer_declares_what_the_schema_does_not(tmp_path: Path) -> None:
    rec = visit_record()
    rec["event_mentions"][1]["arguments"][0]["role"] = "Guest"  # not a VISIT role
    w = BratWriter(tmp_path / "b", ["PERS", "GPE"], ["VISIT"],
                   {"VISIT": ROLES["VISIT"]}, {"VISIT": ATTRS["VISIT"][:1]})
    w.add(rec)
    w.close()
    conf = (tmp_path / "b" / "annotation.conf").read_text(encoding="utf-8")
    assert "VISIT\tAgent:PERS|ORG, Place?:GPE|LOC|FAC, Guest*:PERS\n" in conf
    assert "tense\tArg:VISIT, Value:future\n" in conf
    ann = (tmp_path / "b" / "d1.ann").read_text(encoding="utf-8").splitlines()
    assert any(ln.endswith("\ttense E2 future") for ln in ann)


def test_cli_brat_export_declares_schema_events(corpus, tmp_path: Path) -> None:
    """The command on the export corpus (sqlite and postgres): annotation.conf lists every
    event type of the database's schema in [events], and spans keep their T lines."""
    from annotator.labelschema import load_schema

    out = tmp_path / "brat"
    result = export(corpus.db, out, "--format", "brat")
    assert result.exit_code == 0, result.output
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    events = conf.split("[events]\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [ln.split("\t")[0] for ln in events][:len(load_schema().events)] == \
        load_schema().event_names()


def test_cli_brat_export_of_stored_mentions(corpus, tmp_path: Path) -> None:
    """Mentions made through the store: E lines equal the JSONL record's mentions, the
    attribute off its schema default is the only A line of a mention, the coreference an
    R line, and annotation.conf declares MEET's roles (sqlite and postgres)."""
    add_mentions(corpus)
    rec = alice_d1(corpus, tmp_path)
    out = tmp_path / "brat"
    result = export(corpus.db, out, "--source", "annotator:alice", "--format", "brat")
    assert result.exit_code == 0, result.output
    lines = (out / "d1.ann").read_text(encoding="utf-8").splitlines()
    _, events, attrs = parse(rec["text"], lines)
    assert events == as_record_events(rec)
    assert attrs == {"E1": {"tense": "past"}}
    assert "R1\tCoref Arg1:E2 Arg2:E1" in lines
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "\nMEET\tEntity*:PERS|ORG|GPE|NORP, Place?:GPE|LOC|FAC, Time?:DATE" in conf
    assert "\nCoref\tArg1:<EVENT>, Arg2:<EVENT>\n" in conf
