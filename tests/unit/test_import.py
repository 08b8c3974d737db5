"""Import: seeds, idempotence, JSONL records with annotations, every kind of bad input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from annotator.commands.importing import import_paths
from annotator.labelschema import LabelSchema
from annotator.store.service import Store

TEXT = "أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني. وقال إن المغرب شريك."


def _jsonl(path: Path, records: list) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_seeds_import_once(store: Store, schema: LabelSchema, seeds_dir: Path) -> None:
    first = import_paths(store, schema, [seeds_dir])
    assert (first.added, first.duplicates, first.errors) == (5, 0, [])
    second = import_paths(store, schema, [seeds_dir])
    assert (second.added, second.duplicates) == (0, 5)
    assert store.count_documents() == 5
    for doc in store.documents():
        assert doc.title and doc.text == doc.text.strip()
        assert doc.meta["cleaning"]["removed"], doc.external_id
        sentences = store.sentences(doc.id)
        assert sentences and all(doc.text[s.start:s.end].strip() for s in sentences)


def test_no_clean_keeps_furniture(store: Store, schema: LabelSchema, seeds_dir: Path) -> None:
    import_paths(store, schema, [seeds_dir / "001_e33eb037d265ffba.txt"], clean=False)
    (doc,) = store.documents()
    assert "Quantcast" in doc.text and doc.meta["cleaning"]["cleaned"] is False


def test_jsonl_with_annotator(store: Store, schema: LabelSchema, tmp_path: Path) -> None:
    record = {
        "id": "r1", "title": "t", "text": TEXT,
        "spans": [{"start": 18, "end": 34, "label": "PERS", "text": "عبد الوافي لفتيت"}],
        "events": [{"label": "STATEMENT", "scope": "document"},
                   {"label": "COOPERATE", "scope": "sentence", "start": 0, "end": 54}],
    }
    path = _jsonl(tmp_path / "a.jsonl", [record])
    summary = import_paths(store, schema, [path], annotator="alice")
    assert summary.errors == [] and summary.added == 1 and summary.spans == 1
    doc = store.document_by_external_id("r1")
    assert doc is not None and doc.text == TEXT
    assert [(s.start, s.end, s.label) for s in store.spans(doc.id, "alice")] == [(18, 34, "PERS")]
    assert len(store.events(doc.id, "alice")) == 2
    assert store.status(doc.id, "alice") == "done"
    # bob's version of the same text attaches to the same document
    record["spans"] = [{"start": 4, "end": 17, "label": "OCC"}]
    summary = import_paths(store, schema, [_jsonl(tmp_path / "b.jsonl", [record])],
                           annotator="bob")
    assert summary.duplicates == 1 and summary.spans == 1
    assert store.count_documents() == 1
    assert [s.label for s in store.spans(doc.id, "bob")] == ["OCC"]


def test_bad_inputs_each_reported_rest_imported(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    good = {"id": "ok", "text": TEXT}
    _jsonl(tmp_path / "mixed.jsonl", [
        good,                                                              # line 1 ok
        "{not json",                                                       # line 2
        {"id": "x"},                                                       # line 3 no text
        {"text": "نص آخر", "spans": [{"start": 0, "end": 99, "label": "PERS"}]},   # 4 range
        {"text": "نص ثالث", "spans": [{"start": 0, "end": 2, "label": "PERS",
                                        "text": "zz"}]},                   # 5 text mismatch
        {"text": "نص رابع", "spans": [{"start": 0, "end": 2, "label": "WHO"}]},    # 6 label
        {"text": "نص خامس", "events": [{"label": "BOOM"}]},                # 7 event label
        {"id": "ok2", "text": "نص سادس صحيح."},                            # 8 ok
    ])
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x00\x00")
    (tmp_path / "good.txt").write_text("خبر جديد عن التعاون الأمني بين المغرب وإسبانيا.\n",
                                       encoding="utf-8")
    summary = import_paths(store, schema, [tmp_path], annotator="alice")
    errors = "\n".join(summary.errors)
    for expected in ("mixed.jsonl:2: invalid JSON", "mixed.jsonl:3: record has no 'text'",
                     "mixed.jsonl:4: span 0 [0, 99) is out of range",
                     "mixed.jsonl:5: span 0 text 'zz' differs",
                     "mixed.jsonl:6: span label 'WHO' is not in the schema",
                     "mixed.jsonl:7: event label 'BOOM' is not in the schema",
                     "latin1.txt:1: not UTF-8", "empty.txt: empty file",
                     "binary.txt:2: binary file"):
        assert expected in errors, (expected, errors)
    assert len(summary.errors) == 9
    assert all("\n" not in e for e in summary.errors)
    ids = {d.external_id for d in store.documents()}
    assert {"ok", "ok2", "good"} <= ids and len(ids) == 3


def test_missing_path_reported(store: Store, schema: LabelSchema, tmp_path: Path) -> None:
    summary = import_paths(store, schema, [tmp_path / "nope", tmp_path])
    assert summary.errors == [f"{tmp_path / 'nope'}: no such file or folder"]


def test_record_fields_of_the_wrong_shape_rejected_rest_imported(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    _jsonl(tmp_path / "shapes.jsonl", [
        {"id": "s", "text": "نص أول", "sentences": 5},                    # 1
        {"id": "p", "text": "نص ثان", "spans": 7},                        # 2
        {"id": "e", "text": "نص ثالث", "events": {"label": "MEET"}},      # 3
        {"id": "ok", "text": "نص رابع صحيح."},                            # 4
    ])
    summary = import_paths(store, schema, [tmp_path], annotator="alice")
    errors = "\n".join(summary.errors)
    for expected in ("shapes.jsonl:1: 'sentences' must be a list",
                     "shapes.jsonl:2: 'spans' must be a list",
                     "shapes.jsonl:3: 'events' must be a list"):
        assert expected in errors, (expected, errors)
    assert len(summary.errors) == 3
    assert {d.external_id for d in store.documents()} == {"ok"}


def test_jsonl_lines_end_at_newline_only(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    # json.dumps(ensure_ascii=False), as our export writes, leaves U+2028/U+2029/U+0085 raw
    text = "سطر أول\u2028سطر ثان\u2029ثالث\x85رابع"
    _jsonl(tmp_path / "seps.jsonl", [
        {"id": "seps", "text": text, "spans": [{"start": 0, "end": 3, "label": "PERS"}]},
        "{not json",                                                      # line 2
    ])
    summary = import_paths(store, schema, [tmp_path], annotator="alice")
    assert len(summary.errors) == 1 and "seps.jsonl:2: invalid JSON" in summary.errors[0]
    doc = store.document_by_external_id("seps")
    assert doc is not None and doc.text == text


def test_jsonl_hostile_json_is_one_rejected_line(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    # (a first line that starts with "[" would make the file read as one JSON array)
    _jsonl(tmp_path / "hostile.jsonl", [
        {"id": "first", "text": "نص أول."},                               # 1
        "[" * 100_000,                                                    # 2 deep nesting
        '{"text": "نص", "n": ' + "1" * 5000 + "}",                        # 3 huge integer
        {"id": "ok", "text": "نص صحيح."},                                 # 4
    ])
    summary = import_paths(store, schema, [tmp_path])
    errors = "\n".join(summary.errors)
    assert "hostile.jsonl:2: invalid JSON" in errors and "hostile.jsonl:3: invalid JSON" in errors
    assert len(summary.errors) == 2
    assert {d.external_id for d in store.documents()} == {"first", "ok"}


def test_sentence_events_and_sentences_are_checked(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [
        {"id": "a", "text": TEXT,
         "events": [{"label": "MEET", "scope": "sentence", "start": 0, "end": 30}]},
        {"id": "b", "text": "جملة أولى. جملة ثانية.",
         "sentences": [{"start": 11, "end": 22}, {"start": 0, "end": 10}]},
        {"id": "c", "text": TEXT,
         "events": [{"label": "MEET", "scope": "sentence", "start": 55, "end": 75}]},
    ])
    summary = import_paths(store, schema, [path], annotator="alice")
    assert summary.errors == [
        f"{path}:1: event 0 [0, 30) is not a sentence of the document",
        f"{path}:2: sentence 1 [0, 10) overlaps or precedes the one before it",
    ]
    assert [d.external_id for d in store.documents()] == ["c"]


def test_taken_id_is_renamed_with_a_notice(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    path = _jsonl(tmp_path / "ids.jsonl", [{"id": "same", "text": "نص أول."},
                                           {"id": "same", "text": "نص ثان."}])
    summary = import_paths(store, schema, [path])
    assert summary.errors == [] and summary.added == 2
    assert summary.notices == [f"{path}:2: id 'same' is taken by another text; stored as 'same-2'"]


def test_a_text_that_is_not_nfc_keeps_its_spans_through_the_normalisation(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    """Stored text is NFC; the record's offsets are mapped onto it (here NFC puts fatha
    before shadda and composes alef + madda, which moves the offsets after it by one), and
    `meta.normalised` says so; an edge inside what NFC merges rejects the record."""
    word = "محم\u0651\u064eد"  # shadda then fatha: NFC has fatha first
    text = f"قال {word} إن ا\u0653لرباط جميلة."  # alef + madda: one character in NFC
    rabat = text.index("لرباط") - 2
    hangul = "\u1100\u1161 \u1100\u1161"  # two jamo NFC composes into one syllable
    _jsonl(tmp_path / "n.jsonl", [
        {"id": "n1", "text": text, "spans": [
            {"start": 4, "end": 4 + len(word), "label": "PERS"},
            {"start": rabat, "end": rabat + 7, "label": "GPE"}]},
        {"id": "n2", "text": hangul, "spans": [{"start": 0, "end": 1, "label": "PERS"}]},
    ])
    summary = import_paths(store, schema, [tmp_path / "n.jsonl"], annotator="alice")
    assert summary.errors == [
        f"{tmp_path / 'n.jsonl'}:2: span 0 [0, 1) has an edge inside a sequence that NFC "
        "normalisation merges or reorders"]
    doc = store.document_by_external_id("n1")
    assert doc is not None and doc.id is not None
    assert doc.text == unicodedata.normalize("NFC", text) and doc.meta["normalised"] == "NFC"
    got = sorted((s.start, s.end, s.label) for s in store.spans(doc.id, "alice"))
    assert [doc.text[a:b] for a, b, _ in got] == [
        unicodedata.normalize("NFC", word), "\u0622لرباط"]
    assert got[1][0] == rabat  # before the composed alef: offsets unchanged
    assert got[1][1] == rabat + 6  # its end moved by the one character NFC merged
