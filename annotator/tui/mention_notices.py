"""What the status line says after undoing / redoing an event-mention change, pure (no
Textual): `undone: linked Place GPE «المغرب» to VISIT`, `redone: polarity=negative on
VISIT «زيارة»`, `undone: VISIT trigger «زيارة» removed`.

The action's payload holds the mention's record before and after (see
`annotator.store.event_mention_rows`); the notice names what the step changed, as it now
stands. `quote(start, end)` draws a text range.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from annotator.store.event_mentions import EVENT_MENTION_KINDS

Quote = Callable[[int, int], str]
MENTION_KINDS = EVENT_MENTION_KINDS  # the action kinds whose undo/redo notice is said here


def mention_range(payload: Mapping[str, Any]) -> tuple[int, int] | None:
    """The trigger the step changed (to bring it into view)."""
    rec = payload.get("after") or payload.get("before")
    if isinstance(rec, Mapping) and "start" in rec and "end" in rec:
        return int(rec["start"]), int(rec["end"])
    return None


def _args(rec: Mapping[str, Any] | None) -> set[tuple[str, int, int, str]]:
    return {(a["role"], a["start"], a["end"], a["label"])
            for a in (rec or {}).get("arguments", [])}


def mention_notice(kind: str, payload: Mapping[str, Any], *, undo: bool,
                   quote: Quote) -> str:
    """`undone: …` / `redone: …` for one event-mention step."""
    head = "undone" if undo else "redone"
    before, after = payload.get("before"), payload.get("after")
    if undo:  # what the step did, read backwards: the state now is `before`
        before, after = after, before
    rec = after or before
    if not isinstance(rec, Mapping):
        return f"{head}: {kind.replace('_', ' ')}"
    name = f"{rec['type']} trigger {quote(rec['start'], rec['end'])}"
    if before is None:
        return f"{head}: {name} added"
    if after is None:
        return f"{head}: {name} removed"
    if before.get("type") != after.get("type"):
        return f"{head}: {before['type']} → {after['type']} {quote(rec['start'], rec['end'])}"
    linked, unlinked = _args(after) - _args(before), _args(before) - _args(after)
    if linked or unlinked:
        parts = [f"linked {r} {lab} {quote(s, e)}" for r, s, e, lab in sorted(linked)]
        parts += [f"unlinked {r} {lab} {quote(s, e)}" for r, s, e, lab in sorted(unlinked)]
        return f"{head}: {', '.join(parts)} ({after['type']})"
    attrs_before, attrs_after = before.get("attributes") or {}, after.get("attributes") or {}
    changed = [f"{k}={v}" for k, v in sorted(attrs_after.items()) if attrs_before.get(k) != v]
    if changed:
        return f"{head}: {' '.join(changed)} on {name}"
    if before.get("coref") != after.get("coref"):
        return f"{head}: event coreference of {name}"
    return f"{head}: {kind.replace('_', ' ')} {name}"
