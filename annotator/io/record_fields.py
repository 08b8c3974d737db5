"""One input record (a JSON object or a CSV row) validated into an `ArticleInput`.

`FieldMap` says which fields hold the text, the id and the title; `None` tries the
defaults in order. Whatever would be stored must be storable on every backend
(`annotator.text.storable`), and a text may have at most `max_chars` characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.text.span_edges import edge_problem
from annotator.text.storable import unstorable, unstorable_json

MAX_CHARS = 1_000_000  # a longer document is rejected (--max-chars)
TEXT_FIELDS = ("text", "content", "body")
ID_FIELDS = ("id", "url")
TITLE_FIELDS = ("title", "headline")
RECORD_KEYS = frozenset({"sentences", "spans", "events", "meta", "event_mentions"})
EXTRA_MAX = 32  # other scalar fields kept in `ArticleInput.extra`, at most this many
EXTRA_MAX_CHARS = 500  # a longer string field is not kept
FORMAT_SUFFIXES = (".txt", ".jsonl", ".json", ".csv", ".tsv")


@dataclass
class ParsedSpan:
    start: int
    end: int
    label: str


@dataclass
class ParsedEvent:
    label: str
    scope: str
    start: int | None = None
    end: int | None = None


@dataclass
class ArticleInput:
    """One article to import, before cleaning."""

    path: Path
    line: int | None
    external_id: str
    text: str
    title: str | None = None
    sentences: list[tuple[int, int]] | None = None
    spans: list[ParsedSpan] = field(default_factory=list)
    events: list[ParsedEvent] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    is_record: bool = False  # came from a record: offsets refer to `text` as given
    # other small scalar fields of the record or CSV row (e.g. 'date', 'source'); not stored
    # unless the importer chooses to
    extra: dict[str, str | int | float | bool] = field(default_factory=dict)
    # structured event mentions (annotator.io.record_mentions.ParsedMention)
    event_mentions: list[Any] = field(default_factory=list)
    # the reader put `text` in NFC itself (offsets mapped), and that changed it (brat)
    nfc_changed: bool = False

    @property
    def has_annotations(self) -> bool:
        return bool(self.spans or self.events or self.event_mentions)


@dataclass(frozen=True)
class FieldMap:
    """Which field holds the text, id and title (`--text-field` ...); None: the defaults."""

    text: str | None = None
    id: str | None = None
    title: str | None = None

    def text_names(self) -> tuple[str, ...]:
        return (self.text,) if self.text is not None else TEXT_FIELDS

    def id_names(self) -> tuple[str, ...]:
        return (self.id,) if self.id is not None else ID_FIELDS

    def title_names(self) -> tuple[str, ...]:
        return (self.title,) if self.title is not None else TITLE_FIELDS


DEFAULT_FIELDS = FieldMap()


def base_stem(path: Path) -> str:
    """The file name without `.gz` and a format suffix: `a.jsonl.gz` -> `a`."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    low = name.lower()
    for suffix in FORMAT_SUFFIXES:
        if low.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def one_line(exc: BaseException) -> str:
    """`Type: first line of the message`, for an unexpected error reported on one item."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def too_long(n: int, max_chars: int) -> str:
    return f"document has {n:,} characters, more than --max-chars {max_chars:,}"


def quoted(names: list[str] | tuple[str, ...], limit: int = 8) -> str:
    """`'a', 'b' or 'c'`-style lists for messages (at most `limit` names)."""
    shown = [repr(n) for n in names[:limit]]
    if len(names) > limit:
        shown.append(f"… ({len(names) - limit} more)")
    return ", ".join(shown)


def alternatives(names: tuple[str, ...]) -> str:
    q = [repr(n) for n in names]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + f" or {q[-1]}"


def missing_text(fields: FieldMap, found: list[str], what: str = "field") -> str:
    """`record has no 'text', 'content' or 'body' field; it has 'url', 'date' (use ...)`."""
    names = fields.text_names()
    has = f"it has {quoted(found)}" if found else "it has no fields"
    if fields.text is not None:
        return f"record has no {names[0]!r} {what} (--text-field); {has}"
    return f"record has no {alternatives(names)} {what}; {has} (use --text-field)"


def first_present(obj: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of `names` that `obj` has with a value other than None/empty string."""
    for name in names:
        if obj.get(name) not in (None, ""):
            return name
    return None


def _int(value: Any, what: str, path: Path, line: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(str(path), f"{what} must be an integer, got {value!r}", line)
    return value


def _range(obj: Any, kind: str, i: int, n: int, path: Path, line: int) -> tuple[int, int]:
    """`start` and `end` of a sentence, span or event object (the `i`th `kind`): integers,
    0 <= start < end <= n."""
    if isinstance(obj, dict):
        start, end = obj.get("start"), obj.get("end")
        if (type(start) is int and type(end) is int  # noqa: E721 (bool is not an offset)
                and 0 <= start < end <= n):
            return start, end  # the common case, at the cost of three tests
    what = f"{kind} {i}"
    if not isinstance(obj, dict):
        raise InputError(str(path), f"{what} must be an object", line)
    start = _int(obj.get("start"), f"{what} start", path, line)
    end = _int(obj.get("end"), f"{what} end", path, line)
    raise InputError(
        str(path), f"{what} [{start}, {end}) is out of range (text has {n} chars)", line
    )


def _list(raw: dict[str, Any], key: str, path: Path, line: int) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(str(path), f"{key!r} must be a list, got {type(value).__name__}", line)
    return value


def _storable(value: str | None, what: str, path: Path, line: int) -> None:
    reason = unstorable(value) if value is not None else None
    if reason:
        raise InputError(str(path), f"{what} {reason}, which cannot be stored", line)


def _text(raw: dict[str, Any], fields: FieldMap, path: Path, line: int, max_chars: int) -> str:
    key = next((k for k in fields.text_names() if raw.get(k) is not None), None)
    if key is None:
        raise InputError(str(path), missing_text(fields, [str(k) for k in raw]), line)
    text = raw[key]
    if not isinstance(text, str):
        raise InputError(str(path), f"{key!r} must be a string, got {type(text).__name__}",
                         line)
    if not text.strip():
        raise InputError(str(path), f"record has no {key!r}: the field is empty", line)
    if len(text) > max_chars:
        raise InputError(str(path), too_long(len(text), max_chars), line)
    _storable(text, "text", path, line)
    return text


def extras(raw: dict[str, Any], used: set[str]) -> dict[str, str | int | float | bool]:
    """The record's other small scalar fields (skipping any that could not be stored)."""
    out: dict[str, str | int | float | bool] = {}
    for key, value in raw.items():
        if len(out) >= EXTRA_MAX:
            break
        if key in used or key in RECORD_KEYS or not isinstance(key, str) or unstorable(key):
            continue
        if isinstance(value, str):
            if value.strip() and len(value) <= EXTRA_MAX_CHARS and not unstorable(value):
                out[key] = value
        elif isinstance(value, bool | int) or (isinstance(value, float)
                                               and math.isfinite(value)):
            out[key] = value
    return out


_STORABLE_LABELS: set[str] = set()  # labels known to be storable (a schema has a few dozen)


def parse_record(
    raw: Any, path: Path, line: int, max_chars: int = MAX_CHARS,
    fields: FieldMap = DEFAULT_FIELDS,
) -> ArticleInput:
    """Validate one JSON record (only a text field is required)."""
    if not isinstance(raw, dict):
        raise InputError(str(path), "a record must be a JSON object", line)
    text = _text(raw, fields, path, line, max_chars)
    n = len(text)
    id_key = first_present(raw, fields.id_names())
    rid = raw.get(id_key) if id_key is not None else None
    external_id = str(rid) if rid not in (None, "") else f"{base_stem(path)}-{line}"
    _storable(external_id, "id", path, line)
    sentences = None
    if raw.get("sentences") is not None:
        sentences = []
        for i, s in enumerate(_list(raw, "sentences", path, line)):
            start, end = _range(s, "sentence", i, n, path, line)
            if sentences and start < sentences[-1][1]:
                raise InputError(
                    str(path), f"sentence {i} [{start}, {end}) overlaps or precedes the one "
                    "before it", line,
                )
            sentences.append((start, end))
    spans = []
    labels_ok = _STORABLE_LABELS
    for i, s in enumerate(_list(raw, "spans", path, line)):
        start, end = _range(s, "span", i, n, path, line)
        label = s.get("label")
        if not isinstance(label, str) or not label:
            raise InputError(str(path), f"span {i} has no label", line)
        if label not in labels_ok:
            _storable(label, f"span {i} label", path, line)
            if len(labels_ok) < 1_000:
                labels_ok.add(label)
        if "text" in s and s["text"] != text[start:end]:
            raise InputError(
                str(path),
                f"span {i} text {s['text']!r} differs from text[{start}:{end}] "
                f"{text[start:end]!r}",
                line,
            )
        problem = edge_problem(text, start, end)  # the rule every new span follows
        if problem is not None:
            raise InputError(str(path), f"span {i} [{start}, {end}) {text[start:end]!r} "
                             f"{problem}", line)
        spans.append(ParsedSpan(start, end, label))
    events = []
    for i, e in enumerate(_list(raw, "events", path, line)):
        if not isinstance(e, dict) or not isinstance(e.get("label"), str) or not e["label"]:
            raise InputError(str(path), f"event {i} needs a label", line)
        _storable(e["label"], f"event {i} label", path, line)
        scope = e.get("scope", "document")
        if scope == "document":
            events.append(ParsedEvent(e["label"], "document"))
        elif scope == "sentence":
            start, end = _range(e, "event", i, n, path, line)
            events.append(ParsedEvent(e["label"], "sentence", start, end))
        else:
            raise InputError(str(path), f"event {i} has unknown scope {scope!r}", line)
    mentions = []
    if raw.get("event_mentions") is not None:
        from annotator.io.record_mentions import parse_mentions

        mentions = parse_mentions(raw["event_mentions"], text,
                                  {(s.start, s.end, s.label) for s in spans}, path, line)
    # a text that is not NFC keeps its offsets: the importer maps them through NFC
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    title_key = next((k for k in fields.title_names() if isinstance(raw.get(k), str)), None)
    title = raw[title_key] if title_key is not None else None
    _storable(title, "title", path, line)
    reason = unstorable_json(meta, "meta")
    if reason:
        raise InputError(str(path), f"{reason}, which cannot be stored", line)
    text_key = next(k for k in fields.text_names() if raw.get(k) is not None)
    used = {text_key, *(k for k in (id_key, title_key) if k is not None)}
    return ArticleInput(
        path=path, line=line, external_id=external_id, text=text, title=title,
        sentences=sentences, spans=spans, events=events, meta=meta, is_record=True,
        extra=extras(raw, used), event_mentions=mentions,
    )


def parse_row(
    row: dict[str, str], path: Path, line: int, max_chars: int = MAX_CHARS,
    fields: FieldMap = DEFAULT_FIELDS,
) -> ArticleInput:
    """Validate one CSV/TSV row (column name -> cell): text, id, title; other cells -> extra."""
    text_key = next((k for k in fields.text_names() if k in row), None)
    if text_key is None:  # the reader checks the header first: this is a safety net
        raise InputError(str(path), missing_text(fields, list(row), "column"), line)
    text = row[text_key]
    if not text.strip():
        raise InputError(str(path), f"record has no {text_key!r}: the cell is empty", line)
    if len(text) > max_chars:
        raise InputError(str(path), too_long(len(text), max_chars), line)
    _storable(text, "text", path, line)
    id_key = first_present(row, fields.id_names())
    external_id = row[id_key] if id_key is not None else f"{base_stem(path)}-{line}"
    _storable(external_id, "id", path, line)
    title_key = first_present(row, fields.title_names())
    title = row[title_key] if title_key is not None else None
    _storable(title, "title", path, line)
    used = {text_key, *(k for k in (id_key, title_key) if k is not None)}
    return ArticleInput(
        path=path, line=line, external_id=external_id, text=text, title=title,
        is_record=True, extra=extras(row, used | RECORD_KEYS),
    )
