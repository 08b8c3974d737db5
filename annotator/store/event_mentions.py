"""Structured event mentions (issue 13): triggers, types, attributes and argument links,
one annotator's each (a mixin of `Store`).

Every public write is one transaction (`Store.write` on the document), logged in the
action log with the mention's record before and after (see `event_mention_rows`), so undo
and redo replay it (`StoreHistory`). Checks against the label schema (`Store.label_checker`,
a `LabelSchema`): the type must be an event type; attributes must be the type's, with
values of their lists (missing ones take the schema's defaults); an argument must be a
span of the same annotator on the same document whose label fits the role. A role that
does not repeat holds one argument: linking another replaces it in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlmodel import Session

from annotator.events_model import ArgumentView, MentionView
from annotator.store import event_mention_rows as rows
from annotator.store.errors import StoreError
from annotator.store.mention_reads import mention_rows, view_of
from annotator.store.models import EventArgument, EventMention, Span

if TYPE_CHECKING:
    from annotator.store.service import Store

# the action kinds of this module (all undoable): payload {"before": record | None,
# "after": record | None, "referrers": [[start, end, type], ...]}
EVENT_MENTION_KINDS = ("add_event_mention", "remove_event_mention", "set_mention_type",
                       "set_mention_attributes", "set_mention_coref", "add_event_argument",
                       "remove_event_argument")


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _schema_call(checker: Any, name: str, *args: Any) -> Any:
    """`checker.name(*args)`, or None when there is no checker or it lacks that method
    (a schema without event structure accepts any role and attribute)."""
    fn = getattr(checker, name, None) if checker is not None else None
    return fn(*args) if fn is not None else None


class StoreEventMentions:
    """Event mentions and their arguments (mixed into `Store`)."""

    # ------------------------------------------------------------------ checks
    def _mention_attributes(self: Store, type_: str, given: dict[str, Any] | None,
                            base: dict[str, Any] | None = None) -> dict[str, Any]:
        """`base` (or the schema's defaults) updated with `given`, each checked."""
        declared = _schema_call(self.label_checker, "attributes", type_)
        out: dict[str, Any] = {}
        if declared is not None:
            out = {a.name: a.default for a in declared}
            if base:  # what the mention had, where this type has it too
                allowed = {a.name: a.values for a in declared}
                out.update({k: v for k, v in base.items() if v in allowed.get(k, ())})
        elif base:
            out.update(base)
        for name, value in (given or {}).items():
            if declared is not None:
                attr = next((a for a in declared if a.name == name), None)
                if attr is None:
                    raise StoreError(f"{name!r} is not an attribute of event type {type_}")
                if value not in attr.values:
                    raise StoreError(f"{value!r} is not a value of attribute {name!r} "
                                     f"(one of {', '.join(attr.values)})")
            elif not isinstance(value, str):
                raise StoreError(f"attribute {name!r} must be a string, got {value!r}")
            out[name] = value
        return out

    def _check_role(self: Store, type_: str, role: str, label: str) -> None:
        checker = self.label_checker
        if checker is None or getattr(checker, "role_fits", None) is None:
            return
        if _schema_call(checker, "role", type_, role) is None:
            raise StoreError(f"{role!r} is not a role of event type {type_}")
        if not checker.role_fits(type_, role, label):
            raise StoreError(f"a {label} span cannot fill the role {role!r} of {type_}")

    def _repeats(self: Store, type_: str, role: str) -> bool:
        r = _schema_call(self.label_checker, "role", type_, role)
        return True if r is None else bool(r.repeat)

    def _role_fits(self: Store) -> Any:
        """`fits(type, role, label)` of the schema, or None (everything fits)."""
        return getattr(self.label_checker, "role_fits", None)

    # ------------------------------------------------------------------ helpers
    @contextmanager
    def _own_mention(self: Store, mention_id: int,
                     user: str) -> Iterator[tuple[Session, int, EventMention] | None]:
        """A write session on the mention's document, with the user's id and the mention;
        None when it is gone or not theirs."""
        with self.session() as s:
            doc_id = s.execute(select(_t(EventMention).c.document_id)
                               .where(_t(EventMention).c.id == mention_id)).scalar()
        if doc_id is None:
            yield None
            return
        with self.write(doc_id) as s:
            ann_id = self._ann_id(s, user)
            m = s.get(EventMention, mention_id)
            yield (s, ann_id, m) if m is not None and m.annotator_id == ann_id else None

    def _mention_step(self: Store, s: Session, doc_id: int, ann_id: int, user: str,
                      kind: str, before: rows.MentionRecord | None,
                      after: rows.MentionRecord | None,
                      referrers: list[list[Any]] | None = None) -> EventMention | None:
        """Apply one change, log it, commit."""
        if after is not None:
            after["arguments"] = rows.sorted_arguments(after.get("arguments", []))
        row = rows.apply_mention_change(s, doc_id, ann_id, before, after, referrers)
        self._touch(s, doc_id, ann_id)
        self._log(s, doc_id, ann_id, kind, {"before": before, "after": after,
                                            "referrers": referrers or []}, by=user)
        s.commit()
        return row

    # ------------------------------------------------------------------ writes
    def add_event_mention(self: Store, doc_id: int, user: str, start: int, end: int,
                          type: str,  # noqa: A002 (the contract's name)
                          attributes: dict[str, Any] | None = None) -> EventMention | None:
        """A trigger `[start, end)` of event type `type`; attributes default from the
        schema. None when this user already has that mention (same trigger and type)."""
        self._check_label("event", type)
        attrs = self._mention_attributes(type, attributes)
        with self.write(doc_id) as s:
            self._check_range(s, doc_id, start, end)
            ann_id = self._ann_id(s, user)
            if rows.find_mention(s, doc_id, ann_id, (start, end, type)) is not None:
                return None
            after = {"start": start, "end": end, "type": type, "attributes": attrs,
                     "coref": None, "provenance": None, "arguments": []}
            return self._mention_step(s, doc_id, ann_id, user, "add_event_mention",
                                      None, after)

    def remove_event_mention(self: Store, mention_id: int, user: str) -> bool:
        """Remove the mention with its arguments (mentions coreferring with it lose that
        link; undo restores all of it)."""
        with self._own_mention(mention_id, user) as found:
            if found is None:
                return False
            s, ann_id, m = found
            before = rows.mention_record(s, m)
            refs = rows.referrers_of(s, m)
            self._mention_step(s, m.document_id, ann_id, user, "remove_event_mention",
                               before, None, refs)
            return True

    def set_mention_type(self: Store, mention_id: int, user: str,
                         type: str) -> bool:  # noqa: A002
        """Another event type for the mention, same trigger. Arguments whose role the new
        type lacks (or whose label does not fit it) are removed, attributes the new type
        lacks are dropped and its others take their defaults; all in the one logged step.
        False when the mention is gone, not theirs, or already of that type."""
        self._check_label("event", type)
        with self._own_mention(mention_id, user) as found:
            if found is None:
                return False
            s, ann_id, m = found
            if m.type == type:
                return False
            if rows.find_mention(s, m.document_id, ann_id, (m.start, m.end, type)):
                raise StoreError(f"[{m.start}, {m.end}) is already a {type} trigger")
            before = rows.mention_record(s, m)
            after = dict(before, type=type,
                         attributes=self._mention_attributes(type, None, before["attributes"]))
            fits = self._role_fits()
            after["arguments"] = [
                a for a in before["arguments"]
                if fits is None or (_schema_call(self.label_checker, "role", type, a["role"])
                                    is not None and fits(type, a["role"], a["label"]))]
            self._mention_step(s, m.document_id, ann_id, user, "set_mention_type",
                               before, after)
            return True

    def set_mention_attributes(self: Store, mention_id: int, user: str,
                               attributes: dict[str, Any]) -> bool:
        """Set the given attributes (the others keep their values); False when nothing
        changes or the mention is gone or not theirs."""
        with self._own_mention(mention_id, user) as found:
            if found is None:
                return False
            s, ann_id, m = found
            before = rows.mention_record(s, m)
            attrs = self._mention_attributes(m.type, attributes, before["attributes"])
            if attrs == before["attributes"]:
                return False
            self._mention_step(s, m.document_id, ann_id, user, "set_mention_attributes",
                               before, dict(before, attributes=attrs))
            return True

    def set_mention_coref(self: Store, mention_id: int, user: str,
                          coref_of: int | None) -> bool:
        """Event coreference: the mention is another mention of the event of the earlier
        mention `coref_of` (same annotator and document), or of none (None)."""
        with self._own_mention(mention_id, user) as found:
            if found is None:
                return False
            s, ann_id, m = found
            coref = None
            if coref_of is not None:
                target = s.get(EventMention, coref_of)
                if (target is None or target.annotator_id != ann_id
                        or target.document_id != m.document_id):
                    raise StoreError(f"no event mention {coref_of} of {user} in this document")
                if (target.start, target.end, target.type) >= (m.start, m.end, m.type):
                    raise StoreError("a mention corefers with an earlier mention")
                coref = [target.start, target.end, target.type]
            before = rows.mention_record(s, m)
            if before["coref"] == coref:
                return False
            self._mention_step(s, m.document_id, ann_id, user, "set_mention_coref",
                               before, dict(before, coref=coref))
            return True

    def add_event_argument(self: Store, mention_id: int, user: str, role: str,
                           span_id: int) -> EventArgument | None:
        """Link the user's span `span_id` to the mention in `role`. A role that does not
        repeat gives up its argument to this one. None when the mention or the span is
        gone or not the user's, or the link is there already."""
        with self._own_mention(mention_id, user) as found:
            if found is None:
                return None
            s, ann_id, m = found
            span = s.get(Span, span_id)
            if span is None or span.annotator_id != ann_id:
                return None
            if span.document_id != m.document_id:
                raise StoreError("an argument must be a span of the mention's document")
            self._check_role(m.type, role, span.label)
            before = rows.mention_record(s, m)
            new = {"role": role, "start": span.start, "end": span.end, "label": span.label,
                   "provenance": None}
            if any(rows.argument_key(a) == rows.argument_key(new)
                   for a in before["arguments"]):
                return None
            kept = [a for a in before["arguments"]
                    if a["role"] != role or self._repeats(m.type, role)]
            self._mention_step(s, m.document_id, ann_id, user, "add_event_argument",
                               before, dict(before, arguments=[*kept, new]))
            a = _t(EventArgument)
            arg_id = s.execute(select(a.c.id).where(
                a.c.mention_id == m.id, a.c.role == role, a.c.start == span.start,
                a.c.end == span.end, a.c.label == span.label)).scalar()
            return s.get(EventArgument, arg_id)

    def remove_event_argument(self: Store, argument_id: int, user: str) -> bool:
        with self.session() as s:
            mention_id = s.execute(select(_t(EventArgument).c.mention_id)
                                   .where(_t(EventArgument).c.id == argument_id)).scalar()
        if mention_id is None:
            return False
        with self._own_mention(mention_id, user) as found:
            if found is None:
                return False
            s, ann_id, m = found
            arg = s.get(EventArgument, argument_id)
            if arg is None or arg.mention_id != m.id:
                return False
            before = rows.mention_record(s, m)
            gone = (arg.role, arg.start, arg.end, arg.label)
            after = dict(before, arguments=[a for a in before["arguments"]
                                            if rows.argument_key(a) != gone])
            self._mention_step(s, m.document_id, ann_id, user, "remove_event_argument",
                               before, after)
            return True

    # ------------------------------------------------------------------ reads
    def event_mentions(self: Store, doc_id: int, user: str) -> list[MentionView]:
        """The user's mentions on the document, in (start, end, type) order, arguments in
        (role, start, end) order."""
        ann_id = self._annotator_id(user)
        with self.session() as s:
            return mention_views(s, [doc_id], [ann_id]).get((doc_id, ann_id), [])

    def span_argument_links(self: Store, span_id: int) -> list[ArgumentView]:
        """The argument links that name this span (what removing it would remove)."""
        a, t = _t(EventArgument), _t(EventMention)
        with self.session() as s:
            span = s.get(Span, span_id)
            if span is None:
                return []
            return [ArgumentView(*r) for r in s.execute(
                select(a.c.id, a.c.role, a.c.start, a.c.end, a.c.label)
                .join(t, t.c.id == a.c.mention_id)
                .where(t.c.document_id == span.document_id,
                       t.c.annotator_id == span.annotator_id, a.c.start == span.start,
                       a.c.end == span.end, a.c.label == span.label)
                .order_by(t.c.start, t.c.end, t.c.type, a.c.role))]

    # ------------------------------------------------------------------ replay
    def _check_mention_replay(self: Store, payload: dict[str, Any], *, inverse: bool) -> None:
        target = payload["before"] if inverse else payload["after"]
        if target is not None:
            self._check_label("event", target["type"])

    def _apply_mention_action(self: Store, s: Session, doc_id: int, ann_id: int | None,
                              payload: dict[str, Any], *, inverse: bool) -> None:
        frm, to = payload["before"], payload["after"]
        if inverse:
            frm, to = to, frm
        rows.apply_mention_change(s, doc_id, ann_id, frm, to, payload.get("referrers"))


def mention_views(s: Session | Any, doc_ids: list[int],
                  ann_ids: list[int]) -> dict[tuple[int, int], list[MentionView]]:
    """(document id, annotator id) -> mentions, for these documents and annotators (two
    queries; `s` a session or a connection)."""
    out: dict[tuple[int, int], list[MentionView]] = {}
    for row in mention_rows(s, doc_ids, ann_ids):
        out.setdefault((row.document_id, row.annotator_id), []).append(view_of(row))
    return out
