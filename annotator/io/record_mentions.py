"""A record's `event_mentions` (issue 13) validated for import; pure, no database.

Shape (as `annotator export --format jsonl` writes it): `[{"id": "E1", "type": "VISIT",
"trigger": {"start", "end", "text"?}, "attributes": {name: value}?, "arguments": [{"role",
"start", "end", "label", "text"?}]?, "coref_of": "E1"?}]`. A mention is rejected (and
with it the whole record, `file:line: what is wrong`) when its trigger is out of range or
breaks the span edge rule, a text differs from the record's text there, an argument is not
one of the record's spans (same start, end and label), a trigger and type or an argument
repeats, or `coref_of` names no earlier mention. `check_mentions` then holds them to the
label schema (type, roles, the labels that fit each role, attributes and their values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.text.span_edges import edge_problem
from annotator.text.storable import unstorable


@dataclass
class ParsedArgument:
    role: str
    start: int
    end: int
    label: str


@dataclass
class ParsedMention:
    start: int
    end: int
    type: str
    attributes: dict[str, str] = field(default_factory=dict)
    arguments: list[ParsedArgument] = field(default_factory=list)
    coref_of: int | None = None  # index of the earlier mention in the record's list


def _fail(path: Path, line: int, what: str) -> InputError:
    return InputError(str(path), what, line)


def _name(value: Any, what: str, path: Path, line: int) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(path, line, f"{what} must be a non-empty string, got {value!r}")
    reason = unstorable(value)
    if reason:
        raise _fail(path, line, f"{what} {reason}, which cannot be stored")
    return value


def _offsets(obj: Any, what: str, text: str, path: Path, line: int) -> tuple[int, int]:
    if not isinstance(obj, dict):
        raise _fail(path, line, f"{what} must be an object")
    start, end = obj.get("start"), obj.get("end")
    if type(start) is not int or type(end) is not int:
        raise _fail(path, line, f"{what} needs integer start and end, got "
                    f"{start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise _fail(path, line, f"{what} [{start}, {end}) is out of range (text has "
                    f"{len(text)} chars)")
    if "text" in obj and obj["text"] != text[start:end]:
        raise _fail(path, line, f"{what} text {obj['text']!r} differs from "
                    f"text[{start}:{end}] {text[start:end]!r}")
    return start, end


def parse_mentions(raw: Any, text: str, spans: set[tuple[int, int, str]], path: Path,
                   line: int) -> list[ParsedMention]:
    """The record's `event_mentions` (`raw`, None for none); `spans` the record's spans
    as (start, end, label)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _fail(path, line, f"'event_mentions' must be a list, got {type(raw).__name__}")
    out: list[ParsedMention] = []
    ids: dict[str, int] = {}
    seen: dict[tuple[int, int, str], int] = {}
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            raise _fail(path, line, f"event mention {i} must be an object")
        name = f"event mention {i}" + (f" ({m['id']})" if isinstance(m.get("id"), str) else "")
        type_ = _name(m.get("type"), f"{name} type", path, line)
        start, end = _offsets(m.get("trigger"), f"{name} trigger", text, path, line)
        problem = edge_problem(text, start, end)
        if problem is not None:
            raise _fail(path, line, f"{name} trigger [{start}, {end}) "
                        f"{text[start:end]!r} {problem}")
        if (start, end, type_) in seen:
            raise _fail(path, line, f"{name} repeats the trigger and type of event mention "
                        f"{seen[(start, end, type_)]}")
        seen[(start, end, type_)] = i
        attrs = m.get("attributes") or {}
        if not isinstance(attrs, dict):
            raise _fail(path, line, f"{name} attributes must be an object")
        for k, v in attrs.items():
            _name(k, f"{name} attribute name", path, line)
            _name(v, f"{name} attribute {k!r}", path, line)
        args_raw = m.get("arguments") or []
        if not isinstance(args_raw, list):
            raise _fail(path, line, f"{name} arguments must be a list")
        args: list[ParsedArgument] = []
        for j, a in enumerate(args_raw):
            what = f"{name} argument {j}"
            a_start, a_end = _offsets(a, what, text, path, line)
            role = _name(a.get("role"), f"{what} role", path, line)
            label = _name(a.get("label"), f"{what} label", path, line)
            if (a_start, a_end, label) not in spans:
                raise _fail(path, line, f"{what} ({role}: {label} [{a_start}, {a_end})) is "
                            "not one of the record's spans")
            arg = ParsedArgument(role, a_start, a_end, label)
            if arg in args:
                raise _fail(path, line, f"{what} repeats an argument of the mention")
            args.append(arg)
        coref = m.get("coref_of")
        coref_index = None
        if coref is not None:
            if coref not in ids:
                raise _fail(path, line, f"{name} coref_of {coref!r} names no earlier "
                            "event mention of the record")
            coref_index = ids[coref]
        if isinstance(m.get("id"), str):
            ids[m["id"]] = i
        out.append(ParsedMention(start, end, type_, dict(attrs), args, coref_index))
    return out


def check_mentions(mentions: list[ParsedMention], schema: Any, path: str,
                   line: int | None) -> None:
    """Hold the mentions to the label schema (a `LabelSchema`; a schema without event
    structure accepts any role and attribute)."""
    events = set(schema.event_names())
    role_of = getattr(schema, "role", None)
    fits = getattr(schema, "role_fits", None)
    declared = getattr(schema, "attributes", None)
    for i, m in enumerate(mentions):
        name = f"event mention {i}"
        if m.type not in events:
            raise InputError(path, f"{name} type {m.type!r} is not an event type of the "
                             "schema", line)
        used: dict[str, int] = {}
        for j, a in enumerate(m.arguments):
            if role_of is None or fits is None:
                break
            role = role_of(m.type, a.role)
            if role is None:
                raise InputError(path, f"{name} argument {j}: {a.role!r} is not a role of "
                                 f"{m.type}", line)
            if not fits(m.type, a.role, a.label):
                raise InputError(path, f"{name} argument {j}: a {a.label} span cannot fill "
                                 f"the role {a.role!r} of {m.type}", line)
            used[a.role] = used.get(a.role, 0) + 1
            if used[a.role] > 1 and not role.repeat:
                raise InputError(path, f"{name}: the role {a.role!r} of {m.type} takes one "
                                 "argument", line)
        if declared is None:
            continue
        attrs = {x.name: x for x in declared(m.type)}
        for k, v in m.attributes.items():
            if k not in attrs:
                raise InputError(path, f"{name}: {k!r} is not an attribute of {m.type}",
                                 line)
            if v not in attrs[k].values:
                raise InputError(path, f"{name}: {v!r} is not a value of attribute {k!r} "
                                 f"of {m.type}", line)
