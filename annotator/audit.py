"""The audit trail, pure: one action-log row as a human line or a JSON object.

No database and no Textual here: `annotator.commands.log` reads the rows (in pages) and
hands them to these functions, which the unit tests call directly.

A row's `summary` says what changed, before → after, without the kind (the line shows the
kind in a column of its own): ``PERS [132,141) «ناصر بوريطة»`` for a span,
``in_progress → done`` for a status, ``annotator → adjudicator`` for a role, ``add_span
PERS [132,141) «…» (action 12)`` for the undo of that span.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

UNKNOWN = "?"  # who / from where, on rows written before the log recorded them
EMPTY = "∅"
MAX_TEXT = 40  # characters of a span's text shown in a summary
MAX_ITEMS = 3  # spans listed in one summary; the rest are counted
GOLD_KINDS = ("auto_merge", "adjudicate")
SPAN_KINDS = ("add_span", "remove_span", "relabel_span")
REPLAY_KINDS = ("undo", "redo")
FOLLOW_KIND = "gold_follows"  # gold dropping what an annotator's later change undermined
# what a row's state means, for the kinds on an undo stack: "dead" is an annotator's undone
# change whose redo a newer change discarded, or a decision undone or superseded
STATE_NOTES = {
    "add_span": {"undone": "(undone)", "dead": "(undone, redo discarded)"},
    "adjudicate": {"undone": "(undone)", "dead": "(no longer undoable)"},
}
for _kind in ("remove_span", "relabel_span", "set_events", "set_status"):
    STATE_NOTES[_kind] = STATE_NOTES["add_span"]
STATE_NOTES["auto_merge"] = STATE_NOTES["adjudicate"]

_RELATIVE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# bidi embeddings, overrides and isolates in a document or a name would reorder the rest
# of the terminal line; controls (newline, ESC …) would break it
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


# ------------------------------------------------------------------------ --since
def parse_since(value: str, now: datetime | None = None) -> datetime:
    """`--since`: an ISO date or date-time (UTC unless it carries an offset), or an age
    such as ``30m``, ``2h``, ``7d``, ``2w`` (also ``s``). Returns an aware UTC datetime;
    raises ValueError with a one-line message on anything else."""
    now = now or datetime.now(UTC)
    m = _RELATIVE.match(value)
    if m:
        return now.astimezone(UTC) - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    text = value.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z")
                                      else text)
    except ValueError:
        try:
            when = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise ValueError(
                f"--since {value!r}: use an ISO date or date-time (2025-01-31, "
                "2025-01-31T14:00, UTC unless an offset is given) or an age (30m, 2h, 7d)"
            ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


# -------------------------------------------------------------------------- rows
@dataclass(frozen=True)
class LogRow:
    """One action-log row as read from the database (names resolved)."""

    id: int
    at: datetime  # UTC (naive values are taken as UTC)
    kind: str
    annotator: str  # whose annotations (or role) changed
    document: str | None  # external id; None for a role grant
    state: str = "done"
    by: str | None = None  # the `by` column; None on rows older than the column
    actor: str | None = None  # OS user@host
    payload: Mapping[str, Any] = field(default_factory=dict)

    @property
    def who(self) -> str | None:
        """Who made the change: the `by` column, else (gold rows written before the
        column) the adjudicator the payload names."""
        if self.by:
            return self.by
        named = self.payload.get("by") if isinstance(self.payload, Mapping) else None
        return named if isinstance(named, str) and named else None


def utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def iso_utc(at: datetime) -> str:
    """ISO 8601 in UTC, ``Z`` suffix: ``2025-01-31T14:03:07.120000Z``."""
    return utc(at).isoformat().replace("+00:00", "Z")


def one_line(text: str, limit: int | None = None) -> str:
    """Whitespace runs to one space, control and bidi-override characters dropped,
    cut to `limit` characters with an ellipsis: safe on one terminal line."""
    kept = "".join(" " if ch.isspace() else ch for ch in text
                   if ch.isspace() or (unicodedata.category(ch) != "Cc"
                                       and ch not in _BIDI_CONTROLS))
    kept = re.sub(r" {2,}", " ", kept).strip()
    if limit is not None and len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    return kept


def needs_text(kind: str, payload: Mapping[str, Any]) -> bool:
    """Whether the summary quotes span text (so the caller fetches the document's text)."""
    if kind in SPAN_KINDS:
        return True
    if kind in ("adjudicate", FOLLOW_KIND):
        return bool(payload.get("spans_added") or payload.get("spans_removed"))
    if kind in REPLAY_KINDS:
        inner = payload.get("payload")
        return isinstance(inner, Mapping) and needs_text(str(payload.get("kind")), inner)
    return False


# --------------------------------------------------------------------- summaries
def span_text(span: Mapping[str, Any], text: str | None) -> str:
    """``PERS [132,141) «ناصر بوريطة»`` (the quote only when the text is known)."""
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    out = f"{label} [{start},{end})"
    if text is not None and isinstance(start, int) and isinstance(end, int) \
            and 0 <= start < end <= len(text):
        out += f" «{one_line(text[start:end], MAX_TEXT)}»"
    return out


def _spans(sign: str, spans: Sequence[Mapping[str, Any]], text: str | None) -> list[str]:
    shown = [sign + span_text(sp, text) for sp in spans[:MAX_ITEMS]]
    if len(spans) > MAX_ITEMS:
        shown.append(f"{sign}{len(spans) - MAX_ITEMS} more spans")
    return shown


def _labels(labels: Any) -> str:
    return ", ".join(str(lab) for lab in labels) if labels else EMPTY


def unit_text(scope: Any, start: Any = None, end: Any = None) -> str:
    """``document`` or ``sentence [59,240)``."""
    if scope == "sentence" or start is not None:
        return f"{scope} [{start},{end})"
    return str(scope)


def _event_changes(units: Sequence[Mapping[str, Any]]) -> list[str]:
    """Gold event units: ``document +COOPERATE -STATEMENT``."""
    out = []
    for ev in units:
        unit = list(ev.get("unit") or ["?", None, None]) + [None, None]
        before, after = set(ev.get("before") or {}), set(ev.get("after") or {})
        changes = [f"+{lab}" for lab in sorted(after - before)]
        changes += [f"-{lab}" for lab in sorted(before - after)]
        if changes:
            out.append(f"{unit_text(*unit[:3])} {' '.join(changes)}")
    return out


def _mention_changes(data: Any) -> list[str]:
    """Gold event mentions an adjudication changed (issue 13): ``+VISIT [3,9)`` added,
    ``-…`` removed, ``~…`` changed (arguments, attributes)."""
    if not isinstance(data, Mapping):
        return []
    out = []
    for was, now in zip(data.get("before") or [], data.get("after") or [], strict=False):
        if was.get("mention") == now.get("mention"):
            continue
        sign = "+" if was.get("mention") is None else "-" if now.get("mention") is None else "~"
        start, end, typ = (list(now.get("key") or []) + ["?", "?", "?"])[:3]
        out.append(f"{sign}{typ} [{start},{end})")
    return out


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _added(spans: int, events: int) -> str:
    """``+12 spans +2 event labels``."""
    return f"+{_count(spans, 'span', 'spans')} +{_count(events, 'event label', 'event labels')}"


def _status(payload: Mapping[str, Any]) -> list[str]:
    before, after = payload.get("status_before"), payload.get("status_after")
    if after is None or before == after:
        return []
    return [f"status {before or EMPTY} → {after}"]


def _auto_merge(payload: Mapping[str, Any]) -> str:
    n_spans = len(payload.get("spans_added") or [])
    n_events = sum(
        len(set(ev.get("after") or {}) - set(ev.get("before") or {}))
        for ev in payload.get("events") or []
    )
    mentions = _mention_changes(payload.get("event_mentions"))
    return "; ".join([_added(n_spans, n_events), *([", ".join(mentions)] if mentions else []),
                      *_status(payload)])


def _versions(versions: Any) -> str:
    if not versions:
        return ""
    names = ["+".join(str(a) for a in v) if isinstance(v, list) else str(v) for v in versions]
    return f" ({'; '.join(names)})"


def _adjudicate(payload: Mapping[str, Any], text: str | None) -> str:
    decision = payload.get("decision_after") or {}
    head = f"{decision.get('outcome', 'decided')} {decision.get('kind', 'item')}"
    head += _versions(decision.get("versions"))
    if payload.get("decision_before"):
        head += " (replacing an earlier decision)"
    changes = _spans("+", payload.get("spans_added") or [], text)
    changes += _spans("-", payload.get("spans_removed") or [], text)
    changes += _event_changes(payload.get("events") or [])
    changes += _mention_changes(payload.get("event_mentions"))
    body = ", ".join(changes) if changes else "gold unchanged"
    return "; ".join([f"{head}: {body}", *_status(payload)])


def _follows(payload: Mapping[str, Any], text: str | None) -> str:
    """Gold following an annotator's change: what it dropped, which decisions reopened."""
    changes = _spans("-", payload.get("spans_removed") or [], text)
    for item in payload.get("labels_removed") or []:
        unit = list(item.get("unit") or ["?", None, None]) + [None, None]
        changes.append(f"{unit_text(*unit[:3])} -{item.get('label')}")
    changes += _mention_changes(payload.get("event_mentions"))
    dropped = payload.get("decisions_dropped") or []
    if dropped:
        changes.append("reopened " + ", ".join(
            f"{d.get('outcome', '?')} {d.get('kind', 'item')} ({d.get('by') or UNKNOWN})"
            for d in dropped[:MAX_ITEMS]) + (f" +{len(dropped) - MAX_ITEMS} more"
                                             if len(dropped) > MAX_ITEMS else ""))
    return "; ".join([", ".join(changes) or "gold unchanged", *_status(payload)])


def summarize(kind: str, payload: Mapping[str, Any], text: str | None = None) -> str:
    """What the action changed, before → after, on one line. `text` is the document's
    text, to quote spans (None: offsets only)."""
    p = payload if isinstance(payload, Mapping) else {}
    try:
        if kind == "relabel_span":  # ``GPE → LOC [65,71) «المغرب»``
            return f"{p.get('before') or EMPTY} → {span_text(p.get('span') or {}, text)}"
        if kind in SPAN_KINDS:
            return span_text(p.get("span") or {}, text)
        if kind == "set_events":
            unit = unit_text(p.get("scope"), p.get("start"), p.get("end"))
            return f"{unit}: {_labels(p.get('before'))} → {_labels(p.get('after'))}"
        if kind in ("set_status", "role"):
            return f"{p.get('before') or EMPTY} → {p.get('after') or EMPTY}"
        if kind == "import":
            return _added(int(p.get("spans") or 0), int(p.get("events") or 0))
        if kind in REPLAY_KINDS:
            inner_kind = str(p.get("kind") or "?")
            inner = p.get("payload")
            if isinstance(inner, Mapping):
                what = summarize(inner_kind, inner, text)
            else:  # a decision's undo names the decision's item only
                what = str(p.get("item_key") or "")
            out = f"{inner_kind} {what}".rstrip()
            return out + (f" (action {p['action']})" if p.get("action") is not None else "")
        if kind == "auto_merge":
            return _auto_merge(p)
        if kind == "adjudicate":
            return _adjudicate(p, text)
        if kind == FOLLOW_KIND:
            return _follows(p, text)
        if kind in ("accept_suggestion", "reject_suggestion"):
            return _suggestions(p, text)
        if kind.startswith(("add_event", "remove_event", "set_mention")):
            return _mention_change(p, text)
        if kind == "schema":
            renames = ", ".join(f"{a}={b}" for a, b in (p.get("renames") or {}).items())
            return (f"v{p.get('before') or EMPTY} → v{p.get('after')}"
                    + (f" rename {renames}" if renames else ""))
    except (TypeError, ValueError, AttributeError):
        pass  # a payload of an unexpected shape: show it as it is
    return one_line(json.dumps(p, ensure_ascii=False, sort_keys=True, default=str), 120)


def _suggestions(p: Mapping[str, Any], text: str | None) -> str:
    """``GPE [65,71) «المغرب» (occurrences) +2 more``"""
    items = list(p.get("items") or [])
    if not items:
        return EMPTY
    first = items[0]
    out = f"{span_text(first, text)} ({first.get('source')})"
    return out + (f" +{len(items) - 1} more" if len(items) > 1 else "")


def _mention(m: Mapping[str, Any] | None, text: str | None) -> str:
    if not m:
        return EMPTY
    trigger = span_text({**m, "label": m.get("type")}, text)
    args = ", ".join(f"{a.get('role')}={a.get('label')}" for a in m.get("arguments") or ())
    return trigger + (f" [{args}]" if args else "")


def _mention_change(p: Mapping[str, Any], text: str | None) -> str:
    """``VISIT [3,9) «زيارة» [Agent=PERS] → VISIT [3,9) «زيارة» [Agent=PERS, Place=GPE]``"""
    return f"{_mention(p.get('before'), text)} → {_mention(p.get('after'), text)}"


# ------------------------------------------------------------------------ output
def to_json(row: LogRow, summary: str) -> dict[str, Any]:
    """The `--json` object of one row (one line of JSON Lines)."""
    return {
        "id": row.id, "at": iso_utc(row.at), "by": row.who, "actor": row.actor,
        "annotator": row.annotator, "document": row.document, "kind": row.kind,
        "state": row.state, "summary": summary, "payload": row.payload,
    }


def format_line(row: LogRow, summary: str) -> str:
    """One terminal line: time (UTC), who (actor), document, kind, what changed.

    The subject is named when it is not the one who made the change (``[gold]`` for an
    adjudication; ``bob:`` for bob's role)."""
    at = utc(row.at).strftime("%Y-%m-%d %H:%M:%SZ")
    who = f"{one_line(row.who or UNKNOWN)} ({one_line(row.actor or UNKNOWN)})"
    doc = one_line(row.document) if row.document is not None else "-"
    subject = ""
    if row.kind == "role":
        subject = f"{one_line(row.annotator)}: "
    elif row.annotator != row.who:
        subject = f"[{one_line(row.annotator)}] "
    note = STATE_NOTES.get(row.kind, {}).get(row.state)
    note = f" {note}" if note else ""
    return (f"{at}  {who:<24}  {doc:<16}  {one_line(row.kind):<12}  "
            f"{subject}{one_line(summary)}{note}")

