"""One line under the article: user, document, status, document i/N, sentence, the
pending suggestions of the document (`◇ 3`, when there are any), a transient notice,
and a readout of the selection and of the span(s) under the cursor; or a failure (✗)
that stays until the next notice.

A notice carries its mark: ✓ only for what was saved, ! for a refusal or for nothing to
do (nothing changed), ✗ for what failed or found nothing, none for plain news."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from annotator.tui.columns import middle_cut

NOTICE_SECONDS = 2.0
WIDE = 90  # columns from which the line spells out "document" and "sentence"
SAVED, REFUSED, FAILED, INFO = "✓", "!", "✗", ""
_MARK_STYLES = {SAVED: "bold green", REFUSED: "bold yellow", FAILED: "bold red", INFO: "bold"}


class StatusLine(Static):
    user: reactive[str] = reactive("")
    document: reactive[str] = reactive("")
    status: reactive[str] = reactive("")
    sentence: reactive[str] = reactive("")
    position: reactive[str] = reactive("")  # "3/40": the document's place in the list
    readout: reactive[str] = reactive("")  # the selection, the span(s) under the cursor
    suggested: reactive[int] = reactive(0)  # pending suggestions on the document
    notice: reactive[str] = reactive("")
    mark: reactive[str] = reactive(SAVED)
    failure: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer = None

    def say(self, notice: str, mark: str = SAVED) -> None:
        """Show `notice` for a moment, after its mark (✓ saved, ! refused, ✗ failed)."""
        self.failure = ""
        self.mark = mark
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
        wide = (self.size.width or 120) >= WIDE  # short words on a narrow terminal
        if self.failure:  # the whole line, so that "not saved" is seen on a narrow terminal
            text.append(" " + self.failure, style="bold red")
            return text
        text.append(f" {self.user} ", style="bold")
        text.append("│ ")
        text.append(self.document if wide else middle_cut(self.document, 12))
        text.append(" │ ")
        style = {"done": "bold green", "in_progress": "yellow"}.get(self.status, "dim")
        text.append(self.status.replace("_", " "), style=style)
        if self.position:
            text.append(f" │ {'document' if wide else 'doc'} {self.position}")
        text.append(f" │ {'sentence' if wide else 'sent.'} {self.sentence}")
        if self.suggested:
            text.append(" │ ")
            text.append(f"◇ {self.suggested}", style="bold magenta")
        if self.notice:
            mark = f"{self.mark} " if self.mark else ""
            text.append(f"  {mark}{self.notice}", style=_MARK_STYLES.get(self.mark, "bold"))
        if self.readout:
            text.append(" │ ")
            text.append(self.readout, style="cyan")
        return text
