"""What every exporter shares: the writer interface, per-split file names, atomic files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

Record = dict[str, Any]


class Writer:
    """Receives records one at a time; `close` returns the paths it wrote.

    `problems` collects one line per annotation the format could not represent exactly
    (the command reports them and exits 1); a writer never drops one silently.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.problems: list[str] = []

    def add(self, record: Record) -> None:
        raise NotImplementedError

    def close(self) -> list[Path]:
        raise NotImplementedError

    def abort(self) -> None:
        """Called instead of `close` when the export fails: remove partial output."""


def split_path(out: Path, split: str | None) -> Path:
    """`corpus.conll` -> `corpus.train.conll` for split "train"; `out` when no split."""
    if split is None:
        return out
    if out.suffix:
        return out.with_name(f"{out.stem}.{split}{out.suffix}")
    return out.with_name(f"{out.name}.{split}")


class AtomicFile:
    """A file written under a temporary name and moved into place on `commit`: text
    (UTF-8, "\\n" line ends), or bytes with `binary=True`."""

    def __init__(self, path: Path, binary: bool = False) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh: IO[Any] = (self.tmp.open("wb") if binary else
                            self.tmp.open("w", encoding="utf-8", newline="\n"))

    def write(self, s: Any) -> None:
        self.fh.write(s)

    def commit(self) -> Path:
        self.fh.close()
        os.replace(self.tmp, self.path)
        return self.path

    def discard(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)
