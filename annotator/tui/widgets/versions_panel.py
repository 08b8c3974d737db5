"""Side panel of the adjudicate screen: every version of the current disagreement.

One block per version, numbered as its accept key (1…9): the annotators who share it,
then its spans (label and exact text, laid out right-to-left like the article) or its
event labels. Ticked versions (accept several) are marked; a decision already taken is
shown under the versions.
"""

from __future__ import annotations

from collections.abc import Collection

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotator.adjudication import Disagreement
from annotator.tui.layout import one_line

SNIPPET_WIDTH = 28
KIND_TEXT = {
    "label": "label mismatch",
    "boundary": "boundary mismatch",
    "missing": "span only some annotators have",
    "event": "event labels differ",
}


def item_title(item: Disagreement) -> str:
    if item.unit is not None:
        where = "document" if item.start is None else f"sentence {item.start}–{item.end}"
        return f"{KIND_TEXT[item.kind]} · {where}"
    return f"{KIND_TEXT[item.kind]} · {item.start}–{item.end}"


class VersionsPanel(Static):
    """Shows one disagreement's versions side by side (stacked, numbered)."""

    def __init__(self, colors: dict[str, str], *, bidi: str = "app",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.bidi = bidi
        self._label_styles = {n: Style(color="black", bgcolor=c, bold=True)
                              for n, c in colors.items()}

    def _label(self, out: Text, label: str) -> None:
        out.append(f" {label} ", style=self._label_styles.get(label, Style(reverse=True)))

    def show_empty(self, message: str) -> None:
        self.update(Text(message, style="dim"))

    def show(
        self, item: Disagreement, text: str, *, ticked: Collection[int] = (),
        ticking: bool = False, decision: str | None = None,
    ) -> None:
        out = Text(no_wrap=False)
        out.append(item_title(item) + "\n", style="bold")
        if item.is_event and item.agreed:
            out.append("all gave: " + ", ".join(item.agreed) + "\n", style="dim")
        for i, version in enumerate(item.versions):
            mark = ("☑ " if i in ticked else "☐ ") if ticking else ""
            out.append(f"\n{mark}[{i + 1}] ", style="bold")
            out.append(", ".join(version.annotators), style="italic")
            out.append("\n")
            if item.is_event:
                if not version.labels:
                    out.append("    (no label)\n", style="dim")
                for label in version.labels:
                    out.append("    ")
                    self._label(out, label)
                    out.append("\n")
                continue
            if not version.spans:
                out.append("    (nothing here)\n", style="dim")
            for start, end, label in version.spans:
                out.append("    ")
                self._label(out, label)
                snippet = one_line(text[start:end], SNIPPET_WIDTH, self.bidi)
                out.append(f" {snippet} ")
                out.append(f"{start}–{end}\n", style="dim")
        if decision:
            out.append(f"\n✓ {decision}\n", style="bold green")
        self.update(out)
