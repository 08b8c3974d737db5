"""The annotate screen's event mentions (issue 13; a mixin of `AnnotateScreen`), from the
keyboard only.

`t` marks the selection (or the token under the cursor; a sub-token such as `زيارة`
inside `وزيارة` is selected with the span keys) as a trigger: a picker asks its event
type, the mention is saved with the schema's default attributes, and the argument mode
starts on it. In argument mode a role key (the schema's, shown in the panel) chooses a
role; Tab / ⇧Tab highlight (select) the spans of the trigger's sentence that fit the role,
nearest first; Enter links the highlighted one; ⌫ / Delete unlinks it; Esc leaves. `i`
sets an attribute, `j` / `k` go to the next / previous mention, `l` enters the argument
mode of the mention under the cursor (`annotator.tui.arguments_view`), `X` removes it,
`c` links it to an earlier mention of the same event. Removing a span that is an argument
asks first.

Every write is one store call through `guarded` (retried; a failure is a ✗ line, the
screen shows again what the database holds, and the TUI goes on).
"""

from __future__ import annotations

from typing import Any

from annotator.events_model import MentionView
from annotator.text.span_edges import clean_edges
from annotator.tui.argument_mode import in_sentence, mention_at, step_mention
from annotator.tui.arguments_view import ArgumentsMixin
from annotator.tui.screens.mention_picker import (
    NO_COREF,
    AttributesPicker,
    ConfirmRemoval,
    CorefPicker,
    EventTypePicker,
)
from annotator.tui.store_calls import Failed
from annotator.tui.widgets.mention_panel import MentionPanel, ModeShown
from annotator.tui.widgets.status_line import INFO, REFUSED


class MentionsMixin(ArgumentsMixin):
    """Mixed into `AnnotateScreen`: uses its session, doc_id, text, article, sentences,
    `sentence_at`, `guarded`, `note`, `quote`, `may_edit`, `_saved` and `resync`."""

    mentions: list[MentionView] | None = None  # the user's, on this document (None: unread)

    # ----------------------------------------------------------------- reading
    def reload_mentions(self: Any) -> None:
        """Read the user's mentions again (after any change) and show them."""
        got = self.guarded("read the event mentions", lambda: self.session.store.event_mentions(
            self.doc_id, self.session.user), saving=False)
        if isinstance(got, Failed):
            return
        self.mentions = got
        ids = {m.id for m in got}
        if self.current_mention not in ids:
            self.current_mention = None
        if self.arg_mode is not None:
            if self.arg_mode.mention_id not in ids:
                self.arg_mode = None
            elif self.arg_mode.role is not None:
                self._find_candidates(keep=True)
        self.article.set_triggers([(m.start, m.end, m.type) for m in got])
        self.show_mention_panel()

    def mention(self: Any, mention_id: int | None) -> MentionView | None:
        return next((m for m in self.mentions or [] if m.id == mention_id), None)

    def show_mention_panel(self: Any) -> None:
        if self.mentions is None:
            self.reload_mentions()
            return
        mode = self.arg_mode
        here = self.mention(mode.mention_id) if mode else None
        if here is not None:
            offset = here.start
        else:
            cur = self.article.caret.cursor_range
            offset = cur[0] if cur else 0
        n = self.sentence_at(offset)
        listed = in_sentence(self.mentions, self.sentences[n]) if n is not None else []
        shown = (ModeShown(mode.mention_id, mode.role.name if mode.role else None,
                           mode.index, len(mode.candidates)) if mode else None)
        self.query_one(MentionPanel).show(self.text, n, listed, self.current_mention, shown)

    def _here(self: Any) -> MentionView | None:
        """The mention under the selection / cursor, else the current one."""
        found = mention_at(self.mentions or [], self.article.caret.target())
        return found or self.mention(self.current_mention)

    def mention_name(self: Any, m: MentionView) -> str:
        return f"{m.type} {self.quote(m.start, m.end)}"

    # ----------------------------------------------------------------- triggers
    def action_mark_trigger(self: Any) -> None:
        target = self.article.caret.target()
        if target is None or not self.session.schema.events:
            self.note("nothing to mark as a trigger", REFUSED)
            return
        snapped = clean_edges(self.text, *target)
        if snapped is None:
            self.note(f"not a trigger: {self.quote(*target)} has no letter or digit", REFUSED)
            return
        if not self.may_edit("trigger"):
            return
        start, end = snapped

        def picked(event_type: str | None) -> None:
            if event_type is not None:
                self.add_mention(start, end, event_type)

        self.app.push_screen(EventTypePicker(self.session.schema, self.text[start:end],
                                             self.session.bidi), picked)

    def add_mention(self: Any, start: int, end: int, event_type: str) -> None:
        made = self.guarded(f"save {event_type} trigger", lambda: self.session.store
                            .add_event_mention(self.doc_id, self.session.user, start, end,
                                               event_type))
        if isinstance(made, Failed):
            self.resync()
            return
        self.reload_mentions()
        if made is None:
            self.note(f"already a {event_type} trigger {self.quote(start, end)}", REFUSED)
            return
        self.article.caret.clear()
        self.article.caret_changed()
        self._saved(f"saved {event_type} trigger {self.quote(start, end)}")
        self.enter_argument_mode(made.id)

    def action_mention_type(self: Any) -> None:
        m = self.mention(self.arg_mode.mention_id) if self.arg_mode else self._here()
        if m is None:
            self.note("no event mention here (t marks a trigger, j / k go to one)", REFUSED)
            return

        def picked(event_type: str | None) -> None:
            if event_type is not None and event_type != m.type:
                self.set_type(m, event_type)

        self.app.push_screen(EventTypePicker(self.session.schema, self.text[m.start:m.end],
                                             self.session.bidi), picked)

    def set_type(self: Any, m: MentionView, event_type: str) -> None:
        """One undoable change: arguments the new type's roles do not take are unlinked,
        attributes become the new type's."""
        if not self.may_edit("event type"):
            return
        changed = self.guarded(f"set {event_type} on {m.type} trigger", lambda: self.session
                               .store.set_mention_type(m.id, self.session.user, event_type))
        if isinstance(changed, Failed):
            self.resync()
            return
        self.reload_mentions()
        if changed:
            self._saved(f"{self.mention_name(m)} is now {event_type}")
        else:
            self.note(f"not changed: {self.mention_name(m)}", REFUSED)

    def action_remove_mention(self: Any) -> None:
        m = self._here()
        if m is None:
            self.note("no event mention here to remove (j / k go to one)", REFUSED)
            return
        if not self.may_edit("remove mention"):
            return
        done = self.guarded(f"remove {m.type} mention", lambda: self.session.store
                            .remove_event_mention(m.id, self.session.user))
        if isinstance(done, Failed):
            self.resync()
            return
        if self.arg_mode is not None and self.arg_mode.mention_id == m.id:
            self.arg_mode = None
        self.reload_mentions()
        if done:
            self._saved(f"removed {self.mention_name(m)} and its {len(m.arguments)} argument(s)")
        else:
            self.note(f"not removed: {self.mention_name(m)} is no longer there", REFUSED)

    def action_mention_step(self: Any, step: int) -> None:
        cur = self.article.caret.cursor_range
        found = step_mention(self.mentions or [], self.current_mention,
                             cur[0] if cur else 0, step)
        if found is None:
            self.note("no event mention in this document: t marks a trigger", REFUSED)
            return
        self.current_mention = found.id
        self.article.select_range((found.start, found.end))
        if self.arg_mode is not None:
            self.enter_argument_mode(found.id)
        self.show_mention_panel()

    # ---------------------------------------------------------------- attributes
    def action_mention_attributes(self: Any) -> None:
        m = self.mention(self.arg_mode.mention_id) if self.arg_mode else self._here()
        if m is None:
            self.note("no event mention here (t marks a trigger, j / k go to one)", REFUSED)
            return
        attributes = self.session.schema.attributes(m.type)
        if not attributes:
            self.note(f"{m.type} has no attributes in the schema", REFUSED)
            return

        def picked(values: dict[str, str] | None) -> None:
            if values is not None:
                self.set_attributes(m, values)

        self.app.push_screen(AttributesPicker(m.type, attributes, m.attributes,
                                              self.text[m.start:m.end], self.session.bidi),
                             picked)

    def set_attributes(self: Any, m: MentionView, values: dict[str, str]) -> None:
        if not self.may_edit("attributes"):
            return
        shown = " ".join(f"{k}={v}" for k, v in values.items())
        changed = self.guarded(f"set {shown}", lambda: self.session.store
                               .set_mention_attributes(m.id, self.session.user, values))
        if isinstance(changed, Failed):
            self.resync()
            return
        self.reload_mentions()
        if changed:
            self._saved(f"{shown} on {self.mention_name(m)}")
        else:
            self.note(f"{shown} unchanged on {self.mention_name(m)}", REFUSED)

    # ------------------------------------------------------------ coreference
    def action_mention_coref(self: Any) -> None:
        m = self.mention(self.arg_mode.mention_id) if self.arg_mode else self._here()
        if m is None:
            self.note("no event mention here (t marks a trigger, j / k go to one)", REFUSED)
            return
        earlier = sorted((x for x in self.mentions or [] if x.sort_key() < m.sort_key()),
                         key=MentionView.sort_key)
        if not earlier:
            self.note(f"no mention before {self.mention_name(m)} to corefer with", REFUSED)
            return

        def picked(value: str | None) -> None:
            if value is not None:
                self.set_coref(m, None if value == NO_COREF else int(value))

        self.app.push_screen(CorefPicker(m, earlier, self.text, self.session.colors,
                                         self.session.bidi), picked)

    def set_coref(self: Any, m: MentionView, target: int | None) -> None:
        if not self.may_edit("coref"):
            return
        changed = self.guarded("save event coreference", lambda: self.session.store
                               .set_mention_coref(m.id, self.session.user, target))
        if isinstance(changed, Failed):
            self.resync()
            return
        self.reload_mentions()
        other = self.mention(target)
        what = (f"{self.mention_name(m)} = {self.mention_name(other)}" if other is not None
                else f"{self.mention_name(m)}: a new event")
        if changed:
            self._saved(f"same event: {what}" if other is not None else what)
        else:
            self.note(f"unchanged: {what}", REFUSED)

    # ------------------------------------------------------------- argument mode
    def action_argument_mode(self: Any) -> None:
        m = self._here()
        if m is None:
            self.note("no event mention here (t marks a trigger, j / k go to one)", REFUSED)
            return
        self.enter_argument_mode(m.id)

    # ------------------------------------------------------------ span removal
    def ask_before_removing(self: Any, span_id: int) -> bool:
        """True when the span is an event argument: a confirm is shown (removing it then
        on yes) and the caller stops; False to remove it now."""
        links = self.guarded("read the span's argument links", lambda: self.session.store
                             .span_argument_links(span_id), saving=False)
        if isinstance(links, Failed):
            return True  # not removed: what it would take with it is unknown
        if not links:
            return False
        names = {a.id: self.mention_name(m) for m in self.mentions or [] for a in m.arguments}
        span = next((s for s in self.article.index.spans if s.id == span_id), None)
        what = (f"{span.label} {self.quote(span.start, span.end)}" if span is not None
                else "the span")

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_span(span_id, confirmed=True)
            else:
                self.note(f"kept {what}", INFO)

        self.app.push_screen(ConfirmRemoval(what, links, names), answered)
        return True
