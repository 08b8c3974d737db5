"""Pilot tests: real key presses on the annotate screen, then the database rows."""

from __future__ import annotations

from tui_helpers import (
    SEED_000,
    SEED_001,
    annotate_screen,
    opened_at,
    run,
    search_to,
    span_rows,
    walk_to,
)

PERSON = "عبد الوافي لفتيت"
CLITIC = "للبوليساريو"


def doc_of(store, external_id: str):
    doc = store.document_by_external_id(external_id)
    assert doc is not None
    return doc


def test_mark_person_by_token_selection(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            # Shift+Left extends forward in reading order (right-to-left screen)
            await pilot.press("shift+left", "shift+left", "1")
            await pilot.pause()
            assert annotate_screen(pilot).article.caret.selection is None
        assert span_rows(store, doc.id, "alice") == [
            (start, start + len(PERSON), "PERS", PERSON)
        ]
        assert store.status(doc.id, "alice") == "in_progress"

    run(scenario())


def test_label_token_under_cursor_without_selection(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, "المغرب") as (pilot, doc, start):
            await pilot.press("5")
            await pilot.pause()
        assert span_rows(store, doc.id, "alice") == [(start, start + 6, "GPE", "المغرب")]

    run(scenario())


def test_clitic_shrinks_start_edge(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        opened = opened_at(make_app(), store, SEED_000, CLITIC, via="search")
        async with opened as (pilot, doc, start):
            # the token is the whole word with the clitic لل; `]` moves the start edge later
            assert annotate_screen(pilot).article.caret.cursor_range == (start, start + len(CLITIC))
            await pilot.press("right_square_bracket", "right_square_bracket", "4")
            await pilot.pause()
        # لل + بوليساريو: dropping the two clitic letters leaves بوليساريو
        assert span_rows(store, doc.id, "alice") == [
            (start + 2, start + len(CLITIC), "ORG", "بوليساريو")
        ]

    run(scenario())


def test_end_edge_keys(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            # select the first token, shrink its end by two then grow it back by one (the
            # end never grows onto the space after the token)
            await pilot.press("left_curly_bracket", "left_curly_bracket", "right_curly_bracket")
            await pilot.press("1")
            await pilot.pause()
        assert span_rows(store, doc.id, "alice") == [(start, start + 2, "PERS", "عب")]

    run(scenario())


def test_undo_and_redo(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            await pilot.press("shift+left", "shift+left", "1")
            await pilot.pause()
            assert len(store.spans(doc.id, "alice")) == 1
            await pilot.press("u")
            await pilot.pause()
            assert store.spans(doc.id, "alice") == []
            assert annotate_screen(pilot).article.index.spans == []
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert len(annotate_screen(pilot).article.index.spans) == 1
        assert span_rows(store, doc.id, "alice") == [
            (start, start + len(PERSON), "PERS", PERSON)
        ]

    run(scenario())


def test_remove_span_under_cursor_and_nested_picker(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            await pilot.press("shift+left", "shift+left", "1")  # outer: the full name, PERS
            await walk_to(pilot, start)
            await pilot.press("1")  # inner: عبد, PERS
            await pilot.pause()
            assert len(store.spans(doc.id, "alice")) == 2
            await pilot.press("x")  # two spans under the cursor: a picker opens
            await pilot.pause()
            # the outer span is listed first; pick it
            await pilot.press("enter")
            await pilot.pause()
        assert span_rows(store, doc.id, "alice") == [(start, start + 3, "PERS", "عبد")]

    run(scenario())


def test_sentence_and_document_event_labels(make_app, seeded) -> None:
    async def scenario() -> None:
        store, schema = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            await pilot.press("e")  # sentence picker
            await pilot.pause()
            await pilot.press("m", "s", "enter")  # MEET and STATEMENT by hotkey
            await pilot.pause()
            await pilot.press("E")  # document picker
            await pilot.pause()
            await pilot.press("c", "space", "enter")  # COOPERATE by hotkey, space ticks the first
            await pilot.pause()
            screen = annotate_screen(pilot)
            assert screen.doc_events == sorted(["COOPERATE", schema.events[0].name])
        sentence = next((s.start, s.end) for s in store.sentences(doc.id)
                        if s.start <= start < s.end)
        rows = {(e.scope, e.start, e.end, e.label) for e in store.events(doc.id, "alice")}
        assert rows == {
            ("sentence", *sentence, "MEET"), ("sentence", *sentence, "STATEMENT"),
            ("document", None, None, "COOPERATE"), ("document", None, None, "MEET"),
        }

    run(scenario())


def test_event_picker_escape_saves_nothing(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000) as (pilot, doc, _):
            await pilot.press("E", "m", "escape")
            await pilot.pause()
        assert store.events(doc.id, "alice") == []

    run(scenario())


def test_search_ignores_hamza(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        # the hit is located, not reached: the test types its own hamza-less query
        opened = opened_at(make_app(), store, SEED_000, "الإجتماع", via=None)
        async with opened as (pilot, doc, hit):
            await pilot.press("slash")
            await pilot.press(*"الاجتماع")
            await pilot.press("enter")
            await pilot.pause()
            screen = annotate_screen(pilot)
            assert screen.article.caret.selection == (hit, hit + len("الإجتماع"))
            await pilot.press("escape")  # close the search bar; the hit stays selected
            await pilot.press("8")  # label the found text EVENT
            await pilot.pause()
        assert span_rows(store, doc.id, "alice") == [(hit, hit + 8, "EVENT", "الإجتماع")]

    run(scenario())


def test_reopen_shows_same_spans(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, _doc, start):
            await pilot.press("shift+left", "shift+left", "1", "q")
            await pilot.pause()
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            spans = annotate_screen(pilot).article.index.spans
            assert [(s.start, s.end, s.label) for s in spans] == [
                (start, start + len(PERSON), "PERS")
            ]

    run(scenario())


def test_annotators_are_blind_to_each_other(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        alice = opened_at(make_app(user="alice"), store, SEED_000, PERSON)
        async with alice as (pilot, doc, start):
            await pilot.press("shift+left", "shift+left", "1")
            await pilot.pause()
        async with make_app(user="bob").run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = annotate_screen(pilot)
            assert screen.article.index.spans == []
            assert screen.status == "new"
            await walk_to(pilot, start)
            await pilot.press("1")
            await pilot.pause()
        assert span_rows(store, doc.id, "bob") == [(start, start + 3, "PERS", "عبد")]
        assert span_rows(store, doc.id, "alice") == [(start, start + len(PERSON), "PERS", PERSON)]

    run(scenario())


def test_mark_done_and_next_previous_document(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        doc0, doc1 = doc_of(store, SEED_000), doc_of(store, SEED_001)
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.press("d")
            await pilot.pause()
            assert annotate_screen(pilot).status == "done"
            await pilot.press("n")
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == doc1.id
            await pilot.press("p")
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == doc0.id
        assert store.status(doc0.id, "alice") == "done"
        assert store.status(doc1.id, "alice") == "new"

    run(scenario())


def test_documents_screen_opens_with_enter(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        doc1 = doc_of(store, SEED_001)
        async with make_app(doc=None).run_test(size=(100, 30)) as pilot:
            await pilot.press("down", "enter")
            await pilot.pause()
            assert annotate_screen(pilot).doc_id == doc1.id
            await pilot.press("1", "b")  # label the first token, back to the list
            await pilot.pause()
            from annotator.tui.screens.documents import DocumentsScreen

            screen = pilot.app.screen
            assert isinstance(screen, DocumentsScreen)
            row = next(r for r in screen.rows if r.id == doc1.id)
            assert (row.status, row.spans) == ("in_progress", 1)
            assert "1 in progress" in screen.progress_text().plain

    run(scenario())


def test_mouse_click_places_cursor(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        # located, not reached: the click must move the cursor there
        opened = opened_at(make_app(), store, SEED_000, PERSON, via=None)
        async with opened as (pilot, _doc, start):
            article = annotate_screen(pilot).article
            line, col = article.layout_map.locate(start + 1)
            await pilot.click("#article", offset=(col, line - article.scroll_offset.y))
            await pilot.pause()
            assert article.caret.cursor_range == (start, start + 3)

    run(scenario())


def test_help_lists_every_binding(make_app) -> None:
    async def scenario() -> None:
        from annotator.tui.bindings import KEYS
        from annotator.tui.screens.help import HelpScreen

        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(pilot.app.screen, HelpScreen)
            descriptions = list(pilot.app.screen.table.columns[2]._cells)
            for k in KEYS:
                assert k.description in descriptions
            assert any("PERS" in d for d in descriptions)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(pilot.app.screen, HelpScreen)

    run(scenario())


def test_command_palette_offers_the_main_actions(make_app, seeded) -> None:
    store, _ = seeded
    doc = doc_of(store, SEED_000)

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            from annotator.tui.palette import AnnotatorCommands

            provider = AnnotatorCommands(pilot.app.screen)
            titles = [t for t, _h, _c in provider._commands()]
            assert {"Mark document done", "Undo", "Redo", "Search", "Next document",
                    "Sentence event labels", "Document event labels"} <= set(titles)
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"mark document done")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert annotate_screen(pilot).status == "done"

    run(scenario())
    assert store.status(doc.id, "alice") == "done"


def test_typing_in_the_search_bar_does_not_trigger_screen_keys(make_app, seeded) -> None:
    store, _ = seeded
    doc = doc_of(store, SEED_000)

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.press("slash", *"nd1x", "escape")
            await pilot.pause()
            screen = annotate_screen(pilot)
            assert screen.doc_id == doc.id and screen.status == "new"

    run(scenario())
    assert store.spans(doc.id, "alice") == []


def test_up_down_move_by_visual_line_and_escape_clears(make_app, seeded) -> None:
    store, _ = seeded

    async def scenario() -> None:
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, _doc, start):
            article = annotate_screen(pilot).article
            line, _ = article.layout_map.locate(start)
            await pilot.press("down")
            cur = article.caret.cursor_range
            assert article.layout_map.locate(cur[0])[0] == line + 1
            await pilot.press("up")
            assert article.layout_map.locate(article.caret.cursor_range[0])[0] == line
            await pilot.press("shift+left")
            assert article.caret.selection is not None
            await pilot.press("escape")
            assert article.caret.selection is None

    run(scenario())


def test_terminal_and_off_modes_draw_logical_order(make_app, seeded) -> None:
    store, _ = seeded
    doc = doc_of(store, SEED_000)
    start = doc.text.index(PERSON)

    async def scenario(mode: str) -> None:
        async with make_app(bidi=mode).run_test(size=(100, 30)) as pilot:
            article = annotate_screen(pilot).article
            # logical order left to right: a later character sits further right, unshaped
            assert article.layout_map.locate(start + 1)[1] > article.layout_map.locate(start)[1]
            line, col = article.layout_map.locate(start)
            assert article.layout_map.lines[line].cells[col] == PERSON[0]
            await search_to(pilot, PERSON, start)
            await pilot.press("1")
            await pilot.pause()

    for mode in ("terminal", "off"):
        run(scenario(mode))
        assert span_rows(store, doc.id, "alice") == [(start, start + 3, "PERS", "عبد")]
        assert store.undo(doc.id, "alice") is not None



LATIN_DOC = "قال John Smith إن الاجتماع في دبي كان مهما.\nوأضاف أن التعاون مستمر."


def test_left_right_follow_the_screen_inside_a_latin_run(make_app, seeded, tmp_path) -> None:
    """'John Smith' is drawn left to right inside the right-to-left layout: Left goes to
    the token on its left on screen, and Shift keeps the logical anchor..cursor range."""
    from annotator.commands.importing import import_paths

    store, schema = seeded
    path = tmp_path / "latin_run.txt"
    path.write_text(LATIN_DOC, encoding="utf-8")
    assert import_paths(store, schema, [path]).added == 1
    text = doc_of(store, "latin_run").text
    assert text == LATIN_DOC
    john, smith, inn = text.index("John"), text.index("Smith"), text.index("إن")

    async def scenario() -> None:
        async with make_app(doc="latin_run").run_test(size=(100, 30)) as pilot:
            article = annotate_screen(pilot).article
            caret = article.caret
            layout = article.layout_map
            # on screen, right to left: قال, then Smith, John (a left-to-right run), then إن
            assert layout.locate(inn)[1] < layout.locate(john)[1] < layout.locate(smith)[1]
            await pilot.press("left")
            assert caret.cursor_range == (smith, smith + 5)  # not John, the next in reading
            await pilot.press("left")
            assert caret.cursor_range == (john, john + 4)
            await pilot.press("shift+left")
            assert caret.cursor_range == (inn, inn + 2)
            assert caret.selection == (john, inn + 2)  # the logical range anchor..cursor
            await pilot.press("shift+right")
            assert caret.selection == (john, john + 4)
            await pilot.press("shift+right")  # Smith: logically after the anchor John
            assert caret.cursor_range == (smith, smith + 5)
            assert caret.selection == (john, smith + 5)
            await pilot.press("right")  # back to قال; a plain move drops the selection
            assert caret.cursor_range == (0, 3) and caret.selection is None
            # past the leftmost token of a line, Left continues on the next line's right
            await pilot.press("end")
            last_line = layout.locate(caret.cursor_range[0])[0]
            await pilot.press("home")
            for _ in range(50):
                if layout.locate(caret.cursor_range[0])[0] == last_line:
                    break
                await pilot.press("left")
            assert caret.cursor_range[0] == text.index("وأضاف")

    run(scenario())


def test_search_field_draws_the_query_right_to_left(make_app, seeded) -> None:
    """The Input holds the query in logical order and draws it like the article."""
    from annotator.tui.widgets.search_bar import SearchBar

    query = "مارس 2022"

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.press("slash", *query)
            await pilot.pause()
            screen = annotate_screen(pilot)
            bar = screen.query_one(SearchBar)
            assert bar.value == query  # editing stays logical
            view = bar.visual
            assert view is not None
            width = bar.scrollable_content_region.width
            assert len(view.cells) == width
            drawn = [(col, off) for col, off in enumerate(view.offsets) if off >= 0]
            assert sorted(off for _, off in drawn) == list(range(len(query)))
            col = dict((off, c) for c, off in drawn)
            # right-aligned, the word right to left, the number left to right on its left
            assert max(col.values()) == width - 1
            assert col[0] > col[1] > col[2] > col[3]  # م ا ر س from right to left
            assert col[5] < col[6] < col[7] < col[8] < col[3]  # 2 0 2 2, left of the word
            # shaped like the article (one glyph per letter), the digits as typed
            assert view.cells[col[5]:col[8] + 1] == tuple("2022")
            assert [view.cells[col[i]] for i in range(4)] == ["\ufee3", "\ufe8e", "ر", "س"]
            assert view.caret == col[5] - 1  # after the end: left of the text
            row = "".join(seg.text for seg in bar.render_line(0))
            assert "".join(view.cells) in row
            # a click lands on the character clicked (here the first digit)
            dx = bar.content_region.x - bar.region.x
            dy = bar.content_region.y - bar.region.y
            await pilot.click(SearchBar, offset=(dx + col[5], dy))
            assert bar.cursor_position == 5
            # Left goes forward in reading order (like the article), Right backward
            await pilot.press("home")
            assert bar.cursor_position == 0 and bar.visual.caret == col[0]
            await pilot.press("left")
            assert bar.cursor_position == 1 and bar.visual.caret == col[1]
            await pilot.press("right")
            assert bar.cursor_position == 0
            await pilot.press("end", "backspace", "backspace", "backspace", "backspace",
                              "backspace")
            await pilot.pause()
            assert [off for off in bar.visual.offsets if off >= 0] == [3, 2, 1, 0]
            await pilot.press("escape")
            await pilot.pause()
            assert not screen.query_one("#search-row").display

    run(scenario())


def test_search_field_is_logical_when_the_terminal_reorders(make_app) -> None:
    from annotator.tui.widgets.search_bar import SearchBar

    async def scenario() -> None:
        for mode in ("terminal", "off"):
            async with make_app(bidi=mode).run_test(size=(100, 30)) as pilot:
                await pilot.press("slash", *"مارس")
                await pilot.pause()
                bar = annotate_screen(pilot).query_one(SearchBar)
                assert bar.visual is None
                assert "مارس" in "".join(seg.text for seg in bar.render_line(0))

    run(scenario())


def test_a_long_query_shows_the_line_with_the_cursor() -> None:
    from annotator.tui.layout import field_view

    assert field_view("", 20, 0) is None
    query = "الاجتماع الوزاري للتحالف الأمني"
    end = field_view(query, 12, len(query))
    offsets = [off for off in end.offsets if off >= 0]
    assert len(end.cells) == 12 and max(offsets) == len(query) - 1  # where typing goes
    assert offsets == sorted(offsets, reverse=True)
    assert end.caret == min(c for c, off in enumerate(end.offsets) if off >= 0) - 1
    start = field_view(query, 12, 0)
    assert start.offsets[start.caret] == 0 and start.caret == 11  # first letter, rightmost
    assert start.index_at(start.caret) == 0 and start.index_at(0) == len(query)
