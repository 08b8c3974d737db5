"""The versions of an event-mention item (issue 13) as the adjudicate screen's side panel
shows them: one block per version, numbered as its accept key (1…9), the annotators who
share it, then the version as one line of text per mention::

    [2] bob
        VISIT «زيارة» Agent=PERS «…» Place=GPE «…» polarity=negative

A trigger item's version is an annotator's whole mentions in the disputed range; an
argument item's is the agreed trigger with that annotator's role(s) on the argument's
range; an attribute item's is the trigger with that annotator's value. Attributes are
shown when they differ from the schema's default (an attribute item always shows its
own). Pure text building (`event_item_text`); the panel widget is the screen's
`VersionsPanel`, which is given the text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from rich.style import Style
from rich.text import Text

from annotator.adjudication.event_mentions import (
    KIND_ARGUMENT,
    KIND_ATTRIBUTE,
    KIND_TRIGGER,
    EventItem,
    Mention,
)
from annotator.tui.layout import one_line

SNIPPET = 18
KIND_TITLE = {
    KIND_TRIGGER: "event trigger only some annotators have",
    KIND_ARGUMENT: "event argument: roles differ",
    KIND_ATTRIBUTE: "event attribute differs",
}
Defaults = Mapping[str, Mapping[str, Any]]  # event type -> attribute -> default value
LabelStyle = Callable[[str], Style]


def _quote(text: str, start: int, end: int, bidi: str) -> str:
    return f"«{one_line(text[start:end], SNIPPET, bidi)}»"


def _trigger(out: Text, typ: str, start: int, end: int, text: str, bidi: str,
             style: LabelStyle) -> None:
    out.append(f" {typ} ", style=style(typ))
    out.append(" " + _quote(text, start, end, bidi))


def _attrs(out: Text, attrs: Collection[tuple[str, Any]], defaults: Mapping[str, Any]) -> None:
    for name, value in attrs:
        if defaults.get(name, object()) != value:
            out.append(f" {name}={value}", style="bold")


def mention_line(out: Text, m: Mention, text: str, defaults: Defaults, bidi: str,
                 style: LabelStyle) -> None:
    """`TYPE «trigger» Role=LABEL «arg» … attr=value`: one mention, one line."""
    out.append("    ")
    _trigger(out, m.type, m.start, m.end, text, bidi, style)
    for role, start, end, label in m.arguments:
        out.append(f" {role}=")
        out.append(label, style=style(label))
        out.append(" " + _quote(text, start, end, bidi))
    _attrs(out, m.attributes, defaults.get(m.type, {}))
    out.append("\n")


def item_heading(item: EventItem, text: str, bidi: str) -> str:
    """The item's title line: its kind, the trigger (and argument or attribute) it is on."""
    where = f"{item.start}–{item.end}"
    if item.mention is not None:
        s, e, typ = item.mention
        where = f"{typ} {_quote(text, s, e, bidi)}"
    if item.kind == KIND_ARGUMENT and item.argument is not None:
        s, e = item.argument
        where += f" · argument {_quote(text, s, e, bidi)} {s}–{e}"
    if item.kind == KIND_ATTRIBUTE:
        where += f" · {item.attribute}"
    return f"{KIND_TITLE[item.kind]} · {where}"


def event_item_text(item: EventItem, text: str, *, defaults: Defaults, bidi: str,
                    style: LabelStyle, ticked: Collection[int] = (), ticking: bool = False,
                    decision: str | None = None, gold: Mention | None = None) -> Text:
    """The whole panel for one event-mention item; `gold`: gold's mention the item is on
    (argument and attribute items), shown under the heading."""
    out = Text(no_wrap=False)
    out.append(item_heading(item, text, bidi) + "\n", style="bold")
    if gold is not None:
        out.append("gold now:\n", style="dim")
        mention_line(out, gold, text, defaults, bidi, style)
    for i, version in enumerate(item.versions):
        mark = ("☑ " if i in ticked else "☐ ") if ticking else ""
        out.append(f"\n{mark}[{i + 1}] ", style="bold")
        out.append(", ".join(version.annotators), style="italic")
        out.append("\n")
        if item.kind == KIND_TRIGGER:
            if not version.mentions:
                out.append("    (no mention here)\n", style="dim")
            for m in version.mentions:
                mention_line(out, m, text, defaults, bidi, style)
            continue
        assert item.mention is not None
        s, e, typ = item.mention
        out.append("    ")
        _trigger(out, typ, s, e, text, bidi, style)
        if item.kind == KIND_ARGUMENT:
            assert item.argument is not None
            if not version.roles:
                out.append(" (not an argument)", style="dim")
            for role, label in version.roles:
                out.append(f" {role}=")
                out.append(label, style=style(label))
                out.append(" " + _quote(text, *item.argument, bidi))
        elif version.value is None:
            out.append(f" {item.attribute} unset", style="dim")
        else:
            out.append(f" {item.attribute}={version.value}", style="bold")
        out.append("\n")
    if decision:
        out.append(f"\n✓ {decision}\n", style="bold green")
    return out
