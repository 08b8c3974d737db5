"""Undo and redo after `schema set --rename`: an action logged before the rename is
replayed with the labels' names of now (OCC added, OCC renamed TITLE, undo removes TITLE)."""

from __future__ import annotations

from annotator.commands.common import open_store
from annotator.labelschema import default_schema_path
from annotator.store.history import renamed


def test_renamed_maps_only_label_fields() -> None:
    payload = {"span": {"start": 1, "end": 4, "label": "OCC"}, "before": ["OCC", "X"],
               "after": "done", "scope": "OCC", "items": [{"label": "OCC", "source": "OCC"}]}
    assert renamed(payload, {"OCC": "TITLE"}) == {
        "span": {"start": 1, "end": 4, "label": "TITLE"}, "before": ["TITLE", "X"],
        "after": "done", "scope": "OCC", "items": [{"label": "TITLE", "source": "OCC"}]}


def test_undo_and_redo_after_a_rename(databases) -> None:  # noqa: ANN001
    store, _schema = open_store(databases.new("renames"))
    try:
        text = "أكد وزير الداخلية عبد الوافي لفتيت"
        doc, _ = store.add_document(external_id="d1", title="", text=text,
                                    sentences=[(0, len(text))])
        assert store.add_span(doc.id, "alice", 4, 17, "OCC") is not None
        toml = default_schema_path().read_text(encoding="utf-8").replace('"OCC"', '"TITLE"')
        store.set_label_schema(toml, by="lead", renames={"OCC": "TITLE"})
        assert [(s.start, s.label) for s in store.spans(doc.id, "alice")] == [(4, "TITLE")]
        assert store.undo(doc.id, "alice") is not None
        assert store.spans(doc.id, "alice") == []
        assert store.redo(doc.id, "alice") is not None
        assert [(s.start, s.label) for s in store.spans(doc.id, "alice")] == [(4, "TITLE")]
    finally:
        store.close()
