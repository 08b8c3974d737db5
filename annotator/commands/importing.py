"""`annotator import`: read, clean, segment and store articles (and imported annotations).

A bad item is one line (`file:line: what is wrong`) and the rest goes on. So is an
unexpected error on one item (`file:line: internal error: ...`), unless it says the database
itself is unusable (`database_unusable`: read-only, gone, full, locked past the retries)
or the same unexpected error hits `SAME_ERROR_STOP` items in a row: then the import stops
there with one line rather than repeating it for every item left.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from annotator.errors import AnnotatorError, InputError, UsageError
from annotator.io.article_input import (
    MAX_CHARS,
    ArticleInput,
    collect_files,
    one_line,
    read_jsonl,
    read_txt,
)
from annotator.labelschema import LabelSchema
from annotator.store.models import GOLD
from annotator.store.service import Store, StoreError, sha256_text
from annotator.text.clean import clean_article, normalise_only
from annotator.text.segment import split_sentences
from annotator.text.storable import unstorable

PROGRESS_THRESHOLD = 20  # files: show a progress bar from this many on
SAME_ERROR_STOP = 10  # the same unexpected error on this many items in a row stops the import

# PostgreSQL SQLSTATEs that blame the database, not the item: connection (08), authorization
# (28), no such database (3D), out of disk, memory or connections (53), shut down (57P),
# system I/O (58); a read-only transaction, no privilege, a table or column missing. Others,
# e.g. a program limit (54: an index row too big) or a statement timeout, are per item.
_PG_UNUSABLE_CLASSES = ("08", "28", "3D", "53", "57P", "58")
_PG_UNUSABLE = ("25006", "42501", "42P01", "42703")


@dataclass
class ImportSummary:
    added: int = 0
    duplicates: int = 0
    annotated: int = 0
    spans: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    stopped: bool = False  # the database failed as a whole: the rest was not tried


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


def _inputs(files: list[Path], max_chars: int) -> Iterator[ArticleInput | InputError]:
    for f in files:
        try:
            if f.suffix == ".jsonl":
                yield from read_jsonl(f, max_chars)
            else:
                try:
                    yield read_txt(f, max_chars)
                except InputError as exc:
                    yield exc
        except Exception as exc:  # a bug reading one file must not stop the next ones
            yield InputError(str(f), f"internal error: {one_line(exc)}")


def _check_labels(item: ArticleInput, schema: LabelSchema) -> None:
    entities, events = set(schema.entity_names()), set(schema.event_names())
    for s in item.spans:
        if s.label not in entities:
            raise InputError(str(item.path), f"span label {s.label!r} is not in the schema",
                             item.line)
    for e in item.events:
        if e.label not in events:
            raise InputError(str(item.path), f"event label {e.label!r} is not in the schema",
                             item.line)


def _where(item: ArticleInput) -> str:
    return f"{item.path}:{item.line}" if item.line is not None else str(item.path)


def _check_sentence_events(item: ArticleInput, sentences: list[tuple[int, int]]) -> None:
    """A sentence-scope event label must sit on one of the document's sentences."""
    known = set(sentences)
    for i, e in enumerate(item.events):
        if e.scope == "sentence" and (e.start, e.end) not in known:
            raise InputError(
                str(item.path),
                f"event {i} [{e.start}, {e.end}) is not a sentence of the document",
                item.line,
            )


def _prepare(item: ArticleInput, clean: bool) -> tuple[str, str, dict]:
    """The text to store, its title and the import meta (with the cleaning audit)."""
    meta: dict = {"source_path": str(item.path)}
    if item.is_record:
        text = item.text
        if not item.has_annotations and item.sentences is None:
            text = unicodedata.normalize("NFC", text)
        if item.meta:
            meta["record_meta"] = item.meta
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        return text, item.title or first[:200], meta
    result = clean_article(item.text) if clean else normalise_only(item.text)
    meta["cleaning"] = {"cleaned": clean, "removed": result.removed}
    if result.source:
        meta["attribution"] = result.source
    return result.text, result.title, meta


def import_one(
    store: Store, schema: LabelSchema, item: ArticleInput, summary: ImportSummary, *,
    annotator: str | None, clean: bool,
) -> None:
    if annotator is not None:
        _check_labels(item, schema)
    text, title, meta = _prepare(item, clean)
    if not text.strip():
        raise InputError(str(item.path), "nothing left after cleaning", item.line)
    existing = store.document_by_sha(sha256_text(text))
    if existing is not None:
        assert existing.id is not None
        sentences = [(x.start, x.end) for x in store.sentences(existing.id)]
    else:
        sentences = item.sentences if item.sentences is not None else split_sentences(text)
    _check_sentence_events(item, sentences)
    doc, created = store.add_document(
        external_id=item.external_id, title=title, text=text, sentences=sentences,
        source_path=str(item.path), meta=meta,
    )
    if created:
        summary.added += 1
        if doc.external_id != item.external_id:
            summary.notices.append(
                f"{_where(item)}: id {item.external_id!r} is taken by another text; "
                f"stored as {doc.external_id!r}"
            )
    else:
        summary.duplicates += 1
    if annotator is not None and (item.is_record or item.has_annotations):
        assert doc.id is not None
        try:
            n_spans, n_events = store.import_annotations(
                doc.id, annotator,
                [(s.start, s.end, s.label) for s in item.spans],
                [(e.label, e.scope, e.start, e.end) for e in item.events],
            )
        except StoreError as exc:
            raise InputError(str(item.path), str(exc), item.line) from None
        summary.annotated += 1
        summary.spans += n_spans
        summary.events += n_events


def import_paths(
    store: Store, schema: LabelSchema, paths: list[Path], *,
    annotator: str | None = None, clean: bool = True, progress: bool = False,
    max_chars: int = MAX_CHARS,
) -> ImportSummary:
    """Import every file under `paths`; bad items are reported in `errors` and skipped."""
    check_annotator(annotator)
    if max_chars < 1:
        raise UsageError(f"--max-chars must be at least 1, not {max_chars}")
    summary = ImportSummary()
    files, path_errors = collect_files(paths)
    summary.errors.extend(str(e) for e in path_errors)
    bar = None
    if progress and len(files) >= PROGRESS_THRESHOLD:
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("importing", total=len(files))
    last_path: Path | None = None
    last_error, repeats = "", 0  # the last unexpected error, and on how many items in a row
    try:
        for item in _inputs(files, max_chars):
            if isinstance(item, InputError):
                summary.errors.append(str(item))
                current = Path(item.path)
            else:
                current = item.path
                try:
                    import_one(store, schema, item, summary, annotator=annotator, clean=clean)
                    repeats = 0
                except InputError as exc:
                    summary.errors.append(str(exc))
                except AnnotatorError as exc:  # e.g. a StoreError: its message is for users
                    summary.errors.append(f"{_where(item)}: {exc}")
                except Exception as exc:
                    if database_unusable(exc):
                        summary.errors.append(
                            f"{_where(item)}: database error: {_describe(exc)}; import stopped "
                            "(nothing after this item was imported)"
                        )
                        summary.stopped = True
                        break
                    error = f"internal error: {_describe(exc)}"
                    repeats = repeats + 1 if error == last_error else 1
                    last_error = error
                    if repeats >= SAME_ERROR_STOP:
                        error += (f"; import stopped (the same error on {repeats} items in a "
                                  "row; nothing after this item was imported)")
                        summary.stopped = True
                    summary.errors.append(f"{_where(item)}: {error}")
                    if summary.stopped:
                        break
            if bar is not None and current != last_path:
                bar.advance(task)
            last_path = current
    finally:
        if bar is not None:
            bar.stop()
    return summary


def run_import(
    db: str | None, paths: list[Path], *, annotator: str | None, clean: bool,
    max_chars: int = MAX_CHARS,
) -> int:
    from annotator.commands.common import open_store

    check_annotator(annotator)  # before the database is even opened: nothing is imported
    store, schema = open_store(db)
    try:
        summary = import_paths(store, schema, paths, annotator=annotator, clean=clean,
                               progress=sys.stderr.isatty(), max_chars=max_chars)
    finally:
        store.close()
    for line in summary.notices:
        print(f"annotator: note: {line}", file=sys.stderr)
    for line in summary.errors:
        print(f"annotator: {line}", file=sys.stderr)
    parts = [f"{summary.added} added", f"{summary.duplicates} already present"]
    if annotator is not None:
        parts.append(f"{summary.spans} spans and {summary.events} event labels for {annotator}")
    if summary.errors:
        parts.append(f"{len(summary.errors)} rejected")
    if summary.stopped:
        parts.append("stopped early")
    print("imported: " + ", ".join(parts))
    return 1 if summary.errors else 0
