"""`annotator export OUT`: gold, majority or one annotator's work, as JSONL, CoNLL,
spaCy DocBin, brat standoff or sentence-level event JSONL (`--format events`),
optionally split into train/dev/test.

Exit 0 when everything was written; 1 when a format could not represent some annotation
exactly (each one is named on stderr; the files are still written); 2 on bad arguments.
With `--json` the summary is the only thing on stdout.
"""

from __future__ import annotations

import gc
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.commands.common import SCHEMA_KEY, open_store
from annotator.errors import AnnotatorError, UsageError
from annotator.io.records import Source, iter_records, parse_source, select_documents
from annotator.io.split import parse_split
from annotator.io.writer import Writer, split_path
from annotator.labelschema import LabelSchema, parse_schema
from annotator.store.engine import database_url
from annotator.store.models import GOLD

FORMATS = ("jsonl", "conll", "spacy", "brat", "events")
PROGRESS_THRESHOLD = 50  # documents
MAX_PROBLEM_LINES = 20


def _make_writer(fmt: str, out: Path, schema: LabelSchema) -> Writer:
    if fmt == "jsonl":
        from annotator.io.jsonl_export import JsonlWriter

        return JsonlWriter(out)
    if fmt == "conll":
        from annotator.io.conll import ConllWriter

        return ConllWriter(out)
    if fmt == "spacy":
        from annotator.io.spacy_docbin import SpacyWriter

        return SpacyWriter(out, event_labels=schema.event_names())
    if fmt == "events":
        from annotator.io.events_jsonl import EventsWriter

        return EventsWriter(out)
    from annotator.io.brat import BratWriter

    events = schema.event_names()
    return BratWriter(out, entity_labels=schema.entity_names(), event_labels=events,
                      roles={e: schema.roles(e) for e in events},
                      attributes={e: schema.attributes(e) for e in events})


def _check_out(out: Path, fmt: str) -> None:
    if fmt == "brat":
        if out.exists() and not out.is_dir():
            raise UsageError(f"{out}: brat export needs a folder, and this is a file")
    elif fmt == "spacy":
        from annotator.io.spacy_docbin import is_shard_folder

        if out.is_dir() and not is_shard_folder(out):  # an earlier export's shards: replaced
            raise UsageError(f"{out}: is a folder with other files than part-*.spacy; "
                             "spacy export writes a .spacy file or a folder of them")
    elif out.is_dir():
        raise UsageError(f"{out}: is a folder; {fmt} export writes a file")


def _sqlite_path(db: str | None) -> Path | None:
    """The database file of a SQLite URL (None for another database or :memory:)."""
    url = database_url(db)
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix):].split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def _check_not_database(out: Path, fmt: str, split: str | None, db: str | None) -> None:
    """Refuse to write an export over the database (or its WAL files): it would replace
    the whole corpus."""
    path = _sqlite_path(db)
    if path is None:
        return
    protected = {Path(f"{path}{suffix}").resolve() for suffix in ("", "-wal", "-shm",
                                                                  "-journal")}
    targets = [out]
    if split is not None and fmt in ("conll", "spacy", "events"):
        targets += [split_path(out, name) for name, _ in parse_split(split)]
    for target in targets:
        if target.resolve() in protected:
            raise UsageError(f"{target}: is the database {path}; export to another file")


def _check_database(db: str | None) -> None:
    url = database_url(db)
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix + ":memory:":
        path = Path(url[len(prefix):])
        if not path.exists():
            raise AnnotatorError(f"no database at {path} (import some documents first)")


def _schema_version(store: Any, schema: LabelSchema) -> int:
    """The version of the label schema the database was annotated with."""
    stored = store.get_setting(SCHEMA_KEY)
    if stored:
        parsed, errors = parse_schema(stored)
        if not errors:
            return parsed.version
    return schema.version


def _progress(total: int) -> tuple[Callable[[], None], Callable[[], None]]:
    """(advance, stop): a rich progress bar on stderr when it is a terminal and the
    export is long enough; no-ops otherwise."""
    if total <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return (lambda: None), (lambda: None)
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("exporting", total=total)
    bar.start()
    return (lambda: bar.advance(task)), bar.stop


def export(
    store: Any, schema: LabelSchema, out: Path, *, source: Source, fmt: str,
    split: str | None = None, seed: int = 0, progress: bool = False,
) -> dict[str, Any]:
    """Write the export; return the summary (also what `--json` prints)."""
    spec = parse_split(split) if split is not None else None
    sel = select_documents(store, source)
    writer = _make_writer(fmt, out, schema)
    n_spans = n_events = n_mentions = 0
    per_split: Counter[str] = Counter()
    advance, stop = _progress(len(sel.documents)) if progress else (lambda: None, lambda: None)
    # what exists now (modules, the ORM, the document list) lives to the end: frozen, the
    # cyclic GC stops walking it on every full pass (a fifth of a 10,000-document CoNLL
    # export's time went there); the records and tokens made per document die young
    gc.freeze()
    try:
        for record in iter_records(store, sel, schema_version=_schema_version(store, schema),
                                   split=spec, seed=seed):
            writer.add(record)
            n_spans += len(record["spans"])
            n_events += len(record["events"])
            n_mentions += len(record.get("event_mentions", ()))
            if spec is not None:
                per_split[record["meta"]["split"]] += 1
            advance()
        files = writer.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        stop()
        gc.unfreeze()
    return {
        "out": str(out),
        "format": fmt,
        "source": source.label,
        "documents": len(sel.documents),
        "spans": n_spans,
        "events": n_events,
        "event_mentions": n_mentions,
        "splits": {name: per_split.get(name, 0) for name, _ in spec} if spec else {},
        "seed": seed if spec else None,
        "files": [str(f) for f in files],
        "problems": writer.problems,
        "unfinished_gold": sel.unfinished_gold,
    }


def run_export(
    db: str | None, out: Path, *, source: str, fmt: str, split: str | None, seed: int,
    json_out: bool,
) -> int:
    if fmt not in FORMATS:
        raise UsageError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    src = parse_source(source)
    if split is not None:
        parse_split(split)  # a usage error before touching the database
    _check_out(out, fmt)
    _check_not_database(out, fmt, split, db)
    _check_database(db)
    store, schema = open_store(db)
    try:
        summary = export(store, schema, out, source=src, fmt=fmt, split=split, seed=seed,
                         progress=True)
    except OSError as exc:  # an unwritable OUT: one line naming it, not an internal error
        raise AnnotatorError(f"{exc.filename or out}: cannot write: {exc.strerror or exc}") \
            from None
    finally:
        store.close()
    err = sys.stderr
    if summary["unfinished_gold"]:
        print(f"annotator: {summary['unfinished_gold']} document(s) have {GOLD} annotations "
              "but adjudication is not marked done; not exported", file=err)
    if not summary["documents"]:
        print(f"annotator: no document has annotations from source {src.label!r}", file=err)
    problems = summary["problems"]
    for line in problems[:MAX_PROBLEM_LINES]:
        print(f"annotator: {line}", file=err)
    if len(problems) > MAX_PROBLEM_LINES:
        print(f"annotator: ... and {len(problems) - MAX_PROBLEM_LINES} more", file=err)
    if json_out:
        print(json.dumps({k: v for k, v in summary.items() if k != "problems"}
                         | {"problems": len(problems)}, ensure_ascii=False))
    else:
        splits = ", ".join(f"{k} {v}" for k, v in summary["splits"].items())
        mentions = (f", {summary['event_mentions']} event mentions"
                    if summary["event_mentions"] else "")
        print(f"exported {summary['documents']} documents ({summary['spans']} spans, "
              f"{summary['events']} event labels{mentions}) from {src.label} to {out}"
              + (f" [{splits}]" if splits else ""))
    return 1 if problems else 0
