"""Command-palette entries (ctrl+p): the product's own commands, and only those.

On the annotate screen: label the selection as each entity type, the screen's actions (search,
mark done, undo / redo, next unfinished document, legend …); everywhere: open any document
by its id or title, help, quit. The app lists no framework commands besides (see
`AnnotatorApp.COMMANDS`), so nothing appears twice. Each entry's help names its key in the
app's one vocabulary of key names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider

from annotator.tui.bindings import spec
from annotator.tui.layout import one_line
from annotator.tui.store_calls import Failed, call_store

# (title, key id whose action and description are used); annotate-screen actions
ANNOTATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Search", "search.open"),
    ("Mark document done", "document.done"),
    ("Reopen document (in progress)", "document.reopen"),
    ("Undo", "history.undo"),
    ("Redo", "history.redo"),
    ("Next unfinished document", "document.next_unfinished"),
    ("Previous unfinished document", "document.previous_unfinished"),
    ("Next document", "document.next"),
    ("Previous document", "document.previous"),
    ("Sentence event labels", "events.sentence"),
    ("Document event labels", "events.document"),
    ("Remove span under cursor", "span.remove"),
    ("Toggle legend", "legend.toggle"),
    ("Next suggestion", "suggest.next"),
    ("Previous suggestion", "suggest.previous"),
    ("Accept suggestion under cursor", "suggest.accept"),
    ("Reject suggestion under cursor", "suggest.reject"),
    ("Accept all suggestions in sentence", "suggest.accept_sentence"),
    ("Reject all suggestions in sentence", "suggest.reject_sentence"),
    ("Accept all suggestions in document", "suggest.accept_document"),
    ("Annotate all occurrences in document", "suggest.occurrences"),
    ("Annotate all occurrences in unfinished documents", "suggest.occurrences_everywhere"),
    ("Mark event trigger (event mention)", "mention.trigger"),
    ("Link arguments of event mention", "mention.arguments"),
    ("Set attribute of event mention", "mention.attributes"),
    ("Next event mention", "mention.next"),
    ("Previous event mention", "mention.previous"),
    ("Change event type of mention", "mention.type"),
    ("Remove event mention", "mention.remove"),
    ("Event coreference: same event as an earlier mention", "mention.coref"),
    ("Documents list", "document.list"),
)
APP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Help: list of keys", "app.help"),
    ("Quit", "app.quit"),
)


class Command(NamedTuple):
    title: str
    help: str
    run: Callable[[], object]


def _known(key_id: str) -> bool:
    try:
        spec(key_id)
    except StopIteration:
        return False
    return True


OPEN_DOCUMENTS = 50  # "Open document …" commands the palette offers at once


class AnnotatorCommands(Provider):
    """The product's commands for the current screen, then open-document and help / quit."""

    def _commands(self, query: str = "") -> list[Command]:
        from annotator.tui.screens.annotate import AnnotateScreen

        screen = self.screen
        out: list[Command] = []
        session = getattr(self.app, "session", None)
        if isinstance(screen, AnnotateScreen):
            label = spec("span.label")
            for t in screen.session.schema.entities:
                out.append(Command(
                    f"Label the selection as {t.name} ({t.en})",
                    f"{t.hotkey}: {label.description}",
                    partial(screen.run_action, f"label_entity('{t.name}')")))
            for title, key_id in ANNOTATE_COMMANDS:
                if not _known(key_id):
                    continue
                k = spec(key_id)
                out.append(Command(title, f"{k.keys_text}: {k.description}",
                                   partial(screen.run_action, k.action)))
        if session is not None and hasattr(self.app, "open_document"):
            out += self._open_document_commands(session, query)
        for title, key_id in APP_COMMANDS:
            k = spec(key_id)
            out.append(Command(title, f"{k.keys_text}: {k.description}",
                               partial(self.app.run_action, k.action)))
        return out

    def _open_document_commands(self, session, query: str = "") -> list[Command]:
        """At most `OPEN_DOCUMENTS` documents: the first ones of the list, or those whose id
        or title holds what is typed (one indexed page, whatever the corpus's size)."""
        from annotator.store.doc_list import ListQuery

        words = query.split()
        while words and words[0].lower() in ("open", "document", "doc"):
            words.pop(0)
        text = " ".join(words)
        rows = call_store("list the documents", lambda: session.store.document_page(
            session.user, ListQuery(text=text), 0, OPEN_DOCUMENTS), saving=False)
        if isinstance(rows, Failed):
            return []
        return [Command(f"Open document {r.external_id} {one_line(r.title, 50, session.bidi)}"
                        .rstrip(),
                        f"{r.status.replace('_', ' ')} · {r.spans} spans · {r.events} events",
                        partial(self.app.open_document, r.id))
                for r in rows]

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands(query):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run,
                          help=command.help)
