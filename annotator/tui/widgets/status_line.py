"""One line under the article: user, document, status, sentence; a transient notice, or
a failure (✗) that stays until the next notice."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

NOTICE_SECONDS = 2.0


class StatusLine(Static):
    user: reactive[str] = reactive("")
    document: reactive[str] = reactive("")
    status: reactive[str] = reactive("")
    sentence: reactive[str] = reactive("")
    notice: reactive[str] = reactive("")
    failure: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer = None

    def say(self, notice: str) -> None:
        """Show `notice` ("saved", "undone", ...) for a moment."""
        self.failure = ""
        self.notice = notice
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(NOTICE_SECONDS, self._clear_notice)

    def fail(self, line: str) -> None:
        """Show a failure line ("✗ … — not saved") until the next notice."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.notice = ""
        self.failure = line

    def _clear_notice(self) -> None:
        self.notice = ""
        self._timer = None

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.failure:  # the whole line, so that "not saved" is seen on a narrow terminal
            text.append(" " + self.failure, style="bold red")
            return text
        text.append(f" {self.user} ", style="bold")
        text.append("│ ")
        text.append(self.document)
        text.append(" │ ")
        style = {"done": "bold green", "in_progress": "yellow"}.get(self.status, "dim")
        text.append(self.status.replace("_", " "), style=style)
        text.append(f" │ sentence {self.sentence}")
        if self.notice:
            text.append("  ✓ " + self.notice, style="bold green")
        return text
