"""CSV and TSV inputs: a header row, then one record a row, read row by row.

The stdlib `csv` module with its default dialect (`"` quotes a cell that holds the
delimiter, a quote or a line break, as pandas and `csv.writer` write them), `,` for `.csv`
and a tab for `.tsv`. A row's text, id and title come from the columns `FieldMap` names;
its other non-empty cells go to `ArticleInput.extra` (short ones only).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from annotator.errors import InputError
from annotator.io.input_files import InputNotice
from annotator.io.input_json import parse_one, record_limit
from annotator.io.record_fields import (
    ArticleInput,
    FieldMap,
    alternatives,
    one_line,
    quoted,
)

Item = ArticleInput | InputError | InputNotice
ParseRow = Callable[[dict[str, str], Path, int, int, FieldMap], ArticleInput]
_BOM = b"\xef\xbb\xbf"
_MAX_FIELD = 2**31 - 1


class _Stop(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


class _Lines:
    """Decoded lines for `csv.reader`; a line that is not UTF-8 is decoded with U+FFFD and
    remembered (`bad`: line -> first bad byte), so the row holding it can be rejected."""

    def __init__(self, f: BinaryIO, limit: int) -> None:
        self.f, self.limit = f, limit
        self.number = 0
        self.bad: dict[int, int] = {}

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = self.f.readline(self.limit)
        if not raw:
            raise StopIteration
        self.number += 1
        if self.number == 1:
            raw = raw.removeprefix(_BOM)
        if len(raw) >= self.limit and not raw.endswith(b"\n"):
            raise _Stop(f"line is longer than {self.limit:,} bytes (more than --max-chars "
                        "allows): the rest of the file is skipped", self.number)
        if b"\x00" in raw:
            raise _Stop("binary file (NUL byte), not UTF-8 text", self.number)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.bad[self.number] = raw[exc.start]
            return raw.decode("utf-8", "replace")


def _header_notices(path: Path, header: list[str], fields: FieldMap) -> Iterator[Item]:
    for flag, name in (("--id-field", fields.id), ("--title-field", fields.title)):
        if name is not None and name not in header:
            yield InputNotice(str(path), 1, f"no {name!r} column ({flag}); the header has "
                              f"{quoted(header)}")


def read_csv_stream(f: BinaryIO, path: Path, max_chars: int, fields: FieldMap,
                    parse: ParseRow, delimiter: str = ",") -> Iterator[Item]:
    """Each row of a CSV/TSV stream as an article, or the error that rejects it."""
    limit = record_limit(max_chars)
    if csv.field_size_limit() < min(limit, _MAX_FIELD):
        csv.field_size_limit(min(limit, _MAX_FIELD))
    lines = _Lines(f, limit)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    end = 0  # the last line of the row before
    try:
        for row in reader:
            start, end = end + 1, lines.number
            if not row or (len(row) == 1 and not row[0].strip() and header is None):
                continue
            bad = next(((n, b) for n, b in lines.bad.items() if start <= n <= end), None)
            lines.bad.clear()
            if header is None:
                if bad is not None:
                    yield InputError(str(path), f"not UTF-8 (byte 0x{bad[1]:02x}) in the "
                                     "header: the file is skipped", bad[0])
                    return
                header = [h.strip() for h in row]
                if not any(k in header for k in fields.text_names()):
                    yield InputError(str(path), _no_text_column(fields, header), start)
                    return
                yield from _header_notices(path, header, fields)
                continue
            if bad is not None:
                where = f" (in the row that starts on line {start})" if bad[0] != start else ""
                yield InputError(str(path), f"not UTF-8 (byte 0x{bad[1]:02x}){where}", bad[0])
                continue
            if len(row) != len(header):
                yield InputError(str(path), f"row has {len(row)} cells, the header has "
                                 f"{len(header)}", start)
                continue
            cells: dict[str, str] = {}
            for name, value in zip(header, row, strict=True):
                if name:
                    cells.setdefault(name, value)
            yield parse_one(parse, cells, path, start, max_chars, fields)  # type: ignore[arg-type]
    except _Stop as exc:
        yield InputError(str(path), exc.message, exc.line)
        return
    except csv.Error as exc:
        yield InputError(str(path), f"invalid {'TSV' if delimiter == chr(9) else 'CSV'}: "
                         f"{one_line(exc)}: the rest of the file is skipped", lines.number)
        return
    if header is None:
        yield InputError(str(path), "empty file")


def _no_text_column(fields: FieldMap, header: list[str]) -> str:
    names = fields.text_names()
    flag = " (--text-field)" if fields.text is not None else ""
    hint = "" if flag else " (use --text-field)"
    return (f"the header has no {alternatives(names)} column{flag}; it has {quoted(header)}"
            f"{hint}: the file is skipped")
