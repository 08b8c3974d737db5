"""Event mentions in the JSONL record (issue 13): export (annotator, gold, majority),
import with --annotator (whole record rejected with file:line on a bad mention), and
export -> import -> export byte-identical. Both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_corpus import export, read_jsonl, record_validator
from sqlalchemy import func, select

from annotator.commands.common import open_store
from annotator.commands.importing import import_paths
from annotator.store.models import GOLD, Document, EventArgument, EventMention
from annotator.store.service import Store

TEXT = "أكد الوزير وزيارة الرئيس إلى الرباط يوم الثلاثاء. وقال إن اللقاء كان مثمرا."
VISIT = (TEXT.index("وزيارة") + 1, TEXT.index("وزيارة") + len("وزيارة"))
PRES = (TEXT.index("الرئيس"), TEXT.index("الرئيس") + len("الرئيس"))
RABAT = (TEXT.index("الرباط"), TEXT.index("الرباط") + len("الرباط"))
TUESDAY = (TEXT.index("الثلاثاء"), TEXT.index("الثلاثاء") + len("الثلاثاء"))
MEETING = (TEXT.index("اللقاء"), TEXT.index("اللقاء") + len("اللقاء"))
FIRST = TEXT.index(".") + 1


def _count(s, model: type) -> int:  # noqa: ANN001 (a session)
    return s.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def _annotate(store: Store, doc_id: int, user: str) -> None:
    pres = store.add_span(doc_id, user, *PRES, "PERS")
    rabat = store.add_span(doc_id, user, *RABAT, "GPE")
    date = store.add_span(doc_id, user, *TUESDAY, "DATE")
    m = store.add_event_mention(doc_id, user, *VISIT, "VISIT", {"tense": "past"})
    store.add_event_argument(m.id, user, "Agent", pres.id)
    store.add_event_argument(m.id, user, "Place", rabat.id)
    store.add_event_argument(m.id, user, "Time", date.id)
    later = store.add_event_mention(doc_id, user, *MEETING, "MEET")
    store.set_mention_coref(later.id, user, None)


@pytest.fixture
def db(databases) -> str:
    db = databases.new("ev")
    store, _schema = open_store(db)
    try:
        doc, _ = store.add_document(external_id="d1", title="t", text=TEXT,
                                    sentences=[(0, FIRST), (FIRST + 1, len(TEXT))])
        for user in ("alice", "bob"):
            _annotate(store, doc.id, user)
            store.set_status(doc.id, user, "done")
    finally:
        store.close()
    return db


def test_record_has_event_mentions(db: str, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert export(db, out, "--source", "annotator:alice").exit_code == 0
    [rec] = read_jsonl(out)
    assert not list(record_validator().iter_errors(rec))
    assert list(rec) == ["id", "title", "text", "sentences", "spans", "events",
                         "event_mentions", "meta"]
    visit, meet = rec["event_mentions"]
    assert visit["id"] == "E1" and visit["type"] == "VISIT"
    assert visit["trigger"] == {"start": VISIT[0], "end": VISIT[1], "text": "زيارة"}
    assert visit["attributes"] == {"genericity": "specific", "modality": "asserted",
                                   "polarity": "positive", "tense": "past"}
    assert [(a["role"], a["label"], a["text"]) for a in visit["arguments"]] == [
        ("Agent", "PERS", "الرئيس"), ("Place", "GPE", "الرباط"), ("Time", "DATE", "الثلاثاء")]
    assert meet["id"] == "E2" and meet["arguments"] == [] and "coref_of" not in meet
    spans = {(s["start"], s["end"], s["label"]) for s in rec["spans"]}
    assert all((a["start"], a["end"], a["label"]) in spans for a in visit["arguments"])


def test_majority_keeps_whole_mentions_both_have(db: str, tmp_path: Path) -> None:
    store = Store.open(db)
    try:
        bobs = store.event_mentions(1, "bob")
        store.remove_event_argument(bobs[1 if bobs[1].type == "VISIT" else 0]
                                    .arguments[0].id, "bob")
    finally:
        store.close()
    out = tmp_path / "m.jsonl"
    assert export(db, out, "--source", "majority").exit_code == 0
    [rec] = read_jsonl(out)
    assert [m["type"] for m in rec["event_mentions"]] == ["MEET"]  # VISIT now differs


def test_gold_mentions_export_with_provenance(db: str, tmp_path: Path) -> None:
    store = Store.open(db)
    try:
        gold = store._annotator_id(GOLD)
        with store.write(1) as s:  # as adjudication stores them (engineer E3's work)
            s.add(EventMention(document_id=1, annotator_id=gold, start=VISIT[0],
                               end=VISIT[1], type="VISIT", attributes={"polarity": "negative"},
                               provenance={"annotators": ["alice", "bob"], "rule": "adjudicated",
                                           "by": "carol", "at": "2026-01-01"}))
            s.commit()
        store.set_status(1, GOLD, "done")
    finally:
        store.close()
    out = tmp_path / "g.jsonl"
    assert export(db, out, "--source", "gold").exit_code == 0
    [rec] = read_jsonl(out)
    assert not list(record_validator().iter_errors(rec))
    assert [(m["id"], m["type"], m["attributes"]) for m in rec["event_mentions"]] == [
        ("E1", "VISIT", {"polarity": "negative"})]
    [prov] = rec["meta"]["provenance"]["event_mentions"]
    assert prov["id"] == "E1" and prov["rule"] == "adjudicated" and prov["by"] == "carol"


def test_export_import_export_is_byte_identical(db: str, databases, tmp_path: Path) -> None:
    store = Store.open(db)
    try:
        views = store.event_mentions(1, "alice")
        store.set_mention_coref(views[1].id, "alice", views[0].id)  # coreference travels too
    finally:
        store.close()
    first = tmp_path / "first.jsonl"
    assert export(db, first, "--source", "annotator:alice").exit_code == 0
    assert json.loads(first.read_text())["event_mentions"][1]["coref_of"] == "E1"
    db2 = databases.new("fresh")
    store, schema = open_store(db2)
    try:
        summary = import_paths(store, schema, [first], annotator="alice")
        assert not summary.errors and summary.added == 1 and summary.event_mentions == 2
        again = import_paths(store, schema, [first], annotator="alice")  # nothing new
        assert not again.errors and again.event_mentions == 0
        with store.session() as s:
            assert _count(s, EventMention) == 2
            assert _count(s, EventArgument) == 3
    finally:
        store.close()
    second = tmp_path / "second.jsonl"
    assert export(db2, second, "--source", "annotator:alice").exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def _record(**mention_changes: object) -> dict:
    mention = {"id": "E1", "type": "VISIT",
               "trigger": {"start": VISIT[0], "end": VISIT[1], "text": "زيارة"},
               "attributes": {"polarity": "positive"},
               "arguments": [{"role": "Place", "start": RABAT[0], "end": RABAT[1],
                              "text": "الرباط", "label": "GPE"}]}
    mention.update(mention_changes)
    return {"id": "r", "text": TEXT,
            "spans": [{"start": RABAT[0], "end": RABAT[1], "label": "GPE"},
                      {"start": PRES[0], "end": PRES[1], "label": "PERS"},
                      {"start": TUESDAY[0], "end": TUESDAY[1], "label": "DATE"}],
            "event_mentions": [mention]}


PLACE_DATE = [{"role": "Place", "start": TUESDAY[0], "end": TUESDAY[1], "label": "DATE"}]
NOT_A_SPAN = [{"role": "Place", "start": RABAT[0], "end": RABAT[1], "label": "LOC"}]
TWO_PLACES = [{"role": "Place", "start": RABAT[0], "end": RABAT[1], "label": "GPE"},
              {"role": "Place", "start": PRES[0], "end": PRES[1], "label": "PERS"}]


@pytest.mark.parametrize(("change", "message"), [
    ({"arguments": NOT_A_SPAN}, "is not one of the record's spans"),
    ({"arguments": PLACE_DATE}, "a DATE span cannot fill the role 'Place' of VISIT"),
    ({"arguments": TWO_PLACES}, "cannot fill the role 'Place'"),
    ({"trigger": {"start": 5, "end": len(TEXT) + 3}}, "trigger [5, "),
    ({"trigger": {"start": VISIT[0], "end": VISIT[1], "text": "وزيارة"}}, "differs"),
    ({"type": "PERS"}, "'PERS' is not an event type"),
    ({"attributes": {"polarity": "maybe"}}, "'maybe' is not a value of attribute"),
    ({"arguments": [{"role": "Victim", "start": RABAT[0], "end": RABAT[1],
                     "label": "GPE"}]}, "'Victim' is not a role of VISIT"),
    ({"coref_of": "E9"}, "coref_of 'E9' names no earlier event mention"),
])
def test_bad_mention_rejects_the_whole_record(databases, tmp_path: Path, change: dict,
                                              message: str) -> None:
    path = tmp_path / "in.jsonl"
    good = {"id": "ok", "text": "نص سليم"}
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n"
                    + json.dumps(_record(**change), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    store, schema = open_store(databases.new("bad"))
    try:
        summary = import_paths(store, schema, [path], annotator="alice")
        assert len(summary.errors) == 1
        assert summary.errors[0].startswith(f"{path}:2: ") and message in summary.errors[0]
        assert summary.added == 1  # the good line; nothing of the bad one
        with store.session() as s:
            assert _count(s, EventMention) == 0
    finally:
        store.close()


def test_non_repeating_role_twice_is_rejected(databases, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rec = _record(arguments=[{"role": "Place", "start": RABAT[0], "end": RABAT[1],
                              "label": "GPE"}])
    rec["spans"].append({"start": MEETING[0], "end": MEETING[1], "label": "LOC"})
    rec["event_mentions"][0]["arguments"].append(
        {"role": "Place", "start": MEETING[0], "end": MEETING[1], "label": "LOC"})
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    store, schema = open_store(databases.new("two"))
    try:
        summary = import_paths(store, schema, [path], annotator="alice")
        assert [e.split(": ", 1)[1] for e in summary.errors] == [
            "event mention 0: the role 'Place' of VISIT takes one argument"]
    finally:
        store.close()


def test_mentions_of_a_non_nfc_record_are_mapped(databases, tmp_path: Path) -> None:
    raw = "ا\u0653" + TEXT  # alef + madda: one character (آ) once NFC
    shift = 1

    def moved(r: tuple[int, int]) -> tuple[int, int]:
        return (r[0] + 2, r[1] + 2)

    rec = {"id": "n", "text": raw,
           "spans": [{"start": moved(RABAT)[0], "end": moved(RABAT)[1], "label": "GPE"}],
           "event_mentions": [{"type": "VISIT",
                               "trigger": {"start": moved(VISIT)[0], "end": moved(VISIT)[1]},
                               "arguments": [{"role": "Place", "start": moved(RABAT)[0],
                                              "end": moved(RABAT)[1], "label": "GPE"}]}]}
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    store, schema = open_store(databases.new("nfc"))
    try:
        summary = import_paths(store, schema, [path], annotator="alice")
        assert not summary.errors
        with store.session() as s:
            doc_id, text = s.execute(select(Document.id, Document.text)).one()
        [m] = store.event_mentions(doc_id, "alice")
        assert text[m.start:m.end] == "زيارة" and m.start == VISIT[0] + shift
        [arg] = m.arguments
        assert text[arg.start:arg.end] == "الرباط"
        assert m.attributes["polarity"] == "positive"  # the schema's default
    finally:
        store.close()
