"""`annotator gazetteer add|list|remove`: the names lists the gazetteer source suggests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.commands.common import open_store, resolve_user
from annotator.errors import InputError, UsageError
from annotator.labelschema import LabelSchema


def _check_label(schema: LabelSchema, label: str, option: str = "--label") -> None:
    if label not in schema.entity_names():
        raise UsageError(f"{option} {label!r} is not an entity type of the label schema "
                         f"({', '.join(schema.entity_names())})")


def run_add(db: str | None, file: Path, *, label: str | None) -> int:
    """Add the names of FILE (one a line with --label, or name<TAB>label); a bad line is
    reported (`file:line: what is wrong`), skipped, and makes the exit status 1."""
    from annotator.suggest.gazetteer import (
        GazetteerErrors,
        gazetteer_key,
        read_gazetteer_file,
    )

    store, schema = open_store(db)
    try:
        if label is not None:
            _check_label(schema, label)
        known = set(schema.entity_names())
        entries: list[tuple[str, str]] = []
        errors: list[InputError] = []
        try:
            for line, name, lab in read_gazetteer_file(file, label):
                if lab not in known:
                    errors.append(InputError(str(file), f"label {lab!r} is not an entity "
                                             "type of the label schema", line))
                else:
                    entries.append((name, lab))
        except GazetteerErrors as exc:
            errors += exc.errors
        errors.sort(key=lambda e: e.line or 0)
        for err in errors:
            print(err, file=sys.stderr)
        added = store.add_gazetteer(entries, str(file), by=resolve_user(None)) \
            if entries else 0
    finally:
        store.close()
    distinct = len({(gazetteer_key(name), lab) for name, lab in entries})
    print(f"{file}: {added} names added, {distinct - added} already there, "
          f"{len(errors)} lines rejected")
    return 1 if errors else 0


def run_list(db: str | None, *, label: str | None, json_out: bool) -> int:
    store, _schema = open_store(db)
    try:
        entries = store.gazetteer_entries(label)
    finally:
        store.close()
    if json_out:
        for e in entries:
            print(json.dumps({"name": e.name, "label": e.label, "key": e.key,
                              "source": e.source}, ensure_ascii=False))
        return 0
    if not entries:
        print("the gazetteer is empty" + (f" for {label}" if label else ""))
        return 0
    from rich.console import Console
    from rich.table import Table

    from annotator.bidi.cell import table_cell

    console = Console()
    terminal = console.is_terminal  # Arabic right to left; a pipe keeps logical order
    table = Table("name", "label", "source")
    for e in entries:
        table.add_row(table_cell(e.name, terminal), e.label, e.source)
    console.print(table)
    console.print(f"{len(entries)} name{'' if len(entries) == 1 else 's'}")
    return 0


def run_remove(db: str | None, names: list[str], *, label: str | None,
               source: str | None) -> int:
    """Remove the names given (any label, or only --label's), or every name of --label,
    or of --source FILE. A name that matches nothing is reported; exit status 1."""
    from annotator.suggest.gazetteer import gazetteer_key

    if not names and label is None and source is None:
        raise UsageError("name the entries to remove, or give --label or --source")
    store, _schema = open_store(db)
    try:
        missing: list[str] = []
        if names:
            present = {e.key for e in store.gazetteer_entries(label)
                       if source is None or e.source == source}
            missing = [n for n in names if gazetteer_key(n) not in present]
        removed = store.remove_gazetteer(names, label=label, source=source,
                                         by=resolve_user(None))
    finally:
        store.close()
    for name in missing:
        print(f"annotator: no gazetteer entry {name!r}"
              + (f" labelled {label}" if label else ""), file=sys.stderr)
    if not names and not removed:
        what = " and ".join(x for x in (label and f"labelled {label}",
                                        source and f"from {source}") if x)
        print(f"annotator: no gazetteer entry {what}", file=sys.stderr)
    print(f"{removed} names removed")
    return 1 if missing or not removed else 0
