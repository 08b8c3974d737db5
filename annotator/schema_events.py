"""Event structure in the label schema: the roles and attributes of an event type.

Each ``[[event]]`` may declare ``[[event.role]]`` tables (``name``, ``hotkey``, ``labels``,
``required``, ``repeat``) and ``[[event.attribute]]`` tables (``name``, ``values``,
``default``). Pure: parsing and validation only, each problem one line naming the file,
the line of the table when it can be found, the event type and the role or attribute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ROLE_KEYS = ("name", "hotkey", "labels", "required", "repeat")
ATTRIBUTE_KEYS = ("name", "values", "default")
_ROLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")  # ACE style: Agent, Place, Time-Within
_ATTR_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # polarity, tense …
_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # positive, past, …
# the headers whose line a problem is reported at: [[entity]], [[event]], [[event.role]] …
_HEADER = re.compile(r"^\s*\[\[\s*(entity|event|event\.role|event\.attribute)\s*\]\]")


@dataclass(frozen=True)
class EventRole:
    """An argument role of an event type: the entity labels that may fill it, whether the
    event needs one (`required`) and whether it takes several arguments (`repeat`)."""

    name: str
    hotkey: str
    labels: tuple[str, ...]
    required: bool = False
    repeat: bool = False

    def fits(self, entity_label: str) -> bool:
        return entity_label in self.labels


@dataclass(frozen=True)
class EventAttribute:
    """An attribute of an event mention (ACE: polarity, tense, genericity, modality): one
    of `values`, `default` until an annotator says otherwise."""

    name: str
    values: tuple[str, ...]
    default: str


class HeaderLines:
    """Line numbers (1-based) of the array-of-tables headers of a TOML text, by position:
    the i-th ``[[entity]]`` / ``[[event]]``, the j-th role or attribute of the i-th event.
    A header inside a multi-line string would be miscounted; then a line is only a hint."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[Any, ...], int] = {}
        counts = {"entity": 0, "event": 0}
        inner = {"event.role": 0, "event.attribute": 0}
        for number, line in enumerate(text.splitlines(), 1):
            m = _HEADER.match(line)
            if m is None:
                continue
            kind = m.group(1)
            if kind in counts:
                counts[kind] += 1
                self.lines[(kind, counts[kind])] = number
                if kind == "event":
                    inner = dict.fromkeys(inner, 0)
            else:
                inner[kind] += 1
                self.lines[(kind, counts["event"], inner[kind])] = number

    def at(self, path: str, *key: Any) -> str:
        """``path:line`` when the header was found, else ``path``."""
        line = self.lines.get(key)
        return f"{path}:{line}" if line else path


def unknown_keys(raw: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    return [f"unknown key {k!r} (expected {', '.join(allowed)})"
            for k in raw if k not in allowed]


def _bool(raw: Mapping[str, Any], key: str, problems: list[str]) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        problems.append(f"{key} must be true or false, not {value!r}")
        return False
    return value


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def parse_roles(
    entries: Any, event: str, entity_names: Sequence[str], where: Any,
) -> tuple[tuple[EventRole, ...], list[str]]:
    """The ``[[event.role]]`` tables of one event type; `where(j)` is the location prefix
    of its j-th role (``file:line``)."""
    if entries is None:
        return (), []
    if not isinstance(entries, list) or not all(isinstance(r, dict) for r in entries):
        return (), [f"{where(0)}: event {event}: 'role' must be [[event.role]] tables"]
    roles: list[EventRole] = []
    errors: list[str] = []
    names: set[str] = set()
    keys: dict[str, str] = {}
    known = set(entity_names)
    for j, raw in enumerate(entries, 1):
        name = raw.get("name")
        name = name.strip() if isinstance(name, str) else ""
        problems = unknown_keys(raw, ROLE_KEYS)
        if not name:
            problems.append("empty name")
        elif not _ROLE_NAME.match(name):
            problems.append(f"name {name!r} must be letters, digits, _ or -, "
                            "starting with a letter")
        elif name in names:
            problems.append(f"duplicate role name {name!r}")
        names.add(name)
        hotkey = raw.get("hotkey")
        hotkey = hotkey if isinstance(hotkey, str) else ""
        if len(hotkey) != 1 or not hotkey.isprintable() or hotkey.isspace():
            problems.append("hotkey must be one printable character")
        elif hotkey in keys:
            problems.append(f"hotkey {hotkey!r} already used by role {keys[hotkey]}")
        else:
            keys[hotkey] = name
        labels = _strings(raw.get("labels"))
        if labels is None or not labels:
            problems.append("labels must be a non-empty list of entity labels")
            labels = []
        for label in labels:
            if label not in known:
                problems.append(f"unknown entity label {label!r}")
        if len(set(labels)) != len(labels):
            problems.append("a label is listed twice")
        required = _bool(raw, "required", problems)
        repeat = _bool(raw, "repeat", problems)
        label = f"role {name}" if name else f"role #{j}"
        errors += [f"{where(j)}: event {event} {label}: {p}" for p in problems]
        roles.append(EventRole(name, hotkey, tuple(dict.fromkeys(labels)), required, repeat))
    return tuple(roles), errors


def parse_attributes(
    entries: Any, event: str, where: Any,
) -> tuple[tuple[EventAttribute, ...], list[str]]:
    """The ``[[event.attribute]]`` tables of one event type (`default`, when left out, is
    the first value)."""
    if entries is None:
        return (), []
    if not isinstance(entries, list) or not all(isinstance(a, dict) for a in entries):
        return (), [f"{where(0)}: event {event}: 'attribute' must be [[event.attribute]] "
                    "tables"]
    attributes: list[EventAttribute] = []
    errors: list[str] = []
    names: set[str] = set()
    for j, raw in enumerate(entries, 1):
        name = raw.get("name")
        name = name.strip() if isinstance(name, str) else ""
        problems = unknown_keys(raw, ATTRIBUTE_KEYS)
        if not name:
            problems.append("empty name")
        elif not _ATTR_NAME.match(name):
            problems.append(f"name {name!r} must be lower-case letters, digits, _")
        elif name in names:
            problems.append(f"duplicate attribute name {name!r}")
        names.add(name)
        values = _strings(raw.get("values"))
        if values is None or not values:
            problems.append("values must be a non-empty list of strings")
            values = []
        for value in values:
            if not _VALUE.match(value):
                problems.append(f"value {value!r} must be letters, digits, _ or -")
        if len(set(values)) != len(values):
            problems.append("a value is listed twice")
        default = raw.get("default", values[0] if values else "")
        if not isinstance(default, str):
            problems.append(f"default must be a string, not {default!r}")
            default = ""
        elif values and default not in values:
            problems.append(f"default {default!r} is not one of the values")
        label = f"attribute {name}" if name else f"attribute #{j}"
        errors += [f"{where(j)}: event {event} {label}: {p}" for p in problems]
        attributes.append(EventAttribute(name, tuple(dict.fromkeys(values)), default))
    return tuple(attributes), errors
