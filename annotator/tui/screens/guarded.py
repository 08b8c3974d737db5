"""The base of every screen that calls the store: `guarded` runs a call through
`call_store` and shows a failure on the screen's own status line, with the bell."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.css.query import NoMatches
from textual.screen import Screen

from annotator.tui.store_calls import Failed, call_store

T = TypeVar("T")


class GuardedScreen(Screen[None]):
    """Subclasses say where a failure line goes (`show_failure`) and may say how to show
    again exactly what the database holds (`resync`)."""

    def __init__(self) -> None:
        super().__init__()
        self._pending_failure: str | None = None

    def guarded(self, what: str, fn: Callable[[], T], *, saving: bool = True) -> T | Failed:
        """`fn()` (one store call) or, when it failed, `Failed` (already shown)."""
        result = call_store(what, fn, saving=saving)
        if isinstance(result, Failed):
            self.report_failure(result.line)
        return result

    def report_failure(self, line: str) -> None:
        """Show the ✗ line now, or once the screen is mounted (a load in `__init__`)."""
        try:
            self.show_failure(line)
        except NoMatches:  # not composed yet
            self._pending_failure = line
            return
        self.app.bell()

    def on_mount(self) -> None:
        # Textual runs every class's on_mount, the subclass's first: widgets are there
        if self._pending_failure is not None:
            line, self._pending_failure = self._pending_failure, None
            self.report_failure(line)

    def show_failure(self, line: str) -> None:
        raise NotImplementedError

    def resync(self) -> None:
        """Show again what the database holds (after a failure the screen could not
        follow); a failed read here keeps the screen as it is."""
