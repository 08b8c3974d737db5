"""Event mentions in the annotate screen (issue 13, point 4), keyboard only: a trigger
inside `وزيارة` typed VISIT, a PERS linked as Agent and a GPE as Place with the role keys
and Tab (nearest first), an attribute set, undo and redo; the rows checked after each step.
Removing a span that is an argument asks first. Triggers are drawn bold, italic and
overlined. Each test runs on SQLite and, with $ANNOTATOR_TEST_PG, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from tui_helpers import annotate_screen, run, seed_store

from annotator.labelschema import LabelSchema
from annotator.store.models import EventArgument, EventMention
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.bindings import KEYS, help_rows, single_character_keys
from annotator.tui.context import Session
from annotator.tui.palette import ANNOTATE_COMMANDS
from annotator.tui.screens.mention_picker import (
    AttributesPicker,
    ConfirmRemoval,
    CorefPicker,
    EventTypePicker,
)
from annotator.tui.trigger_marks import TRIGGER
from annotator.tui.widgets.mention_panel import MentionPanel
from annotator.tui.widgets.status_line import StatusLine

SEED_002 = "002_8f02804348af47c4"  # … دولة قطر، وزيارة وزير الداخلية الفرنسي إلى المغرب …
SIZE = (110, 32)
WORD = "وزيارة"
PERS = "وزير الداخلية الفرنسي"
QATAR = "قطر"
MOROCCO = "المغرب"


@pytest.fixture
def seeded(databases) -> Iterator[tuple[Store, LabelSchema]]:  # noqa: ANN001
    store, schema = seed_store(databases.new("e4"), [SEED_002])
    yield store, schema
    store.close()


def setup_spans(store: Store, schema: LabelSchema) -> tuple[int, dict[str, int]]:
    """The document and alice's spans around the trigger: PERS, and GPEs on both sides."""
    doc = store.document_by_external_id(SEED_002)
    assert doc is not None and doc.id is not None
    text = doc.text
    w = text.index(WORD)
    ids: dict[str, int] = {}
    for name, word, label in (("pers", PERS, "PERS"), ("qatar", QATAR, "GPE"),
                              ("morocco", MOROCCO, "GPE")):
        start = text.index(word, w - 20)
        span = store.add_span(doc.id, "alice", start, start + len(word), label)
        assert span is not None and span.id is not None
        ids[name] = span.id
    # all in the trigger's sentence
    sentence = next(s for s in store.sentences(doc.id) if s.start <= w < s.end)
    assert all(sentence.start <= s.start and s.end <= sentence.end
               for s in store.spans(doc.id, "alice"))
    return doc.id, ids


def rows(store: Store, doc: int) -> tuple[list[tuple], list[tuple]]:
    """(mentions: start, end, type, attributes), (arguments: role, start, end, label)."""
    with store.session() as s:
        ms = s.exec(select(EventMention).where(EventMention.document_id == doc)).all()
        ids = [m.id for m in ms]
        args = s.exec(select(EventArgument).where(
            EventArgument.mention_id.in_(ids))).all() if ids else []  # type: ignore[union-attr]
        return ([(m.start, m.end, m.type, dict(m.attributes or {})) for m in ms],
                sorted((a.role, a.start, a.end, a.label) for a in args))


async def select_sub_token(pilot: Pilot) -> tuple[int, int]:
    """Select وزيارة with the `/` search, then `]` drops the proclitic و: زيارة."""
    screen = annotate_screen(pilot)
    await pilot.press("slash", *WORD, "enter")
    await pilot.pause()
    await pilot.press("escape")  # close the search bar, the hit stays selected
    await pilot.pause()
    sel = screen.article.caret.selection
    assert sel is not None and screen.text[sel[0]:sel[1]] == WORD
    await pilot.press("right_square_bracket")
    sel = screen.article.caret.selection
    assert sel is not None and screen.text[sel[0]:sel[1]] == "زيارة"
    return sel


def app_for(store: Store, schema: LabelSchema, doc: int) -> AnnotatorApp:
    return AnnotatorApp(Session(store, schema, "alice", "app"), start_doc=doc)


def test_trigger_visit_agent_place_attribute_undo_redo(
        seeded: tuple[Store, LabelSchema]) -> None:
    store, schema = seeded
    doc, ids = setup_spans(store, schema)
    visit = schema.event("VISIT")
    assert visit is not None
    agent, place = schema.role("VISIT", "Agent"), schema.role("VISIT", "Place")
    assert agent is not None and place is not None

    async def scenario() -> None:
        async with app_for(store, schema, doc).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            text = screen.text
            trig = await select_sub_token(pilot)
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(pilot.app.screen, EventTypePicker)
            await pilot.press(visit.hotkey)
            await pilot.pause()
            assert pilot.app.screen is screen
            defaults = schema.attribute_defaults("VISIT")
            assert rows(store, doc) == ([(*trig, "VISIT", defaults)], [])
            assert screen.arg_mode is not None  # argument mode starts on the new mention
            assert screen.article.triggers == [(*trig, "VISIT")]

            # Agent: Tab goes to the nearest fitting span, the PERS right after
            await pilot.press(agent.hotkey, "tab")
            sel = screen.article.caret.selection
            assert sel is not None and text[sel[0]:sel[1]] == PERS
            await pilot.press("enter")
            await pilot.pause()
            pers = text.index(PERS, trig[0])
            assert rows(store, doc)[1] == [("Agent", pers, pers + len(PERS), "PERS")]

            # Place: قطر (two characters before the trigger) first, then المغرب
            await pilot.press(place.hotkey, "tab")
            sel = screen.article.caret.selection
            assert sel is not None and text[sel[0]:sel[1]] == QATAR
            await pilot.press("tab")
            sel = screen.article.caret.selection
            assert sel is not None and text[sel[0]:sel[1]] == MOROCCO
            await pilot.press("shift+tab", "tab", "enter")
            await pilot.pause()
            mor = text.index(MOROCCO, trig[0])
            linked = [("Agent", pers, pers + len(PERS), "PERS"),
                      ("Place", mor, mor + len(MOROCCO), "GPE")]
            assert rows(store, doc)[1] == linked
            panel = screen.query_one(MentionPanel)
            assert panel.shown_ids == [m.id for m in screen.mentions or []]

            # polarity negative through the attributes picker
            await pilot.press("i")
            await pilot.pause()
            picker = pilot.app.screen
            assert isinstance(picker, AttributesPicker)
            key = next(k for k, v in picker.keys.items() if v == "polarity=negative")
            await pilot.press(key)
            await pilot.pause()
            negative = dict(defaults, polarity="negative")
            assert rows(store, doc) == ([(*trig, "VISIT", negative)], linked)

            # undo, undo (the attribute, then the Place link); redo, redo
            await pilot.press("u")
            await pilot.pause()
            assert rows(store, doc) == ([(*trig, "VISIT", defaults)], linked)
            assert "undone: polarity=positive on VISIT" in screen.query_one(StatusLine).notice
            await pilot.press("u")
            await pilot.pause()
            assert rows(store, doc) == ([(*trig, "VISIT", defaults)], linked[:1])
            await pilot.press("ctrl+r", "ctrl+r")
            await pilot.pause()
            assert rows(store, doc) == ([(*trig, "VISIT", negative)], linked)
            assert [len(m.arguments) for m in screen.mentions or []] == [2]

            # a key that is no role is refused, Esc leaves the mode
            await pilot.press("z")
            assert "not a role of VISIT" in screen.query_one(StatusLine).notice
            await pilot.press("escape")
            assert screen.arg_mode is None

    run(scenario())


def test_removing_an_argument_span_asks_first(seeded: tuple[Store, LabelSchema]) -> None:
    store, schema = seeded
    doc, ids = setup_spans(store, schema)
    text = store.document(doc).text
    w = text.index(WORD) + 1
    m = store.add_event_mention(doc, "alice", w, w + 5, "VISIT")
    assert m is not None and m.id is not None
    assert store.add_event_argument(m.id, "alice", "Agent", ids["pers"]) is not None

    async def scenario() -> None:
        async with app_for(store, schema, doc).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            pers = text.index(PERS, w)
            screen.article.go_to(pers)
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmRemoval)
            await pilot.press("n")  # kept
            await pilot.pause()
            assert len(store.spans(doc, "alice")) == 3
            assert rows(store, doc)[1] != []
            await pilot.press("x")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert len(store.spans(doc, "alice")) == 2
            assert rows(store, doc)[1] == []  # the link went with the span
            assert screen.mentions is not None and screen.mentions[0].arguments == ()
            await pilot.press("u")  # undo brings both back
            await pilot.pause()
            assert len(store.spans(doc, "alice")) == 3
            assert rows(store, doc)[1] == [("Agent", pers, pers + len(PERS), "PERS")]

    run(scenario())


def test_mention_keys_move_and_remove(seeded: tuple[Store, LabelSchema]) -> None:
    store, schema = seeded
    doc, _ids = setup_spans(store, schema)
    text = store.document(doc).text
    w = text.index(WORD) + 1
    first = text.index("زيارته")
    for start, end in ((first, first + 6), (w, w + 5)):
        assert store.add_event_mention(doc, "alice", start, end, "VISIT") is not None

    async def scenario() -> None:
        async with app_for(store, schema, doc).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            screen.article.go_to(0)
            await pilot.press("j")
            assert screen.article.caret.selection == (first, first + 6)
            await pilot.press("j")
            assert screen.article.caret.selection == (w, w + 5)
            # c: the second visit is the same event as the first? (1 picks the first)
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(pilot.app.screen, CorefPicker)
            await pilot.press("1")
            await pilot.pause()
            views = store.event_mentions(doc, "alice")
            assert [v.coref_of for v in views] == [None, views[0].id]
            await pilot.press("k")
            assert screen.article.caret.selection == (first, first + 6)
            # drawn as a trigger: bold, italic, overlined
            line = screen.article._line_of(first)
            styles = screen.article._span_styles(line)
            cols = [c for c, o in enumerate(screen.article.layout_map.lines[line]
                                            .col_to_logical) if first <= o < first + 6]
            assert cols and all(styles[c] is not None and styles[c].overline
                                and styles[c].italic for c in cols)
            await pilot.press("X")
            await pilot.pause()
            assert [r[:2] for r in rows(store, doc)[0]] == [(w, w + 5)]
            assert screen.article.triggers == [(w, w + 5, "VISIT")]
            # a write that fails is a ✗ line, and the TUI goes on
            real = store.remove_event_mention

            def broken(*_a: object, **_k: object) -> bool:
                from sqlalchemy.exc import OperationalError
                raise OperationalError("DELETE", {}, Exception("disk I/O error"))

            store.remove_event_mention = broken  # type: ignore[method-assign]
            try:
                await pilot.press("j", "X")
                await pilot.pause()
            finally:
                store.remove_event_mention = real  # type: ignore[method-assign]
            assert "✗" in screen.query_one(StatusLine).failure
            assert len(rows(store, doc)[0]) == 1
            await pilot.press("j")  # still answering keys
            assert screen.article.caret.selection == (w, w + 5)

    run(scenario())
    assert TRIGGER.overline and TRIGGER.italic


def test_T_changes_the_type_and_unlinks_what_the_new_type_does_not_take(
        seeded: tuple[Store, LabelSchema]) -> None:
    """VISIT with Agent=PERS and Place=GPE; T then m (MEET: Entity, Place, Time) keeps the
    Place, unlinks the Agent; one undo puts VISIT and both arguments back."""
    store, schema = seeded
    doc, ids = setup_spans(store, schema)
    text = store.document(doc).text
    w = text.index(WORD) + 1
    m = store.add_event_mention(doc, "alice", w, w + 5, "VISIT")
    assert m is not None and m.id is not None
    store.add_event_argument(m.id, "alice", "Agent", ids["pers"])
    store.add_event_argument(m.id, "alice", "Place", ids["morocco"])
    before = rows(store, doc)

    async def scenario() -> None:
        async with app_for(store, schema, doc).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            screen.article.go_to(0)
            await pilot.press("j", "T")
            await pilot.pause()
            await pilot.press("m")
            await pilot.pause()
            mentions, args = rows(store, doc)
            assert [x[2] for x in mentions] == ["MEET"]
            assert [a[0] for a in args] == ["Place"]
            await pilot.press("u")
            await pilot.pause()
            assert rows(store, doc) == before

    run(scenario())


def test_mention_keys_are_in_the_table_help_and_palette() -> None:
    ids = {k.id for k in KEYS}
    mention_ids = {"mention.trigger", "mention.arguments", "mention.attributes",
                   "mention.next", "mention.previous", "mention.remove",
                   "arguments.next", "arguments.previous", "arguments.link",
                   "arguments.unlink", "arguments.leave", "mention.coref", "mention.type"}
    assert mention_ids <= ids
    assert {"t", "l", "i", "j", "k", "X", "c", "T"} <= single_character_keys()
    palette = {key_id for _title, key_id in ANNOTATE_COMMANDS}
    assert {"mention.trigger", "mention.arguments", "mention.attributes"} <= palette
    from annotator.labelschema import load_schema

    roles = [r for r in help_rows(load_schema()) if r[0] == "argument mode"]
    assert any(r[1] == "a" and "Agent" in r[2] and "VISIT" in r[2] for r in roles)
