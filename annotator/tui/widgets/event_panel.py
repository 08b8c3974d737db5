"""Side panel: the event labels of the sentence under the cursor and of the document."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class EventPanel(Static):
    """Two short lists of event labels, each label in its colour."""

    def __init__(self, colors: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label_colors = colors

    def show(self, sentence_no: int | None, n_sentences: int, sentence_labels: list[str],
             document_labels: list[str]) -> None:
        text = Text()
        where = f"{sentence_no + 1}/{n_sentences}" if sentence_no is not None else "–"
        text.append(f"Sentence {where} ", style="bold")
        text.append("(e)\n", style="dim")
        self._labels(text, sentence_labels)
        text.append("\nDocument ", style="bold")
        text.append("(E)\n", style="dim")
        self._labels(text, document_labels)
        self.update(text)

    def _labels(self, text: Text, labels: list[str]) -> None:
        if not labels:
            text.append("  none", style="dim")
            return
        for i, label in enumerate(labels):
            text.append(" " if i == 0 else "  ")
            color = self.label_colors.get(label, "grey50")
            text.append(f" {label} ", style=f"bold black on {color}")
