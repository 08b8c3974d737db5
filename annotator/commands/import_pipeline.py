"""The reading side of `annotator import`: files → items → prepared documents → batches
with their sentences, as a stream of messages the storing side acts on in order.

`produce` runs in the importing process, or — for a large input on a machine with a
second core — in a forked child (`from_child`), so that reading, JSON decoding, cleaning
and sentence splitting overlap with the database writes. The child only reads the
database (which texts are known, their stored sentences) through its own engine; every
write stays in the importing process, which checks again under its write lock.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.commands.import_prepare import check_sentence_events, prepare, where
from annotator.errors import InputError
from annotator.io.article_input import (
    BratOptions,
    ByteProgress,
    FieldMap,
    InputNotice,
    KnownRecord,
    KnownText,
    iter_inputs,
    one_line,
)
from annotator.labelschema import LabelSchema
from annotator.store.bulk_import import Known, NewDocument
from annotator.text.segment import split_sentences

BATCH_DOCS = 500  # documents per transaction (the write lock is held for one batch)
BATCH_CHARS = 4_000_000  # … or fewer, when their texts add up to this many characters
SAME_ERROR_STOP = 10  # the same unexpected error on this many items in a row stops the import
KNOWN_LIMIT = 2_000_000  # stored texts whose hashes the reader holds to skip known records
PARALLEL_BYTES = 8 << 20  # inputs this large are read in a child process (2+ cores)
SEND_EVERY = 64  # messages the child sends at once (a batch is sent at once)


class Reads(Protocol):
    def known_by_sha(self, shas: list[str]) -> dict[str, Known]: ...
    def stored_hashes(self, limit: int) -> set[str] | None: ...
    def sentence_ranges(self, doc_ids: list[int]) -> dict[int, list[tuple[int, int]]]: ...


@dataclass
class Msg:
    """One thing the reading side says: `reject`, `notice` or `info` a line; `batch` a list
    of documents to store; `stop` a line after which nothing more comes."""

    kind: str
    line: str = ""
    docs: list[NewDocument] = field(default_factory=list)
    done: int = 0  # bytes of the input read so far
    records: int = 0  # items read so far


@dataclass
class ReadJob:
    files: list[Path]
    total_bytes: int
    schema: LabelSchema
    annotator: str | None
    clean: bool
    max_chars: int
    fields: FieldMap
    show_cleaning: bool = False


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs far less often meanwhile: an import creates
    millions of small objects (rows, offsets) that are all freed by reference counting,
    and a collection every 700 allocations took a third of the bulk insert's time."""
    before = gc.get_threshold()
    gc.set_threshold(200_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class Failures:
    """Counts the same unexpected error on items in a row (`SAME_ERROR_STOP`)."""

    def __init__(self) -> None:
        self.last, self.repeats = "", 0

    def ok(self) -> None:
        self.repeats = 0

    def failed(self, error: str) -> bool:
        """Count `error`; whether the import must stop here."""
        self.repeats = self.repeats + 1 if error == self.last else 1
        self.last = error
        return self.repeats >= SAME_ERROR_STOP


def removal_lines(where_: str, removed: list[dict]) -> list[str]:
    """`--show-cleaning`: what cleaning removed from one article, a line each."""
    from annotator.text.clean import describe_removals

    return [f"{where_}: {line}" for line in describe_removals(removed)]


def _sentence_events(d: NewDocument) -> bool:
    return any(scope == "sentence" for _label, scope, _a, _b in d.events)


def _batch(docs: list[NewDocument], reads: Reads, progress: ByteProgress,
           records: int) -> Iterator[Msg]:
    """Split the new texts (a known text keeps its stored sentences and is never split
    again), check sentence-scope events against the sentences that will hold, and pass
    the batch on."""
    unsure = [d.sha for d in docs if not d.known_only]
    known = reads.known_by_sha(unsure) if unsure else {}
    wants_stored = [known[d.sha].doc_id for d in docs
                    if d.sha in known and d.annotate and _sentence_events(d)]
    stored = reads.sentence_ranges(wants_stored) if wants_stored else {}
    split: dict[str, list[tuple[int, int]]] = {}
    ok = []
    for d in docs:
        if d.known_only:
            pass
        elif d.sha in known:
            if d.annotate and _sentence_events(d):
                try:
                    check_sentence_events(d, stored.get(known[d.sha].doc_id, []))
                except InputError as exc:
                    yield Msg("reject", str(exc), done=progress.done, records=records)
                    continue
            # stored already: the writer needs its hash and annotations, not its text
            d.text, d.title, d.meta, d.known_only = "", "", {}, True
        elif d.sentences is None:  # (`prepare` checked events on its own sentences)
            d.sentences = split.get(d.sha) or split_sentences(d.text)
            split.setdefault(d.sha, d.sentences)
        ok.append(d)
    yield Msg("batch", docs=ok, done=progress.done, records=records)


def known_text(hashes: set[str]) -> KnownText:
    """Whether a record's text, as NFC, is stored: its hash if so."""
    def known(text: str) -> str | None:
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        try:
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        except UnicodeEncodeError:  # a lone surrogate: the full check rejects it
            return None
        return sha if sha in hashes else None
    return known


def produce(job: ReadJob, reads: Reads) -> Iterator[Msg]:
    """Every message of the reading side, in input order."""
    progress = ByteProgress(job.total_bytes)
    failures = Failures()
    pending: list[NewDocument] = []
    chars = records = 0
    # a record whose text is stored is only a duplicate (unless its annotations are
    # imported): it is read no further than its text's hash
    hashes = reads.stored_hashes(KNOWN_LIMIT) if job.annotator is None else None
    for item in iter_inputs(job.files, max_chars=job.max_chars, fields=job.fields,
                            progress=progress,
                            known=known_text(hashes) if hashes else None,
                            brat=BratOptions(job.schema, job.annotator)):
        if isinstance(item, KnownRecord):
            records += 1
            pending.append(NewDocument(
                where=f"{item.path}:{item.line}", external_id=item.external_id, title="",
                text="", sha=item.sha, source_path=str(item.path), meta={}, sentences=[],
                known_only=True))
            if len(pending) >= BATCH_DOCS:
                yield from _batch(pending, reads, progress, records)
                pending, chars = [], 0
            continue
        if isinstance(item, InputNotice):
            yield Msg("notice", str(item), done=progress.done, records=records)
            continue
        records += 1
        if isinstance(item, InputError):
            yield Msg("reject", str(item), done=progress.done, records=records)
            continue
        try:
            doc, removed = prepare(item, job.schema, annotator=job.annotator, clean=job.clean)
        except InputError as exc:
            yield Msg("reject", str(exc), done=progress.done, records=records)
            continue
        except Exception as exc:  # a bug on one item must not stop the rest
            error = f"internal error: {one_line(exc)}"
            if failures.failed(error):
                yield Msg("stop", f"{where(item)}: {error}; import stopped (the same error on "
                          f"{failures.repeats} items in a row; nothing after this item was "
                          "imported)", done=progress.done, records=records)
                return
            yield Msg("reject", f"{where(item)}: {error}", done=progress.done, records=records)
            continue
        failures.ok()
        if job.show_cleaning:
            for line in removal_lines(doc.where, removed):
                yield Msg("info", line, done=progress.done, records=records)
        pending.append(doc)
        chars += len(doc.text)
        if len(pending) >= BATCH_DOCS or chars >= BATCH_CHARS:
            yield from _batch(pending, reads, progress, records)
            pending, chars = [], 0
    if pending:
        yield from _batch(pending, reads, progress, records)


def parallel_worth_it(job: ReadJob, db_url: str) -> bool:
    return (job.total_bytes >= PARALLEL_BYTES and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods()
            and ":memory:" not in db_url and db_url not in ("sqlite://", "sqlite:///"))


def _child(job: ReadJob, db_url: str, conn: Any) -> None:
    from annotator.store.engine import make_engine
    from annotator.store.service import Store

    store = Store(make_engine(db_url))
    out: list[Msg] = []
    try:
        gc.set_threshold(200_000, 50, 50)  # (see `fewer_collections`)
        for msg in produce(job, store):
            out.append(msg)
            if msg.kind == "batch" or len(out) >= SEND_EVERY:
                conn.send(out)
                out = []
    except Exception as exc:  # never a traceback: the importer reports one line
        out.append(Msg("stop", f"internal error while reading: {one_line(exc)}; import "
                       "stopped"))
    finally:
        if out:
            conn.send(out)
        conn.close()
        store.close()


def from_child(job: ReadJob, db_url: str) -> Iterator[Msg]:
    """`produce` run in a forked child process; its messages, in order."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(job, db_url, send), daemon=True)
    proc.start()
    send.close()
    try:
        while True:
            try:
                msgs = recv.recv()
            except EOFError:
                break
            yield from msgs
    finally:
        recv.close()
        if proc.is_alive():
            proc.terminate()
        proc.join()
