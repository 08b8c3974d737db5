"""Finding input files, telling their format, and opening them as counted binary streams.

A folder is walked recursively in sorted order; hidden files and folders (a name starting
with `.`, e.g. `.git`) are skipped silently, every other file that is not a supported
format is named in `FileScan.skipped`. A `.gz` file is decompressed as it is read;
`ByteProgress.done` counts the bytes read from the file on disk (compressed ones for gzip).
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from annotator.errors import InputError
from annotator.text.storable import unstorable

FORMATS = {".txt": "txt", ".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
SUPPORTED_NOTE = "not a supported format (.txt, .jsonl, .json, .csv, .tsv, optionally .gz)"
BRAT_CONFS = ("annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf")
CHUNK = 1 << 16  # bytes read from disk at a time


@dataclass
class InputNotice:
    """A note about an input that is not an error (e.g. a format read other than its name
    says)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class ByteProgress:
    """Bytes to read (`total`) and read so far (`done`); the readers update `done`."""

    def __init__(self, total: int = 0) -> None:
        self.total = total
        self.done = 0

    def add(self, n: int) -> None:
        self.done += n

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0


@dataclass
class FileScan:
    """What `scan_paths` found: files to read, unusable paths, skipped files (with why)."""

    files: list[Path] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # `dir/x.pdf: skipped: ...`
    total_bytes: int = 0


def kind_of(path: Path) -> str | None:
    """`txt`, `jsonl`, `json`, `csv` or `tsv` from the name (any case, `.gz` allowed)."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return FORMATS.get(os.path.splitext(name)[1])


def is_gzip_name(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk(root: Path) -> Iterator[Path]:
    """Files under `root`, sorted, not descending into hidden folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            yield Path(dirpath) / name


def _brat_txt(ann: Path) -> Path | None:
    """The `.txt` a brat `.ann` belongs to (same stem), if there is one."""
    if not ann.name.endswith(".ann"):
        return None
    txt = ann.with_name(ann.name[:-4] + ".txt")
    return txt if txt.is_file() else None


def _brat_skip(f: Path) -> str | None:
    """Why a brat file of a folder is not read on its own: None for a `.ann` read with
    its `.txt`, a reason for a configuration file or a `.ann` without its `.txt`."""
    if f.name in BRAT_CONFS:
        return "brat configuration, not read (the labels are the database's schema)"
    if f.name.endswith(".ann"):
        return None if _brat_txt(f) else "brat annotations without a .txt of the same name"
    return SUPPORTED_NOTE


def scan_paths(paths: list[Path]) -> FileScan:
    """Expand folders into supported files; report unusable paths and skipped files. A
    brat `.ann` goes with the `.txt` of the same stem (a `.ann` named on its own brings
    that `.txt`)."""
    scan = FileScan()
    found: list[Path] = []
    brought: set[Path] = set()  # .txt files a named .ann brought
    for p in paths:
        if p.is_dir():
            for f in _walk(p):
                if f.name.startswith(".") or _hidden(f, p):
                    continue
                if kind_of(f) is None:
                    why = _brat_skip(f)
                    if why is not None:
                        scan.skipped.append(f"{f}: skipped: {why}")
                elif not f.is_file():
                    scan.skipped.append(f"{f}: skipped: not a regular file")
                else:
                    found.append(f)
        elif p.is_file():
            if kind_of(p) is not None:
                if p not in brought:
                    found.append(p)
            elif p.name.endswith(".ann"):
                txt = _brat_txt(p)
                if txt is None:
                    scan.errors.append(InputError(str(p), "brat annotations without a .txt of "
                                                  "the same name"))
                elif txt not in found:  # (named with its .txt: read once)
                    found.append(txt)
                    brought.add(txt)
            else:
                scan.errors.append(InputError(str(p), SUPPORTED_NOTE))
        else:
            scan.errors.append(InputError(str(p), "no such file or folder"))
    for f in found:
        # a name that is not UTF-8 comes out of the OS with lone surrogates
        # (surrogateescape); it is stored as the source path (and a .txt's stem as its id)
        if unstorable(str(f)):
            scan.errors.append(InputError(str(f), "file name is not UTF-8: rename the file"))
            continue
        scan.files.append(f)
        try:
            scan.total_bytes += f.stat().st_size
        except OSError:
            pass  # reading it will say why
    return scan


def collect_files(paths: list[Path]) -> tuple[list[Path], list[InputError]]:
    """`scan_paths` in the old shape: (files, errors); skipped files are not reported."""
    scan = scan_paths(paths)
    return scan.files, scan.errors


class _CountingRaw(io.RawIOBase):
    """A raw reader over a binary file that adds the bytes it reads to a `ByteProgress`."""

    def __init__(self, f: BinaryIO, progress: ByteProgress | None) -> None:
        self._f = f
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._f.readinto(buffer)  # type: ignore[attr-defined]
        if n and self._progress is not None:
            self._progress.add(n)
        return n or 0


@contextmanager
def open_stream(path: Path, progress: ByteProgress | None = None) -> Iterator[BinaryIO]:
    """The file's bytes, decompressed when it is gzip (by its magic bytes, whatever its name);
    OSError when it cannot be opened."""
    with open(path, "rb", buffering=0) as raw:
        counted = io.BufferedReader(_CountingRaw(raw, progress), CHUNK)  # type: ignore[arg-type]
        magic = counted.peek(2)[:2]
        if magic == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=counted, mode="rb") as gz:
                yield gz  # type: ignore[misc]
        else:
            yield counted  # type: ignore[misc]


def gzip_problem(exc: BaseException) -> str | None:
    """The user's message for a damaged gzip stream, or None if `exc` is not one."""
    import zlib

    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"not a valid gzip file ({one_line_msg(exc)})"
    if isinstance(exc, EOFError):
        return "gzip file is truncated (it ends before its end marker)"
    return None


def cannot_read(exc: BaseException) -> str:
    """The user's message for a file that cannot be read (OSError, damaged gzip)."""
    reason = getattr(exc, "strerror", None) or one_line_msg(exc)
    return gzip_problem(exc) or f"cannot read: {reason}"


def one_line_msg(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def sniff(path: Path) -> str:
    """The first character that is not white space (after a BOM); '' for an empty file."""
    with open_stream(path) as f:
        while head := f.read(CHUNK):
            stripped = head.decode("utf-8", "replace").removeprefix("\ufeff").lstrip(" \t\r\n")
            if stripped:
                return stripped[0]
    return ""
