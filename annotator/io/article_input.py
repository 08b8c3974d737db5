"""Reading raw inputs into plain objects: the one entry point for `annotator import`.

`scan_paths` (or `collect_files`) finds the files; `iter_inputs` reads them one after the
other and yields each article, each rejected item (`InputError`, naming the file and the
line) and each note (`InputNotice`). Formats: `.txt` (one article; with a sibling `.ann`,
a brat document), `.jsonl`, `.json`, `.csv`, `.tsv`, each optionally gzip-compressed;
the content decides where the name lies (a JSON array in a `.jsonl`, one object a line in
a `.json`). No database here, and no file
is read whole except a `.txt` (at most `4 * max_chars` bytes).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.io.input_brat import BratOptions, ann_of, not_stored, read_brat
from annotator.io.input_csv import read_csv_stream
from annotator.io.input_files import (
    ByteProgress,
    FileScan,
    InputNotice,
    cannot_read,
    collect_files,
    is_gzip_name,
    kind_of,
    open_stream,
    scan_paths,
    sniff,
)
from annotator.io.input_json import Parse, read_json_stream, read_jsonl_stream
from annotator.io.input_txt import decode_utf8, read_txt, read_txt_gz
from annotator.io.record_fields import (
    DEFAULT_FIELDS,
    MAX_CHARS,
    ArticleInput,
    FieldMap,
    ParsedEvent,
    ParsedSpan,
    base_stem,
    first_present,
    one_line,
    parse_record,
    parse_row,
)

__all__ = [
    "MAX_CHARS", "SUPPORTED_SUFFIXES", "ArticleInput", "ByteProgress", "FieldMap", "FileScan",
    "BratOptions", "InputNotice", "ParsedEvent", "ParsedSpan", "collect_files", "decode_utf8",
    "iter_inputs", "one_line", "parse_record", "parse_row", "read_jsonl", "read_txt", "scan_paths",
]

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".json", ".csv", ".tsv")  # each also with .gz
Item = ArticleInput | InputError | InputNotice


def _parse(raw: Any, path: Path, line: int, max_chars: int, fields: FieldMap) -> ArticleInput:
    # looks `parse_record` up in this module when called, so a test may replace it here
    if fields == DEFAULT_FIELDS:
        return parse_record(raw, path, line, max_chars)
    return parse_record(raw, path, line, max_chars, fields)


@dataclass
class KnownRecord:
    """A record whose text (as NFC) is already stored: nothing else of it is read or
    checked, since nothing of it will be stored (`iter_inputs(known=...)`)."""

    path: Path
    line: int
    external_id: str
    sha: str


KnownText = Callable[[str], "str | None"]  # a text -> its stored hash, or None


def _known_or_parse(known: KnownText) -> Parse:
    def parse(raw: Any, path: Path, line: int, max_chars: int,
              fields: FieldMap) -> ArticleInput | KnownRecord:
        if isinstance(raw, dict):
            key = first_present(raw, fields.text_names())
            text = raw.get(key) if key is not None else None
            if isinstance(text, str) and len(text) <= max_chars:
                sha = known(text)
                if sha is not None:
                    id_key = first_present(raw, fields.id_names())
                    rid = raw.get(id_key) if id_key is not None else None
                    eid = str(rid) if rid not in (None, "") else f"{base_stem(path)}-{line}"
                    return KnownRecord(path, line, eid, sha)
        return _parse(raw, path, line, max_chars, fields)
    return parse  # type: ignore[return-value]


def read_jsonl(path: Path, max_chars: int = MAX_CHARS) -> Iterator[ArticleInput | InputError]:
    """Yield each record, or the error that rejects that line; a bad line never stops the rest."""
    try:
        with open_stream(path) as f:
            for item in read_jsonl_stream(f, path, max_chars, DEFAULT_FIELDS, _parse):
                if not isinstance(item, InputNotice):
                    yield item
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(str(path), cannot_read(exc))


def _read_file(path: Path, max_chars: int, fields: FieldMap,
               progress: ByteProgress | None, parse: Parse,
               brat: BratOptions | None = None) -> Iterator[Item]:
    kind = kind_of(path)
    ann = ann_of(path) if kind == "txt" else None
    if ann is not None and brat is not None and brat.annotator is not None:
        yield from read_brat(path, ann, brat.schema, max_chars)
        return
    if kind == "txt":
        if ann is not None:
            yield not_stored(path, ann)
        try:
            yield (read_txt_gz(path, max_chars, progress) if is_gzip_name(path)
                   else read_txt(path, max_chars))
        except InputError as exc:
            yield exc
        return
    if kind in ("jsonl", "json"):
        if kind == "jsonl" and sniff(path) == "[":
            yield InputNotice(str(path), None, "a JSON array in a .jsonl file: read as a JSON "
                              "array")
            kind = "json"
        # a .json holding one object a line: read_json_stream says so and reads on as JSONL
        reader = read_jsonl_stream if kind == "jsonl" else read_json_stream
        with open_stream(path, progress) as f:
            yield from reader(f, path, max_chars, fields, parse)
        return
    if kind in ("csv", "tsv"):
        with open_stream(path, progress) as f:
            yield from read_csv_stream(f, path, max_chars, fields, parse_row,
                                       "\t" if kind == "tsv" else ",")
        return
    yield InputError(str(path), "not a supported format")


def iter_inputs(
    files: list[Path], *, max_chars: int = MAX_CHARS, fields: FieldMap = DEFAULT_FIELDS,
    progress: ByteProgress | None = None, known: KnownText | None = None,
    brat: BratOptions | None = None,
) -> Iterator[Item | KnownRecord]:
    """Every article, rejected item and note of `files`, in order. A file that cannot be
    read, or a bug reading it, is one error and the next file is read. `progress.done`
    grows by each file's size on disk as it is read. With `known`, a JSON record whose text
    it knows comes as a `KnownRecord` (re-importing a file costs little more than reading
    it). A `.txt` with a sibling `.ann` is a brat document: read with its annotations when
    `brat` names an annotator (`annotator.io.input_brat`), else as a plain `.txt` and a note."""
    parse = _parse if known is None else _known_or_parse(known)
    for path in files:
        before = progress.done if progress is not None else 0
        try:
            yield from _read_file(path, max_chars, fields, progress, parse, brat)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(str(path), cannot_read(exc))
        except Exception as exc:  # a bug reading one file must not stop the next ones
            yield InputError(str(path), f"internal error: {one_line(exc)}")
        if progress is not None:
            try:
                progress.done = before + os.stat(path).st_size
            except OSError:
                pass
