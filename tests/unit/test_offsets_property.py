"""Offsets are sacred: whatever the text, a span imported, stored and exported keeps
`text[start:end] == span text`, and the stored text is exactly the record's text."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.commands.importing import import_paths
from annotator.errors import InputError
from annotator.io.article_input import parse_record
from annotator.labelschema import load_schema
from annotator.store.service import Store
from annotator.text.span_edges import clean_edges

ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآؤئةى"  # letters, hamza forms, ta marbuta, alef maqsura
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # tashkeel
    "\u0640"  # tatweel
    "abcXYZ0123456789٠١٢٣٤٥٦٧٨٩"
    "،؛؟«».!()\" \n"
)
SCHEMA = load_schema()


@st.composite
def records(draw: st.DrawFn) -> dict:
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=80))
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(SCHEMA.entity_names()))
        clean = clean_edges(text, start, end)  # import refuses spans with unclean edges
        if clean is None:
            continue
        start, end = clean
        spans.append({"start": start, "end": end, "label": label, "text": text[start:end]})
    return {"id": "r", "text": text, "spans": spans}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_import_keeps_offsets(record: dict) -> None:
    if unicodedata.normalize("NFC", record["text"]) != record["text"]:
        return  # such records are rejected (tested in test_import); offsets would move
    if not record["text"].strip():
        with pytest.raises(InputError, match="no 'text'"):
            parse_record(record, Path("x.jsonl"), 1)
        return
    parsed = parse_record(record, Path("x.jsonl"), 1)
    assert [(s.start, s.end) for s in parsed.spans] == [
        (s["start"], s["end"]) for s in record["spans"]
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        store = Store.open(str(Path(tmp) / "p.db"), label_checker=SCHEMA)
        try:
            summary = import_paths(store, SCHEMA, [path], annotator="alice")
            assert summary.errors == []
            doc = store.document_by_external_id("r")
            assert doc.text == record["text"]
            stored = {(s.start, s.end, s.label) for s in store.spans(doc.id, "alice")}
            assert stored == {(s["start"], s["end"], s["label"]) for s in record["spans"]}
            for s in store.spans(doc.id, "alice"):
                assert doc.text[s.start:s.end] in {
                    r["text"] for r in record["spans"] if (r["start"], r["end"]) == (s.start, s.end)
                }
        finally:
            store.close()
