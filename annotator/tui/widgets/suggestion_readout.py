"""One line above the status line, shown while the document has pending suggestions.

On a suggestion (the cursor's token or the selection touches it) it reads out that one:
`◇ GPE «المغرب» · occurrences · score 1.00 · 2/5 · a accept · r reject · s next`;
elsewhere the document's pending ones per source and the keys that reach them. The key
names come from the bindings table, so they never disagree with the help screen."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotator.tui.bindings import spec
from annotator.tui.suggestion_index import SuggestionRec

MARK = "◇"


def _key(key_id: str) -> str:
    return spec(key_id).keys_text


def score_text(score: float) -> str:
    return f"{score:.2f}"


def readout_text(here: SuggestionRec | None, quote: str, counts: dict[str, int],
                 place: int | None = None, colors: dict[str, str] | None = None) -> Text:
    """The readout line: the suggestion `here` (its text drawn as `quote`, its place in
    reading order), or the pending ones per source when the cursor is on none."""
    total = sum(counts.values())
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {MARK} ", style="bold magenta")
    if here is not None:
        color = (colors or {}).get(here.label)
        text.append(f" {here.label} ", style=Style(color="black", bgcolor=color, bold=True)
                    if color else "reverse bold")
        text.append(f" {quote} · {here.source} · score {score_text(here.score)}")
        if place is not None:
            text.append(f" · {place}/{total}")
        text.append(f" · {_key('suggest.accept')} accept · {_key('suggest.reject')} reject"
                    f" · {_key('suggest.next')} next", style="dim")
        return text
    by_source = ", ".join(f"{source} {n}" for source, n in sorted(counts.items()))
    text.append(f"{total} suggested ({by_source})")
    text.append(f" · {_key('suggest.next')} / {_key('suggest.previous')} go to one · "
                f"{_key('suggest.accept_sentence')} accept the sentence's · "
                f"{_key('suggest.accept_document')} accept all", style="dim")
    return text


class SuggestionReadout(Static):
    """Hidden while the document has no pending suggestion."""

    def show_readout(self, here: SuggestionRec | None, quote: str, counts: dict[str, int],
                     place: int | None = None, colors: dict[str, str] | None = None) -> None:
        self.display = bool(counts) and sum(counts.values()) > 0
        if self.display:
            self.update(readout_text(here, quote, counts, place, colors))
