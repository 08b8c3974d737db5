"""`annotator import`: read, clean, segment and store articles (and imported annotations)."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import InputError
from annotator.io.article_input import ArticleInput, collect_files, read_jsonl, read_txt
from annotator.labelschema import LabelSchema
from annotator.store.service import Store, StoreError, sha256_text
from annotator.text.clean import clean_article, normalise_only
from annotator.text.segment import split_sentences

PROGRESS_THRESHOLD = 20  # files: show a progress bar from this many on


@dataclass
class ImportSummary:
    added: int = 0
    duplicates: int = 0
    annotated: int = 0
    spans: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _inputs(files: list[Path]) -> Iterator[ArticleInput | InputError]:
    for f in files:
        if f.suffix == ".jsonl":
            yield from read_jsonl(f)
        else:
            try:
                yield read_txt(f)
            except InputError as exc:
                yield exc


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
) -> ImportSummary:
    """Import every file under `paths`; bad items are reported in `errors` and skipped."""
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
    try:
        for item in _inputs(files):
            if isinstance(item, InputError):
                summary.errors.append(str(item))
                current = Path(item.path)
            else:
                current = item.path
                try:
                    import_one(store, schema, item, summary, annotator=annotator, clean=clean)
                except InputError as exc:
                    summary.errors.append(str(exc))
            if bar is not None and current != last_path:
                bar.advance(task)
            last_path = current
    finally:
        if bar is not None:
            bar.stop()
    return summary


def run_import(db: str | None, paths: list[Path], *, annotator: str | None, clean: bool) -> int:
    from annotator.commands.common import open_store

    store, schema = open_store(db)
    try:
        summary = import_paths(store, schema, paths, annotator=annotator, clean=clean,
                               progress=sys.stderr.isatty())
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
    print("imported: " + ", ".join(parts))
    return 1 if summary.errors else 0
