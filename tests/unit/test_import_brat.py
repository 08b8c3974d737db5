"""brat standoff import (`annotator import DIR --annotator NAME`): export brat -> import
brat -> export brat is byte-identical on both backends; each bad .ann is one
`file.ann:LINE: ...` line, the document rejected whole, the rest imported, exit 1."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from export_corpus import export
from typer.testing import CliRunner

from annotator.cli import app
from annotator.commands.common import open_store
from annotator.commands.importing import import_paths
from annotator.store.service import Store
from annotator.text.span_edges import edge_problem

runner = CliRunner()
WORD = re.compile(r"[\u0621-\u064a]{3,}")  # Arabic letters, no harakat


def _words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text) if edge_problem(text, *m.span()) is None]


def _annotate(store: Store, doc_id: int, text: str, user: str) -> None:
    """Spans (one crossing a line break when the text has one), a VISIT with two
    arguments and a non-default attribute, a MEET with a repeated role coreferring with
    the VISIT, a document and a sentence event label; status done."""
    w = _words(text)
    pers = store.add_span(doc_id, user, *w[0], "PERS")
    gpe = store.add_span(doc_id, user, *w[2], "GPE")
    org = store.add_span(doc_id, user, *w[4], "ORG")
    store.add_span(doc_id, user, w[4][0], w[5][1], "ORG")  # nested/overlapping
    if "\n" in text.strip():
        cut = text.index("\n", w[0][1])
        before = max(x for x in w if x[1] <= cut)
        after = min(x for x in w if x[0] > cut)
        store.add_span(doc_id, user, before[0], after[1], "EVENT")
    visit = store.add_event_mention(doc_id, user, *w[8], "VISIT", {"tense": "past"})
    store.add_event_argument(visit.id, user, "Agent", pers.id)
    store.add_event_argument(visit.id, user, "Place", gpe.id)
    meet = store.add_event_mention(doc_id, user, *w[10], "MEET", {"polarity": "negative"})
    store.add_event_argument(meet.id, user, "Entity", pers.id)
    store.add_event_argument(meet.id, user, "Entity", org.id)
    store.set_mention_coref(meet.id, user, visit.id)
    store.set_events(doc_id, user, "document", ["MEET", "VISIT"])
    sentences = store.sentences(doc_id)
    s = sentences[min(1, len(sentences) - 1)]
    store.set_events(doc_id, user, "sentence", ["STATEMENT"], s.start, s.end)
    store.set_status(doc_id, user, "done")


def _spans(db: str, user: str) -> dict[str, list[tuple[int, int, str]]]:
    store = Store.open(db)
    try:
        return {d.external_id: sorted((s.start, s.end, s.label)
                                      for s in store.spans(d.id, user))
                for d in store.documents()}
    finally:
        store.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_import_export_is_byte_identical(databases, seeds_dir: Path,
                                                tmp_path: Path) -> None:
    db = databases.new("orig")
    store, schema = open_store(db)
    try:
        assert not import_paths(store, schema, [seeds_dir]).errors
        for doc in store.documents():
            _annotate(store, doc.id, doc.text, "alice")
    finally:
        store.close()
    first = tmp_path / "first"
    assert export(db, first, "--source", "annotator:alice", "--format", "brat").exit_code == 0
    anns = [p.read_text(encoding="utf-8") for p in first.glob("*.ann")]
    assert len(anns) >= 5 and all(re.search(r"^E2\tMEET:T\d+ Entity:T\d+ Entity2:T\d+$",
                                            a, re.M) for a in anns)
    assert any(re.search(r"^T\d+\tEVENT \d+ \d+;\d+ \d+\t", a, re.M) for a in anns)
    assert all("\tCoref Arg1:E2 Arg2:E1" in a and "\tSENTENCE " in a for a in anns)

    db2 = databases.new("fresh")
    result = runner.invoke(app, ["--db", db2, "import", str(first), "--annotator", "alice"])
    assert result.exit_code == 0, result.output
    assert "annotation.conf: skipped: brat configuration" in result.output
    second = tmp_path / "second"
    assert export(db2, second, "--source", "annotator:alice", "--format", "brat").exit_code == 0
    assert _files(second) == _files(first)
    assert _spans(db2, "alice") == _spans(db, "alice")
    # the stored text is the .txt as written (not cleaned again)
    store = Store.open(db2)
    try:
        for doc in store.documents():
            assert doc.text == (first / f"{doc.external_id}.txt").read_text(encoding="utf-8")
    finally:
        store.close()


TEXT = "التقى الوزير ناصر بوريطة نظيره في الرباط. ثم زار مدريد أمس."


def _at(sub: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(sub)
    return i, i + len(sub)


def _good_ann(text: str = TEXT) -> list[str]:
    pers, rabat, visit = _at("ناصر بوريطة", text), _at("الرباط", text), _at("زار", text)
    return [f"T1\tPERS {pers[0]} {pers[1]}\tناصر بوريطة",
            f"T2\tGPE {rabat[0]} {rabat[1]}\tالرباط",
            f"T3\tVISIT {visit[0]} {visit[1]}\tزار",
            "E1\tVISIT:T3 Agent:T1 Place:T2",
            "A1\ttense E1 past"]


def _brat(folder: Path, stem: str, text: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
    (folder / f"{stem}.ann").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return folder / f"{stem}.ann"


def _import(db: str, *args: str):
    return runner.invoke(app, ["--db", db, "import", *args])


def _ids(db: str) -> set[str]:
    store = Store.open(db)
    try:
        return {d.external_id for d in store.documents()}
    finally:
        store.close()


def test_brat_document_becomes_the_annotators_work(db: str, tmp_path: Path) -> None:
    _brat(tmp_path / "in", "doc", TEXT, [*_good_ann(), "#1\tAnnotatorNotes T1\tnote",
                                         "R1\tRelated Arg1:T1 Arg2:T2"])
    result = _import(db, str(tmp_path / "in"), "--annotator", "bob")
    assert result.exit_code == 0, result.output
    assert "doc.ann:6: note (#) lines are not read: skipped" in result.output
    assert "doc.ann:7: relations other than Coref are not read: skipped" in result.output
    store = Store.open(db)
    try:
        [doc] = store.documents()
        assert doc.text == TEXT and store.status(doc.id, "bob") == "done"
        assert sorted((s.start, s.end, s.label) for s in store.spans(doc.id, "bob")) == [
            (*_at("ناصر بوريطة"), "PERS"), (*_at("الرباط"), "GPE")]
        [m] = store.event_mentions(doc.id, "bob")
        assert (m.start, m.end, m.type) == (*_at("زار"), "VISIT")
        assert m.attributes["tense"] == "past" and m.attributes["polarity"] == "positive"
        assert sorted((a.role, a.label) for a in m.arguments) == [("Agent", "PERS"),
                                                                  ("Place", "GPE")]
    finally:
        store.close()


def test_without_annotator_the_txt_is_a_plain_article(db: str, tmp_path: Path) -> None:
    _brat(tmp_path / "in", "doc", TEXT, _good_ann())
    result = _import(db, str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.output.splitlines() if "doc.ann" in x]
    assert "not stored" in line and "--annotator NAME" in line
    store = Store.open(db)
    try:
        [doc] = store.documents()
        assert store.spans(doc.id, "bob") == [] and doc.external_id == "doc"
    finally:
        store.close()


def test_an_ann_named_alone_brings_its_txt(db: str, tmp_path: Path) -> None:
    ann = _brat(tmp_path / "in", "doc", TEXT, _good_ann())
    txt = ann.with_suffix(".txt")
    result = _import(db, str(ann), str(txt), "--annotator", "bob")
    assert result.exit_code == 0, result.output
    assert _ids(db) == {"doc"} and "1 added, 0 duplicates" in result.output
    lone = tmp_path / "lone.ann"
    lone.write_text("", encoding="utf-8")
    result = _import(db, str(lone), "--annotator", "bob")
    assert result.exit_code == 1
    assert "lone.ann: brat annotations without a .txt of the same name" in result.output


def _replace(lines: list[str], n: int, new: str) -> list[str]:
    return [*lines[:n - 1], new, *lines[n:]]


GOOD = _good_ann()
BAD = TEXT.replace("أمس", "اليوم")  # another text, same offsets
PERS = _at("ناصر بوريطة")


@pytest.mark.parametrize(("lines", "where", "message"), [
    (_replace(GOOD, 1, f"T1\tPERSON {PERS[0]} {PERS[1]}\tناصر بوريطة"), 1,
     "T1: label 'PERSON' is not in the schema"),
    (_replace(GOOD, 2, f"T2\tGPE 40 {len(BAD) + 5}\tالرباط"), 2,
     f"T2: offsets 40 {len(BAD) + 5} are outside the text ({len(BAD)} characters)"),
    (_replace(GOOD, 1, f"T1\tPERS {PERS[0]} {PERS[1]}\tناصر"), 1,
     "T1: text 'ناصر' differs from the .txt at"),
    (_replace(GOOD, 4, "E1\tVISIT:T3 Agent:T9 Place:T2"), 4,
     "E1: argument T9 is not an annotation of the file"),
    (_replace(GOOD, 4, "E1\tVISIT:T7 Agent:T1"), 4,
     "E1: trigger T7 is not a text-bound annotation (T line) of the file"),
    (_replace(GOOD, 4, "E1\tVISIT:T3 Agent:T1 Victim:T2"), 4,
     "E1: 'Victim' is not a role of VISIT"),
    (_replace(GOOD, 4, "E1\tVISIT:T3 Place:T1"), 4,
     "E1: a PERS span cannot fill the role 'Place' of VISIT"),
    (_replace(GOOD, 5, "A1\ttense E1 someday"), 5,
     "A1: 'someday' is not a value of attribute 'tense' of VISIT"),
    (_replace(GOOD, 1, f"T1\tPERS {PERS[0]} {PERS[0] + 4};{PERS[0] + 5} {PERS[1]}\tناصر "
              "بوريطة"), 1, "T1: discontinuous annotations are not supported"),
    ([*GOOD, "R1\tCoref Arg1:E1 Arg2:E1"], 6, "R1: Coref links an event to an earlier one"),
    ([*GOOD, f"T4\tDOCUMENT 0 {len(BAD)}\t{BAD}", "A2\tWEDDING T4"], 7,
     "A2: event label 'WEDDING' is not in the schema"),
    ([*GOOD, f"T4\tSENTENCE 0 5\t{BAD[:5]}", "A2\tMEET T4"], 6,
     "T4: SENTENCE [0, 5) is not a sentence of the document"),
    ([*GOOD, "T4\tMEET 0 5\tالتقى", "E2\tMEET:T4 Entity:E1"], 7,
     "E2: argument E1 is an event: events as arguments are not supported"),
])
def test_bad_ann_rejects_the_document(db: str, tmp_path: Path, lines: list[str], where: int,
                                      message: str) -> None:
    folder = tmp_path / "in"
    _brat(folder, "a_good", TEXT, GOOD)
    _brat(folder, "b_bad", BAD, lines)
    _brat(folder, "c_good", TEXT + " وعاد.", GOOD)
    result = _import(db, str(folder), "--annotator", "bob")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [x for x in result.output.splitlines() if "b_bad" in x]
    assert len(errors) == 1, result.output
    assert f"{folder / 'b_bad.ann'}:{where}: {message}" in errors[0], errors[0]
    assert _ids(db) == {"a_good", "c_good"}  # nothing of the bad one; the rest imported


def test_nfc_changes_the_text_offsets_are_mapped(db: str, tmp_path: Path) -> None:
    # alef + combining madda (NFC: آ, one character fewer) and shadda + fatha (NFC puts
    # the fatha first) before the spans
    raw = "قال \u0627\u0653مر إن محمد\u0651\u064e ناصر بوريطة زار الرباط."
    nfc = unicodedata.normalize("NFC", raw)
    assert nfc != raw and len(nfc) == len(raw) - 1
    _brat(tmp_path / "in", "nfc", raw, _good_ann(raw))
    result = _import(db, str(tmp_path / "in"), "--annotator", "bob")
    assert result.exit_code == 0, result.output
    store = Store.open(db)
    try:
        [doc] = store.documents()
        assert doc.text == nfc and doc.meta.get("normalised") == "NFC"
        got = sorted((nfc[s.start:s.end], s.label) for s in store.spans(doc.id, "bob"))
        assert got == [("الرباط", "GPE"), ("ناصر بوريطة", "PERS")]
        [m] = store.event_mentions(doc.id, "bob")
        assert nfc[m.start:m.end] == "زار"
    finally:
        store.close()


def test_an_edge_inside_what_nfc_merges_is_an_error(db: str, tmp_path: Path) -> None:
    raw = "قال \u0627\u0653مر إن ناصر بوريطة زار الرباط."
    alef = raw.index("\u0627\u0653")
    lines = [*_good_ann(raw), f"T4\tPERS {alef} {alef + 1}\t\u0627"]
    _brat(tmp_path / "in", "nfc", raw, lines)
    result = _import(db, str(tmp_path / "in"), "--annotator", "bob")
    assert result.exit_code == 1
    assert "nfc.ann:6: T4: [" in result.output
    assert _ids(db) == set()


def test_an_ann_that_is_not_utf8_is_one_error(db: str, tmp_path: Path) -> None:
    ann = _brat(tmp_path / "in", "doc", TEXT, GOOD)
    ann.write_bytes(ann.read_bytes() + b"T9\tPERS 0 5\t\xff\n")
    result = _import(db, str(tmp_path / "in"), "--annotator", "bob")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{ann}:6: not UTF-8 (byte 0xff)" in result.output
    assert _ids(db) == set()
