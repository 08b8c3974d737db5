"""Modal pickers of event mentions (issue 13): the event type of a new trigger, one
attribute value of a mention, the earlier mention it corefers with, and the question asked
before removing a span that is an event argument (each a `PickerScreen`, see .picker).

Every row names its key; a hotkey picks at once, ↑ ↓ and Enter pick the highlighted row,
Esc closes without a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Label
from textual.widgets.option_list import Option

from annotator.events_model import ArgumentView, MentionView
from annotator.labelschema import EventAttribute, LabelSchema
from annotator.tui.layout import one_line
from annotator.tui.screens.picker import PickerScreen, cancel_binding

# the keys of the attribute rows, in order (an attribute value per key)
VALUE_KEYS = "123456789abcdefghijklmnopqrstuvwxyz"
CANCEL = cancel_binding("mention_picker.cancel", "Close without a change")


class EventTypePicker(PickerScreen[str]):
    """Dismisses with the chosen event type's name, or None."""

    BINDINGS = [CANCEL]

    def __init__(self, schema: LabelSchema, trigger: str, bidi: str = "app") -> None:
        options = []
        for t in schema.events:
            prompt = Text()
            prompt.append(f"{t.hotkey} ", style="bold")
            prompt.append(f" {t.name:<12} ", style=f"bold black on {t.color}")
            roles = " ".join(f"{r.hotkey}:{r.name}" for r in t.roles)
            prompt.append(f"  {t.en}", style="dim")
            if roles:
                prompt.append(f"  [{roles}]", style="dim italic")
            options.append(Option(prompt, id=t.name))
        super().__init__(f"Event type of the trigger «{one_line(trigger, 30, bidi)}»",
                         "hotkey: pick · ↑ ↓ Enter: pick · Esc: no trigger", options,
                         {t.hotkey: t.name for t in schema.events})


class AttributesPicker(PickerScreen[dict[str, str]]):
    """One row per value of each attribute of the mention's type (the current value
    marked ●); dismisses with {attribute: value} for the row picked, or None."""

    BINDINGS = [CANCEL]

    def __init__(self, event_type: str, attributes: Sequence[EventAttribute],
                 current: Mapping[str, Any], trigger: str, bidi: str = "app") -> None:
        options: list[Option] = []
        keys: dict[str, str] = {}
        self.pairs: dict[str, tuple[str, str]] = {}
        n = 0
        for a in attributes:
            for value in a.values:
                key = VALUE_KEYS[n] if n < len(VALUE_KEYS) else " "
                option_id = f"{a.name}={value}"
                on = current.get(a.name, a.default) == value
                prompt = Text()
                prompt.append(f"{key} ", style="bold")
                prompt.append("● " if on else "○ ", style="bold" if on else "dim")
                prompt.append(f"{a.name:<11} ", style="bold" if on else "")
                prompt.append(value, style="bold" if on else "")
                if value == a.default:
                    prompt.append("  (default)", style="dim")
                options.append(Option(prompt, id=option_id))
                self.pairs[option_id] = (a.name, value)
                if key.strip():
                    keys[key] = option_id
                n += 1
        super().__init__(f"Attributes of {event_type} «{one_line(trigger, 30, bidi)}»",
                         "key or ↑ ↓ Enter: set that value · Esc: close", options, keys)

    def chosen(self, option_id: str) -> dict[str, str]:
        name, value = self.pairs[option_id]
        return {name: value}


class ConfirmRemoval(PickerScreen[bool]):
    """Removing a span that fills event roles: y / Enter removes it with its links, n / Esc
    keeps it. The frame of a picker with the links in place of the list."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Remove the span and its argument links",
                id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Keep the span", id="confirm.no"),
    ]

    def __init__(self, what: str, links: Sequence[ArgumentView],
                 triggers: Mapping[int, str]) -> None:
        super().__init__(f"Remove {what}? It is an event argument:",
                         "y / Enter: remove it and these links · n / Esc: keep it")
        self.what = what
        self.links = list(links)
        self.triggers = dict(triggers)

    def body(self) -> Widget:
        return Label("\n".join(f"  {a.role} of {self.triggers.get(a.id, 'an event mention')}"
                               for a in self.links), id="confirm-links")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


NO_COREF = "none"


class CorefPicker(PickerScreen[str]):
    """Event coreference: the earlier mentions of the document (text order) and `none`;
    dismisses with the chosen mention's id as a string, `NO_COREF`, or None."""

    BINDINGS = [CANCEL]

    def __init__(self, mention: MentionView, earlier: Sequence[MentionView], text: str,
                 colors: Mapping[str, str], bidi: str = "app") -> None:
        options = [Option(Text.assemble(("0 ", "bold"), ("none (a new event)", "dim")),
                          id=NO_COREF)]
        keys = {"0": NO_COREF}
        for n, m in enumerate(earlier):
            key = VALUE_KEYS[n] if n < len(VALUE_KEYS) else " "
            prompt = Text()
            prompt.append(f"{key} ", style="bold")
            prompt.append("● " if mention.coref_of == m.id else "○ ")
            prompt.append(f" {m.type} ", style=f"bold black on {colors.get(m.type, 'grey50')}")
            prompt.append(f" «{one_line(text[m.start:m.end], 30, bidi)}» {m.start}–{m.end}")
            options.append(Option(prompt, id=str(m.id)))
            if key.strip():
                keys[key] = str(m.id)
        trigger = one_line(text[mention.start:mention.end], 30, bidi)
        super().__init__(f"Same event as {mention.type} «{trigger}»?",
                         "key or ↑ ↓ Enter: corefer with it · Esc: close", options, keys)
