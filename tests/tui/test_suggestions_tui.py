"""Suggestions in the annotate screen (issue 12): drawn apart from spans, read out, stepped
through, accepted and rejected with keys (one, a sentence's, the document's); "annotate all
occurrences" here and in every unfinished document; never shown to another annotator; the
model retrained in a worker after a document is marked done while keys keep working.

Each test runs on SQLite and, with $ANNOTATOR_TEST_PG, on PostgreSQL (the `databases`
fixture of tests/conftest.py)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from tui_helpers import annotate_screen, run, seed_store

from annotator.labelschema import LabelSchema
from annotator.store.models import Span
from annotator.store.service import Store
from annotator.suggest import service
from annotator.suggest.proposal import Proposal
from annotator.tui.app import AnnotatorApp
from annotator.tui.bindings import spec
from annotator.tui.context import Session
from annotator.tui.palette import ANNOTATE_COMMANDS
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.suggestion_index import SuggestionIndex, SuggestionRec
from annotator.tui.widgets.article import SUGGESTION_MARK, ArticleView
from annotator.tui.widgets.status_line import StatusLine
from annotator.tui.widgets.suggestion_readout import SuggestionReadout

SEED_002 = "002_8f02804348af47c4"  # المغرب ten times (وللمغرب, للمغرب among them)
SEED_003 = "003_a2f0a9acf6273409"
SEED_004 = "004_fe84caa290bfbdc7"
MOROCCO = "المغرب"
SIZE = (100, 30)


@pytest.fixture
def seeded3(databases) -> Iterator[tuple[Store, LabelSchema]]:  # noqa: ANN001
    store, schema = seed_store(databases.new("s3"), [SEED_002, SEED_003, SEED_004])
    yield store, schema
    store.close()


def doc_id(store: Store, external_id: str) -> int:
    doc = store.document_by_external_id(external_id)
    assert doc is not None and doc.id is not None
    return doc.id


def app_on(store: Store, schema: LabelSchema, user: str, external_id: str) -> AnnotatorApp:
    return AnnotatorApp(Session(store, schema, user, "app"),
                        start_doc=doc_id(store, external_id))


def states(store: Store, doc: int, user: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in store.suggestions(doc, user, state=None):
        out[g.state] = out.get(g.state, 0) + 1
    return out


def suggested_spans(store: Store, doc: int, user: str) -> list[Span]:
    return [s for s in store.spans(doc, user) if (s.provenance or {}).get("suggested_by")]


def shown(screen: AnnotateScreen) -> list[tuple[int, int, str]]:
    return [(r.start, r.end, r.label) for r in screen.article.suggestions]


async def to_first(pilot: Pilot, word: str) -> int:
    """Cursor on the word's first occurrence (the `/` search), no selection."""
    screen = annotate_screen(pilot)
    await pilot.press("slash", *word, "enter")
    await pilot.pause()
    sel = screen.article.caret.selection
    assert sel is not None and screen.text[sel[0]:sel[1]] == word
    await pilot.press("escape", "escape")
    await pilot.pause()
    return sel[0]


def drawn(view: ArticleView, line_no: int) -> str:
    """The characters the article draws on its visual line `line_no` (in view)."""
    return "".join(seg.text for seg in view.render_line(line_no - view.scroll_offset.y))


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# ------------------------------------------------------------------ the loop
def test_annotate_all_accept_two_reject_one(seeded3: tuple[Store, LabelSchema]) -> None:
    """Label المغرب, press `o`: every other occurrence is a pending suggestion (proclitics
    left out: وللمغرب's span is مغرب, as the article was inside); accept two, reject one;
    the rows say so; `o` again brings nothing back, least of all the rejected one."""
    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    gpe = schema.entity("GPE")
    assert gpe is not None

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            first = await to_first(pilot, MOROCCO)
            await pilot.press(gpe.hotkey, "o")
            await pilot.pause()
            text = screen.text
            pending = store.suggestions(doc, "alice")
            assert len(pending) >= 3
            assert all(text[g.start:g.end] in (MOROCCO, "مغرب") for g in pending)
            assert all(g.source == "occurrences" and g.label == "GPE" for g in pending)
            assert first not in {g.start for g in pending}  # not the span itself
            assert shown(screen) == [(g.start, g.end, g.label) for g in pending]
            status = screen.query_one(StatusLine)
            assert status.suggested == len(pending)
            assert f"proposed {len(pending)} GPE" in status.notice
            # s selects the next suggestion, a accepts it; twice; then one rejected
            decided = []
            for key in ("a", "a", "r"):
                await pilot.press("s")
                sel = screen.article.caret.selection
                assert sel is not None and (sel[0], sel[1], "GPE") in shown(screen)
                decided.append(sel)
                await pilot.press(key)
                await pilot.pause()
            assert len(set(decided)) == 3
            assert status.suggested == len(pending) - 3
            # o again on the span itself (the cursor's token holds it): nothing new
            screen.article.go_to(first)
            await pilot.press("o")
            await pilot.pause()
            assert "no new occurrence" in status.notice
            assert len(shown(screen)) == len(pending) - 3

    run(scenario())
    accepted = sorted((s.start, s.end) for s in suggested_spans(store, doc, "alice"))
    rows = {(g.start, g.end): g for g in store.suggestions(doc, "alice", state=None)}
    assert len(accepted) == 2
    for rng in accepted:
        assert rows[rng].state == "accepted"
    span_prov = {(s.start, s.end): s.provenance for s in store.spans(doc, "alice")}
    assert all(span_prov[r] == {"suggested_by": "occurrences", "score": 1.0} for r in accepted)
    rejected = [g for g in rows.values() if g.state == "rejected"]
    assert len(rejected) == 1
    assert (rejected[0].start, rejected[0].end) not in span_prov
    counts = states(store, doc, "alice")
    assert counts["accepted"] == 2 and counts["rejected"] == 1
    # three spans in all: the labelled one and the two accepted
    assert len(store.spans(doc, "alice")) == 3


def test_suggestions_drawn_apart_and_read_out(seeded3: tuple[Store, LabelSchema]) -> None:
    """A pending suggestion is not filled like a span: dim, underlined, in its label's
    colour, with ┆ in the space on either side; the readout names label, source and
    score; the status line counts the pending ones."""
    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    text = store.document(doc).text
    at = text.index(MOROCCO)
    store.add_suggestions("alice", doc, [Proposal(at, at + len(MOROCCO), "GPE", "model", 0.42)])

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            view = screen.article
            assert shown(screen) == [(at, at + len(MOROCCO), "GPE")]
            line_no = view._line_of(at)
            styles = view._span_styles(line_no)
            line = view.layout_map.lines[line_no]
            cols = [c for c, o in enumerate(line.col_to_logical) if at <= o < at + len(MOROCCO)]
            assert cols and all(styles[c] is not None and styles[c].underline
                                and styles[c].dim and styles[c].bgcolor is None
                                for c in cols)
            strip_text = drawn(view, line_no)
            assert strip_text.count(SUGGESTION_MARK) == 2
            assert screen.query_one(StatusLine).suggested == 1
            readout = screen.query_one(SuggestionReadout)
            assert readout.display
            await pilot.press("s")
            await pilot.pause()
            assert view.caret.selection == (at, at + len(MOROCCO))
            said = str(readout.render())
            assert "GPE" in said and "model" in said and "score 0.42" in said and "1/1" in said
            await pilot.press("r")
            await pilot.pause()
            assert not readout.display and screen.query_one(StatusLine).suggested == 0
            strip_text = drawn(view, line_no)
            assert SUGGESTION_MARK not in strip_text

    run(scenario())
    assert states(store, doc, "alice") == {"rejected": 1}


def test_suggestions_of_alice_are_not_shown_to_bob(seeded3: tuple[Store, LabelSchema]) -> None:
    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    text = store.document(doc).text
    at = text.index(MOROCCO)
    store.add_suggestions("alice", doc, [Proposal(at, at + len(MOROCCO), "GPE", "occurrences")])

    async def scenario() -> None:
        async with app_on(store, schema, "bob", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            assert shown(screen) == []
            assert screen.query_one(StatusLine).suggested == 0
            assert not screen.query_one(SuggestionReadout).display
            await pilot.press("s")
            assert "no pending suggestion" in screen.query_one(StatusLine).notice
            screen.article.go_to(at)
            await pilot.press("a")
            assert "no suggestion under the cursor" in screen.query_one(StatusLine).notice

    run(scenario())
    assert store.spans(doc, "bob") == [] and store.suggestions(doc, "bob") == []
    assert states(store, doc, "alice") == {"pending": 1}


def test_accept_a_sentence_then_the_document_and_undo(
        seeded3: tuple[Store, LabelSchema]) -> None:
    """A accepts the sentence's pending suggestions only, ctrl+a the rest of the
    document; u undoes the last as one step (the suggestions pending and drawn again)."""
    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    text = store.document(doc).text
    sentences = store.sentences(doc)
    hits = [i for i in range(len(text)) if text.startswith(MOROCCO, i)
            and (i == 0 or not text[i - 1].isalpha())]
    store.add_suggestions("alice", doc, [Proposal(i, i + len(MOROCCO), "GPE", "gazetteer")
                                         for i in hits])
    first_sentence = next(s for s in sentences if s.start <= hits[0] < s.end)
    in_first = [i for i in hits if first_sentence.start <= i < first_sentence.end]

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            status = screen.query_one(StatusLine)
            await pilot.press("s", "A")
            await pilot.pause()
            assert len(suggested_spans(store, doc, "alice")) == len(in_first)
            assert f"accepted {len(in_first)} suggestion" in status.notice
            assert len(shown(screen)) == len(hits) - len(in_first)
            await pilot.press("ctrl+a")
            await pilot.pause()
            assert len(suggested_spans(store, doc, "alice")) == len(hits)
            assert shown(screen) == [] and status.suggested == 0
            assert len(screen.article.index) == len(hits)
            await pilot.press("u")
            await pilot.pause()
            assert len(shown(screen)) == len(hits) - len(in_first)
            assert status.suggested == len(hits) - len(in_first)
            assert len(screen.article.index) == len(in_first)
            # R rejects the pending ones of the sentence `s` goes to, and only those
            await pilot.press("s")
            sel = screen.article.caret.selection
            assert sel is not None
            rng = screen.sentence_range()
            assert rng is not None
            in_that = [r for r in shown(screen) if rng[0] <= r[0] and r[1] <= rng[1]]
            assert in_that
            await pilot.press("R")
            await pilot.pause()
            assert len(shown(screen)) == len(hits) - len(in_first) - len(in_that)
            assert len(screen.article.index) == len(in_first)

    run(scenario())
    counts = states(store, doc, "alice")
    assert counts["accepted"] == len(in_first) and counts["rejected"] >= 1
    assert counts["accepted"] + counts["rejected"] + counts.get("pending", 0) == len(hits)
    assert len(suggested_spans(store, doc, "alice")) == len(in_first)


def test_a_label_key_on_a_suggestion_accepts_it(seeded3: tuple[Store, LabelSchema]) -> None:
    """s then the suggestion's own label key is an accept (provenance kept); another label
    key adds that span and leaves the suggestion pending."""
    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    text = store.document(doc).text
    first = text.index(MOROCCO)
    second = text.index(MOROCCO, first + 1)
    store.add_suggestions("alice", doc, [Proposal(a, a + len(MOROCCO), "GPE", "model", 0.9)
                                         for a in (first, second)])
    gpe, loc = schema.entity("GPE"), schema.entity("LOC")
    assert gpe is not None and loc is not None

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            await pilot.press("s", gpe.hotkey)
            await pilot.pause()
            assert "accepted GPE" in annotate_screen(pilot).query_one(StatusLine).notice
            await pilot.press("s", loc.hotkey)
            await pilot.pause()

    run(scenario())
    spans = {(s.start, s.label): s.provenance for s in store.spans(doc, "alice")}
    assert spans == {(first, "GPE"): {"suggested_by": "model", "score": 0.9},
                     (second, "LOC"): None}
    assert states(store, doc, "alice") == {"accepted": 1, "pending": 1}


def test_all_occurrences_needs_a_span(seeded3: tuple[Store, LabelSchema]) -> None:
    """o with no span under the cursor (and none labelled on this screen) says so."""
    store, schema = seeded3
    doc = doc_id(store, SEED_002)

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            await pilot.press("o")
            assert "no span to look for" in annotate_screen(pilot).query_one(
                StatusLine).notice

    run(scenario())
    assert store.suggestions(doc, "alice", state=None) == []


def test_a_failed_accept_is_a_failure_line_not_a_crash(
        seeded3: tuple[Store, LabelSchema], monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    text = store.document(doc).text
    at = text.index(MOROCCO)
    store.add_suggestions("alice", doc, [Proposal(at, at + len(MOROCCO), "GPE", "occurrences")])

    def locked(*_a: object, **_k: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(Store, "accept_suggestion", locked)

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            await pilot.press("s", "a")
            await pilot.pause()
            failure = screen.query_one(StatusLine).failure
            assert failure.startswith("✗ accept GPE suggestion") and "not saved" in failure
            assert shown(screen) == [(at, at + len(MOROCCO), "GPE")]
            assert pilot.app.is_running

    run(scenario())
    assert states(store, doc, "alice") == {"pending": 1}


# ------------------------------------------------------------------- workers
def test_all_occurrences_in_every_unfinished_document(
        seeded3: tuple[Store, LabelSchema]) -> None:
    """O proposes the span in the user's other unfinished documents too (a worker), not
    in a document marked done; the count is said when the worker reports."""
    store, schema = seeded3
    here, other, done = (doc_id(store, d) for d in (SEED_002, SEED_003, SEED_004))
    store.set_status(done, "alice", "done")
    gpe = schema.entity("GPE")
    assert gpe is not None

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            await to_first(pilot, MOROCCO)
            await pilot.press(gpe.hotkey, "O")
            await settle(pilot)
            total = sum(len(store.suggestions(d, "alice")) for d in (here, other))
            assert total > 0
            notice = screen.query_one(StatusLine).notice
            assert f"proposed {total} GPE" in notice and "unfinished" in notice
            assert len(shown(screen)) == len(store.suggestions(here, "alice"))

    run(scenario())
    assert store.suggestions(other, "alice")
    assert store.suggestions(done, "alice") == []


def test_keys_are_handled_while_the_model_trains(
        seeded3: tuple[Store, LabelSchema], monkeypatch: pytest.MonkeyPatch) -> None:
    """d marks the document done and starts retraining in a worker; while training is held
    up, a key still acts at once (the cursor moves, a span is saved); the worker's report
    arrives afterwards."""
    store, schema = seeded3
    doc = doc_id(store, SEED_002)
    started, release = threading.Event(), threading.Event()
    calls: list[tuple[int, str]] = []

    def slow_retrain(s: Store, user: str) -> bool:
        calls.append((id(s), user))
        started.set()
        assert release.wait(30), "the test never released the training"
        return True

    monkeypatch.setattr(service, "retrain", slow_retrain)
    pers = schema.entity("PERS")
    assert pers is not None

    async def scenario() -> None:
        async with app_on(store, schema, "alice", SEED_002).run_test(size=SIZE) as pilot:
            screen = annotate_screen(pilot)
            await pilot.press("d")
            for _ in range(200):  # the worker thread has started training
                if started.is_set():
                    break
                await pilot.pause(0.01)
            assert started.is_set() and not release.is_set()
            before = screen.article.caret.cursor_range
            await pilot.press("left")
            assert screen.article.caret.cursor_range != before  # moved while training
            await pilot.press("d")  # asks before editing a done document
            await pilot.press(pers.hotkey, pers.hotkey)
            assert len(store.spans(doc, "alice")) == 1  # saved while training
            assert not release.is_set()
            release.set()
            await settle(pilot)
            assert "model retrained" in screen.query_one(StatusLine).notice

    try:
        run(scenario())
    finally:
        release.set()
    assert calls == [(id(store), "alice")]


def test_opening_a_document_runs_the_gazetteer_in_a_worker(
        seeded3: tuple[Store, LabelSchema]) -> None:
    """With a gazetteer entry, opening an unfinished document proposes its names there (a
    worker; the screen shows them when it reports); a done document is left alone."""
    store, schema = seeded3
    here, done = doc_id(store, SEED_002), doc_id(store, SEED_004)
    store.set_status(done, "alice", "done")
    store.add_gazetteer([(MOROCCO, "GPE")], source="test")

    async def scenario(external_id: str) -> list[tuple[int, int, str]]:
        app = app_on(store, schema, "alice", external_id)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return shown(annotate_screen(pilot))

    drawn_here = asyncio.run(scenario(SEED_002))
    rows = store.suggestions(here, "alice")
    assert rows and all(g.source == "gazetteer" for g in rows)
    assert drawn_here == [(g.start, g.end, g.label) for g in rows]
    assert asyncio.run(scenario(SEED_004)) == []
    assert store.suggestions(done, "alice") == []
    assert store.suggestions(here, "bob") == []


def test_snapshot_of_suggestions(snap_compare, tmp_path) -> None:  # noqa: ANN001
    """The look: a GPE span on المغرب, its other occurrences proposed (dim, underlined,
    between ┆ marks), `s` on the first of them (the readout line names it)."""
    store, schema = seed_store(tmp_path / "snap.db", [SEED_002])
    doc = doc_id(store, SEED_002)
    at = store.document(doc).text.index(MOROCCO)
    store.add_span(doc, "alice", at, at + len(MOROCCO), "GPE")
    assert service.suggest_occurrences(store, "alice", doc, at, at + len(MOROCCO), "GPE")
    app = AnnotatorApp(Session(store, schema, "alice", "app"), start_doc=doc)
    assert snap_compare(app, press=["s"], terminal_size=SIZE)


# ------------------------------------------------------------------ key table
def test_suggestion_keys_are_data_in_help_and_palette() -> None:
    ids = {"suggest.next", "suggest.previous", "suggest.accept", "suggest.reject",
           "suggest.accept_sentence", "suggest.reject_sentence", "suggest.accept_document",
           "suggest.occurrences", "suggest.occurrences_everywhere"}
    from annotator.tui.bindings import ANNOTATE, bindings_for, help_rows

    built = {b.id for b in bindings_for(ANNOTATE)}
    assert ids <= built
    assert ids <= {r[3] for r in help_rows()}
    assert ids <= {key_id for _title, key_id in ANNOTATE_COMMANDS}
    assert spec("suggest.accept_document").keys_text == "ctrl+a"


def test_suggestion_index_steps_and_picks() -> None:
    recs = [SuggestionRec.of(1, 10, 16, "GPE", "occurrences"),
            SuggestionRec.of(2, 10, 16, "LOC", "model", 0.3),
            SuggestionRec.of(3, 40, 44, "GPE", "gazetteer")]
    index = SuggestionIndex(recs)
    assert index.step(1, offset=0).id == 1
    assert index.step(1, current=index.get(1)).id == 2  # same range, other label
    assert index.step(1, current=index.get(3)).id == 1  # wraps
    assert index.step(-1, offset=10).id == 3  # wraps back
    assert index.step(-1, current=index.get(3)).id == 2
    assert [r.id for r in index.within(0, 20)] == [1, 2]
    assert index.counts() == {"occurrences": 1, "model": 1, "gazetteer": 1}
    assert [r.id for r in index.remove([2])] == [2] and len(index) == 2
