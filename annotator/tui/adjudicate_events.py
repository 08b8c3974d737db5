"""The adjudicate screen's event-mention items (issue 13): deciding, showing and editing
them with the screen's own keys. Mixed into `AdjudicateScreen`.

The screen walks a document's span and event-label items first, then its event-mention
items in reading order (`DocAdjudication.all_items`): an argument can only go into gold
as a gold span, so the spans are decided before the arguments that name them.

Keys (the span items' ones): 1…9 accept a version (m, 1…9, Enter: several, trigger items
only), r reject, u / ctrl+r undo / redo, and e edit:

* an **attribute** item: a picker of the schema's values for that attribute;
* an **argument** item: a picker of the event type's roles that fit the argument's
  entity label (gold's span on that range);
* a **trigger** item: edit mode selects the first version's trigger; the span keys move
  its edges, then Enter opens the event-type picker; the new mention takes the
  arguments and attributes of the first version with that type whose arguments are all
  gold spans (none otherwise).

Writes go through the screen's `_commit` (guarded: a failed write is a ✗ line, the
document is read again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text

from annotator.adjudication import Disagreement
from annotator.adjudication import choose as choose_span
from annotator.adjudication import reject as reject_span
from annotator.adjudication.event_decide import (
    choose as choose_event,
)
from annotator.adjudication.event_decide import (
    edit_argument,
    edit_attribute,
    edit_trigger,
)
from annotator.adjudication.event_decide import (
    reject as reject_event,
)
from annotator.adjudication.event_mentions import (
    KIND_ARGUMENT,
    KIND_ATTRIBUTE,
    KIND_TRIGGER,
    EventItem,
    EventOutcome,
    Mention,
)
from annotator.store.gold import DocAdjudication, decide
from annotator.store.gold_events import EventDecisionResult, decide_event
from annotator.tui.screens.choice_picker import Choice, ChoicePicker
from annotator.tui.widgets.event_versions_panel import Defaults, event_item_text

if TYPE_CHECKING:
    from annotator.tui.widgets.versions_panel import VersionsPanel

Item = Disagreement | EventItem


def choose_any(item: Item, accepted: Sequence[int]) -> Any:
    """The accept outcome for a span / event-label item or an event-mention item."""
    if isinstance(item, EventItem):
        return choose_event(item, accepted)
    return choose_span(item, accepted)


def reject_any(item: Item) -> Any:
    return reject_event(item) if isinstance(item, EventItem) else reject_span(item)


def decide_any(store: Any, doc_id: int, user: str, outcome: Any, seen: Any) -> Any:
    """Write one decision: `decide_event` for an event-mention item's outcome (refused
    when another adjudicator decided it since `seen`), `decide` otherwise."""
    if isinstance(outcome, EventOutcome):
        return decide_event(store, doc_id, user, outcome, seen=seen)
    return decide(store, doc_id, user, outcome, seen=seen)


def result_line(result: Any) -> str:
    """What a decision did, for the notice line."""
    gold = "; document gold-done" if result.status == "done" else ""
    if isinstance(result, EventDecisionResult):
        return f"✓ {result.outcome}: {result.mentions_changed} gold event mention(s) changed{gold}"
    return f"✓ {result.outcome}: +{result.spans_added} spans{gold}"


def defaults_of(schema: Any) -> Defaults:
    return {t.name: schema.attribute_defaults(t.name) for t in schema.events}


def role_choices(schema: Any, item: EventItem, state: DocAdjudication,
                 colors: dict[str, str]) -> list[Choice]:
    """(role, label) pairs an argument item can be edited to: the event type's roles that
    fit an entity label gold's spans have on the range (else one the versions gave)."""
    assert item.mention is not None and item.argument is not None
    typ = schema.event(item.mention[2])
    if typ is None:
        return []
    s, e = item.argument
    labels = [lab for gs, ge, lab, _ in state.gold_spans if (gs, ge) == (s, e)]
    if not labels:
        labels = sorted({lab for v in item.versions for _, lab in v.roles})
    out = []
    for role in typ.roles:
        for label in labels:
            if role.fits(label):
                prompt = Text(f"{role.name} = ")
                prompt.append(f" {label} ", style=_chip(colors, label))
                out.append(Choice(f"{role.name}|{label}", role.hotkey, prompt))
    return out


def _chip(colors: dict[str, str], label: str) -> Style:
    color = colors.get(label)
    return Style(color="black", bgcolor=color, bold=True) if color else Style(reverse=True)


def _digit_keys(n: int) -> list[str]:
    return [str(i + 1) if i < 9 else "" for i in range(n)]


class EventItemsMixin:
    """Event-mention items on the adjudicate screen (see the module's docstring)."""

    session: Any
    mode: str
    ticked: set[int]

    if TYPE_CHECKING:
        state: DocAdjudication | None
        item: Item | None
        article: Any

        async def _commit(self, what: str, make_outcome: Callable[[Any], Any]) -> None: ...
        def _set_mode(self, mode: str) -> None: ...
        def say(self, message: str) -> None: ...
        @property
        def app(self) -> Any: ...

    # ------------------------------------------------------------------ showing
    def _show_event_item(self, panel: VersionsPanel, item: EventItem, said: str | None) -> None:
        state = self.state
        assert state is not None
        colors = self.session.colors
        g = state.gold_mentions.get(item.mention) if item.mention is not None else None
        gold = None if g is None else Mention(
            g.start, g.end, g.type, tuple(sorted(g.attributes.items())),
            tuple(sorted(a[:4] for a in g.arguments)))  # type: ignore[misc]
        panel.update(event_item_text(
            item, state.text, defaults=defaults_of(self.session.schema),
            bidi=self.session.bidi, style=lambda label: _chip(colors, label),
            ticked=self.ticked, ticking=self.mode == "tick", decision=said, gold=gold))

    # ------------------------------------------------------------------ editing
    def _event_edit(self, item: EventItem) -> bool:
        """`e` on an event-mention item: a picker (argument, attribute), or edit mode on
        the trigger (trigger items: returns False, the screen enters edit mode)."""
        state = self.state
        if state is None:
            return True
        if item.kind == KIND_ATTRIBUTE:
            self._pick_attribute(item)
            return True
        if item.kind == KIND_ARGUMENT:
            choices = role_choices(self.session.schema, item, state, self.session.colors)
            if not choices:
                self.say("! no role of this event type fits the argument's entity label")
                self.app.bell()
                return True
            self.app.push_screen(
                ChoicePicker(f"Role of the argument ({item.mention[2] if item.mention else ''})",
                             choices),
                lambda value: self._picked(value, "role"))
            return True
        first = next((m for v in item.versions for m in v.mentions), None)
        article = self.article
        if first is not None and article is not None:
            article.select_range((first.start, first.end))
        return False

    def _pick_attribute(self, item: EventItem) -> None:
        assert item.mention is not None and item.attribute is not None
        typ = self.session.schema.event(item.mention[2])
        attr = next((a for a in typ.attributes if a.name == item.attribute), None) \
            if typ is not None else None
        values = list(attr.values) if attr is not None else sorted(
            {str(v.value) for v in item.versions if v.value is not None})
        keys = _digit_keys(len(values))
        choices = [Choice(v, k, Text(v + (" (default)" if attr and v == attr.default else "")))
                   for v, k in zip(values, keys, strict=True)]
        self.app.push_screen(ChoicePicker(f"Value of {item.attribute}", choices),
                             lambda value: self._picked(value, "value"))

    async def _picked(self, value: str | None, what: str) -> None:
        """A picker's choice (None: cancelled) decides the current item."""
        item = self.item
        if value is None or not isinstance(item, EventItem):
            return
        if what == "role":
            role, label = value.split("|", 1)
            await self._commit(f"save {role}={label} argument",
                               lambda it: edit_argument(it, role, label))
        elif what == "value":
            await self._commit(f"save {item.attribute}={value}",
                               lambda it: edit_attribute(it, value))
        else:
            await self._commit_trigger(value)

    def _trigger_type_picker(self) -> None:
        """Enter in edit mode on a trigger item: the event-type picker for the selection."""
        item = self.item
        article = self.article
        if not isinstance(item, EventItem) or item.kind != KIND_TRIGGER or article is None \
                or article.caret.target() is None:
            self.say("! draw the trigger first (arrows, ⇧arrows, [ ] { })")
            self.app.bell()
            return
        types = list(self.session.schema.events)
        first = next((m.type for v in item.versions for m in v.mentions), None)
        choices = [Choice(t.name, t.hotkey, Text(f"{t.name}  {t.en}")) for t in types]
        self.app.push_screen(ChoicePicker("Event type of the trigger", choices, first),
                             lambda value: self._picked(value, "type"))

    async def _commit_trigger(self, type_: str) -> None:
        from annotator.text.span_edges import clean_edges

        article, state = self.article, self.state
        target = article.caret.target() if article is not None else None
        if target is None or state is None:
            self.app.bell()
            return
        edges = clean_edges(state.text, *target)
        if edges is None:
            self.say("! the selection has no letter or digit")
            self.app.bell()
            return
        start, end = edges
        gold = {(s, e, lab) for s, e, lab, _ in state.gold_spans}

        def outcome(it: EventItem) -> EventOutcome:
            base = next((i for i, v in enumerate(it.versions) if v.mentions
                         and v.mentions[0].type == type_
                         and all(a[1:] in gold for a in v.mentions[0].arguments)), None)
            return edit_trigger(it, start, end, type_, base=base)

        await self._commit(f"save {type_} trigger", outcome)

    def _edit_label_refused(self) -> bool:
        """A label key in edit mode on a trigger item: the type comes from Enter's picker."""
        if isinstance(self.item, EventItem):
            self.say("! a trigger's type: press Enter for the event-type picker")
            self.app.bell()
            return True
        return False
