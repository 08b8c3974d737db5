"""The project's label schema, kept in the database (a mixin of `Store`).

Table `labelschemaversion`: the row with the highest `version` is the schema every command
and every annotator uses. An empty table is seeded on first read with the packaged
schema/labels.toml as version 1 (insert-or-ignore on `version`: two processes seeding at
once make one row). `set_label_schema` adds a version in one transaction: labels in use
may not vanish unless renamed, and renames migrate every stored label (spans, event
labels, event mentions' types, arguments, suggestions, gazetteer entries), logged in the
action log as kind ``schema``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, and_, exists, func, select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from annotator.labelschema import LabelSchema, default_schema_path, parse_schema
from annotator.store.errors import StoreError
from annotator.store.models import (
    EventArgument,
    EventLabel,
    EventMention,
    GazetteerEntry,
    LabelSchemaVersion,
    Setting,
    Span,
    Suggestion,
    utcnow,
)

SCHEMA_SETTING = "label_schema"  # the schema's text, mirrored for older readers (export)
SCHEMA_KIND = "schema"  # action-log kind of a schema change
# where each kind of label is stored: (table, label column, the columns that, with the
# label, make a row unique: a rename onto a label the row already has there merges)
ENTITY_COLUMNS: tuple[tuple[Any, str, tuple[str, ...]], ...] = (
    (Span, "label", ("document_id", "annotator_id", "start", "end")),
    (EventArgument, "label", ("mention_id", "role", "start", "end")),
    (Suggestion, "label", ("document_id", "annotator_id", "start", "end")),
    (GazetteerEntry, "label", ("key",)),
)
EVENT_COLUMNS: tuple[tuple[Any, str, tuple[str, ...]], ...] = (
    (EventLabel, "label", ("document_id", "annotator_id", "scope", "start", "end")),
    (EventMention, "type", ("document_id", "annotator_id", "start", "end")),
)
NULLABLE = {"start", "end"}  # an event label's range is NULL for a document's label


def schema_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


class StoreLabelSchema:
    """The database's label schema (mixed into `Store`, which provides the rest)."""

    write: Any
    session: Any
    is_sqlite: bool
    label_checker: Any
    _insert_ignore: Any
    _ann_id: Any
    _audit: Any

    # --------------------------------------------------------------------- read
    def label_schema(self) -> LabelSchema:
        """The project's current label schema (the highest version; seeded from the
        packaged schema/labels.toml when there is none yet). Parsed once per version."""
        with self.session() as s:
            head = s.execute(select(LabelSchemaVersion.version, LabelSchemaVersion.digest)
                             .order_by(col(LabelSchemaVersion.version).desc()).limit(1)).first()
        if head is None:
            seeded = self._seed_label_schema()
            if seeded is None:  # a read-only database: the packaged schema, unrecorded
                return _parse_stored(default_schema_path().read_text(encoding="utf-8"), None)
            return self.label_schema()
        cached: tuple[int, str, LabelSchema] | None = getattr(self, "_schema_cache", None)
        if cached is not None and cached[:2] == (head[0], head[1]):
            return cached[2]
        with self.session() as s:
            text = s.execute(select(LabelSchemaVersion.toml)
                             .where(col(LabelSchemaVersion.version) == head[0])).scalar_one()
        schema = _parse_stored(text, head[0])
        self._schema_cache = (head[0], head[1], schema)
        return schema

    def label_schema_versions(self) -> list[LabelSchemaVersion]:
        """Every stored version, oldest first (without seeding)."""
        with self.session() as s:
            return list(s.execute(select(LabelSchemaVersion)
                                  .order_by(col(LabelSchemaVersion.version))).scalars())

    def label_schema_version(self, version: int) -> LabelSchemaVersion | None:
        with self.session() as s:
            return s.execute(select(LabelSchemaVersion)
                             .where(col(LabelSchemaVersion.version) == version)
                             ).scalars().first()

    def _seed_label_schema(self) -> int | None:
        """Version 1 from the packaged schema; None when the database is read-only."""
        text, note = self._seed_text()
        try:
            with self.write() as s:
                self._insert_ignore(s, LabelSchemaVersion, {
                    "version": 1, "toml": text, "digest": schema_digest(text), "by": None,
                    "note": note, "created_at": utcnow()}, ["version"])
                s.commit()
        except OperationalError as exc:
            if self.is_sqlite and "readonly" in str(exc).replace(" ", "").lower():
                return None
            raise
        return 1

    def _seed_text(self) -> tuple[str, str]:
        """The packaged schema, unless the database (made before schemas were stored)
        uses labels it lacks and remembers the schema it was last opened with."""
        packaged = default_schema_path().read_text(encoding="utf-8")
        note = "seeded from the packaged schema/labels.toml"
        with self.session() as s:
            remembered = s.get(Setting, SCHEMA_SETTING)
            if remembered is None or remembered.value == packaged:
                return packaged, note
            schema, errors = parse_schema(packaged)
            missing = _missing(s, schema) if not errors else ["?"]
        old, old_errors = parse_schema(remembered.value)
        if missing and not old_errors:
            return remembered.value, "seeded from the schema this database was last opened with"
        return packaged, note

    # -------------------------------------------------------------------- write
    def set_label_schema(self, toml_text: str, *, by: str,
                         renames: Mapping[str, str] | None = None, note: str = "") -> int:
        """Make `toml_text` the project's schema: the new version number (the current one
        when nothing changes). One transaction: renames migrate every stored label; a label
        (or an event type's role) still in use must be in the new schema; logged."""
        new, errors = parse_schema(toml_text, "the new schema")
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise StoreError(f"{errors[0]}{more}")
        renames = dict(renames or {})
        self.label_schema()  # seeded before the write: the lock is taken once
        with self.write() as s:
            row = s.execute(select(LabelSchemaVersion)
                            .order_by(col(LabelSchemaVersion.version).desc()).limit(1)
                            ).scalars().first()
            assert row is not None
            current = _parse_stored(row.toml, row.version)
            if row.toml == toml_text and not renames:
                return row.version
            kinds = _check_renames(current, new, renames)
            if any(kind == "event" for kind in kinds.values()):
                _refuse_merged_mentions(s, {o: n for o, n in renames.items()
                                            if kinds[o] == "event"})
            migrated = _migrate(s, renames, kinds)
            missing = _missing(s, new)
            if missing:
                raise StoreError(
                    f"the label schema no longer has {', '.join(missing)}, which the database "
                    "uses: keep them, or rename them with --rename OLD=NEW (annotations are "
                    "never dropped)")
            version = row.version + 1
            digest = schema_digest(toml_text)
            if not note and renames:
                note = "rename " + ", ".join(f"{o}={n}" for o, n in sorted(renames.items()))
            s.add(LabelSchemaVersion(version=version, toml=toml_text, digest=digest, by=by,
                                     note=note))
            self._insert_ignore(s, Setting, {"key": SCHEMA_SETTING, "value": ""}, ["key"])
            setting = _table(Setting)
            s.execute(setting.update().where(setting.c.key == SCHEMA_SETTING)
                      .values(value=toml_text))
            self._audit(s, None, self._ann_id(s, by), SCHEMA_KIND, {
                "before": row.version, "after": version, "digest": digest[:16],
                "name": new.name, "renames": renames, "migrated": migrated, "note": note,
            }, by=by)
            s.commit()
        schema = _parse_stored(toml_text, version)
        self._schema_cache = (version, digest, schema)
        if isinstance(self.label_checker, LabelSchema):
            self.label_checker = schema
        elif isinstance(self.label_checker, LiveLabelSchema):
            self.label_checker.refresh()  # this process's next write knows the new labels
        return version


class LiveLabelSchema:
    """The database's current schema as a `label_checker`: every `LabelSchema` attribute,
    taken from `store.label_schema()`, looked up again at most every `interval` seconds
    (so a long-running annotator's writes follow `annotator schema set` made elsewhere,
    without a query per checked label on a bulk path)."""

    def __init__(self, store: StoreLabelSchema, interval: float = 2.0) -> None:
        self._store = store
        self._interval = interval
        self._schema = store.label_schema()
        self._checked = time.monotonic()

    def refresh(self) -> None:
        self._schema = self._store.label_schema()
        self._checked = time.monotonic()

    @property
    def current(self) -> LabelSchema:
        now = time.monotonic()
        if now - self._checked >= self._interval:
            self._schema = self._store.label_schema()
            self._checked = now
        return self._schema

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.current, name)


# ------------------------------------------------------------------------ helpers
def _parse_stored(text: str, version: int | None) -> LabelSchema:
    where = f"label schema version {version} in the database" if version else "schema"
    schema, errors = parse_schema(text, where)
    if errors:
        raise StoreError(errors[0] + (f" (and {len(errors) - 1} more)" if len(errors) > 1
                                      else ""))
    schema.stored_version = version
    return schema


def _check_renames(current: LabelSchema, new: LabelSchema,
                   renames: Mapping[str, str]) -> dict[str, str]:
    """{old: kind}; refuses a rename that is not old → new of one kind."""
    kinds: dict[str, str] = {}
    for old, target in renames.items():
        if old == target:
            raise StoreError(f"--rename {old}={target}: the same name")
        if old in renames.values() or target in renames:
            raise StoreError(f"--rename {old}={target}: a label is renamed and renamed to "
                             "in one change; make two changes")
        kind = ("entity" if old in current.entity_names()
                else "event" if old in current.event_names() else None)
        if kind is None:
            raise StoreError(f"--rename {old}={target}: {old} is not a label of the current "
                             "schema")
        names = new.entity_names() if kind == "entity" else new.event_names()
        if target not in names:
            raise StoreError(f"--rename {old}={target}: the new schema has no {kind} type "
                             f"{target}")
        if old in names:
            raise StoreError(f"--rename {old}={target}: the new schema still has {old}")
        kinds[old] = kind
    return kinds


def _same_row(table: Table, other: Table, keys: tuple[str, ...]) -> Any:
    """`other` is the row of `table` with the same key columns (NULL equal to NULL)."""
    parts = []
    for k in keys:
        if k in NULLABLE:
            parts.append(func.coalesce(other.c[k], -1) == func.coalesce(table.c[k], -1))
        else:
            parts.append(other.c[k] == table.c[k])
    return and_(*parts)


def _migrate(s: Session, renames: Mapping[str, str],
             kinds: Mapping[str, str]) -> dict[str, int]:
    """Rename in place, set-based, table by table; a row that would duplicate one already
    holding the new label is merged into it (deleted). {table: rows renamed}."""
    counts: dict[str, int] = {}
    for old, target in renames.items():
        columns = ENTITY_COLUMNS if kinds[old] == "entity" else EVENT_COLUMNS
        for model, column, keys in columns:
            table = _table(model)
            other = table.alias("other")
            label, other_label = table.c[column], other.c[column]
            s.execute(table.delete().where(label == old, exists().where(
                other_label == target, _same_row(table, other, keys))))
            done = s.execute(table.update().where(label == old).values({column: target}))
            if done.rowcount:  # type: ignore[attr-defined]
                counts[table.name] = counts.get(table.name, 0) + int(done.rowcount)  # type: ignore[attr-defined]
    return counts


def _refuse_merged_mentions(s: Session, renames: Mapping[str, str]) -> None:
    """Two event mentions of one annotator on one trigger, typed old and new, would become
    one: their arguments would have to be merged by hand, so the rename is refused."""
    mention = _table(EventMention)
    other = mention.alias("other")
    for old, target in renames.items():
        n = s.execute(select(func.count()).select_from(mention).where(
            mention.c.type == old, exists().where(
                other.c.type == target,
                _same_row(mention, other, ("document_id", "annotator_id", "start", "end"))))
        ).scalar_one()
        if n:
            raise StoreError(f"--rename {old}={target}: {n} event mention(s) typed {old} "
                             f"have a {target} mention on the same trigger by the same "
                             "annotator; remove one of each pair first")


def _missing(s: Session, schema: LabelSchema) -> list[str]:
    """What the annotations use that `schema` lacks, each with where it is used. (A
    suggestion or a gazetteer entry of a label gone is never offered: not a use.)"""
    entities, events = set(schema.entity_names()), set(schema.event_names())
    found: dict[str, list[str]] = {}
    for model, column, known in ((Span, "label", entities), (EventArgument, "label", entities),
                                 (EventLabel, "label", events), (EventMention, "type", events)):
        table = _table(model)
        rows = s.execute(select(table.c[column], func.count()).group_by(table.c[column]))
        for label, n in rows:
            if label not in known:
                found.setdefault(label, []).append(f"{n} {_NOUNS[table.name]}")
    out = [f"{label} ({', '.join(where)})" for label, where in sorted(found.items())]
    mention, argument = _table(EventMention), _table(EventArgument)
    pairs = s.execute(select(mention.c.type, argument.c.role, func.count())
                      .join(argument, argument.c.mention_id == mention.c.id)
                      .group_by(mention.c.type, argument.c.role))
    for type_, role, n in sorted(pairs):
        if type_ in events and schema.role(type_, role) is None:
            out.append(f"role {role} of {type_} ({n} arguments)")
    return out


_NOUNS = {"span": "spans", "eventargument": "event arguments", "eventlabel": "event labels",
          "eventmention": "event mentions"}
