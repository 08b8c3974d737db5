"""The adjudicate screen: walk through the disagreements and decide each into gold.

The article (the annotation screen's right-to-left `ArticleView`) shows the gold spans and
selects the current disagreement; the versions panel shows every annotator's version.
Each decision is one committed transaction through `annotator.store.gold` and can be
undone (u) and redone (ctrl+r). Keys are data (`ADJUDICATE_KEYS`), like the annotation
screen's; the caret and selection-edge keys are the annotation screen's own.

The screen opens on the first document with an open disagreement and loads the others
when they are reached (cached); the corpus-wide counts are computed by a thread worker
(`corpus_counts`, which posts `CorpusCounted`) and then kept up to date by each decision's
change to its document.

Every store call goes through `guarded` (retried; a failure is a ✗ line under the
screen, and the document is read again so that the screen shows what gold holds).

Modes: *pick* (1…9 accept a version), *tick* (m: 1…9 tick versions, Enter accepts the
ticked ones), *edit* (e: draw the span as in annotation, then press its label key).

Event-mention items (issue 13: trigger, argument, attribute) follow a document's span and
event-label items, with the same keys; `annotator.tui.adjudicate_events` shows and edits them.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from annotator.adjudication import edit
from annotator.store.gold import (
    DocAdjudication,
    DocCount,
    adjudicable_ids,
    corpus_counts,
    gold_done_ids,
    load_document,
    merge_document,
    redo_decision,
    undo_decision,
)
from annotator.store.service import Store
from annotator.text.span_edges import clean_edges
from annotator.tui.adjudicate_events import (
    EventItem,
    EventItemsMixin,
    Item,
    choose_any,
    decide_any,
    reject_any,
    result_line,
)
from annotator.tui.base_app import SessionApp
from annotator.tui.bindings import GLOBAL, KeySpec, bindings_for, entity_bindings, spec
from annotator.tui.context import Session
from annotator.tui.layout import one_line
from annotator.tui.screens.guarded import GuardedScreen
from annotator.tui.span_index import SpanRec
from annotator.tui.store_calls import Failed
from annotator.tui.textops import tokens_of
from annotator.tui.widgets.article import ArticleView
from annotator.tui.widgets.versions_panel import VersionsPanel

ADJUDICATE = "adjudicate"
PICK, TICK, EDIT = "pick", "tick", "edit"

ADJUDICATE_KEYS: tuple[KeySpec, ...] = (
    KeySpec("adjudicate.accept", ("1-9",), "version(k)",
            "Accept the k-th version (in tick mode: tick / untick it)", ADJUDICATE,
            key_display="1…9"),
    KeySpec("adjudicate.several", ("m",), "tick_mode",
            "Accept several: tick versions with 1…9, then Enter", ADJUDICATE),
    KeySpec("adjudicate.confirm", ("enter",), "confirm", "Accept the ticked versions "
            "(editing an event trigger: pick its event type)", ADJUDICATE),
    KeySpec("adjudicate.reject", ("r",), "reject", "Reject all versions", ADJUDICATE),
    KeySpec("adjudicate.edit", ("e",), "edit_mode",
            "Edit: draw the span as in annotation (arrows, ⇧arrows, [ ] { }), then its "
            "label key (an event trigger: Enter, then its type; an event argument or "
            "attribute: a picker of roles or values)", ADJUDICATE),
    KeySpec("adjudicate.cancel", ("escape",), "cancel",
            "Leave tick / edit mode (else clear the selection)", ADJUDICATE,
            key_display="esc"),
    KeySpec("adjudicate.next", ("n",), "step(1)", "Next disagreement", ADJUDICATE),
    KeySpec("adjudicate.previous", ("p",), "step(-1)", "Previous disagreement", ADJUDICATE),
    KeySpec("adjudicate.next_open", ("tab",), "next_open",
            "Next disagreement without a decision", ADJUDICATE),
    KeySpec("adjudicate.undo", ("u",), "undo", "Undo my last decision here", ADJUDICATE),
    KeySpec("adjudicate.redo", ("ctrl+r",), "redo", "Redo", ADJUDICATE, key_display="^r"),
)

# the annotation screen's keys for moving the cursor and the selection edges
CARET_KEY_IDS = (
    "cursor.left", "cursor.right", "cursor.up", "cursor.down", "cursor.page_up",
    "cursor.page_down", "cursor.home", "cursor.end", "select.left", "select.right",
    "select.start_earlier", "select.start_later", "select.end_earlier", "select.end_later",
)
# actions allowed per mode (the others are off, so a key can mean one thing per mode)
_ONLY_IN = {"version": (PICK, TICK), "confirm": (TICK, EDIT), "label_entity": (EDIT,)}


def adjudicate_bindings() -> list[Binding]:
    out: list[Binding] = []
    for k in ADJUDICATE_KEYS:
        if k.keys == ("1-9",):
            out += [Binding(str(n), f"version({n})", f"Accept version {n}", show=False,
                            id=f"adjudicate.accept.{n}") for n in range(1, 10)]
        else:
            out.append(k.binding())
    return out + [spec(i).binding() for i in CARET_KEY_IDS]


def help_line(mode: str) -> str:
    if mode == TICK:
        return "tick: 1…9 tick/untick · Enter accept the ticked · esc cancel"
    if mode == EDIT:
        return ("edit: ←→ token · ⇧←→ extend · [ ] start edge · { } end edge · "
                "label key (1…0) takes the span (a trigger: Enter, its type) · esc cancel")
    return ("1…9 accept version · m accept several · r reject all · e edit · "
            "n/p next/prev · tab next open · u undo · ^r redo · q quit")


def _in_memory(store: Store) -> bool:
    """An in-memory SQLite database is one per connection (thread): no worker for it."""
    url = store.engine.url
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or "mode=memory" in str(url))


class AdjudicateScreen(EventItemsMixin, GuardedScreen):
    BINDINGS = adjudicate_bindings()

    class CorpusCounted(Message):
        """Posted by the counting worker: every adjudicable document's `DocCount` (None
        with `error` when counting failed)."""

        def __init__(self, counts: dict[int, DocCount] | None, error: str = "") -> None:
            super().__init__()
            self.counts = counts
            self.error = error

    def __init__(self, session: Session, start_doc: int | None = None) -> None:
        super().__init__()
        self.session = session
        ids = self.guarded("list the documents to adjudicate",
                           lambda: adjudicable_ids(session.store), saving=False)
        self.unread = isinstance(ids, Failed)  # the list could not be read
        self.doc_ids: list[int] = [] if isinstance(ids, Failed) else ids
        self.states: dict[int, DocAdjudication] = {}  # the documents loaded so far
        self.remaining: dict[int, int] = {}  # their disagreements without a decision
        # corpus-wide, from the counting worker; None until it reports
        self.counts: dict[int, DocCount] | None = None
        self.corpus_left: int | None = None
        self.corpus_done: int | None = None
        self.count_error = ""
        done = self.guarded("read gold's status", lambda: gold_done_ids(session.store),
                            saving=False) if self.doc_ids else set()
        self._gold_done: set[int] = set() if isinstance(done, Failed) else done
        self._shown: int | None = None  # the document in the article view
        self.doc_pos = 0
        self.item_pos = 0
        self.mode = PICK
        self.ticked: set[int] = set()
        self._place_start(start_doc)
        extra = BindingsMap(entity_bindings(session.schema))
        for key, bindings in extra.key_to_bindings.items():
            self._bindings.key_to_bindings.setdefault(key, []).extend(bindings)

    # ------------------------------------------------------------------ state
    def _known_left(self, doc_id: int) -> int | None:
        """The document's open disagreements as far as the screen knows (None: not
        adjudicable, or not known yet)."""
        if doc_id in self.remaining:
            return self.remaining[doc_id]
        if self.counts is not None:
            count = self.counts.get(doc_id)
            return count.remaining if count is not None else None
        return None

    def _recount(self, before: int | None, after: int | None) -> None:
        """Adjust the corpus totals by one document's change (once they are known)."""
        if self.corpus_left is None or self.corpus_done is None:
            return
        self.corpus_left += (after or 0) - (before or 0)
        self.corpus_done += (after == 0) - (before == 0)

    def _reload(self, doc_id: int) -> DocAdjudication | None:
        """(Re)load one document; one that is no longer adjudicable leaves the list."""
        before = self._known_left(doc_id)
        if doc_id not in self.states:  # first time here: gold takes what all agree on
            self.guarded("take the agreed items into gold",
                         lambda: merge_document(self.session.store, doc_id,
                                                by=self.session.user))
        state = self.guarded("load the document",
                             lambda: load_document(self.session.store, doc_id), saving=False)
        if isinstance(state, Failed):  # a failed read changes nothing
            return self.states.get(doc_id)
        if state is None:
            self.states.pop(doc_id, None)
            self.remaining.pop(doc_id, None)
            self._recount(before, None)
            if doc_id in self.doc_ids:
                current = self.doc_ids[self.doc_pos] if self.doc_ids else None
                self.doc_ids.remove(doc_id)
                if current in self.doc_ids:
                    self.doc_pos = self.doc_ids.index(current)
                self.doc_pos = min(self.doc_pos, max(0, len(self.doc_ids) - 1))
            return None
        self.states[doc_id] = state
        self.remaining[doc_id] = state.remaining
        self._recount(before, state.remaining)
        return state

    def _load(self, doc_id: int) -> DocAdjudication | None:
        """The document's state, loaded from the store the first time it is needed."""
        if doc_id in self.states:
            return self.states[doc_id]
        return self._reload(doc_id)

    def _place_start(self, start_doc: int | None) -> None:
        if start_doc is not None and start_doc in self.doc_ids:
            if self._load(start_doc) is not None:
                self.doc_pos = self.doc_ids.index(start_doc)
                self.item_pos = 0
                return
        found = self._find_open(0, -1)
        if found is not None:
            self.doc_pos, self.item_pos = found
        else:
            self.doc_pos, self.item_pos = 0, 0
            self._load_current()

    def _load_current(self) -> None:
        """Load the current document; one that is no longer adjudicable gives its place
        to the next (one that failed to load keeps it)."""
        while self.doc_ids:
            doc_id = self.doc_ids[self.doc_pos]
            if self._load(doc_id) is not None or doc_id in self.doc_ids:
                return

    @property
    def state(self) -> DocAdjudication | None:
        if not self.doc_ids:
            return None
        return self.states.get(self.doc_ids[self.doc_pos])

    @property
    def item(self) -> Item | None:
        state = self.state
        if state is None or not state.all_items:
            return None
        items = state.all_items
        self.item_pos = max(0, min(self.item_pos, len(items) - 1))
        return items[self.item_pos]

    @property
    def corpus_remaining(self) -> int | None:
        """Disagreements without a decision in the whole corpus; None until counted."""
        return self.corpus_left

    def _may_be_open(self, doc_id: int) -> bool:
        """Whether a document may have an open disagreement, without loading it: the
        counts once known, else gold's status (done: nothing was left when gold last
        changed)."""
        if doc_id in self.states:
            return self.states[doc_id].remaining > 0
        if self.counts is not None:
            count = self.counts.get(doc_id)
            return count is not None and count.remaining > 0
        return doc_id not in self._gold_done

    def _may_have_items(self, doc_id: int) -> bool:
        if doc_id in self.states:
            return bool(self.states[doc_id].all_items)
        if self.counts is not None:
            count = self.counts.get(doc_id)
            return count is not None and count.items > 0
        return True

    def _others(self, doc_pos: int, delta: int) -> list[int]:
        """The other documents from `doc_pos` on in direction `delta`, wrapping around."""
        n = len(self.doc_ids)
        return [self.doc_ids[(doc_pos + delta * k) % n] for k in range(1, n)]

    def _find_open(self, doc_pos: int, item_pos: int) -> tuple[int, int] | None:
        """The first undecided item after (doc_pos, item_pos), wrapping around; loads the
        documents it has to look into."""
        if not self.doc_ids:
            return None
        here = self.doc_ids[doc_pos]
        others = self._others(doc_pos, 1)
        state = self._load(here) if self._may_be_open(here) else None

        def first_open(st: DocAdjudication, lo: int, hi: int) -> int | None:
            items = st.all_items
            return next((i for i in range(lo, min(hi, len(items)))
                         if items[i].key not in st.decisions), None)

        if state is not None:
            i = first_open(state, item_pos + 1, len(state.all_items))
            if i is not None:
                return self.doc_ids.index(here), i
        for doc_id in others:
            if not self._may_be_open(doc_id):
                continue
            other = self._load(doc_id)
            if other is not None:
                i = first_open(other, 0, len(other.all_items))
                if i is not None:
                    return self.doc_ids.index(doc_id), i
        if state is not None and here in self.doc_ids:
            i = first_open(state, 0, item_pos + 1)
            if i is not None:
                return self.doc_ids.index(here), i
        return None

    # ---------------------------------------------------------------- compose
    def compose(self) -> ComposeResult:
        yield Static(id="adj-header")
        with Horizontal(id="adj-body"):
            yield Vertical(id="adj-article")
            with Vertical(id="adj-side"):
                yield Static("Versions", classes="adj-title")
                yield VersionsPanel(self.session.colors, bidi=self.session.bidi,
                                    id="versions")
        yield Static(id="adj-help")
        yield Static(id="adj-notice")

    async def on_mount(self) -> None:
        await self._show_document()
        # counting competes for the interpreter: start it once the first frame is drawn
        self.call_after_refresh(self._start_count)

    def _start_count(self) -> None:
        if _in_memory(self.session.store):
            counts = self.guarded("count the corpus",
                                  lambda: corpus_counts(self.session.store, self.doc_ids),
                                  saving=False)
            self.post_message(self.CorpusCounted(None, error=counts.reason)
                              if isinstance(counts, Failed) else self.CorpusCounted(counts))
        elif self.doc_ids:
            self._count_corpus(list(self.doc_ids))
        else:
            self.post_message(self.CorpusCounted({}))

    @work(thread=True, exclusive=True, group="adjudicate-count", exit_on_error=False)
    def _count_corpus(self, doc_ids: list[int]) -> None:
        """Count every document's disagreements (a thread: it never touches a widget)."""
        worker = get_current_worker()
        try:
            counts = corpus_counts(self.session.store, doc_ids,
                                   cancelled=lambda: worker.is_cancelled)
        except Exception as exc:  # noqa: BLE001 (reported in the header, not fatal)
            self.post_message(self.CorpusCounted(None, error=str(exc) or type(exc).__name__))
            return
        if counts is not None:
            self.post_message(self.CorpusCounted(counts))

    def on_adjudicate_screen_corpus_counted(self, message: CorpusCounted) -> None:
        message.stop()
        if message.counts is None:
            self.count_error = message.error
            self._header()
            return
        self.counts = message.counts
        # what the screen loaded itself is at least as recent as what the worker read
        known = [self._known_left(d) for d in self.doc_ids]
        self.corpus_left = sum(k or 0 for k in known)
        self.corpus_done = sum(1 for k in known if k == 0)
        self._header()

    @property
    def article(self) -> ArticleView | None:
        found = self.query(ArticleView)
        return found.first() if found else None

    def _gold_recs(self, state: DocAdjudication) -> list[SpanRec]:
        return [SpanRec.of(i, s, e, label) for i, (s, e, label, _p)
                in enumerate(state.gold_spans)]

    async def _show_document(self) -> None:
        box = self.query_one("#adj-article", Vertical)
        await box.remove_children()
        state = self.state
        self._shown = state.doc_id if state is not None else None
        if state is not None:
            view = ArticleView(state.text, tokens_of(state.text), self._gold_recs(state),
                               self.session.colors, bidi=self.session.bidi, id="article")
            await box.mount(view)
            view.focus()
        self._show_item()

    async def _go(self, doc_pos: int, item_pos: int) -> None:
        self.doc_pos, self.item_pos = doc_pos, item_pos
        state = self.state
        changed = (state.doc_id if state is not None else None) != self._shown
        self.mode, self.ticked = PICK, set()
        if changed:
            await self._show_document()
        else:
            self._show_item()

    def _show_item(self) -> None:
        state, item = self.state, self.item
        panel = self.query_one(VersionsPanel)
        self.query_one("#adj-help", Static).update(help_line(self.mode))
        self._header()
        if state is None and (self.unread or self.doc_ids):
            panel.show_empty("This could not be read from the database: see the line below.")
            return
        if state is None:
            panel.show_empty("Nothing to adjudicate: no document has been marked done by "
                             "two or more annotators.")
            return
        article = self.article
        if article is not None:
            article.set_spans(self._gold_recs(state))
            article.set_triggers(sorted(state.gold_mentions))  # gold's triggers, marked
        if item is None:
            panel.show_empty("No disagreement in this document: gold is what all "
                             "annotators agree on.")
            return
        decision = state.decisions.get(item.key)
        said = None
        if decision is not None:
            which = ", ".join("+".join(v) for v in decision.versions)
            said = f"{decision.outcome}{' ' + which if which else ''} by {decision.by}"
        if isinstance(item, EventItem):  # issue 13: an event-mention item
            self._show_event_item(panel, item, said)
        else:
            panel.show(item, state.text, ticked=self.ticked, ticking=self.mode == TICK,
                       decision=said)
        if article is not None and self.mode != EDIT:
            if item.start is not None and item.end is not None:
                article.select_range((item.start, item.end))
            else:
                article.caret.clear()
                article.caret_changed()

    def _header(self) -> None:
        """Who, which document (``document i/N``), which disagreement, what is left: one
        line when it fits the screen's width, else abbreviated or wrapped to two lines."""
        from annotator.tui.columns import middle_cut, pack_parts

        state, item = self.state, self.item
        n = len(self.doc_ids)
        parts: list[tuple[str, str, str]] = [
            (self.session.user, self.session.user, "bold"), ("adjudicate", "adj.", "")]
        if state is not None:
            ext = state.external_id
            parts.append((ext, middle_cut(ext, 16), "bold"))
            parts.append((f"document {self.doc_pos + 1}/{n}", f"doc {self.doc_pos + 1}/{n}", ""))
            if item is not None:
                at = f"{self.item_pos + 1}/{len(state.all_items)}"
                parts.append((f"disagreement {at}", f"dis. {at}", ""))
            parts.append((f"{state.remaining} left in document",
                          f"{state.remaining} left here", ""))
            done = state.remaining == 0
            parts.append(("gold done" if done else "gold in progress",
                          "gold done" if done else "gold: open",
                          "bold green" if done else "yellow"))
        if self.corpus_left is not None and self.corpus_done is not None:
            parts.append((f"{self.corpus_left} left in corpus",
                           f"{self.corpus_left} left in corpus", ""))
            parts.append((f"{self.corpus_done}/{n} documents gold-done",
                           f"{self.corpus_done}/{n} gold-done", ""))
        elif self.count_error:
            parts.append(("left in corpus: ? (counting failed)", "corpus: ? (failed)", "red"))
        else:
            parts.append(("left in corpus: counting…", "corpus: counting…", "dim"))
        if self.mode != PICK:
            parts.append((self.mode.upper(), self.mode.upper(), "reverse bold"))
        header = self.query_one("#adj-header", Static)
        text = Text(no_wrap=True, overflow="ellipsis")
        for row, line in enumerate(pack_parts(parts, self.size.width or 120)):
            text.append("\n" if row else " ")
            for i, (piece, style) in enumerate(line):
                text.append(" │ " if i else "")
                text.append(piece, style=style)
        header.update(text)

    def on_resize(self) -> None:
        self._header()  # re-packed to the new width

    def say(self, message: str) -> None:
        self.query_one("#adj-notice", Static).update(Text(message, style="bold"))

    def show_failure(self, line: str) -> None:
        self.query_one("#adj-notice", Static).update(Text(line, style="bold red"))

    def resync(self) -> None:
        state = self.state
        if state is not None and self._reload(state.doc_id) is not None:
            self._show_item()

    # ------------------------------------------------------------- check keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        modes = _ONLY_IN.get(action)
        if modes is not None and self.mode not in modes:
            return False
        return True

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        if mode != TICK:
            self.ticked = set()
        self.refresh_bindings()
        self._show_item()

    # --------------------------------------------------------------- deciding
    async def _commit(self, what: str, make_outcome) -> None:  # noqa: ANN001 (-> Outcome)
        state, item = self.state, self.item
        if state is None or item is None:
            self.app.bell()
            return
        try:
            outcome = make_outcome(item)
        except ValueError as exc:
            self.say(f"! {exc}")
            self.app.bell()
            self._set_mode(PICK)
            return
        # what this screen showed of the item: a decision made since by someone else
        # is not silently replaced
        seen = state.decisions.get(item.key)
        result = self.guarded(what, lambda: decide_any(self.session.store, state.doc_id,
                                                       self.session.user, outcome, seen))
        if isinstance(result, Failed):
            # refused or failed: read the document again (what gold holds now); the
            # failure stays the line shown, whatever the reading says
            reloaded = self._reload(state.doc_id)
            self.show_failure(result.line)
            if reloaded is None:
                await self._left_the_list()
                return
            self._set_mode(PICK)
            return
        reloaded = self._reload(state.doc_id)
        self.mode, self.ticked = PICK, set()
        self.refresh_bindings()
        self.say(result_line(result))
        if reloaded is None:
            await self._left_the_list()
            return
        found = self._find_open(self.doc_pos, self.item_pos)
        if found is None:
            self.say(f"✓ {result.outcome}: every disagreement of the corpus is decided")
            self._show_item()
            return
        await self._go(*found)

    async def _left_the_list(self) -> None:
        """The current document is no longer adjudicable (an annotator reopened it): show
        the one that took its place."""
        self._load_current()
        self.item_pos = 0
        self.mode, self.ticked = PICK, set()
        self.refresh_bindings()
        await self._show_document()

    async def action_version(self, n: int) -> None:
        item = self.item
        if item is None or not 1 <= n <= len(item.versions):
            self.app.bell()
            return
        if self.mode == TICK:
            self.ticked ^= {n - 1}
            self._show_item()
            return
        await self._commit(f"accept version {n}", lambda it: choose_any(it, [n - 1]))

    def action_tick_mode(self) -> None:
        if self.item is None:
            self.app.bell()
            return
        self._set_mode(TICK)

    async def action_confirm(self) -> None:
        if self.mode == EDIT:  # a trigger item: the event-type picker for the selection
            self._trigger_type_picker()
            return
        if not self.ticked:
            self.say("! tick one or more versions with 1…9 first")
            self.app.bell()
            return
        ticked = sorted(self.ticked)
        await self._commit("accept versions " + "+".join(str(i + 1) for i in ticked),
                           lambda it: choose_any(it, ticked))

    async def action_reject(self) -> None:
        await self._commit("reject all versions", reject_any)

    def action_edit_mode(self) -> None:
        item, article = self.item, self.article
        if item is None or article is None:
            self.app.bell()
            return
        if isinstance(item, EventItem):  # a picker, or edit mode on the trigger
            if not self._event_edit(item):
                self._set_mode(EDIT)
            return
        if item.is_event:
            self.say("! event labels are decided by accepting versions (1…9, m) or r")
            self.app.bell()
            return
        first = next((v.spans[0] for v in item.versions if v.spans), None)
        if first is not None:
            article.select_range((first[0], first[1]))
        self._set_mode(EDIT)

    async def action_label_entity(self, label: str) -> None:
        if self._edit_label_refused():
            return
        article = self.article
        target = article.caret.target() if article is not None else None
        if target is None:
            self.say("! nothing selected to decide with")
            self.app.bell()
            return
        # the same clean edges as a new span: inwards past whitespace, whole display units;
        # the edited span takes this label whatever label the versions gave the extent
        text = article.text if article is not None else ""
        snapped = clean_edges(text, *target)
        if snapped is None:
            shown = one_line(text[target[0]:target[1]], 24, self.session.bidi)
            self.say(f"! not decided: «{shown}» has no letter or digit")
            self.app.bell()
            return
        start, end = snapped
        await self._commit(f"save {label} span", lambda it: edit(it, (start, end, label)))

    def action_cancel(self) -> None:
        if self.mode != PICK:
            self._set_mode(PICK)
            return
        article = self.article
        if article is not None:
            article.caret.clear()
            article.caret_changed()

    async def action_step(self, delta: int) -> None:
        """The next (previous) disagreement, into the next (previous) document that has
        some, wrapping around; documents are loaded as they are reached."""
        state = self.state
        n = len(state.all_items) if state is not None else 0
        if n and 0 <= self.item_pos + delta < n:
            await self._go(self.doc_pos, self.item_pos + delta)
            return
        here = [state.doc_id] if state is not None else []
        for doc_id in (self._others(self.doc_pos, delta) if self.doc_ids else []) + here:
            if not self._may_have_items(doc_id):
                continue
            other = self._load(doc_id)
            if other is not None and other.all_items:
                await self._go(self.doc_ids.index(doc_id),
                               0 if delta > 0 else len(other.all_items) - 1)
                return
        self.app.bell()

    async def action_next_open(self) -> None:
        found = self._find_open(self.doc_pos, self.item_pos)
        if found is None:
            self.say("every disagreement of the corpus is decided")
            return
        await self._go(*found)

    async def _history(self, undo: bool) -> None:
        state = self.state
        if state is None:
            return
        fn = undo_decision if undo else redo_decision
        action = self.guarded("undo" if undo else "redo",
                              lambda: fn(self.session.store, state.doc_id, self.session.user))
        if isinstance(action, Failed):
            self.resync()
            self.show_failure(action.line)
            return
        if action is None:
            self.say(f"! nothing to {'undo' if undo else 'redo'} in this document")
            return
        new_state = self._reload(state.doc_id)
        if new_state is None:
            await self._left_the_list()
            return
        key = action.payload.get("item_key")
        keys = [d.key for d in new_state.all_items] if new_state else []
        self.item_pos = keys.index(key) if key in keys else self.item_pos
        self.mode, self.ticked = PICK, set()
        self.refresh_bindings()
        what = f": decision on {key}" if key else ""
        self.say(f"✓ {'undone' if undo else 'redone'}{what}")
        self._show_item()

    async def action_undo(self) -> None:
        await self._history(undo=True)

    async def action_redo(self) -> None:
        await self._history(undo=False)

    # ------------------------------------------------------------ moving (caret)
    def _caret(self, fn) -> None:  # noqa: ANN001
        article = self.article
        if article is not None:
            fn(article)

    def action_move_token(self, direction: str) -> None:
        self._caret(lambda a: a.move_token(direction))

    def action_extend_token(self, direction: str) -> None:
        self._caret(lambda a: a.move_token(direction, extend=True))

    def action_move_line(self, delta: int) -> None:
        self._caret(lambda a: a.move_lines(delta))

    def action_move_page(self, delta: int) -> None:
        self._caret(lambda a: a.page(delta))

    def action_move_edge(self, where: str) -> None:
        def go(a: ArticleView) -> None:
            a.caret.jump(0 if where == "start" else len(a.caret.tokens) - 1)
            a.caret_changed()

        self._caret(go)

    def action_edge(self, edge: str, delta: int) -> None:
        def go(a: ArticleView) -> None:
            if a.caret.move_edge(edge, delta, len(a.text), a.text):
                a.caret_changed()
            else:
                self.app.bell()

        self._caret(go)

    def on_article_view_caret_moved(self, event: ArticleView.CaretMoved) -> None:
        event.stop()


class AdjudicateApp(SessionApp):
    """`annotator adjudicate`: one screen over every document two or more annotators finished."""

    TITLE = "annotator adjudicate"
    CSS_PATH = Path(__file__).resolve().parent.parent / "adjudicate.tcss"
    BINDINGS = [b for b in bindings_for(GLOBAL) if b.action == "app.quit"]

    def first_screens(self) -> list[Screen]:
        return [AdjudicateScreen(self.session, self.start_doc)]
