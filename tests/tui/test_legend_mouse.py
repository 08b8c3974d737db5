"""Pilot tests of what the annotator sees and finds: the selection's look, the legend, the
command palette, the event picker's ticks, the footer; and the mouse (drag, span list)."""

from __future__ import annotations

from rich.color import Color
from tui_helpers import SEED_000, annotate_screen, opened_at, run, span_rows

from annotator.colors import shade
from annotator.tui.bindings import KEYS
from annotator.tui.widgets.article import CURSOR, SELECTION
from annotator.tui.widgets.legend import Legend

CLITIC = "للبوليساريو"
PERSON = "عبد الوافي لفتيت"


def cell_style(article, offset: int):
    """The style drawn in the cell of `offset` (its line must be on screen)."""
    line_no, col = article.layout_map.locate(offset)
    x = 0
    for seg in article.render_line(line_no - article.scroll_offset.y):
        if x <= col < x + seg.cell_length:
            return seg.style
        x += seg.cell_length
    raise AssertionError("column not drawn")


def test_trimmed_clitic_no_longer_looks_selected(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        opened = opened_at(make_app(), store, SEED_000, CLITIC, via="search")
        async with opened as (pilot, _doc, start):
            article = annotate_screen(pilot).article
            # no selection: the cursor token is reverse video, not underlined
            first = cell_style(article, start)
            assert first.reverse and not first.underline
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert article.caret.selection == (start + 1, start + len(CLITIC))
            dropped = cell_style(article, start)
            assert not dropped.reverse and not dropped.underline  # plain text again
            kept = cell_style(article, start + 1)
            assert kept.underline and kept.bold  # the selection's mark, in every colour mode

    run(scenario())


def test_selection_differs_from_cursor_without_colour(make_app, seeded) -> None:
    """Two tokens selected: the one the cursor is on is reverse + underline, the other
    underline + bold only; nothing relies on colour."""
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, _doc, start):
            article = annotate_screen(pilot).article
            await pilot.press("shift+left")
            await pilot.pause()
            anchor = cell_style(article, start + 1)
            moved = cell_style(article, start + 5)
            assert anchor.underline and anchor.bold and not anchor.reverse
            assert moved.underline and moved.reverse
            # the marks are attributes only: they survive a monochrome terminal
            for mark in (CURSOR, SELECTION):
                assert mark.color is None and mark.bgcolor is None
            assert (SELECTION + CURSOR) != SELECTION and not SELECTION.reverse

    run(scenario())


def test_nested_spans_of_one_label_alternate_shades(make_app, seeded) -> None:
    store, schema = seeded
    doc = store.document_by_external_id(SEED_000)
    p = doc.text.index(PERSON)
    store.add_span(doc.id, "alice", p, p + len(PERSON), "PERS")
    store.add_span(doc.id, "alice", p + 4, p + 10, "PERS")  # nested, same label

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            article = annotate_screen(pilot).article
            pers = schema.color("PERS")
            outer = cell_style(article, p + 1)
            inner = cell_style(article, p + 6)
            assert outer.bgcolor == Color.parse(pers)
            assert inner.bgcolor == Color.parse(shade(pers))
            assert cell_style(article, p + 4).bold and cell_style(article, p + 9).bold  # edges
            assert not inner.underline  # underline means "selection" only

    run(scenario())


def test_legend_lists_the_entities_and_toggles(make_app, seeded) -> None:
    async def scenario() -> None:
        _store, schema = seeded
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            legend = annotate_screen(pilot).query_one(Legend)
            assert legend.expanded and legend.size.height == 1 + len(schema.entities)
            shown = legend.render().plain
            for t in schema.entities:
                assert f"{t.hotkey}  {t.name}" in shown
            assert "ﺺﺨﺷ" in shown  # شخص, shaped and in visual order
            await pilot.press("L")
            await pilot.pause()
            assert not legend.expanded and legend.size.height == 1
            assert legend.render().plain.startswith("1234567890")
            await pilot.press("L")
            await pilot.pause()
            assert legend.expanded

    run(scenario())


def test_event_picker_ticks_with_a_glyph_and_shows_the_legend(make_app, seeded) -> None:
    from annotator.tui.screens.event_picker import EventPicker, TickList

    async def scenario() -> None:
        store, schema = seeded
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.press("E")
            await pilot.pause()
            picker = pilot.app.screen
            assert isinstance(picker, EventPicker)
            ticks = picker.query_one(TickList)

            def row(name: str) -> str:
                i = [t.name for t in schema.events].index(name)
                return "".join(s.text for s in ticks.render_line(i - ticks.scroll_offset.y))

            meet = schema.event("MEET")
            assert row("MEET").startswith("[ ] m  MEET")
            assert "ﺀﺎﻘﻟ" in row("MEET") or "ءﺎﻘﻟ" in row("MEET")  # لقاء, right to left
            assert meet is not None
            await pilot.press("m")
            await pilot.pause()
            assert row("MEET").startswith("[x] m  MEET") and row("VISIT").startswith("[ ] ")
            await pilot.press("enter")
            await pilot.pause()
        doc = store.document_by_external_id(SEED_000)
        assert [e.label for e in store.events(doc.id, "alice")] == ["MEET"]

    run(scenario())


def test_help_says_how_to_close_and_lists_the_schema(make_app, seeded) -> None:
    from textual.widgets import Static

    from annotator.tui.screens.help import HelpScreen

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            help_screen = pilot.app.screen
            assert isinstance(help_screen, HelpScreen)
            close = str(help_screen.query_one("#help-close", Static).render())
            assert close.startswith("Esc / q / ? closes this list")
            assert help_screen.query_one("#help-entities", Static)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(pilot.app.screen, HelpScreen)

    run(scenario())


def test_palette_lists_product_commands_and_quit_once(make_app, seeded) -> None:
    async def scenario() -> None:
        store, schema = seeded
        async with make_app().run_test(size=(100, 30)) as pilot:
            from textual.command import CommandPalette

            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            palette = pilot.app.screen
            assert isinstance(palette, CommandPalette)
            from textual.command import CommandList

            options = palette.query_one(CommandList)
            titles = [str(options.get_option_at_index(i).prompt).split("\n")[0]
                      for i in range(options.option_count)]
            text = "\n".join(titles)
            assert sum(1 for t in titles if t.startswith("Quit")) == 1
            for t in schema.entities:
                assert f"Label the selection as {t.name}" in text
            wanted = ["Open document " + SEED_000, "Search", "Mark document done", "Undo",
                      "Redo", "Toggle legend", "Next document"]
            if any(k.id == "document.next_unfinished" for k in KEYS):  # the N key
                wanted.append("Next unfinished document")
            for title in wanted:
                assert title in text, title
            assert "Change theme" not in text and "Save screenshot" not in text
            # a command runs its action: toggle the legend from the palette
            await pilot.press(*"toggle legend")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert not annotate_screen(pilot).query_one(Legend).expanded

    run(scenario())


def test_drag_selects_then_label_key_stores_the_dragged_range(make_app, seeded) -> None:
    from annotator.tui.widgets.article import ArticleView

    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, None, via=None) as (pilot, doc, _):
            article = annotate_screen(pilot).article
            p = doc.text.index(PERSON)
            last = p + len(PERSON) - 1
            (line_a, col_a), (line_b, col_b) = (article.layout_map.locate(p),
                                                article.layout_map.locate(last))
            top = article.scroll_offset.y
            await pilot.mouse_down(ArticleView, offset=(col_a, line_a - top))
            await pilot.hover(ArticleView, offset=(col_b, line_b - top))
            await pilot.mouse_up(ArticleView, offset=(col_b, line_b - top))
            await pilot.pause()
            assert article.caret.selection == (p, p + len(PERSON))
            await pilot.press("1")
            await pilot.pause()
        assert span_rows(store, doc.id, "alice") == [(p, p + len(PERSON), "PERS", PERSON)]

    run(scenario())


def test_span_list_click_and_keyboard_jump(make_app, seeded) -> None:
    from annotator.tui.widgets.span_list import SpanList

    store, _ = seeded
    doc = store.document_by_external_id(SEED_000)
    p = doc.text.index(PERSON)
    c = doc.text.index(CLITIC) + 2
    store.add_span(doc.id, "alice", p, p + len(PERSON), "PERS")
    store.add_span(doc.id, "alice", c, c + len(CLITIC) - 2, "ORG")

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = annotate_screen(pilot)
            spans = screen.query_one(SpanList)
            caret = screen.article.caret
            org_row = spans.rows_of_span(1).start - spans.scroll_offset.y
            await pilot.click(SpanList, offset=(2, org_row))
            await pilot.pause()
            assert caret.selection == (c, c + len(CLITIC) - 2)
            assert caret.cursor_range is not None and caret.cursor_range[0] <= c
            assert screen.focused is screen.article
            # the keyboard: Tab focuses the list, ↑ chooses the span before, Enter jumps
            await pilot.press("tab")
            await pilot.pause()
            assert screen.focused is spans
            await pilot.press("up", "enter")
            await pilot.pause()
            assert caret.selection == (p, p + len(PERSON))
            assert screen.focused is screen.article
            # the label key on the jumped-to span: the store has the span once, labelled
            await pilot.press("escape")
        assert ("PERS", p) in [(s.label, s.start) for s in store.spans(doc.id, "alice")]

    run(scenario())


def test_palette_label_command_stores_the_span(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, "المغرب") as (pilot, doc, start):
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            await pilot.press(*"label the selection as GPE")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
        assert span_rows(store, doc.id, "alice") == [(start, start + 6, "GPE", "المغرب")]

    run(scenario())


def test_footer_shows_the_annotation_keys(make_app, seeded) -> None:
    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = annotate_screen(pilot)

            def shown() -> set[str]:
                return {pilot.app.get_key_display(b.binding)
                        for b in screen.active_bindings.values() if b.binding.show}

            assert {"⇧←", "⇧→", "[", "]", "{", "}", "D", "b", "ctrl+r", "L"} <= shown()
            await pilot.press("tab")  # the span list: its keys come first
            await pilot.pause()
            assert {"↑", "↓", "Enter"} <= shown()

    run(scenario())
