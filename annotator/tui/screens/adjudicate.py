"""The adjudicate screen: walk through the disagreements and decide each into gold.

The article (the annotation screen's right-to-left `ArticleView`) shows the gold spans and
selects the current disagreement; the versions panel shows every annotator's version.
Each decision is one committed transaction through `annotator.store.gold` and can be
undone (u) and redone (ctrl+r). Keys are data (`ADJUDICATE_KEYS`), like the annotation
screen's; the caret and selection-edge keys are the annotation screen's own.

Modes: *pick* (1…9 accept a version), *tick* (m: 1…9 tick versions, Enter accepts the
ticked ones), *edit* (e: draw the span as in annotation, then press its label key).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from annotator.adjudication import Disagreement, choose, edit, reject
from annotator.store.gold import (
    DocAdjudication,
    adjudicable_ids,
    decide,
    load_document,
    redo_decision,
    undo_decision,
)
from annotator.store.service import StoreError
from annotator.tui.base_app import SessionApp
from annotator.tui.bindings import GLOBAL, KeySpec, bindings_for, entity_bindings, spec
from annotator.tui.context import Session
from annotator.tui.span_index import SpanRec
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
    KeySpec("adjudicate.confirm", ("enter",), "confirm", "Accept the ticked versions",
            ADJUDICATE),
    KeySpec("adjudicate.reject", ("r",), "reject", "Reject all versions", ADJUDICATE),
    KeySpec("adjudicate.edit", ("e",), "edit_mode",
            "Edit: draw the span as in annotation (arrows, ⇧arrows, [ ] { }), then its "
            "label key", ADJUDICATE),
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
_ONLY_IN = {"version": (PICK, TICK), "confirm": (TICK,), "label_entity": (EDIT,)}


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
                "label key (1…0) takes the span · esc cancel")
    return ("1…9 accept version · m accept several · r reject all · e edit · "
            "n/p next/prev · tab next open · u undo · ^r redo · q quit")


class AdjudicateScreen(Screen[None]):
    BINDINGS = adjudicate_bindings()

    def __init__(self, session: Session, start_doc: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.doc_ids = adjudicable_ids(session.store)
        self.states: dict[int, DocAdjudication] = {}
        self.remaining: dict[int, int] = {}
        for doc_id in self.doc_ids:
            self._reload(doc_id)
        self.doc_ids = [d for d in self.doc_ids if d in self.states]
        self.doc_pos = 0
        self.item_pos = 0
        self.mode = PICK
        self.ticked: set[int] = set()
        self._place_start(start_doc)
        extra = BindingsMap(entity_bindings(session.schema))
        for key, bindings in extra.key_to_bindings.items():
            self._bindings.key_to_bindings.setdefault(key, []).extend(bindings)

    # ------------------------------------------------------------------ state
    def _reload(self, doc_id: int) -> None:
        state = load_document(self.session.store, doc_id)
        if state is None:
            self.states.pop(doc_id, None)
            self.remaining.pop(doc_id, None)
            return
        self.states[doc_id] = state
        self.remaining[doc_id] = state.remaining

    def _place_start(self, start_doc: int | None) -> None:
        if start_doc is not None and start_doc in self.doc_ids:
            self.doc_pos = self.doc_ids.index(start_doc)
            self.item_pos = 0
            return
        found = self._find_open(0, -1)
        if found is not None:
            self.doc_pos, self.item_pos = found

    @property
    def state(self) -> DocAdjudication | None:
        if not self.doc_ids:
            return None
        return self.states.get(self.doc_ids[self.doc_pos])

    @property
    def item(self) -> Disagreement | None:
        state = self.state
        if state is None or not state.items:
            return None
        self.item_pos = max(0, min(self.item_pos, len(state.items) - 1))
        return state.items[self.item_pos]

    @property
    def corpus_remaining(self) -> int:
        return sum(self.remaining.values())

    def _positions(self) -> list[tuple[int, int]]:
        return [(d, i) for d, doc_id in enumerate(self.doc_ids)
                for i in range(len(self.states[doc_id].items))]

    def _find_open(self, doc_pos: int, item_pos: int) -> tuple[int, int] | None:
        """The first undecided item after (doc_pos, item_pos), wrapping around."""
        positions = self._positions()
        if not positions:
            return None
        after = [p for p in positions if p > (doc_pos, item_pos)]
        before = [p for p in positions if p <= (doc_pos, item_pos)]
        for d, i in after + before:
            state = self.states[self.doc_ids[d]]
            if state.items[i].key not in state.decisions:
                return d, i
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
        if state is not None:
            view = ArticleView(state.text, tokens_of(state.text), self._gold_recs(state),
                               self.session.colors, bidi=self.session.bidi, id="article")
            await box.mount(view)
            view.focus()
        self._show_item()

    async def _go(self, doc_pos: int, item_pos: int) -> None:
        changed = doc_pos != self.doc_pos
        self.doc_pos, self.item_pos = doc_pos, item_pos
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
        if state is None:
            panel.show_empty("Nothing to adjudicate: no document has been marked done by "
                             "two or more annotators.")
            return
        article = self.article
        if article is not None:
            article.set_spans(self._gold_recs(state))
        if item is None:
            panel.show_empty("No disagreement in this document: gold is what all "
                             "annotators agree on.")
            return
        decision = state.decisions.get(item.key)
        said = None
        if decision is not None:
            which = ", ".join("+".join(v) for v in decision.versions)
            said = f"{decision.outcome}{' ' + which if which else ''} by {decision.by}"
        panel.show(item, state.text, ticked=self.ticked, ticking=self.mode == TICK,
                   decision=said)
        if article is not None and self.mode != EDIT:
            if item.start is not None and item.end is not None:
                article.select_range((item.start, item.end))
            else:
                article.caret.clear()
                article.caret_changed()

    def _header(self) -> None:
        state, item = self.state, self.item
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {self.session.user} ", style="bold")
        text.append("│ adjudicate ")
        if state is not None:
            text.append(f"│ {state.external_id} ", style="bold")
            text.append(f"({self.doc_pos + 1}/{len(self.doc_ids)}) ")
            if item is not None:
                text.append(f"│ disagreement {self.item_pos + 1}/{len(state.items)} ")
            text.append(f"│ {state.remaining} left in document ")
            gold = "gold done" if state.remaining == 0 else "gold in progress"
            text.append(f"│ {gold} ", style="bold green" if state.remaining == 0 else "yellow")
        text.append(f"│ {self.corpus_remaining} left in corpus ")
        if self.mode != PICK:
            text.append(f"│ {self.mode.upper()} ", style="reverse bold")
        self.query_one("#adj-header", Static).update(text)

    def say(self, message: str) -> None:
        self.query_one("#adj-notice", Static).update(Text(message, style="bold"))

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
    async def _commit(self, make_outcome) -> None:  # noqa: ANN001 (callable -> Outcome)
        state, item = self.state, self.item
        if state is None or item is None:
            self.app.bell()
            return
        try:
            outcome = make_outcome(item)
            result = decide(self.session.store, state.doc_id, self.session.user, outcome)
        except (ValueError, StoreError) as exc:
            self.say(str(exc))
            self.app.bell()
            self._reload(state.doc_id)
            self._set_mode(PICK)
            return
        self._reload(state.doc_id)
        self.mode, self.ticked = PICK, set()
        self.refresh_bindings()
        gold = "; document gold-done" if result.status == "done" else ""
        self.say(f"{result.outcome}: +{result.spans_added} spans{gold}")
        if self.doc_ids[self.doc_pos] not in self.states:
            self.doc_ids.remove(state.doc_id)
            self.doc_pos = min(self.doc_pos, max(0, len(self.doc_ids) - 1))
            await self._show_document()
            return
        found = self._find_open(self.doc_pos, self.item_pos)
        if found is None:
            self.say(f"{result.outcome}: every disagreement of the corpus is decided")
            self._show_item()
            return
        await self._go(*found)

    async def action_version(self, n: int) -> None:
        item = self.item
        if item is None or not 1 <= n <= len(item.versions):
            self.app.bell()
            return
        if self.mode == TICK:
            self.ticked ^= {n - 1}
            self._show_item()
            return
        await self._commit(lambda it: choose(it, [n - 1]))

    def action_tick_mode(self) -> None:
        if self.item is None:
            self.app.bell()
            return
        self._set_mode(TICK)

    async def action_confirm(self) -> None:
        if not self.ticked:
            self.say("tick one or more versions with 1…9 first")
            self.app.bell()
            return
        ticked = sorted(self.ticked)
        await self._commit(lambda it: choose(it, ticked))

    async def action_reject(self) -> None:
        await self._commit(reject)

    def action_edit_mode(self) -> None:
        item, article = self.item, self.article
        if item is None or article is None:
            self.app.bell()
            return
        if item.is_event:
            self.say("event labels are decided by accepting versions (1…9, m) or r")
            self.app.bell()
            return
        first = next((v.spans[0] for v in item.versions if v.spans), None)
        if first is not None:
            article.select_range((first[0], first[1]))
        self._set_mode(EDIT)

    async def action_label_entity(self, label: str) -> None:
        article = self.article
        target = article.caret.target() if article is not None else None
        if target is None:
            self.app.bell()
            return
        start, end = target
        await self._commit(lambda it: edit(it, (start, end, label)))

    def action_cancel(self) -> None:
        if self.mode != PICK:
            self._set_mode(PICK)
            return
        article = self.article
        if article is not None:
            article.caret.clear()
            article.caret_changed()

    async def action_step(self, delta: int) -> None:
        positions = self._positions()
        if not positions:
            self.app.bell()
            return
        here = (self.doc_pos, self.item_pos)
        if here in positions:
            i = (positions.index(here) + delta) % len(positions)
        else:  # a document without disagreements: the next one that has some
            later = [p for p in positions if (p > here) == (delta > 0)]
            i = positions.index(later[0] if delta > 0 else later[-1]) if later else 0
        await self._go(*positions[i])

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
        action = fn(self.session.store, state.doc_id, self.session.user)
        if action is None:
            self.say(f"nothing to {'undo' if undo else 'redo'} in this document")
            return
        self._reload(state.doc_id)
        key = action.payload.get("item_key")
        new_state = self.states.get(state.doc_id)
        keys = [d.key for d in new_state.items] if new_state else []
        self.item_pos = keys.index(key) if key in keys else self.item_pos
        self.mode, self.ticked = PICK, set()
        self.refresh_bindings()
        self.say("undone" if undo else "redone")
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
