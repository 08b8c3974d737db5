"""`annotator schema show|check|set`: the project's label schema, kept in the database.

`show` and `check` read the database's current schema (a database that does not exist yet
is neither created nor seeded: the packaged schema/labels.toml is shown instead, as a new
database would start with it), or FILE when one is given. `set FILE` stores FILE as the
next version (see `Store.set_label_schema`), `--rename OLD=NEW` migrating annotations.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from annotator.errors import UsageError
from annotator.labelschema import LabelSchema, color_warnings, load_schema, read_schema
from annotator.store.engine import database_url


def _database_exists(db: str | None) -> bool:
    """False for an SQLite file that is not there (reading must not create it)."""
    url = database_url(db)
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix + ":memory:" and "mode=memory" not in url:
        path = url[len(prefix):].split("?", 1)[0].removeprefix("file:")
        return Path(path).exists()
    return True


def _stored(db: str | None) -> tuple[LabelSchema, str, str]:
    """(schema, where it is from, header line): the database's current schema, or the
    packaged one when there is no database yet."""
    if not _database_exists(db):
        schema = load_schema()
        where = f"{safe(database_url(db))} (no database yet: the packaged schema it would " \
                "start with)"
        return schema, str(Path(__file__).resolve().parents[2] / "schema" / "labels.toml"), \
            f"label schema of {where}"
    from annotator.commands.common import open_store

    store, schema = open_store(db)
    try:
        row = store.label_schema_version(schema.stored_version or 0)
    finally:
        store.close()
    head = f"label schema version {schema.stored_version} of {safe(database_url(db))}"
    if row is not None:
        when = row.created_at.strftime("%Y-%m-%d %H:%M")
        head += f" (digest {row.digest[:16]}, {when}, by {row.by or 'seed'}"
        head += f", {row.note})" if row.note else ")"
    return schema, f"database schema v{schema.stored_version}", head


def safe(url: str) -> str:
    from annotator.store.engine import safe_url

    return safe_url(url)


def run_show(file: Path | None = None, db: str | None = None, *, toml: bool = False,
             history: bool = False) -> int:
    if history:
        return _history(db)
    if file is not None:
        schema, head = load_schema(file), f"label schema file {file}"
    else:
        schema, _, head = _stored(db)
    if toml:
        sys.stdout.write(schema.source_text)
        return 0
    from annotator.bidi.cell import table_cell

    console = Console()
    terminal = console.is_terminal  # Arabic right to left, shaped; a pipe keeps logical order
    console.print(escape(head), highlight=False)
    for title, types in (("Entity types", schema.entities), ("Event types", schema.events)):
        table = Table(title=f"{title} ({schema.name} v{schema.version})")
        for column in ("name", "key", "colour", "English"):
            table.add_column(column)
        table.add_column(table_cell("العربية", terminal), justify="right")
        for t in types:
            table.add_row(t.name, t.hotkey, f"[{t.color}]■[/] {t.color}", escape(t.en),
                          table_cell(t.ar, terminal))
        console.print(table)
    if any(t.roles or t.attributes for t in schema.events):
        console.print(_structure_table(schema))
    return 0


def _structure_table(schema: LabelSchema) -> Table:
    """Roles (key, entity labels, required/repeat) and attributes (values, default*)."""
    table = Table(title="Event structure: roles [key] (labels) and attributes (*default)")
    for column in ("event", "roles", "attributes"):
        table.add_column(column)
    for t in schema.events:
        roles = escape("\n".join(
            f"{r.name} [{r.hotkey}] ({' '.join(r.labels)})"
            + (" required" if r.required else "") + (" repeat" if r.repeat else "")
            for r in t.roles))
        attributes = "\n".join(
            f"{a.name}: " + "|".join(f"{v}*" if v == a.default else v for v in a.values)
            for a in t.attributes)
        table.add_row(t.name, roles or "-", attributes or "-")
    return table


def _history(db: str | None) -> int:
    if not _database_exists(db):
        print(f"{safe(database_url(db))}: no database yet (it would start with the packaged "
              "schema as version 1)")
        return 0
    from annotator.commands.common import open_store

    store, _ = open_store(db)
    try:
        for row in store.label_schema_versions():
            print(f"v{row.version}  {row.created_at:%Y-%m-%d %H:%M}  {row.by or 'seed':<12}  "
                  f"{row.digest[:16]}  {row.note}")
    finally:
        store.close()
    return 0


def run_check(file: Path | None = None, db: str | None = None) -> int:
    if file is not None:
        path, schema, errors = read_schema(file)
        where = str(path)
    else:
        schema, where, _ = _stored(db)
        errors = []  # a stored schema was checked when it was set
    for line in errors:
        print(line)
    # colours too close to tell apart: a warning, the exit status is unchanged
    for line in color_warnings(schema, where):
        print(line)
    if errors:
        return 1
    n_roles = sum(len(t.roles) for t in schema.events)
    print(f"{where}: ok ({len(schema.entities)} entity types, {len(schema.events)} event "
          f"types, {n_roles} roles)")
    return 0


def parse_renames(values: list[str]) -> dict[str, str]:
    """``--rename OLD=NEW`` options as {old: new}; a malformed one is a usage error."""
    out: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        old, new = old.strip(), new.strip()
        if not sep or not old or not new:
            raise UsageError(f"--rename {value!r}: write OLD=NEW (e.g. --rename OCC=TITLE)")
        if old in out:
            raise UsageError(f"--rename {old}: renamed twice")
        out[old] = new
    return out


def run_set(db: str | None, file: Path, *, renames: list[str], user: str | None,
            note: str = "") -> int:
    from annotator.commands.common import open_store, resolve_user
    from annotator.store.models import Action

    mapping = parse_renames(renames)
    path, _schema, errors = read_schema(file)
    if errors:
        for line in errors:
            print(line)
        print(f"{path}: not stored ({len(errors)} problem{'s' if len(errors) != 1 else ''})")
        return 1
    text = path.read_text(encoding="utf-8")
    store, before = open_store(db)
    try:
        version = store.set_label_schema(text, by=resolve_user(user), renames=mapping,
                                         note=note)
        if version == before.stored_version:
            print(f"label schema unchanged (version {version})")
            return 0
        with store.session() as s:
            payload = s.execute(select(Action.payload).where(Action.kind == "schema")
                                .order_by(Action.id.desc()).limit(1)).scalar_one()  # type: ignore[union-attr]
    finally:
        store.close()
    migrated = payload.get("migrated") or {}
    moved = ", ".join(f"{n} {table}" for table, n in sorted(migrated.items()))
    renamed = ", ".join(f"{o}→{n}" for o, n in sorted(mapping.items()))
    print(f"label schema version {version} stored from {path} (was {before.stored_version})"
          + (f"; renamed {renamed}: {moved or 'nothing stored used them'}" if mapping else ""))
    return 0
