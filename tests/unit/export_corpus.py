"""A small annotated corpus for the export tests (imported by the test_export_* modules).

Three Arabic documents, annotators alice, bob and carol, and gold:

* d1: all three done; gold done (with provenance). Has a clitic span (بوليساريو inside
  للبوليساريو), a nested span (GPE المغرب inside ORG), spans only some annotators have.
* d2: all three done; gold has annotations but is not done (adjudication unfinished).
* d3: alice and bob done, carol in progress: majority has two voters (tie case).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.text.segment import split_sentences

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "gold-record.schema.json"

D1 = ("التقى وزير الخارجية ناصر بوريطة نظيره الإسباني في الرباط. "
      "وأكد دعم المغرب للحكم الذاتي ورفضه للبوليساريو.\n"
      "وحضر اللقاء سفير المملكة المغربية في مدريد.")
D2 = "أعلن المكتب المركزي للأبحاث القضائية تفكيك خلية إرهابية في طنجة يوم 30/03/2022."
D3 = "استقبل الملك محمد السادس الرئيس الموريتاني في الدار البيضاء."


def at(text: str, sub: str, n: int = 1) -> tuple[int, int]:
    """[start, end) of the n-th occurrence of sub in text."""
    i = -1
    for _ in range(n):
        i = text.index(sub, i + 1)
    return i, i + len(sub)


@dataclass
class Corpus:
    db: Path | str  # what `--db` takes: a SQLite path or a database URL
    ids: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def _spans(store: Store, doc: int, user: str, items: list[tuple[int, int, str]],
           prov: dict | None = None) -> None:
    for s, e, label in items:
        store.add_span(doc, user, s, e, label, provenance=prov)


def build_corpus(db: Path | str) -> Corpus:
    """The corpus in `db` (a SQLite path or a database URL; a fresh database)."""
    store = Store.open(str(db))
    corpus = Corpus(db)
    try:
        for ext, title, text in (("d1", "بوريطة في الرباط", D1), ("d2", "تفكيك خلية", D2),
                                 ("d3", "استقبال", D3)):
            doc, created = store.add_document(external_id=ext, title=title, text=text,
                                              sentences=split_sentences(text))
            assert created and doc.id is not None
            corpus.ids[ext] = doc.id
            corpus.texts[ext] = text
        d1, d2, d3 = corpus.ids["d1"], corpus.ids["d2"], corpus.ids["d3"]
        s1 = split_sentences(D1)
        occ = (*at(D1, "وزير الخارجية"), "OCC")
        pers = (*at(D1, "ناصر بوريطة"), "PERS")
        gpe_rabat = (*at(D1, "الرباط"), "GPE")
        polisario = (*at(D1, "بوليساريو"), "ORG")  # clitic: لل|بوليساريو
        maghreb = (*at(D1, "المغرب"), "GPE")
        kingdom = (*at(D1, "المملكة المغربية"), "GPE")
        kingdom_inner = (*at(D1, "المغربية"), "NORP")  # nested inside المملكة المغربية
        madrid = (*at(D1, "مدريد"), "GPE")
        ambassador = (*at(D1, "سفير المملكة المغربية في مدريد"), "OCC")  # nesting 3 deep
        _spans(store, d1, "alice", [occ, pers, gpe_rabat, polisario, maghreb, kingdom,
                                    kingdom_inner, ambassador, madrid])
        _spans(store, d1, "bob", [occ, pers, polisario, kingdom, madrid])
        _spans(store, d1, "carol", [pers, gpe_rabat, polisario, kingdom, kingdom_inner])
        for user, labels in (("alice", ["MEET"]), ("bob", ["MEET", "VISIT"]),
                             ("carol", ["MEET", "STATEMENT"])):
            store.set_events(d1, user, "document", labels)
        store.set_events(d1, "alice", "sentence", ["STATEMENT"], *s1[1])
        store.set_events(d1, "bob", "sentence", ["STATEMENT"], *s1[1])
        store.set_events(d1, "carol", "sentence", ["MEET"], *s1[0])
        prov = {"annotators": ["alice", "bob", "carol"], "rule": "unanimous", "by": "dina",
                "at": "2024-05-01T10:00:00+00:00"}
        _spans(store, d1, GOLD, [pers, polisario, kingdom], prov)
        _spans(store, d1, GOLD, [occ, madrid],
               {"annotators": ["alice", "bob"], "rule": "adjudicated", "by": "dina",
                "at": "2024-05-01T10:05:00+00:00"})
        _spans(store, d1, GOLD, [kingdom_inner],
               {"annotators": ["alice", "carol"], "rule": "adjudicated", "by": "dina",
                "at": "2024-05-01T10:05:00+00:00"})
        store.set_events(d1, GOLD, "document", ["MEET"], provenance={"MEET": prov})
        store.set_events(d1, GOLD, "sentence", ["STATEMENT"], *s1[1])
        # d2
        org = (*at(D2, "المكتب المركزي للأبحاث القضائية"), "ORG")
        tangier = (*at(D2, "طنجة"), "GPE")
        date = (*at(D2, "30/03/2022"), "DATE")
        _spans(store, d2, "alice", [org, tangier, date])
        _spans(store, d2, "bob", [org, tangier])
        _spans(store, d2, "carol", [org, date])
        for user in ("alice", "bob", "carol"):
            store.set_events(d2, user, "document", ["ARREST"])
        _spans(store, d2, GOLD, [org])
        # d3: two voters
        king = (*at(D3, "محمد السادس"), "PERS")
        title = (*at(D3, "الملك"), "OCC")
        casa = (*at(D3, "الدار البيضاء"), "GPE")
        _spans(store, d3, "alice", [king, title, casa])
        _spans(store, d3, "bob", [king, casa])
        _spans(store, d3, "carol", [king])
        store.set_events(d3, "alice", "document", ["MEET"])
        store.set_events(d3, "bob", "document", ["MEET", "VISIT"])
        for doc in (d1, d2):
            for user in ("alice", "bob", "carol"):
                store.set_status(doc, user, "done")
        store.set_status(d1, GOLD, "done")
        store.set_status(d3, "alice", "done")
        store.set_status(d3, "bob", "done")
    finally:
        store.close()
    return corpus


def record_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def spans_of(record: dict) -> list[tuple[int, int, str]]:
    return [(s["start"], s["end"], s["label"]) for s in record["spans"]]


def test_corpus_builds(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "c.db")
    assert set(corpus.ids) == {"d1", "d2", "d3"}
    store = Store.open(str(corpus.db))
    try:
        assert store.annotators_with_status(corpus.ids["d3"]) == ["alice", "bob"]
        assert store.status(corpus.ids["d1"], GOLD) == "done"
        assert store.status(corpus.ids["d2"], GOLD) != "done"
    finally:
        store.close()


def export(db: Path | str, out: Path, *args: str):
    """`annotator --db DB export OUT ARGS...` through Typer's CliRunner."""
    from typer.testing import CliRunner

    from annotator.cli import app

    return CliRunner().invoke(app, ["--db", str(db), "export", str(out), *args])
