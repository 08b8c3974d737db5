"""What the status line says after undo / redo: the change named, pure (no Textual).

`undone: removed ORG «القاعدة»`, `redone: GPE → LOC «دبي»`, `undone: events of sentence 3:
MEET → ∅`, `undone: status done → in progress`. `quote(start, end)` draws a span's text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from annotator.tui.mention_notices import MENTION_KINDS, mention_notice, mention_range

Quote = Callable[[int, int], str]
EMPTY = "∅"


def _labels(labels: Sequence[str] | None) -> str:
    return ", ".join(labels or ()) or EMPTY


def changed_span(kind: str, payload: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where the change was, to bring it into view: a span's range, a sentence's."""
    span = payload.get("span")
    if isinstance(span, Mapping) and "start" in span and "end" in span:
        return int(span["start"]), int(span["end"])
    if kind == "set_events" and payload.get("start") is not None:
        return int(payload["start"]), int(payload["end"])
    if kind in MENTION_KINDS:  # event mentions (mention_notices)
        return mention_range(payload)
    return None


def history_notice(kind: str, payload: Mapping[str, Any], *, undo: bool, quote: Quote,
                   sentence_of: Callable[[int], int | None] = lambda _o: None) -> str:
    """`undone: …` / `redone: …`, naming what the step changed (as it now stands)."""
    if kind in MENTION_KINDS:  # event mentions (mention_notices)
        return mention_notice(kind, payload, undo=undo, quote=quote)
    head = "undone" if undo else "redone"
    span = payload.get("span") if isinstance(payload.get("span"), Mapping) else None
    if kind in ("add_span", "remove_span") and span is not None:
        added = (kind == "add_span") != undo
        verb = ("added" if kind == "add_span" else "restored") if added else "removed"
        return f"{head}: {verb} {span['label']} {quote(span['start'], span['end'])}"
    if kind == "relabel_span" and span is not None:
        old, new = (payload["after"], payload["before"]) if undo else (payload["before"],
                                                                        payload["after"])
        return f"{head}: {old} → {new} {quote(span['start'], span['end'])}"
    if kind == "set_events":
        before, after = payload.get("before"), payload.get("after")
        if undo:
            before, after = after, before
        if payload.get("scope") == "document" or payload.get("start") is None:
            unit = "events of the document"
        else:
            n = sentence_of(int(payload["start"]))
            unit = f"events of sentence {n + 1}" if n is not None else "events of a sentence"
        return f"{head}: {unit}: {_labels(before)} → {_labels(after)}"
    if kind == "set_status":
        before, after = payload.get("before", "?"), payload.get("after", "?")
        if undo:
            before, after = after, before
        return f"{head}: status {str(before).replace('_', ' ')} → {str(after).replace('_', ' ')}"
    return f"{head}: {kind.replace('_', ' ')}"
