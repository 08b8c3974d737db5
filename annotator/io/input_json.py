"""JSONL and JSON inputs, read as streams (never the whole file at once).

JSONL: one record a line, read line by line; a bad line is one error and the rest goes on.
JSON: an array of records, or an object that is one record, or an object that holds one
list of records under some key (`{"articles": [...]}`: the first list whose first element
is an object with a text field). Records in an array are read one at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from annotator.errors import InputError
from annotator.io.input_files import InputNotice
from annotator.io.json_stream import JsonProblem, JsonStream
from annotator.io.record_fields import RECORD_KEYS, ArticleInput, FieldMap, one_line

Item = ArticleInput | InputError | InputNotice
Parse = Callable[[Any, Path, int, int, FieldMap], ArticleInput]
_BOM = b"\xef\xbb\xbf"


def record_limit(max_chars: int) -> int:
    """The most bytes (or characters) one record may take: its text escaped, and offsets."""
    return 16 * max_chars + (1 << 20)


def parse_one(parse: Parse, raw: Any, path: Path, line: int, max_chars: int,
              fields: FieldMap) -> ArticleInput | InputError:
    try:
        return parse(raw, path, line, max_chars, fields)
    except InputError as exc:
        return exc
    except Exception as exc:  # a bug here must not stop the records after this one
        return InputError(str(path), f"internal error: {one_line(exc)}", line)


def _skip_rest_of_line(f: BinaryIO, limit: int) -> None:
    while True:
        more = f.readline(limit)
        if not more or more.endswith(b"\n"):
            return


def read_jsonl_stream(f: BinaryIO, path: Path, max_chars: int, fields: FieldMap,
                      parse: Parse) -> Iterator[Item]:
    """Each record of a JSONL stream, or the error that rejects its line."""
    limit = record_limit(max_chars)
    number, seen = 0, False
    # records end at "\n" only: U+2028, U+2029 and U+0085 may stand unescaped inside a
    # JSON string (our own export writes them so); binary readline splits at b"\n" only
    while raw := f.readline(limit):
        number += 1
        if number == 1:
            raw = raw.removeprefix(_BOM)
        if len(raw) >= limit and not raw.endswith(b"\n"):
            _skip_rest_of_line(f, limit)
            seen = True
            yield InputError(str(path), f"line is longer than {limit:,} bytes (more than "
                             "--max-chars allows): skipped", number)
            continue
        if b"\x00" in raw:
            yield InputError(str(path), "binary file (NUL byte), not UTF-8 text", number)
            return
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            seen = True
            yield InputError(str(path), f"not UTF-8 (byte 0x{raw[exc.start]:02x})", number)
            continue
        if not line.strip():
            continue
        seen = True
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", number)
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            yield InputError(str(path), f"invalid JSON: {reason}", number)
            continue
        yield parse_one(parse, value, path, number, max_chars, fields)
    if not seen:
        yield InputError(str(path), "empty file")


def _bad_utf8(path: Path, line: int, bad: tuple[int, int]) -> InputError:
    where = f" (in the record that starts on line {line})" if bad[0] != line else ""
    return InputError(str(path), f"not UTF-8 (byte 0x{bad[1]:02x}){where}", bad[0])


class _Reader:
    def __init__(self, js: JsonStream, path: Path, max_chars: int, fields: FieldMap,
                 parse: Parse) -> None:
        self.js, self.path, self.max_chars = js, path, max_chars
        self.fields, self.parse = fields, parse

    def _record(self, value: Any, line: int, bad: tuple[int, int] | None) -> Item:
        if bad is not None:
            return _bad_utf8(self.path, line, bad)
        return parse_one(self.parse, value, self.path, line, self.max_chars, self.fields)

    def array(self) -> Iterator[Item]:
        """The records of the array at the cursor, one at a time."""
        js = self.js
        line = js.line_at(js.pos)
        js.expect("[", "'['")
        if js.peek() == "]":
            js.pos += 1
            yield InputError(str(self.path), "no records (an empty JSON array)", line)
            return
        while True:
            value, line, bad = js.value()
            yield self._record(value, line, bad)
            if js.expect(",]", "',' or ']'") == "]":
                return

    def sequence(self) -> Iterator[Item]:
        """Records one after the other (JSONL); an invalid one is skipped to the next line."""
        js = self.js
        while js.peek() != "":
            try:
                value, line, bad = js.value()
            except JsonProblem as exc:
                yield InputError(str(self.path), exc.message, exc.line)
                if "rest of the file" in exc.message or exc.message.startswith("binary"):
                    return
                js.skip_line()
                continue
            yield self._record(value, line, bad)

    def _has_text(self, value: Any) -> bool:
        return isinstance(value, dict) and any(
            value.get(k) is not None for k in self.fields.text_names())

    def _is_records_list(self) -> bool:
        """Whether the list at the cursor starts with a record (looked at, not consumed)."""
        js = self.js
        mark = js.mark()
        try:
            js.pos += 1
            if js.peek() != "{":
                return False
            first, _, _ = js.value()
            return self._has_text(first)
        finally:
            js.reset(mark)

    def obj(self) -> Iterator[Item]:
        """One record, or the records of the one list of records the object holds."""
        js, path = self.js, str(self.path)
        open_line = js.line_at(js.pos)
        js.expect("{", "'{'")
        top: dict[str, Any] = {}
        records_key: str | None = None
        first_bad: tuple[int, int] | None = None
        if js.peek() == "}":
            js.pos += 1
        else:
            while True:
                key, kline, _ = js.value()
                if not isinstance(key, str):
                    raise JsonProblem("invalid JSON: expected a key (a string)", kline)
                js.expect(":", "':'")
                if (js.peek() == "[" and records_key is None and key not in RECORD_KEYS
                        and not self._has_text(top) and self._is_records_list()):
                    records_key = key
                    yield InputNotice(path, kline, f"records read from the list {key!r} of "
                                      "the JSON object")
                    yield from self.array()
                else:
                    value, _, bad = js.value()
                    first_bad = first_bad or bad
                    if records_key is None:
                        top[key] = value
                    elif isinstance(value, list) and value and self._has_text(value[0]):
                        yield InputNotice(path, kline, f"a second list of records {key!r} "
                                          f"was not read (only {records_key!r})")
                if js.expect(",}", "',' or '}'") == "}":
                    break
        if records_key is None:
            yield self._record(top, open_line, first_bad)


def read_json_stream(f: BinaryIO, path: Path, max_chars: int, fields: FieldMap,
                     parse: Parse) -> Iterator[Item]:
    """The records of a JSON file (see the module's docstring), read incrementally."""
    js = JsonStream(f, record_limit(max_chars))
    reader = _Reader(js, path, max_chars, fields, parse)
    try:
        c = js.peek()
        if c == "":
            yield InputError(str(path), "empty file")
            return
        if c == "[":
            yield from reader.array()
        elif c == "{":
            yield from reader.obj()
            if js.peek() == "{":  # one object a line (or one after the other): JSONL
                yield InputNotice(str(path), js.line_at(js.pos), "one JSON object a line in a "
                                  ".json file: read as JSONL")
                yield from reader.sequence()
                return
        else:
            yield InputError(str(path), "a JSON file must hold an array of records or an "
                             "object", js.line_at(js.pos))
            return
        if js.peek() != "":
            yield InputError(str(path), "extra data after the JSON value: ignored",
                             js.line_at(js.pos))
    except JsonProblem as exc:
        message = exc.message
        if "rest of the file" not in message:
            message += "; the rest of the file is skipped"
        yield InputError(str(path), message, exc.line)
