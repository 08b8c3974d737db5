"""`annotator import`: read, clean, segment and store articles (and imported annotations).

A bad item is one line (`file:line: what is wrong`) and the rest goes on. So is an
unexpected error on one item (`file:line: internal error: ...`), unless it says the database
itself is unusable (`database_unusable`: read-only, gone, full, locked past the retries)
or the same unexpected error hits `SAME_ERROR_STOP` items in a row: then the import stops
there with one line rather than repeating it for every item left.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from annotator.commands.import_pipeline import (
    SAME_ERROR_STOP,  # noqa: F401 (re-exported)
    Failures,
    Msg,
    ReadJob,
    fewer_collections,
    from_child,
    parallel_worth_it,
    produce,
)
from annotator.commands.import_report import (
    ConsoleReporter,
    Duplicate,
    ImportSummary,
    Reporter,
    report_duplicates,
)
from annotator.errors import AnnotatorError, UsageError
from annotator.io.article_input import MAX_CHARS, FieldMap, one_line, scan_paths
from annotator.labelschema import LabelSchema
from annotator.store.bulk_import import NewDocument, Outcome
from annotator.store.models import GOLD
from annotator.store.retry import retrying
from annotator.store.service import Store, StoreError
from annotator.text.storable import unstorable

# PostgreSQL SQLSTATEs that blame the database, not the item: connection (08), authorization
# (28), no such database (3D), out of disk, memory or connections (53), shut down (57P),
# system I/O (58); a read-only transaction, no privilege, a table or column missing. Others,
# e.g. a program limit (54: an index row too big) or a statement timeout, are per item.
_PG_UNUSABLE_CLASSES = ("08", "28", "3D", "53", "57P", "58")
_PG_UNUSABLE = ("25006", "42501", "42P01", "42703")


def check_annotator(annotator: str | None) -> None:
    """`--annotator NAME` must name someone who can be stored; never `gold`."""
    if annotator is None:
        return
    if annotator == GOLD:
        raise UsageError(
            f"--annotator {GOLD}: {GOLD!r} is made only by adjudication (annotator adjudicate), "
            "never imported"
        )
    if not annotator.strip():
        raise UsageError("--annotator needs a name")
    reason = unstorable(annotator)
    if reason:
        raise UsageError(f"--annotator {annotator!r} {reason}, which cannot be stored")


def database_unusable(exc: BaseException) -> bool:
    """Whether `exc` says the database as a whole cannot be written (so every item left would
    fail the same way), rather than that this one item could not be stored."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state is not None:
        return state.startswith(_PG_UNUSABLE_CLASSES) or state in _PG_UNUSABLE
    # SQLite: read-only, locked past the busy timeout and the retries, disk full or I/O
    # error, no such table; a value it cannot take is a DataError or IntegrityError instead
    return isinstance(exc, OperationalError | InterfaceError)


def _describe(exc: BaseException) -> str:
    """One line for an unexpected error: the driver's own message, never the SQL."""
    orig = getattr(exc, "orig", None)
    return one_line(orig if isinstance(exc, DBAPIError) and orig is not None else exc)


class _Batches:
    """Prepared documents gathered into batches, each stored in one transaction."""

    def __init__(self, store: Store, summary: ImportSummary, reporter: Reporter, *,
                 annotator: str | None, dry_run: bool) -> None:
        self.store, self.summary, self.reporter = store, summary, reporter
        self.annotator, self.dry_run = annotator, dry_run
        self.failures = Failures()
        self.seen: set[str] = set()  # dry run: the texts it would have added so far

    def reject(self, line: str) -> None:
        self.summary.errors.append(line)
        self.reporter.error(line)

    def put(self, docs: list[NewDocument]) -> None:
        if not docs:
            return
        if self.dry_run:
            known = self.store.known_by_sha([d.sha for d in docs])
            for d in docs:
                created = d.sha not in known and d.sha not in self.seen
                self.seen.add(d.sha)
                matched = known[d.sha].external_id if d.sha in known else d.external_id
                self._count(d, Outcome(0, matched, created, len(set(d.spans)),
                                       len(set(d.events))))
            return
        try:
            outcomes = retrying(lambda: self.store.import_batch(docs, self.annotator))
        except Exception as exc:
            if database_unusable(exc):
                self._stop(docs[0], exc)
                return
            # something in the batch cannot be stored: find which, one document at a time
            for d in docs:
                if not self._store_one(d):
                    return
            return
        self.failures.ok()
        for d, o in zip(docs, outcomes, strict=True):
            self._count(d, o)

    def _store_one(self, d: NewDocument) -> bool:
        """Store one document on its own; False when the import must stop."""
        try:
            [o] = retrying(lambda: self.store.import_batch([d], self.annotator))
        except (AnnotatorError, StoreError) as exc:
            self.reject(f"{d.where}: {exc}")
            return True
        except Exception as exc:
            if database_unusable(exc):
                self._stop(d, exc)
                return False
            error = f"internal error: {_describe(exc)}"
            if self.failures.failed(error):
                error += (f"; import stopped (the same error on {self.failures.repeats} items "
                          "in a row; nothing after this item was imported)")
                self.summary.stopped = True
            self.reject(f"{d.where}: {error}")
            return not self.summary.stopped
        self.failures.ok()
        self._count(d, o)
        return True

    def _stop(self, d: NewDocument, exc: BaseException) -> None:
        self.reject(f"{d.where}: database error: {_describe(exc)}; import stopped (nothing "
                    "from this item on was imported)")
        self.summary.stopped = True

    def _count(self, d: NewDocument, o: Outcome) -> None:
        summary = self.summary
        if o.created:
            summary.added += 1
            if o.external_id != d.external_id:
                line = (f"{d.where}: id {d.external_id!r} is taken by another text; "
                        f"stored as {o.external_id!r}")
                summary.notices.append(line)
                self.reporter.notice(line)
        else:
            summary.duplicates += 1
            summary.duplicate_ids.append(Duplicate(d.where, d.external_id, o.external_id))
        if d.annotate:
            summary.annotated += 1
            summary.spans += o.spans
            summary.events += o.events
            summary.event_mentions += o.mentions


def import_paths(
    store: Store, schema: LabelSchema, paths: list[Path], *,
    annotator: str | None = None, clean: bool = True, progress: bool = False,
    max_chars: int = MAX_CHARS, dry_run: bool = False, show_cleaning: bool = False,
    reporter: Reporter | None = None, fields: FieldMap | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Import every file under `paths`; bad items are reported in `errors` and skipped."""
    check_annotator(annotator)
    if max_chars < 1:
        raise UsageError(f"--max-chars must be at least 1, not {max_chars}")
    reporter = reporter or (ConsoleReporter(bar=True) if progress else Reporter())
    summary = ImportSummary(dry_run=dry_run)
    batches = _Batches(store, summary, reporter, annotator=annotator, dry_run=dry_run)
    scan = scan_paths(paths)
    for e in scan.errors:
        batches.reject(str(e))
    for line in scan.skipped:
        summary.skipped.append(line)
        reporter.notice(line)
    if not scan.files and not scan.errors:
        batches.reject(f"{', '.join(map(str, paths))}: nothing to import (no .txt, .jsonl, "
                       ".json, .csv or .tsv file, optionally .gz)")
    job = ReadJob(scan.files, scan.total_bytes, schema, annotator, clean, max_chars,
                  fields or FieldMap(), show_cleaning)
    url = store.engine.url.render_as_string(hide_password=False)
    parallel = parallel_worth_it(job, url) if workers is None else workers > 1
    messages = from_child(job, url) if parallel else produce(job, store)
    reporter.start(scan.total_bytes)
    with fewer_collections():
        _consume(messages, batches, summary, reporter)
    return summary


def _consume(messages: Iterator[Msg], batches: _Batches, summary: ImportSummary,
             reporter: Reporter) -> None:
    try:
        for msg in messages:
            summary.records = msg.records
            if msg.kind == "batch":
                batches.put(msg.docs)
            elif msg.kind == "reject":
                batches.reject(msg.line)
            elif msg.kind == "notice":
                summary.notices.append(msg.line)
                reporter.notice(msg.line)
            elif msg.kind == "info":
                reporter.info(msg.line)
            elif msg.kind == "stop":
                batches.reject(msg.line)
                summary.stopped = True
            if summary.stopped:
                break
            reporter.advance(msg.done, summary)
    finally:
        close = getattr(messages, "close", None)
        if close is not None:
            close()  # a child still reading is stopped
        reporter.stop()


def run_import(
    db: str | None, paths: list[Path], *, annotator: str | None, clean: bool,
    max_chars: int = MAX_CHARS, dry_run: bool = False, show_cleaning: bool = False,
    show_duplicates: bool = False, text_field: str | None = None, id_field: str | None = None,
    title_field: str | None = None,
) -> int:
    from annotator.commands.common import open_store

    check_annotator(annotator)  # before the database is even opened: nothing is imported
    store, schema = open_store(db)
    reporter = ConsoleReporter(bar=sys.stderr.isatty())
    try:
        summary = import_paths(store, schema, paths, annotator=annotator, clean=clean,
                               max_chars=max_chars, dry_run=dry_run,
                               show_cleaning=show_cleaning, reporter=reporter,
                               fields=FieldMap(text_field, id_field, title_field))
    finally:
        store.close()
    if show_duplicates:
        report_duplicates(summary, print)
    print(summary.line(annotator))
    return 1 if summary.errors else 0
