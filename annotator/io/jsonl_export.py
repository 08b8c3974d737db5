"""JSONL export: one record a line (the DESIGN record), UTF-8, ensure_ascii off.

With `--split` the file stays one file; each record's `meta.split` names its split.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.io.writer import AtomicFile, Record, Writer


def dumps_record(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False)


class JsonlWriter(Writer):
    def __init__(self, out: Path) -> None:
        super().__init__(out)
        self._file = AtomicFile(out)

    def add(self, record: Record) -> None:
        self._file.write(dumps_record(record))
        self._file.write("\n")

    def close(self) -> list[Path]:
        return [self._file.commit()]

    def abort(self) -> None:
        self._file.discard()
