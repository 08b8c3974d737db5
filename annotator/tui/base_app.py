"""What the annotate and adjudicate apps share: the session, the theme, how they are run."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from annotator.tui.context import Session


class SessionApp(App[None]):
    """An app over one user's session; subclasses say which screens it opens on."""

    def __init__(self, session: Session, *, start_doc: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.start_doc = start_doc

    def first_screens(self) -> list[Screen]:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        for screen in self.first_screens():
            self.push_screen(screen)


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
