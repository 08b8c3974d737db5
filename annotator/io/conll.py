"""CoNLL export (IOB2) and a reader that maps the tags back to character offsets.

File layout (UTF-8, "\\n" line ends):

* each document starts with a `-DOCSTART-` line and a blank line;
* one token a line: ``TOKEN<TAB>TAG[<TAB>TAG2...]``, tags in IOB2 (``B-PERS``, ``I-PERS``,
  ``O``); a blank line ends each sentence (a block of `annotator.io.token_split`: a span
  never crosses a blank line);
* tokens are cut at every span edge inside them (``لل`` / ``بوليساريو``), so every span
  keeps its exact range;
* nested and overlapping spans go in extra columns (Wojood style): column k holds the
  k-th nesting level, outermost first; every line of a file has the same number of tag
  columns (the deepest nesting in the file), padded with ``O``.

With `--split`, one file per split: ``corpus.conll`` -> ``corpus.train.conll`` etc.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import IO

from annotator.io.parallel import Pipeline
from annotator.io.token_split import layout
from annotator.io.writer import AtomicFile, Record, Writer, split_path

DOCSTART = "-DOCSTART-"
_RANGE = itemgetter("start", "end")
_SPAN = itemgetter("start", "end", "label")


def document_text(record: Record, columns: int = 1) -> tuple[str, int, list[str]]:
    """One document's lines as one string (each line ending in "\\n"), its tag depth, and
    its problems. Token lines carry `columns` tag columns, or the document's depth when
    that is more (padded with O).

    Work per token is done by C loops (`map`, slices, `str.join`); Python loops run per
    span and per block."""
    text = record["text"]
    lay = layout(text, list(map(_RANGE, record["sentences"])), list(map(_SPAN, record["spans"])))
    depth = lay.depth
    cols = max(depth, columns)
    tokens = lay.tokens
    n = len(tokens)
    tags = [["O"] * n for _ in range(cols)]
    for sp in lay.spans:
        column = tags[sp.level]
        column[sp.first] = f"B-{sp.label}"
        if sp.last - sp.first > 1:
            column[sp.first + 1:sp.last] = [f"I-{sp.label}"] * (sp.last - sp.first - 1)
    if n:
        words = map(text.__getitem__, map(slice, *zip(*tokens, strict=True)))
        rows = list(map("\t".join, zip(words, *tags, strict=True)))
    else:
        rows = []
    body = "".join(["\n".join(rows[first:last]) + "\n\n" for first, last in lay.blocks])
    problems = [f"{record['id']}: {p}" for p in lay.problems]
    return f"{DOCSTART}\n\n{body}", depth, problems


def document_lines(record: Record, columns: int = 1) -> tuple[list[str], int, list[str]]:
    """`document_text` as a list of lines (without their "\\n")."""
    text, depth, problems = document_text(record, columns)
    return text.split("\n")[:-1], depth, problems


class _SplitFile:
    """Lines go to a scratch file as formatted (each worker pads to the deepest nesting it
    has seen); `finish` moves it into place, re-padding only the stretches short of the
    file's depth (nothing at all when every line already has it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = path.with_name(f".{path.name}.{os.getpid()}.scratch")
        self.fh: IO[bytes] = self.scratch.open("wb")
        self.depth = 1
        self.stretches: list[tuple[int, int]] = [(0, 1)]  # (byte offset, depth) from there
        self.size = 0

    def write(self, data: bytes, columns: int) -> None:
        """Write one document's lines, which have `columns` tag columns (`_format`)."""
        if columns != self.stretches[-1][1]:
            self.stretches.append((self.size, columns))
        self.depth = max(self.depth, columns)
        self.fh.write(data)
        self.size += len(data)

    def finish(self) -> Path:
        self.fh.close()
        try:
            stretches = [(at, d) for at, d in self.stretches if d < self.depth]
            if not stretches:  # every line already has the file's depth
                os.replace(self.scratch, self.path)
                return self.path
            ends = [at for at, _ in self.stretches[1:]] + [self.size]
            out = AtomicFile(self.path, binary=True)
            try:
                with self.scratch.open("rb") as src:
                    for (at, d), end in zip(self.stretches, ends, strict=True):
                        src.seek(at)
                        if d == self.depth:
                            copy_bytes(src, out.fh, end - at)
                            continue
                        pad_bytes(src, out.fh, end - at, self.depth - d)
            except BaseException:
                out.discard()
                raise
            return out.commit()
        finally:
            self.scratch.unlink(missing_ok=True)

    def discard(self) -> None:
        self.fh.close()
        self.scratch.unlink(missing_ok=True)


def pad_bytes(src: IO[bytes], dst: IO[bytes], n: int, columns: int,
              chunk: int = 1 << 22) -> None:
    """Copy n bytes of whole lines, adding `columns` O tags to every token line (the lines
    with a tab: not DOCSTART, not blank); in chunks cut at a line end, so memory stays flat
    however long the stretch."""
    pad = b"\tO" * columns
    rest = b""
    while n > 0:
        data = src.read(min(chunk, n))
        if not data:
            break
        n -= len(data)
        data = rest + data
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        lines = data[:cut].split(b"\n")
        dst.write(b"\n".join([ln + pad if b"\t" in ln else ln for ln in lines]))
    dst.write(rest)  # nothing: a stretch ends with a line end


def copy_bytes(src: IO[bytes], dst: IO[bytes], n: int, chunk: int = 1 << 20) -> None:
    while n > 0:
        data = src.read(min(chunk, n))
        if not data:
            break
        dst.write(data)
        n -= len(data)


# the tag depth each file's lines have been padded to so far, per writer (its token) and
# split, in each worker process (or this one, for a short export)
_DEPTHS: dict[tuple[str, str | None], int] = {}


def _format(token: str, records: list[Record]) -> list[tuple[str | None, bytes, int, list[str]]]:
    """(split, the document's lines as bytes, the tag columns they have, its problems) of
    each record: padded to the deepest nesting this process has seen in the file, so the
    columns change rarely (the writer re-pads what is short of the file's depth)."""
    out = []
    for record in records:
        split = record["meta"].get("split")
        so_far = _DEPTHS.get((token, split), 1)
        text, depth, problems = document_text(record, so_far)
        columns = max(so_far, depth)
        _DEPTHS[token, split] = columns
        out.append((split, text.encode("utf-8"), columns, problems))
    return out


WORKERS = 2  # processes formatting documents


class ConllWriter(Writer):
    """Documents are formatted in a second process while the export reads on (see
    `annotator.io.parallel`)."""

    def __init__(self, out: Path) -> None:
        super().__init__(out)
        self._files: dict[str | None, _SplitFile] = {}
        self._token = uuid.uuid4().hex
        self._pipe: Pipeline[Record, tuple[str | None, bytes, int, list[str]]] = Pipeline(
            partial(_format, self._token), workers=WORKERS)

    def add(self, record: Record) -> None:
        self._write(self._pipe.put(record))

    def _write(self, done: Iterable[tuple[str | None, bytes, int, list[str]]]) -> None:
        for split, data, depth, problems in done:
            if split not in self._files:
                self._files[split] = _SplitFile(split_path(self.out, split))
            self._files[split].write(data, depth)
            self.problems.extend(problems)

    def close(self) -> list[Path]:
        try:
            self._write(self._pipe.drain())
        finally:
            self._pipe.close()
            for key in [k for k in _DEPTHS if k[0] == self._token]:
                del _DEPTHS[key]
        if not self._files:  # nothing exported: still leave an (empty) file
            AtomicFile(self.out).commit()
            return [self.out]
        return [f.finish() for f in self._files.values()]

    def abort(self) -> None:
        self._pipe.abort()
        for f in self._files.values():
            f.discard()


def read_conll(path: Path, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Spans per document of a CoNLL file written by `ConllWriter`, as (start, end, label)
    sorted by (start, -end, label). `texts` are the documents' texts in file order; each
    token is found by scanning its text from the previous token on (only whitespace may
    lie between). Lenient IOB2: an I- tag that continues nothing starts a span."""
    docs: list[list[tuple[int, int, str]]] = []
    text = ""
    cursor = 0
    open_: dict[int, list] = {}  # column -> [start, end, label]
    spans: list[tuple[int, int, str]] = []

    def close_all() -> None:
        for s, e, label in open_.values():
            spans.append((s, e, label))
        open_.clear()

    def finish_doc() -> None:
        close_all()
        docs.append(sorted(set(spans), key=lambda t: (t[0], -t[1], t[2])))
        spans.clear()

    started = False
    with path.open(encoding="utf-8", newline="\n") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if line == DOCSTART:
                if started:
                    finish_doc()
                if len(docs) >= len(texts):
                    raise ValueError(f"{path}:{n}: more documents than texts")
                text, cursor, started = texts[len(docs)], 0, True
                continue
            if not line:
                close_all()
                continue
            if not started:
                raise ValueError(f"{path}:{n}: token before {DOCSTART}")
            token, *tags = line.split("\t")
            start = text.find(token, cursor)
            if start < 0 or text[cursor:start].strip():
                raise ValueError(f"{path}:{n}: token {token!r} not found at offset {cursor}")
            end = cursor = start + len(token)
            for col, tag in enumerate(tags):
                current = open_.get(col)
                if tag.startswith("I-") and current is not None and current[2] == tag[2:]:
                    current[1] = end
                    continue
                if current is not None:
                    spans.append(tuple(open_.pop(col)))  # type: ignore[arg-type]
                if tag != "O":
                    open_[col] = [start, end, tag[2:]]
    if started:
        finish_doc()
    if len(docs) != len(texts):
        raise ValueError(f"{path}: {len(docs)} documents, {len(texts)} texts")
    return docs
