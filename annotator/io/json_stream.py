"""Incremental reading of JSON values from a binary stream, one value at a time.

`JsonStream` keeps a text buffer fed by chunks of the stream and drops what was consumed,
so memory stays about one value plus a chunk. Bytes that are not UTF-8 are decoded as
U+FFFD and remembered (`Utf8Feed.bad`), so the value holding them can be rejected and the rest
read. Lines count `\\n` only, as in JSONL.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, BinaryIO

from annotator.io.input_files import CHUNK

_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


class JsonProblem(Exception):
    """The stream cannot be read on from here (invalid JSON, too long, NUL byte)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Utf8Feed:
    """Strict UTF-8 decoding of a stream in chunks; each bad byte becomes U+FFFD and is
    recorded as (character offset in the whole output, byte value)."""

    def __init__(self) -> None:
        self._pending = b""
        self.chars = 0  # characters produced so far
        self.bad: deque[tuple[int, int]] = deque()

    def decode(self, data: bytes, final: bool) -> str:
        data = self._pending + data
        self._pending = b""
        out: list[str] = []
        n = 0
        while data:
            try:
                s = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                head = data[: exc.start].decode("utf-8")
                out.append(head)
                n += len(head)
                if not final and exc.end == len(data) and exc.reason == "unexpected end of data":
                    self._pending = data[exc.start:]
                    break
                self.bad.append((self.chars + n, data[exc.start]))
                out.append("\ufffd")
                n += 1
                data = data[exc.end:]
                continue
            out.append(s)
            n += len(s)
            break
        self.chars += n
        return "".join(out)


class JsonStream:
    """A cursor over the JSON text of a binary stream."""

    def __init__(self, f: BinaryIO, max_value: int) -> None:
        self._f = f
        self._feed = Utf8Feed()
        self.max_value = max_value  # characters: a longer value is a JsonProblem
        self.buf = ""
        self.pos = 0  # next character to read in `buf`
        self.base = 0  # offset of buf[0] in the whole text
        self.eof = False
        self._line_idx = 0  # buf index whose line number is `_line_no`
        self._line_no = 1
        self._want = CHUNK
        self._started = False
        self.hold: int | None = None  # an offset in the whole text `fill` must keep
        self.nul_at: int | None = None  # offset of the first NUL in the whole text

    def mark(self) -> int:
        """The current offset in the whole text, kept in the buffer until `reset`."""
        self.hold = self.base + self.pos
        return self.hold

    def reset(self, mark: int) -> None:
        self.pos = mark - self.base
        self.hold = None

    def fill(self) -> bool:
        """Read more (doubling while a value does not fit); False at the end of the stream."""
        if self.eof:
            return False
        drop = self.pos if self.hold is None else min(self.pos, self.hold - self.base)
        if drop > 0:  # keep only what is not consumed yet
            if self._line_idx <= drop:
                self._line_no += self.buf.count("\n", self._line_idx, drop)
                self._line_idx = 0
            else:
                self._line_idx -= drop
            self.base += drop
            self.buf = self.buf[drop:]
            self.pos -= drop
        data = self._f.read(self._want)
        self.eof = not data
        text = self._feed.decode(data, final=self.eof)
        if not self._started and (text or self.eof):
            self._started = True
            if text.startswith("\ufeff"):  # a BOM: not part of the JSON text
                text = text[1:]
                self.base += 1
        nul = text.find("\x00")
        if nul >= 0 and self.nul_at is None:  # an error when a value gets there
            self.nul_at = self.base + len(self.buf) + nul
        self.buf += text
        return bool(text) or not self.eof

    def line_at(self, idx: int) -> int:
        """The line number of buf[idx] (idx never goes back before an earlier call's)."""
        if idx < self._line_idx:
            return self._line_no - self.buf.count("\n", idx, self._line_idx)
        self._line_no += self.buf.count("\n", self._line_idx, idx)
        self._line_idx = idx
        return self._line_no

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def _nul_before(self, end: int) -> None:
        """JsonProblem if the first NUL byte comes before buf[end]."""
        if self.nul_at is not None and self.nul_at < self.base + end:
            raise JsonProblem("binary file (NUL byte), not UTF-8 text",
                              self.line_at(self.nul_at - self.base))

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        self._nul_before(self.pos + 1)
        if c == "" or c not in chars:
            got = "the end of the file" if c == "" else repr(c)
            raise JsonProblem(f"invalid JSON: expected {what}, found {got}",
                              self.line_at(self.pos))
        self.pos += 1
        return c

    def _bad_before(self, end: int) -> tuple[int, int] | None:
        """The first bad byte (buf index, byte) before buf[end], dropping those passed."""
        bad = self._feed.bad
        while bad and bad[0][0] < self.base + self.pos:
            bad.popleft()
        if bad and bad[0][0] < self.base + end:
            return bad[0][0] - self.base, bad[0][1]
        return None

    def value(self) -> tuple[Any, int, tuple[int, int] | None]:
        """The next JSON value, the line it starts on and its first bad byte (line, byte) if
        it holds bytes that are not UTF-8. JsonProblem when it cannot be read."""
        self.peek()
        start = self.pos
        line = self.line_at(start)
        while True:
            try:
                obj, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                at_end = exc.pos >= len(self.buf) - 16 or exc.msg.startswith("Unterminated")
                if not self.eof and at_end:
                    self._grow(start)  # may move the buffer: decode again either way
                    start = self.pos
                    continue
                self._nul_before(exc.pos + 1)
                bad = self._bad_before(exc.pos + 1)
                if bad is not None:
                    raise JsonProblem(f"not UTF-8 (byte 0x{bad[1]:02x})",
                                      self.line_at(bad[0])) from None
                raise JsonProblem(f"invalid JSON: {exc.msg}",
                                  self.line_at(min(exc.pos, len(self.buf)))) from None
            except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
                reason = (str(exc).splitlines() or [type(exc).__name__])[0]
                raise JsonProblem(f"invalid JSON: {reason}", line) from None
            if end == len(self.buf) and not self.eof:
                self._grow(start)  # a number may go on in the next chunk
                start = self.pos
                continue
            break
        self._nul_before(end)
        bad = self._bad_before(end)
        bad_at = (self.line_at(bad[0]), bad[1]) if bad is not None else None
        self.pos = end
        return obj, line, bad_at

    def skip_line(self) -> None:
        """Move past the next `\\n` after the cursor (or to the end), to read on after an
        invalid line."""
        start = self.pos + 1
        while True:
            at = self.buf.find("\n", start)
            if at >= 0:
                self.pos = at + 1
                return
            start = len(self.buf)
            self.pos = start
            if not self.fill():
                return
            start = self.pos

    def _grow(self, start: int) -> None:
        """Read more for a value starting at buf[start] (== pos)."""
        if len(self.buf) - start > self.max_value:
            raise JsonProblem(
                f"a value longer than {self.max_value:,} characters (more than --max-chars "
                "allows): the rest of the file is skipped", self.line_at(start))
        self._want = max(CHUNK, min(2 * (len(self.buf) - start), 1 << 26))
        self.fill()
        self._want = CHUNK
