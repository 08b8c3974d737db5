"""The annotate screen's suggestions (a mixin of `AnnotateScreen`): the user's pending
suggestions drawn in the article, a readout of the one under the cursor, the keys that
step through them, accept and reject them (one, a sentence's, the document's), "annotate
all occurrences" here and in every unfinished document, and the model retrained after a
document is marked done.

Every write is one store call through `guarded` (retried; a failure is a ✗ line and the
screen shows again what the database holds). The two slow calls, proposing occurrences in
every unfinished document and retraining the model, run in thread workers that never touch
a widget: they post `OccurrencesProposed` / `ModelRetrained` back to the screen, so a
keystroke is handled at once while they run.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual.message import Message

from annotator.store.models import SCOPE_SENTENCE, STATUS_DONE
from annotator.tui.span_index import SpanRec
from annotator.tui.store_calls import Failed, call_store
from annotator.tui.suggestion_index import SuggestionRec, pick_under
from annotator.tui.widgets.status_line import INFO, REFUSED, StatusLine
from annotator.tui.widgets.suggestion_readout import SuggestionReadout

if TYPE_CHECKING:
    from annotator.store.service import Store

Source = tuple[int, int, str]  # the span whose occurrences are proposed: start, end, label


class OccurrencesProposed(Message):
    """Posted by the worker of "all occurrences everywhere": how many suggestions were
    added (or the failure), for which span."""

    def __init__(self, added: int | Failed, label: str, quote: str) -> None:
        super().__init__()
        self.added = added
        self.label = label
        self.quote = quote


class SuggestionsComputed(Message):
    """Posted by the worker that runs the gazetteer and the model on a document as it is
    opened: how many suggestions were added (or the failure)."""

    def __init__(self, added: int | Failed) -> None:
        super().__init__()
        self.added = added


class ModelRetrained(Message):
    """Posted by the retraining worker: whether a model was trained (or the failure)."""

    def __init__(self, trained: bool | Failed) -> None:
        super().__init__()
        self.trained = trained


def threads_allowed(store: Store) -> bool:
    """An in-memory SQLite database is one per connection (thread): no worker for it."""
    url = store.engine.url
    return not (url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or "mode=memory" in str(url)))


_LOCKS_GUARD = threading.Lock()
_RETRAIN_LOCKS: dict[tuple[int, str], threading.Lock] = {}


def retrain_lock(store: Store, user: str) -> threading.Lock:
    """One retraining at a time per store and user (two done documents in a row train
    one after the other, the second on both)."""
    with _LOCKS_GUARD:
        return _RETRAIN_LOCKS.setdefault((id(store), user), threading.Lock())


def call_in_worker(what: str, fn: Any, *, saving: bool = True) -> Any:
    """`call_store` for a worker thread: any other error is a `Failed` too (a worker's
    exception would otherwise vanish without a word)."""
    try:
        return call_store(what, fn, saving=saving)
    except Exception as exc:  # noqa: BLE001 (reported by the message, never raised)
        return Failed(what, str(exc) or type(exc).__name__, saving)


def _service() -> Any:
    """`annotator.suggest.service`, looked up at call time (tests replace `retrain`)."""
    from annotator.suggest import service

    return service


class SuggestionsMixin:
    """Mixed into `AnnotateScreen`: uses its session, doc_id, text, article, sentences,
    `guarded`, `note`, `quote`, `may_edit`, `_saved`, `_spans_changed`, `_read_held` and
    `_show_held`."""

    _current_suggestion: SuggestionRec | None = None  # the one `s` / `S` went to
    _last_labelled: Source | None = None  # the span this screen labelled last

    # ----------------------------------------------------------------- reading
    def load_suggestions(self: Any, spans: list[SpanRec]) -> list[SuggestionRec]:
        """The user's pending suggestions on the document (a store read; no widget), but
        those that already are one of `spans` (same range and label)."""
        marked = {(s.start, s.end, s.label) for s in spans}
        return [SuggestionRec.of(g.id or 0, g.start, g.end, g.label, g.source, g.score)
                for g in self.session.store.suggestions(self.doc_id, self.session.user)
                if (g.start, g.end, g.label) not in marked]

    def suggestions_changed(self: Any) -> None:
        """The status line's count and the readout, from the suggestions shown."""
        self.query_one(StatusLine).suggested = len(self.article.suggestions)
        self.show_suggestion_readout()

    def suggestions_here(self: Any) -> list[SuggestionRec]:
        caret = self.article.caret
        cur = caret.cursor_range
        return pick_under(self.article.suggestions, caret.target(), cur[0] if cur else 0,
                          self._current_suggestion)

    def show_suggestion_readout(self: Any) -> None:
        index = self.article.suggestions
        here = self.suggestions_here()
        first = here[0] if here else None
        place = index.recs.index(first) + 1 if first is not None else None
        quote = self.quote(first.start, first.end, 20) if first is not None else ""
        self.query_one(SuggestionReadout).show_readout(first, quote, index.counts(), place,
                                                       self.session.colors)

    def _reload(self: Any, what: str) -> bool:
        """Show again the user's spans and suggestions as the database holds them."""
        held = self.guarded(what, self._read_held, saving=False)
        if isinstance(held, Failed):
            return False
        self._show_held(held)
        return True

    # ------------------------------------------------------------------ moving
    def action_suggestion_step(self: Any, step: int) -> None:
        index = self.article.suggestions
        if not index:
            self.note("no pending suggestion in this document: on one of your spans, "
                      "o proposes its other occurrences", REFUSED)
            return
        caret = self.article.caret
        current = self._current_suggestion
        target = caret.target()
        if current is not None and (index.get(current.id) is None or target is None
                                    or not (current.start < target[1]
                                            and target[0] < current.end)):
            current = None
        where = target[0] if target else 0
        found = index.step(step, current=current, offset=where)
        self._current_suggestion = found
        if found is not None:
            self.article.select_range((found.start, found.end))

    # ---------------------------------------------------------------- deciding
    def _one_here(self: Any, verb: str) -> SuggestionRec | None:
        here = self.suggestions_here()
        if not here:
            self.note(f"no suggestion under the cursor to {verb}: s goes to the next one",
                      REFUSED)
            return None
        return here[0]

    def accept_instead(self: Any, start: int, end: int, label: str) -> bool:
        """A label key on the exact range of a pending suggestion of that label accepts
        it (the span then says it was suggested); False when there is none."""
        rec = next((r for r in self.article.suggestions.overlapping(start, end)
                    if (r.start, r.end, r.label) == (start, end, label)), None)
        if rec is None:
            return False
        self._accept(rec)
        return True

    def action_accept_suggestion(self: Any) -> None:
        rec = self._one_here("accept")
        if rec is not None and self.may_edit("accept"):
            self._accept(rec)

    def _accept(self: Any, rec: SuggestionRec) -> None:
        span = self.guarded(f"accept {rec.label} suggestion", lambda: self.session.store
                            .accept_suggestion(rec.id, self.session.user))
        if isinstance(span, Failed) or span is None:
            self.resync()
            if span is None:
                self.note(f"not accepted: the {rec.label} suggestion "
                          f"{self.quote(rec.start, rec.end)} is no longer pending", REFUSED)
            return
        self.article.remove_suggestions([rec.id])
        self.article.add_span(SpanRec.of(span.id or 0, rec.start, rec.end, rec.label))
        self._last_labelled = (rec.start, rec.end, rec.label)
        self._after_decision()
        self._saved(f"accepted {rec.label} {self.quote(rec.start, rec.end)}")

    def action_reject_suggestion(self: Any) -> None:
        rec = self._one_here("reject")
        if rec is None:
            return
        done = self.guarded(f"reject {rec.label} suggestion", lambda: self.session.store
                            .reject_suggestion(rec.id, self.session.user))
        if isinstance(done, Failed) or not done:
            self.resync()
            if done is False:
                self.note(f"not rejected: the {rec.label} suggestion is no longer pending",
                          REFUSED)
            return
        self.article.remove_suggestions([rec.id])
        self._after_decision()
        self.query_one(StatusLine).say(
            f"rejected {rec.label} {self.quote(rec.start, rec.end)} (never proposed again)")

    def _after_decision(self: Any) -> None:
        self._current_suggestion = None
        self.article.caret.clear()
        self.article.caret_changed()
        self._spans_changed()
        self.suggestions_changed()

    def action_decide_suggestions(self: Any, scope: str, accept: bool) -> None:
        """Accept (or reject) every pending suggestion of the sentence under the cursor,
        or of the document: one transaction, one undo."""
        index = self.article.suggestions
        if scope == SCOPE_SENTENCE:
            rng = self.sentence_range()
            recs = index.within(*rng) if rng else []
            n = self.sentence_at(rng[0]) if rng else None
            unit = f"sentence {(n or 0) + 1}"
        else:
            recs, unit = list(index), "the document"
        verb = "accept" if accept else "reject"
        if not recs:
            self.note(f"no pending suggestion in {unit} to {verb}", REFUSED)
            return
        if accept and not self.may_edit(f"accept {scope}"):
            return
        store, user, ids = self.session.store, self.session.user, [r.id for r in recs]
        decided = self.guarded(
            f"{verb} {len(ids)} suggestions",
            lambda: (store.accept_suggestions if accept else store.reject_suggestions)(
                ids, user))
        if isinstance(decided, Failed):
            self.resync()
            return
        self._current_suggestion = None
        if not self._reload(f"{verb}ed, but reload the document"):
            return
        self.suggestions_changed()
        if accept:
            self._saved(f"accepted {decided} suggestion{'s' * (decided != 1)} of {unit}")
        else:
            self.query_one(StatusLine).say(
                f"rejected {decided} suggestion{'s' * (decided != 1)} of {unit}")

    # ------------------------------------------------------------- occurrences
    def span_marked(self: Any, start: int, end: int, label: str) -> None:
        """A span this screen just labelled: `o` proposes it when the cursor is on none,
        and a pending suggestion of that very range and label is no longer shown."""
        self._last_labelled = (start, end, label)
        same = [r.id for r in self.article.suggestions.overlapping(start, end)
                if (r.start, r.end, r.label) == (start, end, label)]
        if same:
            self.article.remove_suggestions(same)
            self.suggestions_changed()

    def occurrence_source(self: Any) -> Source | None:
        """The span whose occurrences `o` proposes: the one the selection is exactly, else
        the innermost one under the cursor, else the one labelled last on this screen."""
        caret = self.article.caret
        target = caret.target()
        spans = self.article.index.overlapping(*target) if target else []
        if spans:
            sel = caret.selection
            exact = [s for s in spans if sel is not None and (s.start, s.end) == sel]
            cur = caret.cursor_range
            holding = [s for s in spans if cur is not None and s.start <= cur[0] < s.end]
            s = (exact or holding or spans)[-1]
            return (s.start, s.end, s.label)
        last = self._last_labelled
        if last is not None and any((s.start, s.end, s.label) == last
                                    for s in self.article.index.overlapping(*last[:2])):
            return last
        return None

    def action_propose_occurrences(self: Any, everywhere: bool) -> None:
        source = self.occurrence_source()
        if source is None:
            self.note("no span to look for: label one first, or put the cursor on one of "
                      "your spans", REFUSED)
            return
        start, end, label = source
        quote = self.quote(start, end)
        store, user, doc_id = self.session.store, self.session.user, self.doc_id

        def propose() -> int:
            return int(_service().suggest_occurrences(store, user, doc_id, start, end, label,
                                                      everywhere=everywhere))

        if everywhere:
            self.note(f"looking for {label} {quote} in your unfinished documents…", INFO)
            self._in_background(lambda: OccurrencesProposed(
                call_in_worker(f"propose {label} occurrences", propose), label, quote))
            return
        added = self.guarded(f"propose {label} occurrences", propose)
        self._show_proposed(added, label, quote, everywhere=False)

    def _show_proposed(self: Any, added: int | Failed, label: str, quote: str, *,
                       everywhere: bool) -> None:
        if isinstance(added, Failed):
            if everywhere:
                self.report_failure(added.line)
            self._reload("reload the suggestions")
            return
        if not self._reload("proposed, but reload the suggestions"):
            return
        self.suggestions_changed()
        # short: the status line leaves a notice some 25 cells on a 100-column terminal
        where = " in your unfinished documents" if everywhere else ""
        if added:
            self.query_one(StatusLine).say(f"proposed {added} {label} {quote}{where}")
        else:
            self.note(f"no new occurrence of {quote}{where or ' here'}", REFUSED)

    def on_occurrences_proposed(self: Any, message: OccurrencesProposed) -> None:
        message.stop()
        self._show_proposed(message.added, message.label, message.quote, everywhere=True)

    # ------------------------------------------------------------------- model
    def suggest_on_open(self: Any) -> None:
        """An unfinished document: run the project's gazetteer and the user's model on
        it in the background (nothing when neither exists; never the other annotators'
        work, see `annotator.suggest.service`), and show what they added."""
        store, user, doc_id = self.session.store, self.session.user, self.doc_id
        if self.status == STATUS_DONE or not threads_allowed(store):
            return

        def suggest() -> int:
            sources = store.suggestion_sources_there(user)
            if not sources:
                return 0
            return int(_service().suggest_documents(store, user, [doc_id], sources))

        self._in_background(lambda: SuggestionsComputed(
            call_in_worker("suggest from the gazetteer and your model", suggest)))

    def on_suggestions_computed(self: Any, message: SuggestionsComputed) -> None:
        message.stop()
        added = message.added
        if isinstance(added, Failed):  # a background extra: said, without the bell
            self.note(f"no suggestions: {added.reason}", INFO)
        elif added and self._reload("reload the suggestions"):
            self.note(f"◇ {added} suggested by your model and the gazetteer", INFO)

    def document_done(self: Any) -> None:
        """The document was just marked done: retrain the user's model in the background
        (on the app, so that moving on to the next document does not stop it); its report
        goes to the annotate screen shown then."""
        store, user, app = self.session.store, self.session.user, self.app

        def retrain() -> None:
            with retrain_lock(store, user):
                trained = call_in_worker("retrain the suggestion model",
                                         lambda: bool(_service().retrain(store, user)))
            try:
                screen = app.screen
            except Exception:  # noqa: BLE001 (the app has closed: nobody to tell)
                return
            if isinstance(screen, SuggestionsMixin) and screen.is_attached:
                screen.post_message(ModelRetrained(trained))

        if threads_allowed(store):
            self.app.run_worker(retrain, thread=True, group="suggest-retrain",
                                exit_on_error=False)
        else:
            retrain()

    def on_model_retrained(self: Any, message: ModelRetrained) -> None:
        message.stop()
        if isinstance(message.trained, Failed):
            self.note(f"suggestion model not retrained: {message.trained.reason}", INFO)
        elif message.trained:
            self.note("suggestion model retrained on your finished documents", INFO)
            self.suggest_on_open()  # the document shown now, if unfinished

    def _in_background(self: Any, work: Any) -> None:
        """Run `work()` (a store call returning a message) in a thread worker and post
        its message to this screen; inline on an in-memory database."""
        screen = self

        def run() -> None:
            message = work()
            if screen.is_attached:
                screen.post_message(message)

        if threads_allowed(self.session.store):
            self.run_worker(run, thread=True, group="suggest-occurrences",
                            exit_on_error=False)
        else:
            run()
