"""Side panel: the event mentions of the sentence under the cursor, each with its trigger,
its attributes that differ from the schema's defaults, and its arguments (role, label,
text); the current mention marked ▸. In argument mode the current mention also lists its
type's roles with their keys (the chosen role in reverse video, ✓n: arguments linked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from annotator.events_model import MentionView
from annotator.labelschema import LabelSchema
from annotator.tui.layout import one_line

QUOTE_CELLS = 12


@dataclass(frozen=True)
class ModeShown:
    """What the panel shows of the argument mode: the mention, the chosen role (or None)
    and the highlighted candidate (place, count)."""

    mention_id: int
    role: str | None
    place: int | None
    count: int


class MentionPanel(Static):
    DEFAULT_CSS = """
    MentionPanel { height: auto; max-height: 40%; overflow-y: auto; padding: 0 0 0 1; }
    """

    def __init__(self, schema: LabelSchema, colors: dict[str, str], bidi: str = "app", *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.schema = schema
        self.label_colors = colors
        self.bidi = bidi
        self.shown_ids: list[int] = []  # the mentions listed, in order (tests, readout)

    def show(self, text: str, sentence_no: int | None, mentions: Sequence[MentionView],
             current: int | None, mode: ModeShown | None = None) -> None:
        out = Text()
        where = f"{sentence_no + 1}" if sentence_no is not None else "–"
        out.append(f"Sentence {where} ", style="bold")
        out.append("(keys t l i j k c X)\n", style="dim")
        self.shown_ids = [m.id for m in mentions]
        if not mentions:
            out.append("  no event mention", style="dim")
        for m in mentions:
            self._mention(out, text, m, m.id == current, mode if mode and
                          mode.mention_id == m.id else None)
        self.update(out)

    def _quote(self, text: str, start: int, end: int) -> str:
        return f"«{one_line(text[start:end], QUOTE_CELLS, self.bidi)}»"

    def _mention(self, out: Text, text: str, m: MentionView, current: bool,
                 mode: ModeShown | None) -> None:
        color = self.label_colors.get(m.type, "grey50")
        out.append("▸ " if current else "  ", style="bold")
        out.append(f" {m.type} ", style=f"bold black on {color}")
        out.append(" " + self._quote(text, m.start, m.end) + "\n",
                   style="bold italic overline")
        if m.coref_of is not None:
            out.append(f"   = same event as #{self.shown_ids.index(m.coref_of) + 1}\n"
                       if m.coref_of in self.shown_ids else "   = same event as an earlier "
                       "mention\n", style="cyan")
        defaults = self.schema.attribute_defaults(m.type)
        changed = [f"{k}={v}" for k, v in sorted(m.attributes.items())
                   if defaults.get(k) != v]
        if changed:
            out.append("   " + " ".join(changed) + "\n", style="magenta")
        for a in m.arguments:
            out.append(f"   {a.role:<8}", style="bold")
            out.append(f" {a.label} ", style=f"black on {self.label_colors.get(a.label, 'grey50')}")
            out.append(" " + self._quote(text, a.start, a.end) + "\n")
        if mode is not None:
            self._roles(out, m, mode)

    def _roles(self, out: Text, m: MentionView, mode: ModeShown) -> None:
        out.append("   roles: ", style="bold yellow")
        for r in self.schema.roles(m.type):
            n = sum(1 for a in m.arguments if a.role == r.name)
            style = "reverse bold" if r.name == mode.role else ""
            out.append(f"{r.hotkey} {r.name}", style=style)
            out.append(f"{' ✓' + str(n) if n else ''}{'*' if r.required else ''}  ")
        out.append("\n")
        if mode.role is None:
            out.append("    a role key, then Tab\n", style="dim")
        elif mode.count == 0:
            out.append(f"    no span fits {mode.role} here\n", style="dim")
        else:
            place = f"{mode.place + 1}" if mode.place is not None else "–"
            out.append(f"    Tab {place}/{mode.count} · Enter link · ⌫ unlink\n",
                       style="dim")
