"""What the article view draws: label tints, bold span edges, nested shades, cursor."""

from __future__ import annotations

from rich.color import Color
from tui_helpers import SEED_000, annotate_screen, run, search_to, walk_to

from annotator.colors import shade

PERSON = "عبد الوافي لفتيت"


def cell_styles(article, offset: int):
    """The style drawn in the cell of `offset` (scrolled so that its line is on screen)."""
    line_no, col = article.layout_map.locate(offset)
    strip = article.render_line(line_no - article.scroll_offset.y)
    x = 0
    for seg in strip:
        if x <= col < x + seg.cell_length:
            return seg.style
        x += seg.cell_length
    raise AssertionError("column not drawn")


def test_spans_nesting_and_cursor_are_drawn(make_app, seeded) -> None:
    store, schema = seeded
    doc = store.document_by_external_id(SEED_000)
    p = doc.text.index(PERSON)
    store.add_span(doc.id, "alice", p, p + len(PERSON), "PERS")
    store.add_span(doc.id, "alice", p + 4, p + 10, "GPE")  # nested: الوافي

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            article = annotate_screen(pilot).article
            pers = Color.parse(schema.color("PERS"))
            gpe = Color.parse(schema.color("GPE"))
            first = cell_styles(article, p)
            assert first.bgcolor == pers and first.bold  # the span's first character
            middle = cell_styles(article, p + 1)
            assert middle.bgcolor == pers and not middle.bold and not middle.underline
            inner = cell_styles(article, p + 6)
            # the inner colour wins, in its alternate shade (depth 2); underline is the
            # selection's alone
            assert inner.bgcolor == Color.parse(shade(schema.color("GPE"))) != gpe
            assert not inner.underline
            last = cell_styles(article, p + len(PERSON) - 1)
            assert last.bgcolor == pers and last.bold
            # numbers stay left to right: "2022" reads 2,0,2,2 from left to right
            year = doc.text.index("2022")
            cols = [article.layout_map.locate(year + i)[1] for i in range(4)]
            assert cols == sorted(cols) and cols[1] == cols[0] + 1
            # Arabic runs right to left: a later character sits further left
            assert article.layout_map.locate(p + 1)[1] < article.layout_map.locate(p)[1]
            # the cursor token is drawn in reverse video
            await walk_to(pilot, p)
            assert cell_styles(article, p + 1).reverse
            assert not cell_styles(article, p + 5).reverse
            await pilot.press("shift+left")
            # the selection is underlined and bold, the cursor token within it reverse too
            assert cell_styles(article, p + 1).underline and not cell_styles(article, p + 1
                                                                             ).reverse
            assert cell_styles(article, p + 5).reverse and cell_styles(article, p + 5).underline
            assert annotate_screen(pilot).article.caret.selection == (p, p + 10)

    run(scenario())


def test_resize_relayouts_and_keeps_cursor_visible(make_app, seeded) -> None:
    store, _ = seeded
    doc = store.document_by_external_id(SEED_000)
    target = doc.text.index("للبوليساريو")

    async def scenario() -> None:
        async with make_app().run_test(size=(100, 30)) as pilot:
            article = annotate_screen(pilot).article
            await search_to(pilot, "للبوليساريو", target)
            wide = len(article.layout_map.lines)
            await pilot.resize_terminal(60, 20)
            await pilot.pause()
            assert len(article.layout_map.lines) > wide
            line, _ = article.layout_map.locate(target)
            top = article.scroll_offset.y
            assert top <= line < top + article.scrollable_content_region.height

    run(scenario())
