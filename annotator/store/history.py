"""Undo and redo of an annotator's own changes, per document (a mixin of `Store`).

Each step is one write transaction: it replays the latest (earliest undone) undoable
action of this user on the document inversely (forwards), checks its labels against the
schema like any other write, logs an `undo` / `redo` row of its own time, and lets gold
follow. An `import` stays in the log for the audit but is not on the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from annotator.store import event_mention_rows as event_rows
from annotator.store.errors import StoreError
from annotator.store.event_mentions import EVENT_MENTION_KINDS
from annotator.store.models import Action, utcnow

# payload keys whose values are label names (or lists of them), where a later schema
# rename applies when the action is replayed
LABEL_KEYS = frozenset({"label", "type", "before", "after"})


@dataclass(frozen=True)
class Replay:
    """An action as it is replayed: its payload with the labels renamed since."""

    kind: str
    payload: dict[str, Any]
    document_id: int | None
    annotator_id: int | None


def renames_since(s: Session, action_id: int) -> dict[str, str]:
    """Old label -> its name now, for every `schema set --rename` logged after the action
    (chains followed: A=B then B=C maps A to C)."""
    out: dict[str, str] = {}
    for payload in s.exec(select(Action.payload).where(Action.kind == "schema",
                                                       col(Action.id) > action_id)
                          .order_by(col(Action.id))):
        for old, new in ((payload or {}).get("renames") or {}).items():
            for key, value in out.items():
                if value == old:
                    out[key] = new
            out.setdefault(old, new)
    return out


def renamed(value: Any, names: dict[str, str], key: str | None = None) -> Any:
    """A copy of a payload with the label names under LABEL_KEYS renamed."""
    if isinstance(value, dict):
        return {k: renamed(v, names, k) for k, v in value.items()}
    if key in LABEL_KEYS and isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        if key in LABEL_KEYS and all(isinstance(v, str) for v in value):
            return [names.get(v, v) for v in value]
        return [renamed(v, names) for v in value]
    return value


class StoreHistory:
    """Undo/redo (mixed into `Store`, which provides the primitives used here)."""

    # provided by Store
    write: Any
    _ann_id: Any
    _check_label: Any
    _insert_span: Any
    _delete_span: Any
    _replace_events: Any
    _relabel: Any
    _assignment: Any
    _audit: Any
    _gold_follows: Any
    _check_mention_replay: Any
    _apply_mention_action: Any
    _apply_decision: Any

    # the kinds `_apply` can replay; an "import" (annotations made elsewhere, merged in)
    # stays in the log for the audit but is not on the undo stack
    UNDOABLE = ("add_span", "remove_span", "relabel_span", "set_events", "set_status",
                "accept_suggestion", "reject_suggestion")

    # event mentions (annotator/store/event_mentions.py) are undoable too
    UNDOABLE = UNDOABLE + EVENT_MENTION_KINDS

    def _check_replay(self, action: Action | Replay, *, inverse: bool) -> None:
        """Undo and redo write labels like any other change: each must be in the schema."""
        p = action.payload
        if action.kind in EVENT_MENTION_KINDS:
            self._check_mention_replay(p, inverse=inverse)
        if action.kind in ("add_span", "remove_span"):
            if (action.kind == "add_span") != inverse:
                self._check_label("entity", p["span"]["label"])
        elif action.kind == "relabel_span":
            self._check_label("entity", p["before"] if inverse else p["after"])
        elif action.kind == "set_events":
            for label in p["before"] if inverse else p["after"]:
                self._check_label("event", label)
        elif action.kind == "accept_suggestion" and not inverse:
            for item in p["items"]:
                self._check_label("entity", item["label"])

    def _apply(self, s: Session, action: Action | Replay, *, inverse: bool) -> None:
        p = action.payload
        doc_id, ann_id = action.document_id, action.annotator_id
        assert doc_id is not None
        if action.kind in ("add_span", "remove_span"):
            sp = p["span"]
            adding = (action.kind == "add_span") != inverse
            if adding:
                self._insert_span(s, doc_id, ann_id, sp["start"], sp["end"], sp["label"],
                                  sp.get("provenance"))
                if p.get("links"):  # the argument links its removal took
                    event_rows.restore_span_links(s, doc_id, ann_id, sp["start"], sp["end"],
                                                  sp["label"], p["links"])
            else:
                self._delete_span(s, doc_id, ann_id, sp["start"], sp["end"], sp["label"])
        elif action.kind == "relabel_span":
            sp = p["span"]
            old, new = (p["after"], p["before"]) if inverse else (p["before"], p["after"])
            self._relabel(s, doc_id, ann_id, sp["start"], sp["end"], old, new)
            dropped = p.get("links_dropped", [])  # argument links follow the span
            event_rows.relabel_span_links(s, doc_id, ann_id, sp["start"], sp["end"], old,
                                          new, drop=[] if inverse else dropped)
            if inverse and dropped:
                event_rows.restore_span_links(s, doc_id, ann_id, sp["start"], sp["end"],
                                              new, dropped)
        elif action.kind == "set_events":
            labels = p["before"] if inverse else p["after"]
            self._replace_events(s, doc_id, ann_id, p["scope"], p["start"], p["end"], labels)
        elif action.kind in EVENT_MENTION_KINDS:
            self._apply_mention_action(s, doc_id, ann_id, p, inverse=inverse)
        elif action.kind == "set_status":
            a = self._assignment(s, doc_id, ann_id)
            assert a is not None
            a.status = p["before"] if inverse else p["after"]
            a.updated_at = utcnow()
            s.add(a)
        elif action.kind in ("accept_suggestion", "reject_suggestion"):
            # suggestions (annotator/store/suggestions.py): spans and suggestion states
            self._apply_decision(s, doc_id, ann_id, p["items"],
                                 accept=action.kind == "accept_suggestion", inverse=inverse)
        s.flush()

    def _step(self, doc_id: int, user: str, *, undo: bool) -> Action | None:
        """Undo (redo) this user's latest (earliest undone) change on the document: one
        transaction, logged as an `undo` (`redo`) row of its own time."""
        with self.write(doc_id) as s:
            ann_id = self._ann_id(s, user)
            order = col(Action.id).desc() if undo else col(Action.id)
            action = s.exec(
                select(Action)
                .where(Action.document_id == doc_id, Action.annotator_id == ann_id,
                       Action.state == ("done" if undo else "undone"),
                       col(Action.kind).in_(self.UNDOABLE))
                .order_by(order)
            ).first()
            if action is None:
                return None
            assert action.id is not None
            names = renames_since(s, action.id)
            replay = Replay(action.kind, renamed(action.payload, names) if names
                            else action.payload, action.document_id, action.annotator_id)
            try:
                self._check_replay(replay, inverse=undo)
            except StoreError as exc:
                raise StoreError(f"cannot {'undo' if undo else 'redo'}: {exc}") from None
            self._apply(s, replay, inverse=undo)
            action.state = "undone" if undo else "done"
            s.add(action)
            self._audit(s, doc_id, ann_id, "undo" if undo else "redo",
                        {"action": action.id, "kind": action.kind, "payload": action.payload},
                        by=user)
            self._gold_follows(s, doc_id, ann_id, action.kind)
            s.commit()
            return action

    def undo(self, doc_id: int, user: str) -> Action | None:
        """Revert this user's latest change on the document; None when there is none."""
        return self._step(doc_id, user, undo=True)

    def redo(self, doc_id: int, user: str) -> Action | None:
        return self._step(doc_id, user, undo=False)
