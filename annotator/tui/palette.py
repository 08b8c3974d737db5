"""Command-palette entries (ctrl+p) for the main actions of the current screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from annotator.tui.bindings import spec

# (title, key id whose action and description are used); screen actions only
ANNOTATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Mark document done", "document.done"),
    ("Reopen document (in progress)", "document.reopen"),
    ("Undo", "history.undo"),
    ("Redo", "history.redo"),
    ("Next document", "document.next"),
    ("Previous document", "document.previous"),
    ("Search", "search.open"),
    ("Sentence event labels", "events.sentence"),
    ("Document event labels", "events.document"),
    ("Remove span under cursor", "span.remove"),
    ("Documents list", "document.list"),
)
APP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Help: list of keys", "app.help"),
    ("Quit", "app.quit"),
)


class AnnotatorCommands(Provider):
    """Offers the annotate screen's actions (when it is showing) and help / quit."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from annotator.tui.screens.annotate import AnnotateScreen

        screen = self.screen
        out: list[tuple[str, str, Callable[[], object]]] = []
        if isinstance(screen, AnnotateScreen):
            for title, key_id in ANNOTATE_COMMANDS:
                k = spec(key_id)
                out.append((title, f"{k.keys_text}: {k.description}",
                            partial(screen.run_action, k.action)))
        for title, key_id in APP_COMMANDS:
            k = spec(key_id)
            out.append((title, f"{k.keys_text}: {k.description}",
                        partial(self.app.run_action, k.action)))
        return out

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help_text)
