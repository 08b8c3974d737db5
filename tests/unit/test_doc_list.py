"""The documents list's paged reads (annotator.store.doc_list) on both backends: filter on
match keys, status filter, the orders offered, positions, counts, n/p/N/P neighbours."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from annotator.labelschema import LabelSchema
from annotator.store.doc_list import (
    SORTS,
    UNFINISHED,
    ListQuery,
    like_pattern,
    list_key,
)
from annotator.store.migrations import SCHEMA_VERSION
from annotator.store.models import Document
from annotator.store.service import Store

USER = "alice"
# (external id, title, alice's status or None)
DOCS = [
    ("https://www.hespress.com/politique/news-000123.html", "تفكيك خلية إرهابية بطنجة", "done"),
    ("b-002", "مؤتمر الأمن في الرباط", "in_progress"),
    ("a-001", "Conference on Sahel security", None),
    ("c-003", "وزير الداخلية يستقبل نظيره الإسباني", "new"),
    ("D-004", "100% of 50_50 split", "done"),
    ("e-005", "الإرهاب في الساحل", None),
]


@pytest.fixture
def listed(store: Store) -> dict[str, int]:
    ids: dict[str, int] = {}
    for eid, title, _ in DOCS:
        doc, _new = store.add_document(external_id=eid, title=title, text=f"نص {eid}.",
                                       sentences=[])
        assert doc.id is not None
        ids[eid] = doc.id
    for eid, _, status in DOCS:  # in this order: the last change is e's… then D's last
        if status is not None:
            store.set_status(ids[eid], USER, status)
    store.add_span(ids["b-002"], USER, 0, 2, "ORG")
    return ids


def eids(store: Store, query: ListQuery, offset: int = 0, limit: int = 50) -> list[str]:
    return [r.external_id for r in store.document_page(USER, query, offset, limit)]


def test_list_key_and_pattern_fold_like_the_search() -> None:
    assert list_key("A-1", "الإرهاب") == "a-1\nالارهاب"
    assert like_pattern("  الارهاب ") == "%الارهاب%"
    assert like_pattern("أمن") == like_pattern("امن")
    assert like_pattern("50_50%") == "%50\\_50\\%%"
    assert like_pattern("   ") is None and like_pattern("\u064e") is None  # a haraka alone


def test_default_order_paging_and_counts(store: Store, listed: dict[str, int]) -> None:
    everything = sorted(eid for eid, _, _ in DOCS)  # code point order: D before a
    assert eids(store, ListQuery()) == everything
    assert eids(store, ListQuery(), 2, 2) == everything[2:4]
    assert eids(store, ListQuery(), 6, 2) == []
    assert store.document_list_count(USER, ListQuery()) == 6
    counts = store.document_counts(USER)
    assert (counts.documents, counts.new, counts.in_progress, counts.done) == (6, 3, 1, 2)
    assert (counts.spans, counts.events) == (1, 0)
    assert counts.longest_id == len(DOCS[0][0])
    rows = {r.external_id: r for r in store.document_page(USER, ListQuery(), 0, 10)}
    assert rows["b-002"].status == "in_progress" and rows["b-002"].spans == 1
    assert rows["a-001"].status == "new" and rows["c-003"].status == "new"
    assert rows["a-001"].title == "Conference on Sahel security"


@pytest.mark.parametrize(("text", "expected"), [
    ("الارهاب", ["e-005"]),  # الإرهاب: hamza under the alef folded
    ("ارهابيه", ["https://www.hespress.com/politique/news-000123.html"]),  # إرهابية
    ("الامن", ["b-002"]),  # الأمن
    ("SAHEL", ["a-001"]),  # case folded
    ("news-000", ["https://www.hespress.com/politique/news-000123.html"]),  # in the id
    ("d-00", ["D-004"]),
    ("0_5", ["D-004"]),  # LIKE's _ and % are literal
    ("%", ["D-004"]),
    ("x\u064e", []),
    ("4\nا", []),  # a query never spans the id and the title
])
def test_filter_by_id_or_title_on_match_keys(store: Store, listed: dict[str, int],
                                             text: str, expected: list[str]) -> None:
    query = ListQuery(text=text)
    assert eids(store, query) == expected
    assert store.document_list_count(USER, query) == len(expected)


def test_status_filters(store: Store, listed: dict[str, int]) -> None:
    def of(status: str) -> list[str]:
        return eids(store, ListQuery(status=status))

    assert of("new") == ["a-001", "c-003", "e-005"]  # no assignment row, or a "new" one
    assert of("in_progress") == ["b-002"]
    assert of("done") == ["D-004", "https://www.hespress.com/politique/news-000123.html"]
    assert of(UNFINISHED) == ["a-001", "b-002", "c-003", "e-005"]
    both = ListQuery(text="الاره", status="new")
    assert eids(store, both) == ["e-005"]
    assert store.document_list_count(USER, both) == 1


def test_the_orders_offered(store: Store, listed: dict[str, int]) -> None:
    assert set(SORTS) == {"id", "title", "status", "changed"}
    by_title = eids(store, ListQuery(sort="title"))
    assert by_title[:2] == ["D-004", "a-001"]  # Latin before Arabic (code points)
    assert by_title[2:] == ["e-005", "https://www.hespress.com/politique/news-000123.html",
                            "b-002", "c-003"]  # ال… ت… م… و…: code points
    assert eids(store, ListQuery(sort="status")) == [
        "a-001", "c-003", "e-005", "b-002",
        "D-004", "https://www.hespress.com/politique/news-000123.html"]
    # last change, newest first (the span on b-002 came last); never touched last, by id
    # (c-003 was set to "new", which it was: nothing was written)
    url = "https://www.hespress.com/politique/news-000123.html"
    assert eids(store, ListQuery(sort="changed")) == [
        "b-002", "D-004", url, "a-001", "c-003", "e-005"]
    assert eids(store, ListQuery(sort="changed", descending=False)) == [
        url, "D-004", "b-002", "a-001", "c-003", "e-005"]
    for sort in ("id", "title", "status"):
        forward = eids(store, ListQuery(sort=sort, descending=False))
        assert eids(store, ListQuery(sort=sort, descending=True)) == forward[::-1]


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_position_is_the_index_in_the_page(store: Store, listed: dict[str, int], sort: str,
                                           descending: bool) -> None:
    for query in (ListQuery(sort=sort, descending=descending),
                  ListQuery(sort=sort, descending=descending, status=UNFINISHED)):
        order = eids(store, query)
        for eid, doc_id in listed.items():
            at = store.document_list_position(USER, query, doc_id)
            assert at == (order.index(eid) if eid in order else None)


def test_neighbours_for_n_p_and_unfinished(store: Store, listed: dict[str, int]) -> None:
    order = sorted(listed)  # D-004 a-001 b-002 c-003 e-005 https…
    ids = [listed[e] for e in order]

    def step(eid: str, by: int, unfinished: bool = False) -> str | None:
        found = store.neighbour_document(USER, listed[eid], by, unfinished=unfinished)
        return None if found is None else order[ids.index(found)]

    assert step("a-001", 1) == "b-002" and step("a-001", -1) == "D-004"
    assert step("D-004", -1) is None and step(order[-1], 1) is None
    assert step("a-001", -1, unfinished=True) is None  # D-004 is done
    assert step("e-005", 1, unfinished=True) is None  # the URL is done
    assert step("D-004", 1, unfinished=True) == "a-001"
    assert store.neighbour_document(USER, 10_000, 1) is None  # no such document
    assert store.document_position(listed["a-001"]) == (2, 6)  # the same order


def test_core_inserts_get_their_list_key(store: Store) -> None:
    """The bulk importer's `insert()` rows without a list key get one computed."""
    table = Document.__table__  # type: ignore[attr-defined]
    with store.session() as s:
        s.execute(insert(table), [
            {"external_id": "bulk-1", "title": "أخبار", "text": "x", "sha256": "1" * 64,
             "meta": {}, "created_at": datetime.now(UTC)},
            {"external_id": "bulk-2", "title": "إعلان", "text": "y", "sha256": "2" * 64,
             "meta": {}, "created_at": datetime.now(UTC)},
        ])
        s.commit()
    assert eids(store, ListQuery(text="اخبار")) == ["bulk-1"]
    assert eids(store, ListQuery(text="اعلان")) == ["bulk-2"]


def test_v4_database_gets_its_list_keys(db_path: Path, schema: LabelSchema) -> None:
    store = Store.open(str(db_path), label_checker=schema)
    store.add_document(external_id="old-1", title="الإرهاب", text="نص.", sentences=[])
    store.close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE document SET list_key = ''")  # as a v4 database has nothing
    conn.execute("UPDATE setting SET value = '4' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    store = Store.open(str(db_path), label_checker=schema)
    try:
        assert eids(store, ListQuery(text="الارهاب")) == ["old-1"]
        conn = sqlite3.connect(db_path)
        (version,) = conn.execute(
            "SELECT value FROM setting WHERE key = 'schema_version'").fetchone()
        conn.close()
        assert int(version) == SCHEMA_VERSION == 6
    finally:
        store.close()
