"""`Store.import_batch` (the import's set-based path) gives each document what the
one-document path gives it, on both backends: rows, renamed ids, duplicates, the
annotator's spans/events/status, one `import` action per document, gold following."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from annotator.commands.importing import import_paths
from annotator.labelschema import LabelSchema
from annotator.store.bulk_import import NewDocument
from annotator.store.models import STATUS_DONE, Action, Sentence
from annotator.store.service import Store, sha256_text


def _doc(text: str, eid: str, spans: list | None = None, events: list | None = None,
         annotate: bool = False) -> NewDocument:
    return NewDocument(where=f"x.jsonl:{eid}", external_id=eid, title=text[:10], text=text,
                       sha=sha256_text(text), source_path="x.jsonl", meta={},
                       sentences=[(0, len(text))], spans=spans or [], events=events or [],
                       annotate=annotate)


def test_batch_stores_documents_sentences_and_renames_taken_ids(store: Store) -> None:
    store.add_document(external_id="a", title="", text="نص قديم.", sentences=[(0, 8)])
    out = store.import_batch([
        _doc("نص أول.", "a"),      # id taken by another text: a-2
        _doc("نص ثان.", "b"),
        _doc("نص ثالث.", "b"),     # id taken earlier in the batch: b-2
        _doc("نص أول.", "c"),      # the same text as the first: a duplicate
        _doc("نص قديم.", "d"),     # the stored text: a duplicate of "a"
    ])
    assert [(o.external_id, o.created) for o in out] == [
        ("a-2", True), ("b", True), ("b-2", True), ("a-2", False), ("a", False)]
    assert store.count_documents() == 4
    with store.session() as s:
        n = len(list(s.exec(select(Sentence).where(Sentence.document_id == out[1].doc_id))))
    assert n == 1


def test_batch_annotations_counted_logged_and_done(store: Store) -> None:
    old, _ = store.add_document(external_id="old", title="", text="المغرب وفرنسا.",
                                sentences=[(0, 14)])
    assert old.id is not None
    store.add_span(old.id, "alice", 0, 6, "GPE")  # already alice's: not counted again
    out = store.import_batch([
        _doc("المغرب وفرنسا.", "old-again", spans=[(0, 6, "GPE"), (7, 13, "GPE")],
             events=[("MEET", "document", None, None)], annotate=True),
        _doc("الرباط مدينة.", "new", spans=[(0, 6, "GPE")], annotate=True),
        _doc("بلا تعليق.", "plain"),
    ], "alice")
    assert [(o.spans, o.events) for o in out] == [(1, 1), (1, 0), (0, 0)]
    assert {(s.start, s.end) for s in store.spans(old.id, "alice")} == {(0, 6), (7, 13)}
    assert store.status(old.id, "alice") == STATUS_DONE
    assert store.status(out[1].doc_id, "alice") == STATUS_DONE
    assert store.status(out[2].doc_id, "alice") != STATUS_DONE  # not annotated
    with store.session() as s:
        imports = list(s.exec(select(Action).where(Action.kind == "import")))
    assert sorted((a.document_id, a.payload["spans"], a.by) for a in imports) == sorted(
        [(old.id, 1, "alice"), (out[1].doc_id, 1, "alice")])


def test_import_of_a_large_jsonl_uses_few_batches_and_keeps_every_record(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(1_200):
            text = f"خبر رقم {i} عن الرباط. وقال الوزير إن الاجتماع مهم."
            f.write(json.dumps({"id": f"n{i}", "text": text,
                                "spans": [{"start": text.index("الرباط"),
                                           "end": text.index("الرباط") + 6,
                                           "label": "GPE"}]}, ensure_ascii=False) + "\n")
    calls: list[int] = []
    real = store.import_batch

    def import_batch(docs, annotator=None):  # noqa: ANN001, ANN202
        calls.append(len(docs))
        return real(docs, annotator)

    store.import_batch = import_batch  # type: ignore[method-assign]
    summary = import_paths(store, schema, [path], annotator="alice")
    assert summary.errors == [] and summary.added == 1_200 and summary.spans == 1_200
    assert calls == [500, 500, 200]
    again = import_paths(store, schema, [path], annotator="alice")
    assert (again.added, again.duplicates, again.spans) == (0, 1_200, 0)
    doc = store.document_by_external_id("n777")
    assert doc is not None and doc.id is not None
    [span] = store.spans(doc.id, "alice")
    assert doc.text[span.start:span.end] == "الرباط"
    assert [(s.start, s.end) for s in store.sentences(doc.id)] == [
        (0, doc.text.index("وقال") - 1), (doc.text.index("وقال"), len(doc.text))]


def test_an_import_on_a_finished_gold_document_reopens_it(store: Store) -> None:
    """Gold follows the annotators on the bulk path too: alice imports one more span on a
    document gold finished; that span is a new disagreement, so gold is open again."""
    from adjudication_example import TEXT, add_disputed_document

    from annotator.adjudication import choose
    from annotator.store.gold import auto_merge, decide, load_document

    doc = add_disputed_document(store)
    store.set_role("carol", "adjudicator")
    auto_merge(store, by="carol")
    state = load_document(store, doc)
    assert state is not None
    for item in state.items:
        decide(store, doc, "carol", choose(item, [0]))
    state = load_document(store, doc)
    assert state is not None and state.status == STATUS_DONE
    start = TEXT.index("الإرهاب")
    [out] = store.import_batch([_doc(TEXT, "d1-again", spans=[(start, start + 7, "ORG")],
                                     annotate=True)], "alice")
    assert (out.created, out.spans) == (False, 1)
    state = load_document(store, doc)
    assert state is not None and state.status != STATUS_DONE


def test_reading_in_a_child_process_imports_the_same(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    """The reading side in a forked child (as for a large input) gives the same documents,
    spans, errors in input order and counts as in-process reading."""
    path = tmp_path / "mixed.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(1_100):
            if i in (3, 700):
                f.write("{not json\n")
                continue
            text = f"خبر {i} عن الرباط."
            f.write(json.dumps({"id": f"m{i}", "text": text, "spans": [
                {"start": text.index("الرباط"), "end": text.index("الرباط") + 6,
                 "label": "GPE"}]}, ensure_ascii=False) + "\n")
    summary = import_paths(store, schema, [path], annotator="alice", workers=2)
    assert [e.split(": ")[0] for e in summary.errors] == [f"{path}:4", f"{path}:701"]
    assert (summary.added, summary.spans, summary.records) == (1_098, 1_098, 1_100)
    assert store.count_documents() == 1_098
    again = import_paths(store, schema, [path], annotator="alice", workers=2)
    assert (again.added, again.duplicates, again.spans) == (0, 1_098, 0)


def test_a_re_import_reads_known_records_only_as_far_as_their_text(
    store: Store, schema: LabelSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known texts (here one also not NFC) are duplicates without the full record check;
    --show-duplicates still names the stored document each one matched."""
    from annotator.io import article_input

    path = tmp_path / "a.jsonl"
    records = [{"id": "x1", "text": "خبر أول عن الرباط."},
               {"id": "x2", "text": "محم\u0651\u064eد في الرباط."}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    assert import_paths(store, schema, [path]).added == 2
    again = tmp_path / "b.jsonl"
    again.write_text("".join(json.dumps({**r, "id": r["id"] + "-copy"}, ensure_ascii=False)
                             + "\n" for r in records) + '{"id": "new", "text": "جديد."}\n',
                     encoding="utf-8")
    parsed: list[int] = []
    real = article_input.parse_record

    def parse_record(raw, path, line, *args):  # noqa: ANN001, ANN002, ANN202
        parsed.append(line)
        return real(raw, path, line, *args)

    monkeypatch.setattr(article_input, "parse_record", parse_record)
    summary = import_paths(store, schema, [again])
    assert (summary.added, summary.duplicates, summary.errors) == (1, 2, [])
    assert parsed == [3]  # only the new record was read in full
    assert [(d.external_id, d.matched) for d in summary.duplicate_ids] == [
        ("x1-copy", "x1"), ("x2-copy", "x2")]


def test_every_character_survives_the_bulk_path(store: Store) -> None:
    """Tabs, backslashes, line ends, quotes in texts, titles and JSON meta (COPY's text
    format on PostgreSQL escapes them) come back exactly."""
    text = 'سطر\tأول \\N \\. \\\\ "اقتباس"\r\nسطر ثان\n\\.\nنهاية'
    doc = NewDocument(where="x:1", external_id="tab\tid\\", title="عنوان\t\\x",
                      text=text, sha=sha256_text(text), source_path="a\\b.jsonl",
                      meta={"k": 'v\t"\\\n', "n": [1, None]}, sentences=[(0, 3)],
                      spans=[(0, 3, "LOC\\x")], annotate=True)
    [out] = store.import_batch([doc], "alice")
    got = store.document(out.doc_id)
    assert (got.text, got.title, got.external_id, got.source_path, got.meta) == (
        text, "عنوان\t\\x", "tab\tid\\", "a\\b.jsonl", {"k": 'v\t"\\\n', "n": [1, None]})
    assert [(s.start, s.end, s.label) for s in store.spans(out.doc_id, "alice")] == [
        (0, 3, "LOC\\x")]
