"""Reading raw inputs: `.txt` articles and `.jsonl` records, validated into plain objects.

No database here: the import command stores what these functions return. Every problem
is an `InputError` naming the file and, for JSONL, the line. Whatever would be stored
(text, title, id, labels, meta, the file's name) must be storable on every backend
(`annotator.text.storable`), and a document's text may have at most `max_chars`
characters (as read, before cleaning).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.text.span_edges import edge_problem
from annotator.text.storable import unstorable, unstorable_json

SUPPORTED_SUFFIXES = (".txt", ".jsonl")
MAX_CHARS = 1_000_000  # a longer document is rejected (--max-chars)


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
    is_record: bool = False  # came from JSONL: offsets refer to `text` as given

    @property
    def has_annotations(self) -> bool:
        return bool(self.spans or self.events)


def collect_files(paths: list[Path]) -> tuple[list[Path], list[InputError]]:
    """Expand folders (recursively, sorted) into supported files; report unusable paths."""
    found: list[Path] = []
    errors: list[InputError] = []
    for p in paths:
        if p.is_dir():
            found.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in SUPPORTED_SUFFIXES)
            )
        elif p.is_file():
            if p.suffix in SUPPORTED_SUFFIXES:
                found.append(p)
            else:
                errors.append(InputError(str(p), "not a .txt or .jsonl file"))
        else:
            errors.append(InputError(str(p), "no such file or folder"))
    files = []
    for f in found:
        # a name that is not UTF-8 comes out of the OS with lone surrogates
        # (surrogateescape); it is stored as the source path (and a .txt's stem as its id)
        if unstorable(str(f)):
            errors.append(InputError(str(f), "file name is not UTF-8: rename the file"))
        else:
            files.append(f)
    return files, errors


def _too_long(n: int, max_chars: int) -> str:
    return f"document has {n:,} characters, more than --max-chars {max_chars:,}"


def one_line(exc: BaseException) -> str:
    """`Type: first line of the message`, for an unexpected error reported on one item."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def decode_utf8(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(str(path), "binary file (NUL byte), not UTF-8 text", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), f"not UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    return text.removeprefix("\ufeff")


def read_txt(path: Path, max_chars: int = MAX_CHARS) -> ArticleInput:
    """One article. Strict UTF-8 decoding (no surrogates can come out) and no NUL byte
    (`decode_utf8`) leave nothing unstorable in the text."""
    limit = 4 * max_chars + 3  # bytes: UTF-8 takes at most 4 a character, plus a BOM
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:  # more characters than max_chars, whatever they are: don't read
                raise InputError(
                    str(path), f"document is {size:,} bytes, longer than --max-chars "
                    f"{max_chars:,} characters",
                )
            data = f.read(limit + 1)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    text = decode_utf8(path, data)
    if len(text) > max_chars:
        raise InputError(str(path), _too_long(len(text), max_chars))
    if not text.strip():
        raise InputError(str(path), "empty file")
    return ArticleInput(path=path, line=None, external_id=path.stem, text=text)


def _int(value: Any, what: str, path: Path, line: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(str(path), f"{what} must be an integer, got {value!r}", line)
    return value


def _range(obj: Any, what: str, n: int, path: Path, line: int) -> tuple[int, int]:
    """`start` and `end` of a sentence, span or event object: integers, 0 <= start < end <= n."""
    if not isinstance(obj, dict):
        raise InputError(str(path), f"{what} must be an object", line)
    start = _int(obj.get("start"), f"{what} start", path, line)
    end = _int(obj.get("end"), f"{what} end", path, line)
    if not 0 <= start < end <= n:
        raise InputError(
            str(path), f"{what} [{start}, {end}) is out of range (text has {n} chars)", line
        )
    return start, end


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


def parse_record(raw: Any, path: Path, line: int, max_chars: int = MAX_CHARS) -> ArticleInput:
    """Validate one JSONL record (only `text` is required)."""
    if not isinstance(raw, dict):
        raise InputError(str(path), "a record must be a JSON object", line)
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(str(path), "record has no 'text'", line)
    n = len(text)
    if n > max_chars:
        raise InputError(str(path), _too_long(n, max_chars), line)
    _storable(text, "text", path, line)
    rid = raw.get("id")
    external_id = str(rid) if rid not in (None, "") else f"{path.stem}-{line}"
    _storable(external_id, "id", path, line)
    sentences = None
    if raw.get("sentences") is not None:
        sentences = []
        for i, s in enumerate(_list(raw, "sentences", path, line)):
            start, end = _range(s, f"sentence {i}", n, path, line)
            if sentences and start < sentences[-1][1]:
                raise InputError(
                    str(path), f"sentence {i} [{start}, {end}) overlaps or precedes the one "
                    "before it", line,
                )
            sentences.append((start, end))
    spans = []
    for i, s in enumerate(_list(raw, "spans", path, line)):
        start, end = _range(s, f"span {i}", n, path, line)
        label = s.get("label")
        if not isinstance(label, str) or not label:
            raise InputError(str(path), f"span {i} has no label", line)
        _storable(label, f"span {i} label", path, line)
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
            start, end = _range(e, f"event {i}", n, path, line)
            events.append(ParsedEvent(e["label"], "sentence", start, end))
        else:
            raise InputError(str(path), f"event {i} has unknown scope {scope!r}", line)
    if (spans or events or sentences) and unicodedata.normalize("NFC", text) != text:
        raise InputError(
            str(path), "text is not NFC: its offsets would move when normalised", line
        )
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    title = raw.get("title") if isinstance(raw.get("title"), str) else None
    _storable(title, "title", path, line)
    reason = unstorable_json(meta, "meta")
    if reason:
        raise InputError(str(path), f"{reason}, which cannot be stored", line)
    return ArticleInput(
        path=path, line=line, external_id=external_id, text=text, title=title,
        sentences=sentences, spans=spans, events=events, meta=meta, is_record=True,
    )


def read_jsonl(path: Path, max_chars: int = MAX_CHARS) -> Iterator[ArticleInput | InputError]:
    """Yield each record, or the error that rejects that line; a bad line never stops the rest."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror}")
        return
    try:
        content = decode_utf8(path, data)
    except InputError as exc:
        yield exc
        return
    if not content.strip():
        yield InputError(str(path), "empty file")
        return
    # records end at "\n" only: U+2028, U+2029 and U+0085 may stand unescaped inside a
    # JSON string (our own export writes them so), and str.splitlines would break there
    for number, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", number)
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            yield InputError(str(path), f"invalid JSON: {reason}", number)
            continue
        try:
            item = parse_record(raw, path, number, max_chars)
        except InputError as exc:
            item = exc
        except Exception as exc:  # a bug here must not stop the lines after this one
            item = InputError(str(path), f"internal error: {one_line(exc)}", number)
        yield item
