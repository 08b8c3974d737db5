"""Layouts that reflow: the documents list, the span list and the adjudicate header stay
usable from 60x20 to 200x50 and on a live resize; the article has a maximum width."""

from __future__ import annotations

from pathlib import Path

from adjudication_example import add_disputed_document
from textual.app import App
from textual.widgets import DataTable
from tui_helpers import SEED_000, SEED_001, annotate_screen, run

from annotator.commands.common import open_store
from annotator.labelschema import LabelSchema
from annotator.store.gold import auto_merge
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.columns import middle_cut
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.adjudicate import AdjudicateApp, AdjudicateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.widgets.span_list import SpanList

SIZES = [(60, 20), (120, 30), (200, 50)]
URL = "https://www.example-news.ma/politique/2022/03/30/alliance-securitaire-internationale-dubai"
URL_TITLE = "تحالف أمني دولي لمكافحة الإرهاب في منطقة الساحل وجنوب الصحراء"
LONG_SPAN = "المنظومة الأمنية الدولية"


def screen_lines(app: App) -> list[str]:
    """The screen as text, one string per row (what a terminal would show)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def add_url_document(store: Store) -> None:
    store.add_document(external_id=URL, title=URL_TITLE,
                       text="قال الوزير إن التعاون مستمر.", sentences=[])


def check_documents_list(app: AnnotatorApp, width: int) -> None:
    screen = app.screen
    assert isinstance(screen, DocumentsScreen)
    table = screen.query_one(DataTable)
    lines = screen_lines(app)
    assert all(len(line) == width for line in lines)
    id_width, title_width = (column.width for column in list(table.columns.values())[:2])
    for row in screen.rows:
        shown_id = middle_cut(row.external_id, id_width)
        line = next(line for line in lines if line.lstrip().startswith(shown_id))
        # status and both counts on screen, at the right of the row
        assert row.status.replace("_", " ") in line
        assert line.rstrip().endswith(f"{row.spans}       {row.events}")
        # the title's beginning is shown (its first word on the right), not its end
        title = one_line(row.title, title_width, "app")
        assert title in line
        assert title.endswith(one_line(row.title.split()[0], 40, "app"))
    # the URL (every row was found above by its id as shown): cut in the middle, so its
    # beginning and its end stay
    shown = middle_cut(URL, id_width)
    assert len(shown) == id_width < len(URL) and "…" in shown
    assert shown.startswith("http") and shown.endswith(URL[-3:])


def test_documents_list_fits_every_size_and_a_live_resize(make_app, seeded) -> None:
    store, _ = seeded
    add_url_document(store)

    async def scenario() -> None:
        async with make_app(doc=None).run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            check_documents_list(pilot.app, 120)
            for width, height in [(60, 20), (200, 50), (60, 20), (120, 30)]:
                await pilot.resize_terminal(width, height)
                await pilot.pause()
                await pilot.pause()
                check_documents_list(pilot.app, width)

    run(scenario())


def test_documents_list_at_each_size_from_the_start(make_app, seeded) -> None:
    store, _ = seeded
    add_url_document(store)

    async def scenario() -> None:
        for size in SIZES:
            async with make_app(doc=None).run_test(size=size) as pilot:
                await pilot.pause()
                check_documents_list(pilot.app, size[0])
                lines = screen_lines(pilot.app)
                assert any("0/3 done" in line for line in lines)  # the progress line

    run(scenario())


def test_documents_list_keeps_the_cursor_on_the_document_left(make_app, seeded) -> None:
    store, _ = seeded
    first = store.document_by_external_id(SEED_000)
    second = store.document_by_external_id(SEED_001)
    assert first is not None and second is not None

    async def scenario() -> None:
        async with make_app(doc=None).run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            docs = pilot.app.screen
            assert isinstance(docs, DocumentsScreen)
            table = docs.query_one(DataTable)
            assert docs.rows[table.cursor_row].id == first.id
            await pilot.press("enter")  # open the first document
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == first.id
            await pilot.press("n")  # on to the second
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == second.id
            await pilot.press("b")  # back: the cursor is on the document left, the second
            await pilot.pause()
            assert pilot.app.screen is docs
            assert docs.rows[table.cursor_row].id == second.id
            await pilot.resize_terminal(60, 20)  # and stays there through a resize
            await pilot.pause()
            assert docs.rows[table.cursor_row].id == second.id
            await pilot.press("up", "enter")
            await pilot.pause()
            await pilot.press("b")
            await pilot.pause()
            assert docs.rows[table.cursor_row].id == first.id

    run(scenario())


def test_span_list_wraps_phrases_at_60_columns(make_app, seeded) -> None:
    store, _ = seeded
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None and doc.id is not None
    start = doc.text.index(LONG_SPAN)
    store.add_span(doc.id, "alice", start, start + len(LONG_SPAN), "ORG")

    async def scenario() -> None:
        async with make_app().run_test(size=(60, 20)) as pilot:
            await pilot.pause()
            spans = annotate_screen(pilot).query_one(SpanList)
            assert spans.spans and spans.size.width < 30  # a narrow side panel
            rows = spans.rows_of_span(0)
            assert len(rows) > 1  # wrapped, not cut to one word
            drawn = " ".join("".join(seg.text for seg in spans.render_line(y))
                             for y in rows)
            for word in LONG_SPAN.split():  # every word of the phrase is on screen
                assert one_line(word, 40, "app") in drawn
            assert all(spans.span_at_row(y) == 0 for y in rows)
            await pilot.resize_terminal(200, 50)  # wide: back on one row
            await pilot.pause()
            assert len(spans.rows_of_span(0)) == 1

    run(scenario())


def test_article_has_a_maximum_width_on_a_wide_terminal(seeded) -> None:
    store, schema = seeded
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None

    async def scenario() -> None:
        for limit, expected in ((100, 100), (0, None)):
            app = AnnotatorApp(Session(store, schema, "alice", "app", limit), start_doc=doc.id)
            async with app.run_test(size=(200, 50)) as pilot:
                await pilot.pause()
                width = annotate_screen(pilot).article.size.width
                if expected is None:
                    assert width > 120  # no limit: the article takes the room
                else:
                    assert width == expected
                await pilot.resize_terminal(90, 30)  # narrower than the limit: it shrinks
                await pilot.pause()
                assert annotate_screen(pilot).article.size.width < 90

    run(scenario())


def _adjudication_db(tmp_path: Path) -> tuple[Store, LabelSchema]:
    store, schema = open_store(str(tmp_path / "adj.db"))
    add_disputed_document(store, "d1-" + "x" * 30, "t")
    store.set_role("carol", "adjudicator")
    auto_merge(store)
    return store, schema


def test_adjudicate_header_is_never_cut(tmp_path: Path) -> None:
    store, schema = _adjudication_db(tmp_path)

    async def scenario() -> None:
        app = AdjudicateApp(Session(store, schema, "carol", "app"))
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            s = pilot.app.screen
            assert isinstance(s, AdjudicateScreen)
            for width, height in [(120, 30), (60, 20), (200, 50), (120, 30)]:
                await pilot.resize_terminal(width, height)
                await pilot.pause()
                header = s.query_one("#adj-header")
                text = header.render()
                lines = str(text).split("\n")
                assert len(lines) <= 2 and header.size.height == len(lines)
                assert all(len(line) <= width for line in lines)
                joined = " ".join(lines)
                assert "carol" in joined and "left in corpus" in joined
                assert "1/1" in joined  # the corpus counter ...
                assert ("document 1/1" in joined) or ("doc 1/1" in joined)  # ... labelled
                assert "gold-done" in joined
                if width >= 200:
                    assert len(lines) == 1
        store.close()

    run(scenario())
