"""The argument mode of the annotate screen (issue 13; part of `MentionsMixin`): a role
key (the schema's, shown in the mention panel) chooses a role of the mention; Tab / ⇧Tab
highlight (select) the spans of the trigger's sentence that fit the role, nearest first
(`annotator.tui.argument_mode`); Enter links the highlighted one; ⌫ / Delete unlinks it;
Esc leaves. Its keys come before the screen's bindings (`on_key`); the keys of
`_PASS_IDS` keep their meaning unless a role takes them, any other character is refused.

Every write is one store call through `guarded` (retried; a failure is a ✗ line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.events import Key

from annotator.labelschema import EventRole
from annotator.tui.argument_mode import candidates, cycle
from annotator.tui.bindings import spec
from annotator.tui.span_index import SpanRec
from annotator.tui.store_calls import Failed
from annotator.tui.widgets.article import ArticleView
from annotator.tui.widgets.status_line import INFO, REFUSED

# keys that keep their screen meaning in argument mode (unless a role takes the key)
_PASS_IDS = ("mention.attributes", "mention.next", "mention.previous", "mention.remove",
             "mention.arguments", "mention.coref", "history.undo", "app.help")


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


class ArgumentsMixin:
    """The argument mode's state and keys; uses the screen's `mention`, `mention_name`,
    `show_mention_panel`, `reload_mentions`, `guarded`, `note`, `quote`, `may_edit`,
    `_saved`, `resync`, `article`, `sentences` and `sentence_at`."""

    arg_mode: ArgMode | None = None
    current_mention: int | None = None  # the mention j / k went to, or last made

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
        if mode is None or not isinstance(self.focused, ArticleView):
            return  # the search field, the span list keep their keys
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
