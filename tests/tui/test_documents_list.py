"""The documents list at any size (issue 10, part 7): paged rows, filter as you type on
match keys, status filter, orders, ids cut in the middle, pages of a 5,000-document corpus."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from tui_helpers import annotate_screen, run

from annotator.labelschema import LabelSchema
from annotator.store.doc_list import list_key
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.documents import (
    FILTER_DELAY,
    PAGE,
    DocumentsScreen,
    DocumentTable,
    FilterBar,
    cut_middle,
)

URL = "https://www.hespress.com/politique/2022/03/30/alliance-securitaire-internationale-123456.html"
HAMZA_TITLE = "تفكيك خلية إرهابية تنشط في الساحل"  # إرهابية: found by ارهابيه
TITLES = {"a-1": "Sahel conference", "b-2": "مؤتمر الأمن في الرباط", URL: HAMZA_TITLE}


def screen_lines(app: App[None]) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def docs_screen(pilot: Pilot[None]) -> DocumentsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, DocumentsScreen), type(screen)
    return screen


async def settle(pilot: Pilot[None]) -> None:
    """Let the list's worker read its page and the screen show it."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_ids(pilot: Pilot[None]) -> list[str]:
    return [r.external_id for r in docs_screen(pilot).rows]


def bar(pilot: Pilot[None]) -> str:
    return str(docs_screen(pilot).query_one("#documents-view").render()).strip()


@pytest.fixture
def small(db_path: Path, schema: LabelSchema) -> Callable[[], AnnotatorApp]:
    store = Store.open(str(db_path), label_checker=schema)
    ids = {}
    for eid, title in TITLES.items():
        doc, _ = store.add_document(external_id=eid, title=title, text=f"نص {eid}.",
                                    sentences=[])
        ids[eid] = doc.id
    store.set_status(ids["b-2"], "alice", "in_progress")
    store.set_status(ids[URL], "alice", "done")

    def make(width_bidi: str = "app") -> AnnotatorApp:
        return AnnotatorApp(Session(store, schema, "alice", width_bidi), start_doc=None)

    yield make
    store.close()


def test_filter_as_you_type_finds_a_hamza_variant(small) -> None:
    async def scenario() -> None:
        async with small().run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            assert shown_ids(pilot) == ["a-1", "b-2", URL]
            await pilot.press("slash")
            assert isinstance(pilot.app.focused, FilterBar)
            await pilot.press(*"ارهابيه")  # typed without hamza, ta marbuta as ه
            await pilot.pause(FILTER_DELAY + 0.1)  # typing paused: the filter applies
            await settle(pilot)
            assert shown_ids(pilot) == [URL]
            assert "1–1 of 1" in bar(pilot)
            await pilot.press("backspace", *"xyz")
            await pilot.pause(FILTER_DELAY + 0.1)
            await settle(pilot)
            assert shown_ids(pilot) == [] and "no document" in bar(pilot)
            await pilot.press("escape")  # clears the filter, back to the list
            await settle(pilot)
            assert shown_ids(pilot) == ["a-1", "b-2", URL]
            assert isinstance(pilot.app.focused, DocumentTable)
            await pilot.press("slash", *"SAHEL", "enter")  # Enter: the list, filter kept
            await settle(pilot)
            assert shown_ids(pilot) == ["a-1"]
            assert isinstance(pilot.app.focused, DocumentTable)
            await pilot.press("enter")  # opens the one document found
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == docs_screen_rows_id(pilot, "a-1")

    run(scenario())


def docs_screen_rows_id(pilot: Pilot[None], eid: str) -> int:
    found = pilot.app.session.store.document_by_external_id(eid)  # type: ignore[attr-defined]
    assert found is not None and found.id is not None
    return found.id


def test_status_filter_and_sort(small) -> None:
    async def scenario() -> None:
        async with small().run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            statuses = []
            for _ in range(5):
                await pilot.press("f")
                await settle(pilot)
                statuses.append((bar(pilot).split(" · ")[0], shown_ids(pilot)))
            assert statuses == [("new", ["a-1"]), ("in progress", ["b-2"]), ("done", [URL]),
                                ("unfinished", ["a-1", "b-2"]), ("all", ["a-1", "b-2", URL])]
            await pilot.press("s")  # by title: Latin, then ت… before م… (code points)
            await settle(pilot)
            assert "by title ↑" in bar(pilot)
            assert shown_ids(pilot) == ["a-1", URL, "b-2"]
            await pilot.press("r")
            await settle(pilot)
            assert "by title ↓" in bar(pilot) and shown_ids(pilot) == ["b-2", URL, "a-1"]
            await pilot.press("s")  # by status: new, in progress, done
            await settle(pilot)
            assert "by status ↑" in bar(pilot) and shown_ids(pilot) == ["a-1", "b-2", URL]
            await pilot.press("s")  # by last change, newest first: done last, never after
            await settle(pilot)
            assert "by last change ↓" in bar(pilot)
            assert shown_ids(pilot) == [URL, "b-2", "a-1"]
            # the cursor stays on its document when the order changes
            table = docs_screen(pilot).query_one(DocumentTable)
            table.move_cursor(row=1)  # b-2
            await pilot.press("s")  # by id again
            await settle(pilot)
            assert shown_ids(pilot)[table.cursor_row] == "b-2"

    run(scenario())


def test_long_url_id_is_cut_in_the_middle_at_100_columns(small) -> None:
    async def scenario() -> None:
        async with small().run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            screen = docs_screen(pilot)
            columns = list(screen.query_one(DocumentTable).columns.values())
            id_width, title_width = columns[0].width, columns[1].width
            shown = cut_middle(URL, id_width)
            head, tail = shown.split("…")  # the scheme and host's start, the page's end
            assert URL.startswith(head) and URL.endswith(tail) and shown.startswith("https://www")
            assert abs(len(head) - len(tail)) <= 1 and len(shown) == id_width < len(URL)
            line = next(li for li in screen_lines(pilot.app) if shown in li)
            assert len(line) == 100
            assert "done" in line  # the status stays on screen
            assert one_line(HAMZA_TITLE, title_width, "app") in line  # and the title

    run(scenario())


def test_cut_middle_by_cells() -> None:
    assert cut_middle("abcdef", 6) == "abcdef"
    assert cut_middle("abcdefgh", 5) == "ab…gh"
    assert cut_middle("abcdefgh", 1) == "…"
    wide = "文书文书文书"  # two cells each
    assert cut_middle(wide, 7) == "文…文书"  # 7 cells: the tail takes what the head left
    assert cut_middle(wide, 6) == "文…书"  # never more cells than the column has


@pytest.fixture
def big(db_path: Path, schema: LabelSchema) -> Callable[[], AnnotatorApp]:
    """5,000 documents inserted with raw SQL (the list needs no sentences)."""
    store = Store.open(str(db_path), label_checker=schema)
    conn = sqlite3.connect(db_path)
    rows = []
    for i in range(5000):
        eid, title = f"doc-{i:05d}", f"خبر رقم {i}"
        text = f"نص الخبر {i}."
        rows.append((eid, title, text, hashlib.sha256(text.encode()).hexdigest(), "{}",
                     "2026-01-01 00:00:00", list_key(eid, title)))
    conn.executemany("INSERT INTO document (external_id, title, text, sha256, meta, "
                     "created_at, list_key) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    yield lambda: AnnotatorApp(Session(store, schema, "alice", "app"), start_doc=None)
    store.close()


def test_pages_of_a_5000_document_corpus(big) -> None:
    async def scenario() -> None:
        async with big().run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            screen = docs_screen(pilot)
            table = screen.query_one(DocumentTable)
            assert len(screen.rows) == PAGE and table.row_count == PAGE
            assert "1–100 of 5,000 · page 1/50" in bar(pilot)
            assert "0/5,000 done" in screen.progress_text().plain
            table.move_cursor(row=PAGE - 1)
            await pilot.press("down")  # past the page's last row: the next page
            await settle(pilot)
            assert "101–200 of 5,000 · page 2/50" in bar(pilot)
            assert (table.cursor_row, screen.rows[0].external_id) == (0, "doc-00100")
            await pilot.press("up")  # and back: the cursor on the previous page's last row
            await settle(pilot)
            assert (table.cursor_row, screen.rows[table.cursor_row].external_id) == (
                PAGE - 1, "doc-00099")
            await pilot.press("pagedown")  # PgDn at the page's last row turns the page
            await settle(pilot)
            assert "page 2/50" in bar(pilot)
            await pilot.press("end")  # the list's last document
            await settle(pilot)
            assert "4,901–5,000 of 5,000 · page 50/50" in bar(pilot)
            assert screen.rows[table.cursor_row].external_id == "doc-04999"
            await pilot.press("down")  # nothing after the last page
            await settle(pilot)
            assert "page 50/50" in bar(pilot)
            table.move_cursor(row=50)  # doc-04950: open it, n to the next, back
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == screen.rows[51].id
            await pilot.press("b")
            await pilot.pause()
            assert screen.rows[table.cursor_row].external_id == "doc-04951"
            await pilot.press("home")
            await settle(pilot)
            assert "page 1/50" in bar(pilot) and table.cursor_row == 0
            await pilot.press("slash", *"4999", "enter")  # the filter over all pages
            await settle(pilot)
            assert shown_ids(pilot) == ["doc-04999"] and "1–1 of 1" in bar(pilot)

    run(scenario())


def test_palette_finds_a_document_by_id_in_a_large_corpus(big) -> None:
    """The palette offers one page of documents (not all 5,000), and what is typed filters
    them in SQL: a document far down the list is found by its id."""
    async def scenario() -> None:
        from textual.command import CommandList, CommandPalette

        async with big().run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            palette = pilot.app.screen
            assert isinstance(palette, CommandPalette)

            def titles() -> list[str]:
                options = palette.query_one(CommandList)
                return [str(options.get_option_at_index(i).prompt).split("\n")[0]
                        for i in range(options.option_count)]

            opened = [t for t in titles() if t.startswith("Open document")]
            assert 0 < len(opened) <= 50
            await pilot.press(*"doc-04321")
            await pilot.pause(0.5)
            assert any(t.startswith("Open document doc-04321") for t in titles()), titles()

    run(scenario())
