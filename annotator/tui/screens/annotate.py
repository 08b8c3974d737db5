"""The annotate screen: the article, the span list, the event panel, the status line.

Every change goes straight through the store as one committed transaction (there is no
save key); the widgets are then updated from what the store returned, touching only the
lines that changed. Every store call goes through `guarded` (retried, and a failure is a ✗
line in the status line): after a failed change the screen shows again what the database
holds, and the selection stays, so the same key tries again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import BindingsMap
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Static

from annotator.store.models import (
    SCOPE_DOCUMENT,
    SCOPE_SENTENCE,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    Action,
)
from annotator.text.span_edges import clean_edges
from annotator.tui.bindings import ANNOTATE, bindings_for, entity_bindings
from annotator.tui.caret import Range
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.mentions_view import MentionsMixin
from annotator.tui.notices import changed_span, history_notice
from annotator.tui.screens.event_picker import EventPicker
from annotator.tui.screens.guarded import GuardedScreen
from annotator.tui.screens.span_picker import SpanPicker
from annotator.tui.span_index import SpanRec
from annotator.tui.store_calls import Failed, call_store
from annotator.tui.suggestion_index import SuggestionRec
from annotator.tui.suggestions_view import SuggestionsMixin
from annotator.tui.textops import search_hits, tokens_of
from annotator.tui.widgets.article import ArticleView
from annotator.tui.widgets.event_panel import EventPanel
from annotator.tui.widgets.legend import Legend
from annotator.tui.widgets.mention_panel import MentionPanel
from annotator.tui.widgets.search_bar import SearchBar, SearchRow
from annotator.tui.widgets.span_list import SpanList
from annotator.tui.widgets.status_line import FAILED, INFO, REFUSED, StatusLine
from annotator.tui.widgets.suggestion_readout import SuggestionReadout

EventSets = tuple[list[str], dict[Range, list[str]]]  # the document's, each sentence's
QUOTE_CELLS = 24  # the most cells a quoted span takes in a status-line message


@dataclass(frozen=True)
class Held:
    """What the database holds of this user's work on the document."""

    status: str
    spans: list[SpanRec]
    events: EventSets
    suggestions: list[SuggestionRec]  # pending (suggestions_view)


class AnnotateScreen(MentionsMixin, SuggestionsMixin, GuardedScreen):
    """Opening it reads the document: the constructor lets a store error through (the app
    opens it through `guarded`, so a failed read is a ✗ line, not a screen)."""

    BINDINGS = bindings_for(ANNOTATE)

    @dataclass
    class SwitchDocument(Message):
        """Ask the app to open the document `step` places away in the list (n / p), or
        the next unfinished one that way (N / P)."""

        doc_id: int
        step: int
        unfinished: bool = False

    class Back(Message):
        """Ask the app to show the documents list."""

    def __init__(self, session: Session, doc_id: int) -> None:
        super().__init__()
        self.session = session
        self.doc_id = doc_id
        store = session.store
        doc = store.document(doc_id)
        self.external_id = doc.external_id
        self.text = doc.text
        self.sentences: list[Range] = [(s.start, s.end) for s in store.sentences(doc_id)]
        self._sentence_starts = [s for s, _ in self.sentences]
        self.tokens = tokens_of(self.text)
        held = self._read_held()
        self.status = held.status
        self.initial_spans = held.spans
        self.initial_suggestions = held.suggestions
        self.doc_events, self.sentence_events = held.events
        self.search_query = ""
        self.adding = False  # `+` pressed: the next label key adds, never relabels
        # a document marked done is edited only once the annotator said so (asked once)
        self.edit_confirmed = False
        self._asked: str | None = None  # the edit that asked, waiting for its second press
        extra = BindingsMap(entity_bindings(session.schema))
        for key, bindings in extra.key_to_bindings.items():
            self._bindings.key_to_bindings.setdefault(key, []).extend(bindings)

    # ------------------------------------------------------------------ loading
    def _load_spans(self) -> list[SpanRec]:
        return [SpanRec.of(s.id or 0, s.start, s.end, s.label)
                for s in self.session.store.spans(self.doc_id, self.session.user)]

    def _load_events(self) -> EventSets:
        doc_events: list[str] = []
        sentence_events: dict[Range, list[str]] = {}
        for ev in self.session.store.events(self.doc_id, self.session.user):
            if ev.scope == SCOPE_DOCUMENT:
                doc_events.append(ev.label)
            elif ev.start is not None and ev.end is not None:
                sentence_events.setdefault((ev.start, ev.end), []).append(ev.label)
        return doc_events, sentence_events

    def _read_held(self) -> Held:
        status = self.session.store.status(self.doc_id, self.session.user)
        spans = self._load_spans()
        return Held(status, spans, self._load_events(), self.load_suggestions(spans))

    def _show_held(self, held: Held) -> None:
        self.status = held.status
        self.doc_events, self.sentence_events = held.events
        self.article.set_spans(held.spans)
        self.article.set_suggestions(held.suggestions)
        self._spans_changed(reread_mentions=True)  # the document read again: mentions too
        self.suggestions_changed()
        self._caret_panels()
        self.query_one(StatusLine).status = self.status

    def resync(self) -> None:
        """After a failed change: show what the database holds (a change whose commit was
        lost on the way may be there after all); a failed read keeps the screen."""
        held = call_store("reload the document", self._read_held, saving=False)
        if not isinstance(held, Failed):
            self._show_held(held)

    def show_failure(self, line: str) -> None:
        self.query_one(StatusLine).fail(line)

    def compose(self) -> ComposeResult:
        s = self.session
        with Horizontal(id="body"):
            yield ArticleView(self.text, self.tokens, self.initial_spans, s.colors,
                              bidi=s.bidi, id="article", suggestions=self.initial_suggestions)
            with Vertical(id="side"):
                yield Legend(s.schema.entities, bidi=s.bidi, id="legend")
                yield Static("Spans", classes="panel-title")
                yield SpanList(self.text, s.colors, bidi=s.bidi, id="spans")
                yield Static("Events", classes="panel-title")
                yield EventPanel(s.colors, id="events")
                yield Static("Event mentions", classes="panel-title")
                yield MentionPanel(s.schema, s.colors, s.bidi, id="mentions")
        yield SearchRow("search (hamza, ta marbuta, tashkeel ignored)", s.bidi,
                        id="search-row")
        yield SuggestionReadout(id="suggestion-readout")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.user = self.session.user
        status.document = self.external_id
        status.status = self.status
        self._show_position()
        self.query_one(SpanList).show(self.article.index.spans)
        self.query_one(SearchRow).display = False
        self.article.focus()
        self._caret_panels()
        self.suggestions_changed()
        self.suggest_on_open()

    # ------------------------------------------------------------------ panels
    def _show_position(self) -> None:
        """`document i/N` in the status line (the documents list's order)."""
        where = self.guarded("find the document's place",
                             lambda: self.session.store.document_position(self.doc_id),
                             saving=False)
        if isinstance(where, Failed) or where is None:
            return
        self.query_one(StatusLine).position = f"{where[0]}/{where[1]}"

    def quote(self, start: int, end: int, cells: int = QUOTE_CELLS) -> str:
        """The text of [start, end) as drawn on screen (laid out by the app's bidi engine
        and shaped in `--bidi app`), in «», cut to `cells`."""
        return f"«{one_line(self.text[start:end], cells, self.session.bidi)}»"

    def note(self, notice: str, mark: str = INFO) -> None:
        """A status-line message; a refusal or a failure (! / ✗) also rings the bell."""
        self.query_one(StatusLine).say(notice, mark)
        if mark in (REFUSED, FAILED):
            self.app.bell()

    def _readout(self) -> str:
        """The selection (shaped, length, offsets) and the span(s) under the cursor."""
        caret = self.article.caret
        parts: list[str] = []
        if caret.selection is not None:
            s, e = caret.selection
            parts.append(f"selected {self.quote(s, e, 20)} {e - s} ch {s}–{e}")
        cur = caret.cursor_range
        if cur is not None:
            under = self.article.index.overlapping(*cur)
            parts += [f"{sp.label} {one_line(self.text[sp.start:sp.end], 20, self.session.bidi)}"
                      f" {sp.start}–{sp.end}" for sp in under[-2:]]
        return " │ ".join(parts)

    def sentence_at(self, offset: int) -> int | None:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1]:
            return i
        # between sentences: the one before, so that `e` still has a target
        return i if i >= 0 else (0 if self.sentences else None)

    def _caret_panels(self) -> None:
        """Panels that depend on where the cursor is."""
        cur = self.article.caret.cursor_range
        offset = cur[0] if cur else 0
        n = self.sentence_at(offset)
        self.query_one(StatusLine).sentence = (
            f"{n + 1}/{len(self.sentences)}" if n is not None else "–")
        labels = sorted(self.sentence_events.get(self.sentences[n], [])) if n is not None else []
        self.query_one(EventPanel).show(n, len(self.sentences), labels, sorted(self.doc_events))
        self.query_one(SpanList).set_current(self.article.index.position_of(offset))
        self.query_one(StatusLine).readout = self._readout()
        self.show_suggestion_readout()
        self.show_mention_panel()

    def _spans_changed(self, *, reread_mentions: bool = False) -> None:
        cur = self.article.caret.cursor_range
        self.query_one(SpanList).show(
            self.article.index.spans,
            self.article.index.position_of(cur[0]) if cur else None)
        self.query_one(StatusLine).readout = self._readout()
        # removing or relabelling a span may unlink an argument: read the mentions again
        # only when the document has argument links (a new span never changes one)
        if reread_mentions or any(m.arguments for m in self.mentions or ()):
            self.reload_mentions()

    def _saved(self, notice: str = "saved") -> None:
        if self.status == "new":
            self.status = STATUS_IN_PROGRESS
        self.query_one(StatusLine).status = self.status
        self.query_one(StatusLine).say(notice)

    def on_article_view_caret_moved(self, event: ArticleView.CaretMoved) -> None:
        event.stop()
        self._caret_panels()

    def on_span_list_jump(self, event: SpanList.Jump) -> None:
        """A span chosen in the list: select exactly it (a label key then relabels it) and
        give the keys back to the article."""
        event.stop()
        self.article.select_range((event.span.start, event.span.end))
        self.article.focus()

    # ------------------------------------------------------------------ moving
    def action_move_token(self, direction: str) -> None:
        self.article.move_token(direction)

    def action_extend_token(self, direction: str) -> None:
        self.article.move_token(direction, extend=True)

    def action_move_line(self, delta: int) -> None:
        self.article.move_lines(delta)

    def action_move_page(self, delta: int) -> None:
        self.article.page(delta)

    def action_move_edge(self, where: str) -> None:
        self.article.caret.jump(0 if where == "start" else len(self.tokens) - 1)
        self.article.caret_changed()

    def action_edge(self, edge: str, delta: int) -> None:
        caret = self.article.caret
        if caret.move_edge(edge, delta, len(self.text), self.text):
            self.article.caret_changed()
        elif caret.refusal == "space":
            self.note("an edge key stops at a space: ⇧← / ⇧→ extend by a token", REFUSED)
        else:
            self.note("the selection cannot shrink further or grow past the text", REFUSED)

    def action_clear_selection(self) -> None:
        if self.adding:  # esc first cancels a pending `+`
            self.adding = False
            self.note("+ cancelled")
            return
        self.article.caret.clear()
        self.article.caret_changed()

    # ----------------------------------------------------------------- changing
    def may_edit(self, what: str) -> bool:
        """A document marked done is edited only after a second press of the same key
        (asked once per visit); every other document at once."""
        if self.status != STATUS_DONE or self.edit_confirmed:
            return True
        if self._asked == what:
            self.edit_confirmed = True
            return True
        self._asked = what
        self.note(f"{self.external_id} is marked done: press the key again to edit it "
                  "anyway (D puts it back in progress)", REFUSED)
        return False

    def action_add_label_next(self) -> None:
        self.adding = True
        self.note("+: the next label key adds a label (a second one on a span's extent); "
                  "esc cancels")

    def _same_extent(self, start: int, end: int) -> list[SpanRec]:
        return [s for s in self.article.index.overlapping(start, end)
                if s.start == start and s.end == end]

    def action_label_entity(self, label: str) -> None:
        adding, self.adding = self.adding, False
        target = self.article.caret.target()
        if target is None:
            self.note("nothing to label", REFUSED)
            return
        # edges snap inwards past whitespace onto whole display units (never outwards)
        snapped = clean_edges(self.text, *target)
        same = self._same_extent(*target) or (self._same_extent(*snapped) if snapped else [])
        if not same and snapped is None:
            self.note(f"not marked: {self.quote(*target)} has no letter or digit", REFUSED)
            return
        start, end = (same[0].start, same[0].end) if same else snapped  # type: ignore[misc]
        if any(s.label == label for s in same):
            self.note(f"already marked {label} {self.quote(start, end)}", REFUSED)
            return
        if same and not adding:
            if len(same) > 1:
                labels = ", ".join(s.label for s in same)
                self.note(f"{len(same)} spans here ({labels}): x removes one, "
                          f"+ then a key adds another", REFUSED)
                return
            if self.may_edit(f"label {label}"):
                self.relabel(same[0], label)
            return
        if self.may_edit(f"label {label}"):
            self.add_span(start, end, label)

    def add_span(self, start: int, end: int, label: str) -> None:
        if self.accept_instead(start, end, label):  # labelling a suggestion accepts it
            return
        span = self.guarded(f"save {label} span", lambda: self.session.store.add_span(
            self.doc_id, self.session.user, start, end, label))
        if isinstance(span, Failed):
            self.resync()
            return
        self.article.caret.clear()
        if span is None:
            self.resync()  # the screen may not have it yet (a commit whose reply was lost)
            self.note(f"already marked {label} {self.quote(start, end)}", REFUSED)
            self.article.caret_changed()
            return
        self.article.add_span(SpanRec.of(span.id or 0, start, end, label))
        self.span_marked(start, end, label)
        self.article.caret_changed()
        self._spans_changed()
        self._saved(f"saved {label} {self.quote(start, end)}")

    def relabel(self, span: SpanRec, label: str) -> None:
        """The span takes `label` (one transaction, one undoable action)."""
        done = self.guarded(f"relabel {span.label} span as {label}",
                            lambda: self.session.store.relabel_span(span.id, self.session.user,
                                                                    label))
        if isinstance(done, Failed) or done is None:
            self.resync()
            if done is None:
                self.note(f"not relabelled: the {span.label} span is gone", REFUSED)
            return
        self.article.remove_span(span.id)
        self.article.add_span(SpanRec.of(span.id, span.start, span.end, label))
        self.span_marked(span.start, span.end, label)
        self.article.caret.clear()
        self.article.caret_changed()
        self._spans_changed()
        self._saved(f"relabelled {span.label} → {label} {self.quote(span.start, span.end)}")

    def spans_under_cursor(self) -> list[SpanRec]:
        target = self.article.caret.target()
        if target is None:
            return []
        return self.article.index.overlapping(*target)

    def action_remove_span(self) -> None:
        spans = self.spans_under_cursor()
        if not spans:
            self.note("no span under the cursor to remove", REFUSED)
            return
        if not self.may_edit("remove"):
            return
        if len(spans) == 1:
            self.remove_span(spans[0].id)
            return

        def chosen(span_id: int | None) -> None:
            if span_id is not None:
                self.remove_span(span_id)

        self.app.push_screen(SpanPicker(spans, self.text, self.session.colors,
                                        self.session.bidi), chosen)

    def remove_span(self, span_id: int, confirmed: bool = False) -> None:
        if not confirmed and self.ask_before_removing(span_id):  # an event argument: ask
            return
        label = next((s.label for s in self.article.index.spans if s.id == span_id), "")
        done = self.guarded(f"remove {label} span" if label else "remove span",
                            lambda: self.session.store.remove_span(span_id, self.session.user))
        if isinstance(done, Failed):
            self.resync()
            return
        if done:
            removed = self.article.remove_span(span_id)
            self._spans_changed()
            self._saved(f"removed {removed.label} {self.quote(removed.start, removed.end)}"
                        if removed else "removed a span")
        else:
            self.resync()
            self.note(f"not removed: the {label} span is no longer there", REFUSED)

    def sentence_range(self) -> Range | None:
        cur = self.article.caret.cursor_range
        n = self.sentence_at(cur[0] if cur else 0)
        return self.sentences[n] if n is not None else None

    def action_pick_events(self, scope: str) -> None:
        if not self.may_edit(f"events {scope}"):
            return
        if scope == SCOPE_SENTENCE:
            rng = self.sentence_range()
            if rng is None:
                return
            n = self.sentence_at(rng[0])
            title = f"Event labels of sentence {(n or 0) + 1}/{len(self.sentences)}"
            ticked = self.sentence_events.get(rng, [])
        else:
            rng = None
            title = f"Event labels of document {self.external_id}"
            ticked = self.doc_events

        def save(labels: list[str] | None) -> None:
            if labels is not None:
                self.set_events(scope, rng, labels)

        self.app.push_screen(EventPicker(self.session.schema, title, list(ticked)), save)

    def set_events(self, scope: str, rng: Range | None, labels: list[str]) -> None:
        start, end = rng if rng else (None, None)
        changed = self.guarded("save events", lambda: self.session.store.set_events(
            self.doc_id, self.session.user, scope, labels, start, end))
        if isinstance(changed, Failed):
            self.resync()
            return
        # unchanged or changed, the database now holds `labels` there
        if scope == SCOPE_DOCUMENT:
            self.doc_events = sorted(labels)
        elif rng is not None:
            self.sentence_events[rng] = sorted(labels)
        self._caret_panels()
        if scope == SCOPE_DOCUMENT:
            unit = "events of the document"
        else:
            unit = f"events of sentence {(self.sentence_at(start or 0) or 0) + 1}"
        if changed:
            self._saved(f"saved {unit}: {', '.join(sorted(labels)) or '∅'}")
        else:
            self.note(f"{unit} unchanged", REFUSED)

    def _reload_after_history(self, action: Action, notice: str) -> None:
        held = self.guarded(f"{notice}, but reload the document", self._read_held,
                            saving=False)
        if isinstance(held, Failed):
            return
        self._show_held(held)
        where = changed_span(action.kind, action.payload)
        if where is not None:  # bring the change into view, under the cursor
            self.article.go_to(where[0])
        self.query_one(StatusLine).say(notice)

    def action_undo(self) -> None:
        self._history(self.session.store.undo, "undo")

    def action_redo(self) -> None:
        self._history(self.session.store.redo, "redo")

    def _history(self, step: Callable[[int, str], Action | None], verb: str) -> None:
        if not self.may_edit(verb):
            return
        action = self.guarded(verb, lambda: step(self.doc_id, self.session.user))
        if isinstance(action, Failed):
            self.resync()
            return
        if action is None:
            self.note(f"nothing to {verb}", REFUSED)
            return
        notice = history_notice(action.kind, action.payload, undo=verb == "undo",
                                quote=self.quote, sentence_of=self.sentence_at)
        self._reload_after_history(action, notice)

    def _set_status(self, status: str, notice: str, what: str) -> None:
        changed = self.guarded(what, lambda: self.session.store.set_status(
            self.doc_id, self.session.user, status))
        if isinstance(changed, Failed):
            self.resync()
            return
        self.status = status  # unchanged or changed, the database now holds it
        self.query_one(StatusLine).status = status
        if changed:
            self.query_one(StatusLine).say(notice)
            if status == STATUS_DONE:
                self.document_done()  # retrain the suggestion model, in the background
        else:
            self.note(f"already {status.replace('_', ' ')}", REFUSED)

    def action_mark_done(self) -> None:
        self._set_status(STATUS_DONE, "marked done", "mark done")

    def action_reopen(self) -> None:
        self._set_status(STATUS_IN_PROGRESS, "back in progress", "reopen")

    # ------------------------------------------------------------------ search
    def action_search(self) -> None:
        row = self.query_one(SearchRow)
        row.display = True
        row.bar.focus()

    def on_search_bar_step(self, event: SearchBar.Step) -> None:
        event.stop()
        self.search_query = event.query
        self.jump_to_hit(event.step)

    def on_search_bar_closed(self, event: SearchBar.Closed) -> None:
        event.stop()
        self.query_one(SearchRow).display = False
        self.article.focus()

    def action_search_hit(self, step: int) -> None:
        self.jump_to_hit(step)

    def jump_to_hit(self, step: int) -> None:
        """Select the next (step 1) or previous (-1) hit from the cursor, wrapping around."""
        if not self.search_query.strip():
            return
        hits = search_hits(self.text, self.search_query)
        if not hits:
            self.note(f"no match for {self.search_query}", FAILED)
            return
        sel = self.article.caret.selection
        cur = self.article.caret.cursor_range
        here = sel[0] if sel else (cur[0] if cur else 0)
        if step > 0:
            after = [h for h in hits if h[0] > here] or hits
            hit = after[0]
        else:
            before = [h for h in hits if h[0] < here] or hits
            hit = before[-1]
        self.article.select_range(hit)
        self.note(f"match {hits.index(hit) + 1}/{len(hits)}")

    # --------------------------------------------------------------- documents
    def action_other_document(self, step: int, unfinished: bool = False) -> None:
        self.post_message(self.SwitchDocument(self.doc_id, step, unfinished))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def action_toggle_legend(self) -> None:
        self.query_one(Legend).toggle()
