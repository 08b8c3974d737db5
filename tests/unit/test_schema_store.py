"""The project's label schema in the database: seeded lazily (once, even when two stores
race), versioned, labels in use kept, renames migrating every stored label in one
logged transaction; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from annotator.commands.common import open_store
from annotator.labelschema import default_schema_path
from annotator.store.errors import StoreError
from annotator.store.models import (
    Action,
    EventArgument,
    EventLabel,
    EventMention,
    GazetteerEntry,
    LabelSchemaVersion,
    Span,
    Suggestion,
)
from annotator.store.schema_store import LiveLabelSchema
from annotator.store.service import Store

PACKAGED = default_schema_path().read_text(encoding="utf-8")
TEXT = "التقى الوزير نظيره في الرباط"  # met / the minister / his counterpart / in / Rabat


def renamed(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(f'name = "{old}"\n') == 1
        text = text.replace(f'name = "{old}"\n', f'name = "{new}"\n')
        text = text.replace(f'"{old}"]', f'"{new}"]').replace(f'"{old}",', f'"{new}",')
    return text


def without_type(text: str, name: str) -> str:
    start = text.index(f'name = "{name}"\n')
    start = text.rindex("[[", 0, start)
    end = min((i for i in (text.find("\n[[entity]]", start + 2),
                           text.find("\n[[event]]", start + 2)) if i != -1), default=len(text))
    return text[:start] + text[end + 1:]


def rows(store: Store, model: type) -> list:
    with store.session() as s:
        return list(s.exec(select(model)))


@pytest.fixture
def corpus(store: Store) -> tuple[Store, int]:
    doc, _ = store.add_document(external_id="d1", title="t", text=TEXT, sentences=[(0, 28)])
    assert doc.id is not None
    return store, doc.id


def test_seeded_once_on_first_read_from_the_packaged_schema(store: Store) -> None:
    assert rows(store, LabelSchemaVersion) == []  # opening does not seed
    schema = store.label_schema()
    assert schema.stored_version == 1 and schema.source_text == PACKAGED
    assert store.label_schema() is schema  # parsed once per version
    (row,) = rows(store, LabelSchemaVersion)
    assert (row.version, row.by, row.toml) == (1, None, PACKAGED)
    assert store._seed_label_schema() == 1  # a second seed is ignored
    assert len(rows(store, LabelSchemaVersion)) == 1


def test_two_stores_seeding_at_once_make_one_row(db: str) -> None:
    stores = [Store.open(db), Store.open(db)]
    barrier = threading.Barrier(2)
    versions: list[object] = []

    def read(store: Store) -> None:
        barrier.wait(timeout=30)
        try:
            versions.append(store.label_schema().stored_version)
        except Exception as exc:  # noqa: BLE001 (reported below)
            versions.append(exc)

    threads = [threading.Thread(target=read, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert versions == [1, 1]
        assert len(rows(stores[0], LabelSchemaVersion)) == 1
    finally:
        for s in stores:
            s.close()


def test_set_adds_a_version_logged_and_unchanged_text_adds_none(store: Store) -> None:
    recoloured = PACKAGED.replace('color = "#ffd700"', 'color = "#ffd70a"', 1)
    assert store.set_label_schema(recoloured, by="lead", note="warmer") == 2
    schema = store.label_schema()
    assert schema.stored_version == 2 and schema.source_text == recoloured
    assert store.set_label_schema(recoloured, by="lead") == 2
    assert [r.version for r in store.label_schema_versions()] == [1, 2]
    assert store.label_schema_version(2).note == "warmer"
    (action,) = [a for a in rows(store, Action) if a.kind == "schema"]
    assert action.by == "lead" and action.document_id is None
    assert action.payload["before"] == 1 and action.payload["after"] == 2
    assert store.get_setting("label_schema") == recoloured


def test_invalid_text_is_refused_with_its_first_problem(store: Store) -> None:
    bad = PACKAGED.replace('labels = ["DATE"]', 'labels = ["WHEN"]')
    with pytest.raises(StoreError, match=r"new schema:\d+: event MEET role Time: unknown "
                                         r"entity label 'WHEN' \(and 9 more\)"):
        store.set_label_schema(bad, by="lead")
    assert store.label_schema().stored_version == 1


def test_a_label_in_use_cannot_vanish(corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    store.add_span(doc, "alice", 6, 12, "OCC")
    store.set_events(doc, "alice", "document", ["TRAIN"])
    text = without_type(without_type(PACKAGED, "OCC"), "TRAIN")
    with pytest.raises(StoreError, match=r"no longer has OCC \(1 spans\), TRAIN \(1 event "
                                         r"labels\)"):
        store.set_label_schema(text, by="lead")
    assert store.label_schema().stored_version == 1
    assert not [a for a in rows(store, Action) if a.kind == "schema"]
    # unused labels may go
    assert store.set_label_schema(without_type(PACKAGED, "CARDINAL"), by="lead") == 2


def test_a_role_in_use_cannot_vanish(corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    _mention(store, doc, "MEET", [("Place", 22, 28, "GPE")])
    start = PACKAGED.index('[[event.role]]\nname = "Place"')
    text = PACKAGED[:start] + PACKAGED[start:].replace(
        '[[event.role]]\nname = "Place"\nhotkey = "p"\nlabels = ["GPE", "LOC", "FAC"]\n'
        'required = false\nrepeat = false\n', "", 1)
    assert store.label_schema().role("MEET", "Place") is not None
    with pytest.raises(StoreError, match=r"role Place of MEET \(1 arguments\)"):
        store.set_label_schema(text, by="lead")


def _mention(store: Store, doc: int, type_: str,
             arguments: list[tuple[str, int, int, str]], user: str = "alice") -> int:
    ann_id = store._annotator_id(user)
    with store.write(doc) as s:
        m = EventMention(document_id=doc, annotator_id=ann_id, start=0, end=5, type=type_,
                         attributes={"polarity": "positive"})
        s.add(m)
        s.flush()
        assert m.id is not None
        for role, start, end, label in arguments:
            s.add(EventArgument(mention_id=m.id, role=role, start=start, end=end, label=label))
        s.commit()
        return m.id


def test_renames_migrate_every_stored_label_in_one_logged_change(
        corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    store.add_span(doc, "alice", 6, 12, "OCC")
    store.add_span(doc, "bob", 6, 12, "OCC")
    store.add_span(doc, "bob", 22, 28, "GPE")
    store.set_events(doc, "alice", "sentence", ["MEET"], start=0, end=28)
    store.set_events(doc, "bob", "document", ["MEET", "TRAIN"])
    _mention(store, doc, "MEET", [("Entity", 6, 12, "OCC"), ("Place", 22, 28, "GPE")])
    ann = store._annotator_id("alice")
    with store.write() as s:
        s.add(Suggestion(document_id=doc, annotator_id=ann, start=13, end=18, label="OCC",
                         source="gazetteer"))
        s.add(GazetteerEntry(name="الوزير", key="وزير", label="OCC"))
        s.commit()
    text = renamed(PACKAGED, ("OCC", "TITLE"), ("MEET", "MEETING"))
    # OCC may fill MEET's Entity role in the new schema (a role's labels are the user's)
    text = text.replace('labels = ["PERS", "ORG", "GPE", "NORP"]',
                        'labels = ["PERS", "ORG", "GPE", "NORP", "TITLE"]', 1)
    version = store.set_label_schema(text, by="lead",
                                     renames={"OCC": "TITLE", "MEET": "MEETING"})
    assert version == 2
    assert sorted(sp.label for sp in rows(store, Span)) == ["GPE", "TITLE", "TITLE"]
    assert sorted(e.label for e in rows(store, EventLabel)) == ["MEETING", "MEETING", "TRAIN"]
    assert [m.type for m in rows(store, EventMention)] == ["MEETING"]
    assert sorted((a.role, a.label) for a in rows(store, EventArgument)) == [
        ("Entity", "TITLE"), ("Place", "GPE")]
    assert [g.label for g in rows(store, Suggestion)] == ["TITLE"]
    assert [g.label for g in rows(store, GazetteerEntry)] == ["TITLE"]
    (action,) = [a for a in rows(store, Action) if a.kind == "schema"]
    assert action.payload["renames"] == {"OCC": "TITLE", "MEET": "MEETING"}
    assert action.payload["migrated"] == {
        "span": 2, "eventargument": 1, "suggestion": 1, "gazetteerentry": 1,
        "eventlabel": 2, "eventmention": 1}
    assert store.label_schema_version(2).note == "rename MEET=MEETING, OCC=TITLE"
    assert store.spans(doc, "alice")[0].label == "TITLE"


def test_a_rename_onto_an_existing_label_merges_duplicates(corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    store.add_span(doc, "alice", 6, 12, "OCC")
    store.add_span(doc, "alice", 6, 12, "PERS")  # the same range, both labels
    store.add_span(doc, "alice", 13, 18, "OCC")
    assert store.set_label_schema(without_type(PACKAGED, "OCC"), by="lead",
                                  renames={"OCC": "PERS"}) == 2
    assert sorted((sp.start, sp.label) for sp in rows(store, Span)) == [
        (6, "PERS"), (13, "PERS")]


def test_event_mentions_that_a_rename_would_merge_are_refused(
        corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    _mention(store, doc, "MEET", [])
    _mention(store, doc, "VISIT", [])
    with pytest.raises(StoreError, match="1 event mention.*same trigger"):
        store.set_label_schema(without_type(PACKAGED, "MEET"), by="lead",
                               renames={"MEET": "VISIT"})
    assert sorted(m.type for m in rows(store, EventMention)) == ["MEET", "VISIT"]


@pytest.mark.parametrize(("renames", "text", "message"), [
    ({"NOPE": "PERS"}, PACKAGED, "NOPE is not a label of the current schema"),
    ({"OCC": "TITLE"}, PACKAGED, "the new schema has no entity type TITLE"),
    ({"OCC": "MEET"}, without_type(PACKAGED, "OCC"), "no entity type MEET"),
    ({"OCC": "PERS"}, PACKAGED, "the new schema still has OCC"),
    ({"OCC": "OCC"}, PACKAGED, "the same name"),
    ({"OCC": "TITLE", "TITLE": "PERS"}, renamed(PACKAGED, ("OCC", "TITLE")), "two changes"),
])
def test_bad_renames_are_refused(store: Store, renames: dict[str, str], text: str,
                                 message: str) -> None:
    with pytest.raises(StoreError, match=message):
        store.set_label_schema(text, by="lead", renames=renames)
    assert store.label_schema().stored_version == 1


def test_open_store_uses_and_follows_the_databases_schema(db: str, corpus) -> None:  # noqa: ANN001
    other, doc = corpus
    store, schema = open_store(db)
    try:
        assert schema.stored_version == 1 and "OCC" in schema.entity_names()
        assert isinstance(store.label_checker, LiveLabelSchema)
        store.label_checker = LiveLabelSchema(store, interval=0)  # look every time
        assert store.label_checker.role_fits("MEET", "Place", "GPE")
        other.set_label_schema(renamed(PACKAGED, ("OCC", "TITLE")), by="lead",
                               renames={"OCC": "TITLE"})
        with pytest.raises(StoreError, match="'OCC' is not an entity type"):
            store.add_span(doc, "alice", 6, 12, "OCC")
        assert store.add_span(doc, "alice", 6, 12, "TITLE") is not None
    finally:
        store.close()
    store, schema = open_store(db)
    store.close()
    assert schema.stored_version == 2 and "TITLE" in schema.entity_names()


def test_an_older_database_is_seeded_with_the_schema_it_was_annotated_with(
        corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    store.label_checker = None  # a database made before schemas were stored
    store.add_span(doc, "alice", 6, 12, "TITLE")
    older = renamed(PACKAGED, ("OCC", "TITLE"))
    store.set_setting("label_schema", older)
    schema = store.label_schema()
    assert schema.stored_version == 1 and "TITLE" in schema.entity_names()
    assert "last opened with" in store.label_schema_version(1).note


def test_an_older_database_whose_labels_the_packaged_schema_has_takes_the_packaged(
        corpus: tuple[Store, int]) -> None:
    store, doc = corpus
    store.add_span(doc, "alice", 6, 12, "OCC")
    store.set_setting("label_schema", renamed(PACKAGED, ("CARDINAL", "NUMBER")))
    assert store.label_schema().source_text == PACKAGED
