"""The label schema: entity and event types, each with hotkey, colour and descriptions;
an event type may declare argument roles and attributes (`annotator.schema_events`).

Parsed from TOML by `parse_schema`. The project's schema lives in the database
(`Store.label_schema()`, seeded from the packaged schema/labels.toml); a file is read
here for `annotator schema check|set FILE` and to seed a new database.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import InputError
from annotator.schema_events import (
    EventAttribute,
    EventRole,
    HeaderLines,
    parse_attributes,
    parse_roles,
    unknown_keys,
)

__all__ = [
    "DEFAULT_SCHEMA_PATH", "EventAttribute", "EventRole", "LabelSchema", "LabelType",
    "RESERVED_KEYS", "color_warnings", "default_schema_path", "load_schema", "parse_schema",
    "read_schema",
]

PACKAGE_ROOT = Path(__file__).resolve().parent
DEFAULT_SCHEMA_PATH = PACKAGE_ROOT.parent / "schema" / "labels.toml"
# keys the annotate screen uses itself: an entity hotkey may not take one of them
RESERVED_KEYS = frozenset("eEudnpNPqDxbL?/[]{}<>+" "sSaArRoO"  # 2nd: suggestions
                          "tlijkXcT")  # 3rd: event mentions
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_TYPE_KEYS = {"entity": ("name", "hotkey", "color", "en", "ar"),
              "event": ("name", "hotkey", "color", "en", "ar", "role", "attribute")}
_TOP_KEYS = ("schema", "entity", "event")


@dataclass(frozen=True)
class LabelType:
    kind: str  # "entity" | "event"
    name: str
    hotkey: str
    color: str
    en: str
    ar: str
    # event types only: argument roles and attributes, in the schema's order
    roles: tuple[EventRole, ...] = ()
    attributes: tuple[EventAttribute, ...] = ()


@dataclass
class LabelSchema:
    name: str
    version: int  # the [schema] version written in the TOML
    entities: list[LabelType] = field(default_factory=list)
    events: list[LabelType] = field(default_factory=list)
    source_text: str = ""
    # the database's version number of this schema (labelschemaversion.version); None
    # when it was read from a file
    stored_version: int | None = None

    def entity_names(self) -> list[str]:
        return [t.name for t in self.entities]

    def event_names(self) -> list[str]:
        return [t.name for t in self.events]

    def entity(self, name: str) -> LabelType | None:
        return next((t for t in self.entities if t.name == name), None)

    def event(self, name: str) -> LabelType | None:
        return next((t for t in self.events if t.name == name), None)

    def roles(self, event_type: str) -> tuple[EventRole, ...]:
        t = self.event(event_type)
        return t.roles if t else ()

    def role(self, event_type: str, role: str) -> EventRole | None:
        return next((r for r in self.roles(event_type) if r.name == role), None)

    def attributes(self, event_type: str) -> tuple[EventAttribute, ...]:
        t = self.event(event_type)
        return t.attributes if t else ()

    def attribute_defaults(self, event_type: str) -> dict[str, str]:
        """{attribute: default} of the event type: a new mention's attributes."""
        return {a.name: a.default for a in self.attributes(event_type)}

    def role_fits(self, event_type: str, role: str, entity_label: str) -> bool:
        """May a span labelled `entity_label` fill `role` of `event_type`?"""
        r = self.role(event_type, role)
        return r is not None and r.fits(entity_label)

    def color(self, name: str) -> str:
        t = self.entity(name) or self.event(name)
        return t.color if t else "#888888"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()[:16]


def default_schema_path() -> Path:
    return DEFAULT_SCHEMA_PATH


def parse_schema(text: str, path: str = "<schema>") -> tuple[LabelSchema, list[str]]:
    """Parse TOML text; return the schema and a list of error lines (empty when valid)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return LabelSchema(name="", version=0), [f"{path}: invalid TOML: {exc}"]
    errors: list[str] = [f"{path}: {p}" for p in unknown_keys(data, _TOP_KEYS)]
    head = data.get("schema", {})
    if not isinstance(head, dict):
        errors.append(f"{path}: [schema] must be a table")
        head = {}
    lines = HeaderLines(text)
    version = head.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.append(f"{path}: [schema] version must be a whole number from 1, "
                      f"not {version!r}")
        version = 1
    schema = LabelSchema(name=str(head.get("name", "")), version=version, source_text=text)
    for kind, bucket in (("entity", schema.entities), ("event", schema.events)):
        seen_names: set[str] = set()
        seen_keys: dict[str, str] = {}
        entries = data.get(kind, [])
        if not isinstance(entries, list) or not entries \
                or not all(isinstance(raw, dict) for raw in entries):
            errors.append(f"{path}: no [[{kind}]] types")
            continue
        for i, raw in enumerate(entries, 1):
            where = f"{lines.at(path, kind, i)}: {kind} #{i}"
            name = str(raw.get("name", "")).strip()
            hotkey = str(raw.get("hotkey", ""))
            color = str(raw.get("color", ""))
            if not name:
                errors.append(f"{where}: empty name")
            elif not _NAME.match(name):
                errors.append(f"{where}: name {name!r} must be upper-case letters, digits, _")
            elif name in seen_names:
                errors.append(f"{where}: duplicate name {name!r}")
            seen_names.add(name)
            if len(hotkey) != 1 or not hotkey.isprintable() or hotkey.isspace():
                errors.append(f"{where} ({name}): hotkey must be one printable character")
            elif hotkey in seen_keys:
                errors.append(
                    f"{where} ({name}): hotkey {hotkey!r} already used by {seen_keys[hotkey]}"
                )
            elif kind == "entity" and hotkey in RESERVED_KEYS:
                errors.append(f"{where} ({name}): hotkey {hotkey!r} is reserved by the app")
            seen_keys.setdefault(hotkey, name)
            if not _COLOR.match(color):
                errors.append(f"{where} ({name}): colour {color!r} is not #rrggbb")
            for lang in ("en", "ar"):
                if not str(raw.get(lang, "")).strip():
                    errors.append(f"{where} ({name}): missing {lang} description")
            errors += [f"{where} ({name}): {p}" for p in unknown_keys(raw, _TYPE_KEYS[kind])]
            is_event = kind == "event"
            roles, role_errors = parse_roles(
                raw.get("role") if is_event else None, name, schema.entity_names(),
                lambda j, i=i: lines.at(path, "event.role", i, j) if j
                else lines.at(path, "event", i))
            attributes, attribute_errors = parse_attributes(
                raw.get("attribute") if is_event else None, name,
                lambda j, i=i: lines.at(path, "event.attribute", i, j) if j
                else lines.at(path, "event", i))
            errors += role_errors + attribute_errors
            bucket.append(LabelType(kind, name, hotkey, color, str(raw.get("en", "")),
                                    str(raw.get("ar", "")), roles, attributes))
    return schema, errors


def color_warnings(schema: LabelSchema, path: str = "<schema>") -> list[str]:
    """Warning lines for label colours too close to each other (CIEDE2000 below
    `annotator.colors.TOO_CLOSE`), in truecolour or after the 256-colour downgrade; entity
    and event types are compared within their own kind (they are never shown together)."""
    from annotator.colors import TOO_CLOSE, too_close

    lines: list[str] = []
    for kind, types in (("entity", schema.entities), ("event", schema.events)):
        colors = {t.name: t.color for t in types if _COLOR.match(t.color)}
        for mode, diff, a, b in too_close(colors):
            lines.append(
                f"{path}: warning: {kind} colours of {a} ({colors[a]}) and {b} ({colors[b]}) "
                f"are too close in {mode} mode (CIEDE2000 {diff:.1f} < {TOO_CLOSE:g})")
    return lines


def read_schema(path: Path | None = None) -> tuple[Path, LabelSchema, list[str]]:
    """Read and parse a schema file: (path, schema, error lines); unreadable is InputError."""
    path = path or default_schema_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read label schema: {exc}") from exc
    schema, errors = parse_schema(text, str(path))
    return path, schema, errors


def load_schema(path: Path | None = None) -> LabelSchema:
    """Load and validate; raise InputError naming the file on the first problem."""
    path, schema, errors = read_schema(path)
    if errors:
        raise InputError(str(path), errors[0].split(": ", 1)[-1] + (
            f" (and {len(errors) - 1} more: run 'annotator schema check')" if len(errors) > 1
            else ""))
    return schema
