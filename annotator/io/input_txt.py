"""`.txt` inputs: the whole file is one article (strict UTF-8, no NUL byte)."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from annotator.errors import InputError
from annotator.io.input_files import ByteProgress, cannot_read, open_stream
from annotator.io.record_fields import MAX_CHARS, ArticleInput, base_stem, too_long


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


def _limit(max_chars: int) -> int:
    return 4 * max_chars + 3  # bytes: UTF-8 takes at most 4 a character, plus a BOM


def _article(path: Path, data: bytes, max_chars: int) -> ArticleInput:
    text = decode_utf8(path, data)
    if len(text) > max_chars:
        raise InputError(str(path), too_long(len(text), max_chars))
    if not text.strip():
        raise InputError(str(path), "empty file")
    return ArticleInput(path=path, line=None, external_id=base_stem(path), text=text)


def read_txt(path: Path, max_chars: int = MAX_CHARS) -> ArticleInput:
    """One article. Strict UTF-8 decoding (no surrogates can come out) and no NUL byte
    (`decode_utf8`) leave nothing unstorable in the text."""
    limit = _limit(max_chars)
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
    return _article(path, data, max_chars)


def read_txt_gz(path: Path, max_chars: int = MAX_CHARS,
                progress: ByteProgress | None = None) -> ArticleInput:
    """A gzip-compressed article (`.txt.gz`), decompressed up to what `max_chars` allows."""
    limit = _limit(max_chars)
    try:
        with open_stream(path, progress) as f:
            data = f.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(str(path), cannot_read(exc)) from None
    if len(data) > limit:
        raise InputError(str(path), f"document is more than {limit:,} bytes uncompressed, "
                         f"longer than --max-chars {max_chars:,} characters")
    return _article(path, data, max_chars)
