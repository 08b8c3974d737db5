"""What the annotate and adjudicate apps share: the session, the theme, how they are run,
and how a store call that fails outside a screen (or slips past one) is shown."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import TypeVar

from textual.actions import ActionParseResult
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

from annotator.tui.context import Session
from annotator.tui.screens.guarded import GuardedScreen
from annotator.tui.store_calls import STORE_ERRORS, Failed, call_store, failed

T = TypeVar("T")
TUI_LOCK_WAIT = 2.0  # seconds
HANGUP_CHECK = 1.0  # seconds between checks that the terminal is still there


def terminal_fd() -> int | None:
    """The standard input's descriptor when it is a terminal."""
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    except (OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


class SessionApp(App[None]):
    """An app over one user's session; subclasses say which screens it opens on."""

    def __init__(self, session: Session, *, start_doc: int | None = None, **kwargs) -> None:
        self.session = session  # first: the stylesheet's variables read its max_width
        super().__init__(**kwargs)
        self.start_doc = start_doc
        # a screen must not freeze for the whole busy timeout: a save waits at most this
        # long for the write lock, then is retried once or twice, then shown as not saved
        session.store.lock_wait = min(session.store.lock_wait, TUI_LOCK_WAIT)

    def first_screens(self) -> list[Screen]:
        raise NotImplementedError

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, and `$article-max-width` (annotate's `--max-width`)."""
        limit = getattr(getattr(self, "session", None), "max_width", 0)
        return {**super().get_css_variables(),
                "article-max-width": str(limit) if limit > 0 else "100%"}

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        for screen in self.first_screens():
            self.push_screen(screen)
        self._terminal = terminal_fd() if not self.is_headless else None
        if self._terminal is not None:
            self.set_interval(HANGUP_CHECK, self.quit_if_hung_up)

    def quit_if_hung_up(self) -> None:
        """The terminal is gone (ssh dropped, tmux killed) and no hangup signal came (the
        app runs under `make`, which took it): leave instead of reading a dead terminal
        at full speed. Every change shown as saved is committed already."""
        if self._terminal is not None and not os.isatty(self._terminal):
            self.exit()

    # ------------------------------------------------------------- store failures
    def guarded(
        self, what: str, fn: Callable[[], T], *, saving: bool = True,
        on: Screen | None = None,
    ) -> T | Failed:
        """A store call made by the app itself; a failure is shown on `on` (by default the
        current screen)."""
        result = call_store(what, fn, saving=saving)
        if isinstance(result, Failed):
            self.report_failure(result.line, on)
        return result

    def report_failure(self, line: str, on: Screen | None = None) -> None:
        screen = on if on is not None else self.screen
        if isinstance(screen, GuardedScreen):
            screen.report_failure(line)
        else:  # a modal (help, a picker) has no status line
            self.bell()
            self.notify(line, severity="error")

    async def run_action(
        self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Last resort: a store error that a key's action let through is a ✗ line and the
        screen reads the database again, instead of the app ending with a traceback.
        (Every store call of a screen goes through `guarded`; this catches a slip.)"""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except STORE_ERRORS as exc:
            name = action if isinstance(action, str) else action[1]
            self.report_failure(failed(name.split("(")[0].replace("_", " "), exc).line)
            if isinstance(self.screen, GuardedScreen):
                self.screen.resync()
            return True


def run_session_app(app_class: type[SessionApp], session: Session, **kwargs) -> int:
    """Run the app; in `--bidi app` mode through the driver that turns the terminal's own
    bidi off (CSI 8 l) for the run and back on at exit."""
    if session.bidi == "app":
        try:
            from annotator.tui.driver import BidiAppDriver
        except ImportError:  # no POSIX terminal driver (Windows): Textual's default
            pass
        else:
            kwargs["driver_class"] = BidiAppDriver
    app = app_class(session, **kwargs)
    app.run()
    return app.return_code or 0
