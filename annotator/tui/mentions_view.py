"""The annotate screen's event mentions (issue 13; a mixin of `AnnotateScreen`), from the
keyboard only.

`t` marks the selection (or the token under the cursor; a sub-token such as `زيارة`
inside `وزيارة` is selected with the span keys) as a trigger: a picker asks its event
type, the mention is saved with the schema's default attributes, and the argument mode
starts on it. In argument mode a role key (the schema's, shown in the panel) chooses a
role; Tab / ⇧Tab highlight (select) the spans of the trigger's sentence that fit the role,
nearest first; Enter links the highlighted one; ⌫ / Delete unlinks it; Esc leaves. `i`
sets an attribute, `j` / `k` go to the next / previous mention, `l` enters the argument
mode of the mention under the cursor, `X` removes it. Removing a span that is an argument
asks first.

Every write is one store call through `guarded` (retried; a failure is a ✗ line, the
screen shows again what the database holds, and the TUI goes on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.events import Key

from annotator.events_model import MentionView
from annotator.labelschema import EventRole
from annotator.text.span_edges import clean_edges
from annotator.tui.argument_mode import candidates, cycle, in_sentence, mention_at, step_mention
from annotator.tui.bindings import spec
from annotator.tui.screens.mention_picker import AttributesPicker, ConfirmRemoval, EventTypePicker
from annotator.tui.span_index import SpanRec
from annotator.tui.store_calls import Failed
from annotator.tui.widgets.mention_panel import MentionPanel, ModeShown
from annotator.tui.widgets.status_line import INFO, REFUSED

# keys that keep their screen meaning in argument mode (unless a role takes the key)
_PASS_IDS = ("mention.attributes", "mention.next", "mention.previous", "mention.remove",
             "mention.arguments", "history.undo", "app.help")


def _keys(*ids: str) -> set[str]:
    return {k for i in ids for k in spec(i).keys}


@dataclass
class ArgMode:
    """The argument mode: the mention, the chosen role, the candidates Tab visits and the
    highlighted one."""

    mention_id: int
    role: EventRole | None = None
    candidates: list[SpanRec] = field(default_factory=list)
    index: int | None = None


class MentionsMixin:
    """Mixed into `AnnotateScreen`: uses its session, doc_id, text, article, sentences,
    `sentence_at`, `guarded`, `note`, `quote`, `may_edit`, `_saved` and `resync`."""

    mentions: list[MentionView] | None = None  # the user's, on this document (None: unread)
    current_mention: int | None = None  # the mention j / k went to, or last made
    arg_mode: ArgMode | None = None

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

    # ------------------------------------------------------------- argument mode
    def action_argument_mode(self: Any) -> None:
        m = self._here()
        if m is None:
            self.note("no event mention here (t marks a trigger, j / k go to one)", REFUSED)
            return
        self.enter_argument_mode(m.id)

    def enter_argument_mode(self: Any, mention_id: int) -> None:
        m = self.mention(mention_id)
        if m is None:
            return
        self.current_mention = mention_id
        roles = self.session.schema.roles(m.type)
        if not roles:
            self.arg_mode = None
            self.note(f"{m.type} has no argument roles in the schema", INFO)
            self.show_mention_panel()
            return
        self.arg_mode = ArgMode(mention_id)
        keys = " ".join(f"{r.hotkey} {r.name}" for r in roles)
        self.note(f"arguments of {self.mention_name(m)}: {keys} · Tab · Enter · Esc", INFO)
        self.show_mention_panel()

    def leave_argument_mode(self: Any) -> None:
        self.arg_mode = None
        self.article.caret.clear()
        self.article.caret_changed()
        self.note("left argument mode", INFO)
        self.show_mention_panel()

    def _find_candidates(self: Any, keep: bool = False) -> None:
        mode = self.arg_mode
        m = self.mention(mode.mention_id) if mode else None
        if mode is None or m is None or mode.role is None:
            return
        n = self.sentence_at(m.start)
        sentence = self.sentences[n] if n is not None else (0, len(self.text))
        linked = {(a.start, a.end, a.label) for a in m.arguments if a.role == mode.role.name}
        before = mode.candidates[mode.index] if keep and mode.index is not None else None
        mode.candidates = candidates(self.article.index.spans, sentence, (m.start, m.end),
                                     mode.role.labels, linked)
        mode.index = mode.candidates.index(before) if before in mode.candidates else None

    def choose_role(self: Any, role: EventRole) -> None:
        assert self.arg_mode is not None
        self.arg_mode.role = role
        self._find_candidates()
        count = len(self.arg_mode.candidates)
        self.note(f"{role.name}: {count} span(s) fit ({', '.join(role.labels)}); Tab"
                  if count else f"{role.name}: no {'/'.join(role.labels)} span in this "
                  "sentence", INFO if count else REFUSED)
        self.show_mention_panel()

    def candidate_step(self: Any, step: int) -> None:
        mode = self.arg_mode
        assert mode is not None
        if mode.role is None:
            self.note("choose a role first (its key is in the panel)", REFUSED)
            return
        mode.index = cycle(mode.index, len(mode.candidates), step)
        if mode.index is None:
            self.note(f"no span fits {mode.role.name} in this sentence", REFUSED)
            return
        span = mode.candidates[mode.index]
        self.article.select_range((span.start, span.end))
        self.show_mention_panel()

    def _highlighted(self: Any) -> SpanRec | None:
        mode = self.arg_mode
        if mode is None or not mode.candidates:
            return None
        sel = self.article.caret.selection
        if mode.index is not None and sel == (mode.candidates[mode.index].start,
                                              mode.candidates[mode.index].end):
            return mode.candidates[mode.index]
        # a fitting span selected by hand (span keys, the span list)
        return next((c for c in mode.candidates if (c.start, c.end) == sel), None)

    def link_argument(self: Any) -> None:
        mode, span = self.arg_mode, self._highlighted()
        m = self.mention(mode.mention_id) if mode else None
        if mode is None or m is None or mode.role is None or span is None:
            self.note("a role key, then Tab to a span, then Enter", REFUSED)
            return
        if not self.may_edit("link"):
            return
        role = mode.role.name
        made = self.guarded(f"link {role}", lambda: self.session.store.add_event_argument(
            m.id, self.session.user, role, span.id))
        if isinstance(made, Failed):
            self.resync()
            return
        self.reload_mentions()
        what = f"{role} {span.label} {self.quote(span.start, span.end)}"
        if made is None:
            self.note(f"not linked: {what} already is, or is gone", REFUSED)
        else:
            self._saved(f"linked {what} to {m.type}")

    def unlink_argument(self: Any) -> None:
        mode = self.arg_mode
        m = self.mention(mode.mention_id) if mode else None
        if mode is None or m is None or mode.role is None:
            self.note("a role key first, then Tab to the argument to unlink", REFUSED)
            return
        filled = [a for a in m.arguments if a.role == mode.role.name]
        span = self._highlighted()
        chosen = [a for a in filled if span is not None and
                  (a.start, a.end, a.label) == (span.start, span.end, span.label)]
        if not chosen and len(filled) == 1:
            chosen = filled
        if not chosen:
            self.note(f"Tab to the {mode.role.name} argument to unlink" if filled else
                      f"{mode.role.name} has no argument", REFUSED)
            return
        arg = chosen[0]
        if not self.may_edit("unlink"):
            return
        done = self.guarded(f"unlink {arg.role}", lambda: self.session.store
                            .remove_event_argument(arg.id, self.session.user))
        if isinstance(done, Failed):
            self.resync()
            return
        self.reload_mentions()
        what = f"{arg.role} {arg.label} {self.quote(arg.start, arg.end)}"
        if done:
            self._saved(f"unlinked {what} from {m.type}")
        else:
            self.note(f"not unlinked: {what} is gone", REFUSED)

    def on_key(self: Any, event: Key) -> None:
        """In argument mode, the mode's keys come before the screen's bindings."""
        mode = self.arg_mode
        if mode is None:
            return
        m = self.mention(mode.mention_id)
        if m is None:
            self.arg_mode = None
            return
        key, char = event.key, event.character
        role = next((r for r in self.session.schema.roles(m.type) if r.hotkey == char), None)
        handlers = (
            (role is not None, lambda: self.choose_role(role)),
            (key in _keys("arguments.next"), lambda: self.candidate_step(1)),
            (key in _keys("arguments.previous"), lambda: self.candidate_step(-1)),
            (key in _keys("arguments.link"), self.link_argument),
            (key in _keys("arguments.unlink"), self.unlink_argument),
            (key in _keys("arguments.leave"), self.leave_argument_mode),
        )
        run = next((fn for hit, fn in handlers if hit), None)
        if run is None and char and char.isprintable() and key not in _keys(*_PASS_IDS):
            keys = " ".join(r.hotkey for r in self.session.schema.roles(m.type))
            run = lambda: self.note(  # noqa: E731
                f"{char!r} is not a role of {m.type} ({keys}); Esc leaves argument mode",
                REFUSED)
        if run is not None:
            event.stop()
            event.prevent_default()
            run()

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
