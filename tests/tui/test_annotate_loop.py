"""The annotation loop (issue 9): relabel, clean edges, honest messages, finished documents.

Real keys on the annotate screen, then the database rows and the status line."""

from __future__ import annotations

from textual.pilot import Pilot
from tui_helpers import SEED_000, SEED_001, annotate_screen, opened_at, run, span_rows, walk_to

from annotator.tui.layout import one_line
from annotator.tui.widgets.status_line import StatusLine

PERSON = "عبد الوافي لفتيت"
MOROCCO = "المغرب"


def status_of(pilot: Pilot) -> StatusLine:
    return annotate_screen(pilot).query_one(StatusLine)


def shown(pilot: Pilot) -> str:
    """The status line as drawn (its plain text)."""
    return status_of(pilot).render().plain


def quoted(text: str) -> str:
    return f"«{one_line(text, 24, 'app')}»"


async def keys(pilot: Pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await pilot.pause()


def test_label_key_on_a_span_relabels_it_and_undo_restores(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, MOROCCO) as (pilot, doc, start):
            end = start + len(MOROCCO)
            await keys(pilot, "5")
            assert f"✓ saved GPE {quoted(MOROCCO)}" in shown(pilot)
            await keys(pilot, "6")
            assert span_rows(store, doc.id, "alice") == [(start, end, "LOC", MOROCCO)]
            assert f"✓ relabelled GPE → LOC {quoted(MOROCCO)}" in shown(pilot)
            assert [a.kind for a in store.actions(doc.id, "alice")][-1] == "relabel_span"
            await keys(pilot, "u")
            assert span_rows(store, doc.id, "alice") == [(start, end, "GPE", MOROCCO)]
            assert f"undone: LOC → GPE {quoted(MOROCCO)}" in shown(pilot)
            await keys(pilot, "ctrl+r")
            assert span_rows(store, doc.id, "alice") == [(start, end, "LOC", MOROCCO)]
            assert f"redone: GPE → LOC {quoted(MOROCCO)}" in shown(pilot)

    run(scenario())


def test_plus_then_a_label_key_adds_a_second_label(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, MOROCCO) as (pilot, doc, start):
            end = start + len(MOROCCO)
            await keys(pilot, "5", "plus", "6")
            assert sorted(span_rows(store, doc.id, "alice")) == [
                (start, end, "GPE", MOROCCO), (start, end, "LOC", MOROCCO)]
            # the same label again is refused, and says so (no ✓)
            await keys(pilot, "plus", "5")
            assert f"! already marked GPE {quoted(MOROCCO)}" in shown(pilot)
            # two labels on the extent: a bare key does not guess which to relabel
            await keys(pilot, "4")
            assert "! 2 spans here (GPE, LOC)" in shown(pilot)
            assert len(span_rows(store, doc.id, "alice")) == 2

    run(scenario())


def test_edge_keys_never_take_a_space_in(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, MOROCCO) as (pilot, doc, start):
            # `[ [` from المغرب would take the space and a letter of the word before
            await keys(pilot, "left_square_bracket", "left_square_bracket")
            assert "! an edge key stops at a space" in shown(pilot)
            await keys(pilot, "5")
        assert span_rows(store, doc.id, "alice") == [
            (start, start + len(MOROCCO), "GPE", MOROCCO)]

    run(scenario())


def test_shrinking_past_a_word_skips_the_space(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            await keys(pilot, "shift+left", "shift+left")
            await keys(pilot, *["right_square_bracket"] * 3, "1")  # drop عبد
        rest = PERSON.split(" ", 1)[1]
        assert span_rows(store, doc.id, "alice") == [
            (start + 4, start + len(PERSON), "PERS", rest)]

    run(scenario())


def test_punctuation_only_is_refused(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        doc = store.document_by_external_id(SEED_000)
        assert doc is not None
        quote = doc.text.index('"')  # the quote mark opening "عبد الوافي لفتيت"
        async with opened_at(make_app(), store, SEED_000, quote) as (pilot, _doc, _start):
            assert annotate_screen(pilot).article.caret.cursor_range == (quote, quote + 1)
            await keys(pilot, "0")
            assert "! not marked: " in shown(pilot) and "has no letter or digit" in shown(pilot)
            assert "✓" not in shown(pilot)
        assert span_rows(store, doc.id, "alice") == []

    run(scenario())


def test_messages_say_what_happened(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, MOROCCO) as (pilot, doc, start):
            await keys(pilot, "x")
            assert "! no span under the cursor to remove" in shown(pilot)
            await keys(pilot, "u")
            assert "! nothing to undo" in shown(pilot)
            await keys(pilot, "slash", *"xyzabc", "enter")
            assert "✗ no match for xyzabc" in shown(pilot)
            await keys(pilot, "escape", "escape", "5", "x")
            assert f"✓ removed GPE {quoted(MOROCCO)}" in shown(pilot)
            await keys(pilot, "u")
            assert f"✓ undone: restored GPE {quoted(MOROCCO)}" in shown(pilot)
            assert span_rows(store, doc.id, "alice") == [
                (start, start + len(MOROCCO), "GPE", MOROCCO)]
            await keys(pilot, "d", "d")
            assert "! already done" in shown(pilot)

    run(scenario())


def test_undo_brings_the_changed_span_into_view(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        doc = store.document_by_external_id(SEED_000)
        assert doc is not None
        last = doc.text.rindex("المغرب")
        async with opened_at(make_app(), store, SEED_000, last, size=(80, 20)) as (
                pilot, _doc, _start):
            await keys(pilot, "5", "home")
            screen = annotate_screen(pilot)
            assert screen.article.scroll_offset.y == 0
            await keys(pilot, "u")
            cur = screen.article.caret.cursor_range
            assert cur is not None and cur[0] == last
            assert screen.article.scroll_offset.y > 0
        assert span_rows(store, doc.id, "alice") == []

    run(scenario())


def test_a_finished_document_asks_before_an_edit(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        doc = store.document_by_external_id(SEED_000)
        assert doc is not None and doc.id is not None
        store.set_status(doc.id, "alice", "done")
        async with opened_at(make_app(), store, SEED_000, MOROCCO) as (pilot, _doc, start):
            await keys(pilot, "5")
            assert span_rows(store, doc.id, "alice") == []
            assert "is marked done: press the key again" in shown(pilot)
            await keys(pilot, "5")
            assert span_rows(store, doc.id, "alice") == [
                (start, start + len(MOROCCO), "GPE", MOROCCO)]
            # asked once: the next edit goes through at once
            await keys(pilot, "x")
            assert span_rows(store, doc.id, "alice") == []
        assert store.status(doc.id, "alice") == "done"

    run(scenario())


def test_document_position_and_the_ends_of_the_list(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        second = store.document_by_external_id(SEED_001)
        assert second is not None and second.id is not None
        async with opened_at(make_app(), store, SEED_000, None) as (pilot, doc, _):
            assert "document 1/2" in shown(pilot)
            await keys(pilot, "p")
            assert "! first document" in shown(pilot)
            await keys(pilot, "n")
            assert annotate_screen(pilot).doc_id == second.id
            assert "document 2/2" in shown(pilot)
            await keys(pilot, "n")
            assert "! last document" in shown(pilot)
            # N / P skip the documents marked done
            store.set_status(doc.id, "alice", "done")
            await keys(pilot, "P")
            assert annotate_screen(pilot).doc_id == second.id
            assert "! no unfinished document before this one" in shown(pilot)
            await keys(pilot, "p")
            assert annotate_screen(pilot).doc_id == doc.id

    run(scenario())


def test_readout_shows_the_selection_and_the_span_under_the_cursor(make_app, seeded) -> None:
    async def scenario() -> None:
        store, _ = seeded
        async with opened_at(make_app(), store, SEED_000, PERSON) as (pilot, doc, start):
            end = start + len(PERSON)
            await keys(pilot, "shift+left", "shift+left")
            readout = status_of(pilot).readout
            assert readout == (f"selected «{one_line(PERSON, 20, 'app')}» "
                               f"{len(PERSON)} ch {start}–{end}")
            await keys(pilot, "1")
            assert status_of(pilot).readout == f"PERS {one_line(PERSON, 20, 'app')} {start}–{end}"
            await walk_to(pilot, doc.text.index(MOROCCO))
            assert status_of(pilot).readout == ""

    run(scenario())


def test_adjudicate_edit_gives_the_extent_the_new_label(tmp_path) -> None:
    from adjudication_example import add_disputed_document
    from tui_helpers import adjudicate_running

    from annotator.commands.common import open_store
    from annotator.store.gold import auto_merge
    from annotator.store.models import GOLD

    store, schema = open_store(str(tmp_path / "adj.db"))
    doc_id = add_disputed_document(store, "d1", "t")
    store.set_role("carol", "adjudicator")
    auto_merge(store)

    async def scenario() -> None:
        async with adjudicate_running(store, schema) as pilot:
            s = pilot.app.screen
            await keys(pilot, "m", "1", "2", "enter")  # the document's event labels
            assert s.item.kind == "label"  # عبد الوافي لفتيت: PERS (alice) vs ORG (bob)
            await keys(pilot, "e", "5")  # edit: the extent as it is, labelled GPE
            gold = {(g.start, g.end, g.label) for g in store.spans(doc_id, GOLD)}
            assert (18, 34, "GPE") in gold
            assert not {(18, 34, "PERS"), (18, 34, "ORG")} & gold
            notice = str(s.query_one("#adj-notice").render())
            assert notice.startswith("✓ edited: +1 spans"), notice

    try:
        run(scenario())
    finally:
        store.close()
