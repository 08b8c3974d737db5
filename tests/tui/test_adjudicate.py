"""Pilot tests of the adjudicate screen: resolve each kind of disagreement with real keys,
then check the gold rows, their provenance, the decisions, undo/redo and gold-done."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from adjudication_example import SENTENCES, TEXT, add_disputed_corpus, add_disputed_document
from textual.pilot import Pilot
from tui_helpers import run

from annotator.adjudication import edit, reject
from annotator.commands.common import open_store
from annotator.labelschema import LabelSchema
from annotator.store.gold import auto_merge, decide, load_document
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session
from annotator.tui.screens import adjudicate as adjudicate_module
from annotator.tui.screens.adjudicate import AdjudicateApp, AdjudicateScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.versions_panel import VersionsPanel


@pytest.fixture
def adj(tmp_path: Path) -> Iterator[tuple[Store, LabelSchema, int]]:
    store, schema = open_store(str(tmp_path / "adj.db"))
    doc_id = add_disputed_document(store, "d1", "t")
    store.set_role("carol", "adjudicator")
    auto_merge(store)
    yield store, schema, doc_id
    store.close()


def screen(pilot) -> AdjudicateScreen:  # noqa: ANN001
    s = pilot.app.screen
    assert isinstance(s, AdjudicateScreen), type(s)
    return s


@asynccontextmanager
async def adjudicating(
    store: Store, schema: LabelSchema, size: tuple[int, int] = (120, 36)
) -> AsyncIterator[tuple[Pilot, AdjudicateScreen]]:
    """Run the adjudicate app as carol; yield the pilot and the screen once it has settled
    (the corpus counted by its worker)."""
    app = AdjudicateApp(Session(store, schema, "carol", "app"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot, screen(pilot)


def gold(store: Store, doc_id: int) -> dict[tuple[int, int, str], dict]:
    return {(s.start, s.end, s.label): s.provenance for s in store.spans(doc_id, GOLD)}


def gold_events(store: Store, doc_id: int) -> dict[tuple[str, int | None, str], dict]:
    return {(e.scope, e.start, e.label): e.provenance for e in store.events(doc_id, GOLD)}


def test_resolve_each_kind_then_gold_done(adj) -> None:
    store, schema, doc_id = adj

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            assert s.state is not None and s.state.remaining == 5
            assert s.corpus_remaining == 5
            # 1. the document's event labels differ: tick both versions, Enter
            assert s.item is not None and s.item.kind == "event" and s.item.start is None
            await pilot.press("m", "1", "2", "enter")
            await pilot.pause()
            ev = gold_events(store, doc_id)
            assert ev[("document", None, "COOPERATE")]["annotators"] == ["alice"]
            assert ev[("document", None, "COOPERATE")]["by"] == "carol"
            assert ev[("document", None, "STATEMENT")]["rule"] == "unanimous"
            # 2. label mismatch at عبد الوافي لفتيت: take bob's (version 2)
            assert s.item.kind == "label" and s.article.caret.selection == (18, 34)
            await pilot.press("2")
            await pilot.pause()
            assert gold(store, doc_id)[(18, 34, "ORG")]["annotators"] == ["bob"]
            assert (18, 34, "PERS") not in gold(store, doc_id)
            # 3. a sentence's event label only alice has: accept alice's version
            assert s.item.kind == "event" and s.item.start == 66
            await pilot.press("1")
            await pilot.pause()
            assert gold_events(store, doc_id)[("sentence", 66, "COOPERATE")][
                "outcome"] == "accepted"
            # 4. a span only alice has (المغرب): reject all
            assert s.item.kind == "missing"
            await pilot.press("r")
            await pilot.pause()
            assert not any(k[0] == 74 for k in gold(store, doc_id))
            assert s.corpus_remaining == 1 and "1 left in corpus" in str(
                s.query_one("#adj-header").render())
            # 5. boundary mismatch للاتحاد: edit alice's span, drop the clitic with `]`
            assert s.item.kind == "boundary"
            await pilot.press("e")
            assert s.mode == "edit" and s.article.caret.selection == (92, 108)
            await pilot.press("right_square_bracket", "4")  # `]` then ORG's label key
            await pilot.pause()
            prov = gold(store, doc_id)[(93, 108, "ORG")]
            assert prov["rule"] == "edited" and prov["annotators"] == ["bob"]
            assert TEXT[93:108] == "لاتحاد الأوروبي"
            assert s.mode == "pick"
            assert s.state.remaining == 0 and s.corpus_remaining == 0
            assert store.status(doc_id, GOLD) == "done"
            # undo the last decision: the span goes, the document is open again
            await pilot.press("u")
            await pilot.pause()
            assert (93, 108, "ORG") not in gold(store, doc_id)
            assert store.status(doc_id, GOLD) == "in_progress"
            assert s.state.remaining == 1 and s.item.kind == "boundary"
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert (93, 108, "ORG") in gold(store, doc_id)
            assert store.status(doc_id, GOLD) == "done"

    run(scenario())
    state = load_document(store, doc_id)
    assert state is not None and state.remaining == 0
    outcomes = sorted(d.outcome for d in state.decisions.values())
    assert outcomes == ["accepted", "accepted", "accepted", "edited", "rejected"]
    assert all(d.by == "carol" for d in state.decisions.values())


def test_keys_in_the_wrong_mode_do_nothing(adj) -> None:
    store, schema, doc_id = adj

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            await pilot.press("n")  # the label mismatch
            assert s.item is not None and s.item.kind == "label"
            await pilot.press("9")  # no 9th version: bell, nothing written
            await pilot.press("m", "enter")  # nothing ticked
            await pilot.press("escape")
            assert s.mode == "pick"
            await pilot.press("p")
            assert s.item.kind == "event"
            await pilot.press("e")  # no edit for event labels
            assert s.mode == "pick"
            panel = s.query_one(VersionsPanel)
            assert "alice" in str(panel.render())
            await pilot.press("tab")  # the next item without a decision
            assert s.item.kind == "label"

    run(scenario())
    state = load_document(store, doc_id)
    assert state is not None and state.decisions == {}
    assert (18, 34, "ORG") not in gold(store, doc_id)


def test_nothing_to_adjudicate(tmp_path: Path) -> None:
    store, schema = open_store(str(tmp_path / "empty.db"))

    async def scenario() -> None:
        async with adjudicating(store, schema, size=(100, 30)) as (pilot, s):
            assert s.state is None
            await pilot.press("1", "r", "n", "u")
            assert "Nothing to adjudicate" in str(s.query_one(VersionsPanel).render())

    try:
        run(scenario())
    finally:
        store.close()


def test_annotate_stays_blind_after_adjudication(adj) -> None:
    """alice's annotate screen shows her own spans only: not bob's, not gold's."""
    store, schema, doc_id = adj
    item = next(d for d in load_document(store, doc_id).items  # type: ignore[union-attr]
                if d.kind == "boundary")
    decide(store, doc_id, "carol", edit(item, (94, 108, "ORG")))
    assert (94, 108, "ORG") in gold(store, doc_id)

    async def scenario() -> None:
        app = AnnotatorApp(Session(store, schema, "alice", "app"), start_doc=doc_id)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            s = pilot.app.screen
            assert isinstance(s, AnnotateScreen)
            shown = {(r.start, r.end, r.label) for r in s.article.index.spans}
            assert shown == {(4, 17, "OCC"), (18, 34, "PERS"), (57, 64, "GPE"),
                             (74, 80, "GPE"), (92, 108, "ORG")}

    run(scenario())


def test_accept_several_nested_spans(tmp_path: Path) -> None:
    """alice marked the title+name as OCC, bob the name as PERS: take both (nested)."""
    store, schema = open_store(str(tmp_path / "nested.db"))
    doc, _ = store.add_document(external_id="n1", title="t", text=TEXT, sentences=SENTENCES)
    assert doc.id is not None
    store.import_annotations(doc.id, "alice", [(4, 34, "OCC")], [])
    store.import_annotations(doc.id, "bob", [(18, 34, "PERS")], [])
    store.set_role("carol", "adjudicator")

    async def scenario() -> None:
        async with adjudicating(store, schema) as (pilot, s):
            assert s.item is not None and s.item.kind == "label"
            await pilot.press("m", "1", "2")
            assert s.ticked == {0, 1} and "☑" in str(s.query_one(VersionsPanel).render())
            await pilot.press("2", "enter")  # untick bob's again: only alice's is taken
            await pilot.pause()
            assert set(gold(store, doc.id)) == {(4, 34, "OCC")}
            await pilot.press("u", "m", "1", "2", "enter")
            await pilot.pause()

    try:
        run(scenario())
        rows = gold(store, doc.id)
        assert set(rows) == {(4, 34, "OCC"), (18, 34, "PERS")}
        assert rows[(4, 34, "OCC")]["annotators"] == ["alice"]
        assert rows[(18, 34, "PERS")]["annotators"] == ["bob"]
        assert store.status(doc.id, "gold") == "done"
    finally:
        store.close()


def test_large_corpus_opens_on_one_document_and_counts_in_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 adjudicable documents: the screen loads the first open one only; the corpus
    count comes from a thread worker (held back here until the header said so), and each
    decision then moves it by its document's change."""
    store, schema = open_store(str(tmp_path / "big.db"))
    ids = add_disputed_corpus(store, 300)
    store.set_role("carol", "adjudicator")
    for doc_id in ids[:3]:  # the first three documents are gold-done
        for item in load_document(store, doc_id).items:  # type: ignore[union-attr]
            decide(store, doc_id, "carol", reject(item))
    loaded: list[int] = []
    real_load = adjudicate_module.load_document

    def counting_load(store_: Store, doc_id: int):  # noqa: ANN202
        loaded.append(doc_id)
        return real_load(store_, doc_id)

    release = threading.Event()
    count_threads: list[int] = []
    real_counts = adjudicate_module.corpus_counts

    def held_counts(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        count_threads.append(threading.get_ident())
        assert release.wait(10)
        return real_counts(*args, **kwargs)

    monkeypatch.setattr(adjudicate_module, "load_document", counting_load)
    monkeypatch.setattr(adjudicate_module, "corpus_counts", held_counts)

    def header(s: AdjudicateScreen) -> str:
        return str(s.query_one("#adj-header").render())

    async def scenario() -> None:
        app = AdjudicateApp(Session(store, schema, "carol", "app"))
        async with app.run_test(size=(160, 36)) as pilot:
            await pilot.pause()
            s = screen(pilot)
            # on the first document with an open disagreement, the only one loaded
            assert s.state is not None and s.state.doc_id == ids[3]
            assert loaded == [ids[3]]
            assert "document 4/300" in header(s) and "left in corpus: counting…" in header(s)
            assert s.corpus_remaining is None
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert count_threads and count_threads[0] != threading.get_ident()
            assert s.corpus_remaining == 297 * 5
            assert "1485 left in corpus" in header(s)
            assert "3/300 documents gold-done" in header(s)
            # decide the whole document: the count moves by its change, nothing reloads
            # but the document itself, then the next document is loaded on demand
            await pilot.press(*"rrrrr")
            await pilot.pause()
            assert s.corpus_remaining == 296 * 5
            assert "1480 left in corpus" in header(s)
            assert "4/300 documents gold-done" in header(s)
            assert s.state is not None and s.state.doc_id == ids[4]
            assert set(loaded) == {ids[3], ids[4]}
            await pilot.press("p")  # back into the last document: cached, not reloaded
            assert s.state.doc_id == ids[3] and s.item_pos == 4
            await pilot.press("n", *"n" * 5)  # on through ids[4] onto ids[5]
            assert s.state.doc_id == ids[5] and s.item_pos == 0
            await pilot.press("u")  # nothing of mine here: the count stays
            assert s.corpus_remaining == 296 * 5
            assert set(loaded) == {ids[3], ids[4], ids[5]}

    try:
        run(scenario())
    finally:
        store.close()
