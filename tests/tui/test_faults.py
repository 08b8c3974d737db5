"""Fault tests: the database refuses a write while the TUI saves (another writer holds the
lock past the busy timeout; a read-only database). The key press shows a ✗ line, the app
keeps running, and nothing is shown as saved that the database does not hold."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from adjudication_example import add_disputed_document
from textual.pilot import Pilot
from tui_helpers import (
    SEED_000,
    adjudicate_running,
    annotate_screen,
    opened_at,
    run,
    span_rows,
)

from annotator.adjudication import reject
from annotator.commands.common import open_store
from annotator.labelschema import LabelSchema
from annotator.store import engine
from annotator.store.gold import auto_merge, decide, load_document
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.tui import store_calls
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.adjudicate import AdjudicateScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.widgets.span_list import SpanList
from annotator.tui.widgets.status_line import StatusLine

PERSON = "عبد الوافي لفتيت"
PERSON_SHOWN = one_line(PERSON, 24, "app")  # as the status line quotes it
BUSY_MS = 150  # the busy timeout while another writer holds the lock
READ_ONLY = "attempt to write a readonly database"


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections opened from now on wait BUSY_MS for a lock (not 10 s)."""
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", BUSY_MS)


@contextmanager
def write_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Another writer: a separate connection holding the write lock (BEGIN IMMEDIATE)
    until the block ends."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def read_only(db: Path, schema: LabelSchema) -> Store:
    """The same database opened read-only (an SQLite URI: chmod does not stop root)."""
    store, _ = open_store(f"sqlite:///file:{db}?mode=ro&uri=true", schema)
    return store


def held(store: Store, doc_id: int, user: str) -> tuple[object, ...]:
    """Everything the database holds of `user`'s work on the document."""
    events = sorted((e.scope, e.start or -1, e.label) for e in store.events(doc_id, user))
    return (span_rows(store, doc_id, user), events, store.status(doc_id, user),
            len(store.actions(doc_id)))


def shown_spans(screen: AnnotateScreen) -> list[tuple[int, int, str]]:
    """The spans the screen shows: the article's, checked against the span list's."""
    spans = [(s.start, s.end, s.label) for s in screen.article.index.spans]
    assert [(s.start, s.end, s.label) for s in screen.query_one(SpanList).spans] == spans
    return spans


def still_running(pilot: Pilot) -> None:
    assert pilot.app.is_running and pilot.app.return_code is None


async def press_and_fail(pilot: Pilot, *keys: str, what: str, reason: str) -> StatusLine:
    """Press `keys`; the status line must say the change failed and was not saved."""
    await pilot.press(*keys)
    await pilot.pause()
    still_running(pilot)
    status = annotate_screen(pilot).query_one(StatusLine)
    assert status.failure == f"✗ {what}: {reason} — not saved", status.failure
    assert status.notice == ""
    assert status.failure in str(status.render())
    return status


# ------------------------------------------------------------------ annotate screen
def test_locked_database_label_key_fails_then_saves(
    make_app, seeded, db_path: Path, short_busy: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, _ = seeded
    store.engine.dispose()  # reconnect with the short busy timeout
    app = make_app()
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))

    async def scenario() -> None:
        async with opened_at(app, store, SEED_000, PERSON) as (pilot, doc, start):
            assert start is not None
            screen = annotate_screen(pilot)
            await pilot.press("shift+left", "shift+left")
            selection = (start, start + len(PERSON))
            assert screen.article.caret.selection == selection
            with write_lock(db_path):
                began = time.monotonic()
                status = await press_and_fail(pilot, "1", what="save PERS span",
                                              reason="database is locked")
                took = time.monotonic() - began
                assert bells == [1]
                assert shown_spans(screen) == []
                assert span_rows(store, doc.id, "alice") == []
                assert screen.article.caret.selection == selection  # kept: press again
                # retried, but bounded: the budget plus one busy timeout, and some slack
                assert took < store_calls.BUDGET + BUSY_MS / 1000 + 2
            # the other writer is gone: the same key saves
            await pilot.press("1")
            await pilot.pause()
            assert status.failure == "" and status.notice == f"saved PERS «{PERSON_SHOWN}»"
            assert shown_spans(screen) == [(*selection, "PERS")]
        assert span_rows(store, doc.id, "alice") == [(*selection, "PERS", PERSON)]

    run(scenario())


def test_read_only_database_every_change_fails(make_app, seeded, db_path: Path) -> None:
    store, schema = seeded
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None and doc.id is not None
    start = doc.text.index(PERSON)
    end = start + len(PERSON)
    store.add_span(doc.id, "alice", start, end, "ORG")  # something to remove and undo
    before = held(store, doc.id, "alice")
    ro = read_only(db_path, schema)
    app = AnnotatorApp(Session(ro, schema, "alice", "app"), start_doc=doc.id)

    async def scenario() -> None:
        async with opened_at(app, ro, SEED_000, PERSON) as (pilot, _doc, _start):
            screen = annotate_screen(pilot)
            assert shown_spans(screen) == [(start, end, "ORG")]
            # the exact extent of the ORG span: the label key relabels it
            await press_and_fail(pilot, "shift+left", "shift+left", "1",
                                 what="relabel ORG span as PERS", reason=READ_ONLY)
            await press_and_fail(pilot, "x", what="remove ORG span", reason=READ_ONLY)
            await press_and_fail(pilot, "E", "c", "enter", what="save events",
                                 reason=READ_ONLY)
            await press_and_fail(pilot, "d", what="mark done", reason=READ_ONLY)
            await press_and_fail(pilot, "u", what="undo", reason=READ_ONLY)
            # the screen shows what the database holds, nothing more
            assert shown_spans(screen) == [(start, end, "ORG")]
            assert screen.doc_events == [] and screen.sentence_events == {}
            assert screen.status == "in_progress"
            assert screen.query_one(StatusLine).status == "in_progress"
        assert held(store, doc.id, "alice") == before

    try:
        run(scenario())
    finally:
        ro.close()


def test_read_only_database_new_user_cannot_open(seeded, db_path: Path) -> None:
    """A user the database does not know yet must be written in before anything can be
    read for them: on a read-only database the app opens on the documents list with the
    failure, instead of a traceback."""
    store, schema = seeded
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None
    ro = read_only(db_path, schema)
    app = AnnotatorApp(Session(ro, schema, "newcomer", "app"), start_doc=doc.id)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            still_running(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, DocumentsScreen) and screen.rows == []
            notice = screen.query_one("#documents-failure")
            assert notice.display
            # opening the document failed, then listing them (the line shown last)
            assert str(notice.render()) == f"✗ list the documents: {READ_ONLY}"
        assert [a.name for a in store.annotators()] == []

    try:
        run(scenario())
    finally:
        ro.close()


def test_a_store_error_that_slips_past_the_screen_is_a_failure_line(
    make_app, seeded, db_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last resort: an action that calls the store without `guarded` still ends in a
    ✗ line, not a traceback."""
    store, schema = seeded
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None and doc.id is not None
    store.set_status(doc.id, "alice", "in_progress")
    ro = read_only(db_path, schema)

    def unguarded(self: AnnotateScreen) -> None:
        self.session.store.set_status(self.doc_id, self.session.user, "done")

    monkeypatch.setattr(AnnotateScreen, "action_mark_done", unguarded)
    app = AnnotatorApp(Session(ro, schema, "alice", "app"), start_doc=doc.id)

    async def scenario() -> None:
        async with opened_at(app, ro, SEED_000, via=None) as (pilot, _doc, _):
            await press_and_fail(pilot, "d", what="mark done", reason=READ_ONLY)
            assert annotate_screen(pilot).status == "in_progress"
        assert store.status(doc.id, "alice") == "in_progress"

    try:
        run(scenario())
    finally:
        ro.close()


# ---------------------------------------------------------------- adjudicate screen
@pytest.fixture
def disputed(tmp_path: Path) -> Iterator[tuple[Store, LabelSchema, int, Path]]:
    db = tmp_path / "adj.db"
    store, schema = open_store(str(db))
    doc_id = add_disputed_document(store, "d1", "t")
    store.set_role("carol", "adjudicator")
    auto_merge(store)
    yield store, schema, doc_id, db
    store.close()


def gold_held(store: Store, doc_id: int) -> tuple[object, ...]:
    state = load_document(store, doc_id)
    assert state is not None
    return (sorted((s.start, s.end, s.label) for s in store.spans(doc_id, GOLD)),
            sorted((e.scope, e.start or -1, e.label) for e in store.events(doc_id, GOLD)),
            sorted(state.decisions), state.remaining, len(store.actions(doc_id)))


def adj_notice(pilot: Pilot) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, AdjudicateScreen)
    return str(screen.query_one("#adj-notice").render())


def test_adjudicate_read_only_accept_reject_undo_fail(disputed) -> None:
    store, schema, doc_id, db = disputed
    state = load_document(store, doc_id)
    assert state is not None
    decide(store, doc_id, "carol", reject(state.items[-1]))  # a decision to undo
    before = gold_held(store, doc_id)
    ro = read_only(db, schema)

    async def scenario() -> None:
        async with adjudicate_running(ro, schema) as pilot:
            screen = pilot.app.screen
            assert isinstance(screen, AdjudicateScreen) and screen.state is not None
            left, decided = screen.state.remaining, sorted(screen.state.decisions)
            assert len(decided) == 1
            for keys, what in ((("1",), "accept version 1"), (("r",), "reject all versions"),
                               (("m", "1", "2", "enter"), "accept versions 1+2"),
                               (("u",), "undo")):
                await pilot.press(*keys)
                await pilot.pause()
                still_running(pilot)
                assert adj_notice(pilot) == f"✗ {what}: {READ_ONLY} — not saved"
                assert screen.state is not None and screen.state.remaining == left
                assert sorted(screen.state.decisions) == decided and screen.mode == "pick"
        assert gold_held(store, doc_id) == before

    try:
        run(scenario())
    finally:
        ro.close()


def test_adjudicate_locked_database_accept_fails_then_saves(
    tmp_path: Path, short_busy: None,
) -> None:
    db = tmp_path / "adj.db"
    store, schema = open_store(str(db))  # opened after the busy timeout was shortened
    doc_id = add_disputed_document(store, "d1", "t")
    store.set_role("carol", "adjudicator")
    auto_merge(store)
    before = gold_held(store, doc_id)

    async def scenario() -> None:
        async with adjudicate_running(store, schema) as pilot:
            screen = pilot.app.screen
            assert isinstance(screen, AdjudicateScreen) and screen.item is not None
            key = screen.item.key
            with write_lock(db):
                await pilot.press("1")
                await pilot.pause()
                still_running(pilot)
                assert adj_notice(pilot) == (
                    "✗ accept version 1: database is locked — not saved")
                assert gold_held(store, doc_id) == before
                assert screen.item is not None and screen.item.key == key
            await pilot.press("1")
            await pilot.pause()
            assert not adj_notice(pilot).startswith("✗")
            state = load_document(store, doc_id)
            assert state is not None and key in state.decisions

    try:
        run(scenario())
    finally:
        store.close()
