"""brat standoff export: OUT is a folder with `<id>.txt` (the exact text, UTF-8) and
`<id>.ann` per document, and an `annotation.conf` so brat opens the folder as is.
With `--split`, documents go to `OUT/<split>/`.

The .ann lines (offsets are code points into the .txt, end exclusive, as in the record):

* entity spans: ``T1<TAB>PERS 20 31<TAB>ناصر بوريطة``. A span crossing a line break is
  written as a discontinuous annotation, one fragment per line
  (``T2<TAB>GPE 0 5;6 11<TAB>fragment texts joined by a space``), because an .ann line
  cannot hold a newline.
* event labels are binary attributes (``A`` lines) on an anchor text-bound annotation:
  - sentence scope: ``T7<TAB>SENTENCE 58 105<TAB>...`` over the sentence range, then
    ``A1<TAB>STATEMENT T7`` for each label of that sentence;
  - document scope: ``T8<TAB>DOCUMENT ...`` over the whole text (one fragment per line,
    leading/trailing whitespace left out), then ``A2<TAB>MEET T8``.
  Anchors are written only when they carry a label. Attributes, not brat events: our
  event labels classify a sentence or an article, they have no trigger word or arguments.
* structured event mentions (the record's `event_mentions`): the trigger is a text-bound
  annotation typed by the event type (``T9<TAB>VISIT 40 45<TAB>زيارة``; one per trigger
  range and type, shared by the mentions on it), the mention an ``E`` line naming its
  trigger and its arguments' spans by role (``E1<TAB>VISIT:T9 Agent:T2 Place:T3``; a
  repeated role is numbered from its second argument on, as brat does: ``Entity:T2
  Entity2:T4``), numbered in the record's order (E1 is the record's E1). Attributes are
  multi-valued brat attributes on the E line (``A3<TAB>polarity E1 negative``), written
  only when the value is not the schema's default for that event type (brat shows an
  attribute only when it is set; annotation.conf names each default in a comment); an
  attribute the schema does not declare for the type is always written. An argument that
  is not one of the record's spans is left out of its E line (a problem). Event
  coreference (a mention's `coref_of`) is a relation ``R1<TAB>Coref Arg1:E2 Arg2:E1``
  from the mention to the earlier one.
* gold provenance: an ``AnnotatorNotes`` comment on each span and anchor that has one:
  ``#1<TAB>AnnotatorNotes T1<TAB>annotators=alice,bob; rule=unanimous; by=dina`` (and on
  each E line when ``meta.provenance`` has ``event_mentions``).

annotation.conf declares the entity labels, the anchors, every event type with its roles
(``MEET<TAB>Entity*:PERS|ORG|GPE|NORP, Place?:GPE|LOC|FAC, Time?:DATE``: ``?`` optional,
``*`` optional and repeating, ``+`` required and repeating, nothing required once), the
event labels as binary attributes of the anchors and the mention attributes with their
values (``polarity<TAB>Arg:MEET|VISIT, Value:positive|negative``), and the Coref
relation when a mention uses it. No visual.conf: brat's
default colours apply.

File names are the document ids with path separators replaced by ``_``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from annotator.io.writer import Record, Writer

DOCUMENT = "DOCUMENT"
COREF = "Coref"  # the relation linking an event mention to an earlier one of the event
SENTENCE = "SENTENCE"
_LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_UNSAFE = re.compile(r"[\\/\x00]")
_BRAT_TOKEN = re.compile(r"^\S+$")  # a type, role or attribute value: no whitespace


class RoleLike(Protocol):
    """`annotator.labelschema.EventRole`, as much as brat needs of it."""

    @property
    def name(self) -> str: ...
    @property
    def labels(self) -> tuple[str, ...]: ...
    @property
    def required(self) -> bool: ...
    @property
    def repeat(self) -> bool: ...


class AttributeLike(Protocol):
    """`annotator.labelschema.EventAttribute`, as much as brat needs of it."""

    @property
    def name(self) -> str: ...
    @property
    def values(self) -> tuple[str, ...]: ...
    @property
    def default(self) -> str: ...


Defaults = Mapping[str, Mapping[str, str]]  # event type -> attribute -> default value


def fragments(text: str, start: int, end: int, *, trim: bool = False) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks into non-empty pieces (optionally without leading
    and trailing whitespace)."""
    out = []
    pos = start
    for m in _LINE_BREAKS.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    if trim:
        trimmed = []
        for s, e in out:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            trimmed.append((s, e))
        out = trimmed
    return [(s, e) for s, e in out if s < e]


def _textbound(n: int, label: str, frags: list[tuple[int, int]], text: str) -> str:
    where = ";".join(f"{s} {e}" for s, e in frags)
    shown = " ".join(text[s:e] for s, e in frags)
    return f"T{n}\t{label} {where}\t{shown}"


def _note(prov: dict[str, Any] | None) -> str | None:
    if not prov:
        return None
    parts = []
    for key, value in prov.items():
        if key in ("start", "end", "label", "scope"):
            continue
        if isinstance(value, list):
            value = ",".join(map(str, value))
        parts.append(f"{key}={value}")
    return "; ".join(parts) if parts else None


def ann_lines(record: Record, defaults: Defaults | None = None) -> tuple[list[str], list[str]]:
    """The .ann lines of one record and the problems met (spans left out). `defaults`:
    the schema's attribute defaults per event type (an attribute at its default is not
    written; without `defaults` every attribute is)."""
    text = record["text"]
    prov = record["meta"].get("provenance") or {}
    span_prov = prov.get("spans") or [None] * len(record["spans"])
    event_prov = prov.get("events") or [None] * len(record["events"])
    lines: list[str] = []
    problems: list[str] = []
    t = a = c = 0

    def note(target: str, p: dict[str, Any] | None) -> None:
        nonlocal c
        body = _note(p)
        if body:
            c += 1
            lines.append(f"#{c}\tAnnotatorNotes {target}\t{body}")

    span_ids: dict[tuple[int, int, str], int] = {}
    for span, p in zip(record["spans"], span_prov, strict=True):
        frags = fragments(text, span["start"], span["end"])
        if not frags:
            problems.append(f"{record['id']}: span {span['label']} [{span['start']}, "
                            f"{span['end']}) holds only line breaks: left out")
            continue
        t += 1
        span_ids[(span["start"], span["end"], span["label"])] = t
        lines.append(_textbound(t, span["label"], frags, text))
        note(f"T{t}", p)
    anchors: dict[tuple[int, int] | None, int] = {}
    for event, p in zip(record["events"], event_prov, strict=True):
        key = None if event["scope"] == "document" else (event["start"], event["end"])
        if key not in anchors:
            if key is None:
                frags = fragments(text, 0, len(text), trim=True)
                label = DOCUMENT
            else:
                frags = fragments(text, key[0], key[1], trim=True)
                label = SENTENCE
            if not frags:
                problems.append(f"{record['id']}: event {event['label']} on an empty range:"
                                " left out")
                continue
            t += 1
            anchors[key] = t
            lines.append(_textbound(t, label, frags, text))
        a += 1
        lines.append(f"A{a}\t{event['label']} T{anchors[key]}")
        note(f"T{anchors[key]}", p)
    _mention_lines(record, span_ids, defaults, lines, problems, t, a, note)
    return lines, problems


def _mention_lines(record: Record, span_ids: dict[tuple[int, int, str], int],
                   defaults: Defaults | None, lines: list[str], problems: list[str],
                   t: int, a: int, note: Any) -> None:
    """Append the trigger, E and A lines of the record's event mentions to `lines`,
    numbering on from T`t` and A`a`."""
    text = record["text"]
    doc = record["id"]
    mentions = record.get("event_mentions") or []
    prov = (record["meta"].get("provenance") or {}).get("event_mentions")
    if not prov or len(prov) != len(mentions):
        prov = [None] * len(mentions)
    triggers: dict[tuple[int, int, str], int] = {}
    names: dict[str, str] = {}  # the record's mention id -> its E line's id
    for n, (m, p) in enumerate(zip(mentions, prov, strict=True), 1):
        kind, trig = m["type"], m["trigger"]
        name = f"E{n}"
        key = (trig["start"], trig["end"], kind)
        if key not in triggers:
            frags = fragments(text, trig["start"], trig["end"])
            if not frags:
                problems.append(f"{doc}: event {m.get('id', name)} {kind}: trigger "
                                f"[{trig['start']}, {trig['end']}) holds only line breaks:"
                                " left out")
                continue
            t += 1
            triggers[key] = t
            lines.append(_textbound(t, kind, frags, text))
        args = [f"{kind}:T{triggers[key]}"]
        seen: Counter[str] = Counter()
        for arg in m.get("arguments") or []:
            target = span_ids.get((arg["start"], arg["end"], arg["label"]))
            if target is None:
                problems.append(f"{doc}: event {m.get('id', name)} {kind}: argument "
                                f"{arg['role']} {arg['label']} [{arg['start']}, {arg['end']})"
                                " is not an exported span: left out")
                continue
            seen[arg["role"]] += 1
            k = seen[arg["role"]]
            args.append(f"{arg['role']}{k if k > 1 else ''}:T{target}")
        lines.append(f"{name}\t{' '.join(args)}")
        names[m.get("id", name)] = name
        note(name, {k: v for k, v in (p or {}).items()
                    if k not in ("id", "type", "arguments")})
        declared = (defaults or {}).get(kind, {})
        for attr, value in (m.get("attributes") or {}).items():
            value = str(value)
            if defaults is not None and declared.get(attr) == value:
                continue
            if not _BRAT_TOKEN.match(attr) or not _BRAT_TOKEN.match(value):
                problems.append(f"{doc}: event {m.get('id', name)} {kind}: attribute "
                                f"{attr}={value!r} holds whitespace: left out")
                continue
            a += 1
            lines.append(f"A{a}\t{attr} {name} {value}")
    r = 0
    for n, m in enumerate(mentions, 1):
        earlier = m.get("coref_of")
        if earlier is None:
            continue
        this, other = names.get(m.get("id", f"E{n}")), names.get(earlier)
        if this is None or other is None:
            continue  # a mention left out (named above)
        r += 1
        lines.append(f"R{r}\t{COREF} Arg1:{this} Arg2:{other}")


def _cardinality(role: RoleLike) -> str:
    return {(False, False): "?", (False, True): "*", (True, True): "+"}.get(
        (role.required, role.repeat), "")


def annotation_conf(entity_labels: list[str], event_labels: list[str],
                    roles: Mapping[str, Sequence[RoleLike]] | None = None,
                    attributes: Mapping[str, Sequence[AttributeLike]] | None = None,
                    coref: bool = False) -> str:
    """annotation.conf: entities and anchors; the event types (`event_labels`, with their
    `roles`); the event labels as binary attributes of the anchors and the mentions'
    `attributes` (an attribute declared by several event types: its values in first-seen
    order, its Arg every type that has it); with `coref`, the `Coref` relation between
    event mentions."""
    roles = roles or {}
    attributes = attributes or {}
    entities = "\n".join([*entity_labels, DOCUMENT, SENTENCE])
    events = []
    for kind in event_labels:
        args = ", ".join(f"{r.name}{_cardinality(r)}:{'|'.join(r.labels) or '<ENTITY>'}"
                         for r in roles.get(kind, ()))
        events.append(f"{kind}\t{args}" if args else kind)
    attr_lines = [f"{label}\tArg:{DOCUMENT}|{SENTENCE}" for label in event_labels]
    owners: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    defaults: dict[str, dict[str, str]] = {}  # attribute -> event type -> default
    for kind in event_labels:
        for attr in attributes.get(kind, ()):
            owners.setdefault(attr.name, []).append(kind)
            vals = values.setdefault(attr.name, [])
            vals.extend(v for v in attr.values if v not in vals)
            if attr.default:
                defaults.setdefault(attr.name, {})[kind] = attr.default
    for name, kinds in owners.items():
        given = defaults.get(name, {})
        if len(set(given.values())) == 1:
            attr_lines.append(f"# {name}: not written when {next(iter(given.values()))} "
                              "(the default)")
        elif given:
            attr_lines.append(f"# {name}: not written at the default: "
                              + ", ".join(f"{v} ({k})" for k, v in given.items()))
        attr_lines.append(f"{name}\tArg:{'|'.join(kinds)}, Value:{'|'.join(values[name])}")
    relations = f"{COREF}\tArg1:<EVENT>, Arg2:<EVENT>\n" if coref else ""
    return (f"[entities]\n{entities}\n\n[relations]\n{relations}\n[events]\n"
            + "".join(f"{line}\n" for line in events)
            + "\n[attributes]\n" + "\n".join(attr_lines) + "\n")


def file_stem(doc_id: str) -> str:
    stem = _UNSAFE.sub("_", doc_id)
    return "_" + stem if stem.startswith(".") else stem


@dataclass(frozen=True)
class _Seen:
    """A role or attribute met in the records that the schema does not declare for the
    event type: declared in annotation.conf as seen (a role optional and repeating, an
    attribute with the values met and no default)."""

    name: str
    labels: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    default: str = ""
    required: bool = False
    repeat: bool = True


class BratWriter(Writer):
    def __init__(self, out: Path, entity_labels: list[str] | None = None,
                 event_labels: list[str] | None = None,
                 roles: Mapping[str, Sequence[RoleLike]] | None = None,
                 attributes: Mapping[str, Sequence[AttributeLike]] | None = None) -> None:
        """`roles` and `attributes`: the schema's, per event type (annotation.conf declares
        them; an attribute at its declared default is not written)."""
        super().__init__(out)
        self._entities = list(entity_labels or [])
        self._events = list(event_labels or [])
        self._roles = {k: list(v) for k, v in (roles or {}).items()}
        self._attributes = {k: list(v) for k, v in (attributes or {}).items()}
        self._defaults = {k: {x.name: x.default for x in v}
                          for k, v in self._attributes.items()}
        self._written: set[Path] = set()
        self._labels: set[str] = set()
        self._event_names: set[str] = set()
        self._seen_roles: dict[str, dict[str, set[str]]] = {}
        self._seen_values: dict[str, dict[str, set[str]]] = {}
        self._coref = False
        out.mkdir(parents=True, exist_ok=True)

    def add(self, record: Record) -> None:
        split = record["meta"].get("split")
        folder = self.out / split if split else self.out
        folder.mkdir(parents=True, exist_ok=True)
        stem = file_stem(record["id"])
        n = 1
        while folder / f"{stem}.txt" in self._written:
            n += 1
            stem = f"{file_stem(record['id'])}-{n}"
        lines, problems = ann_lines(record, self._defaults)
        self.problems.extend(problems)
        txt = folder / f"{stem}.txt"
        txt.write_text(record["text"], encoding="utf-8", newline="")
        (folder / f"{stem}.ann").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8", newline="")
        self._written.add(txt)
        self._labels.update(s["label"] for s in record["spans"])
        self._event_names.update(e["label"] for e in record["events"])
        for m in record.get("event_mentions") or []:
            self._coref = self._coref or m.get("coref_of") is not None
            self._event_names.add(m["type"])
            roles = self._seen_roles.setdefault(m["type"], {})
            for arg in m.get("arguments") or []:
                roles.setdefault(arg["role"], set()).add(arg["label"])
            attrs = self._seen_values.setdefault(m["type"], {})
            for attr, value in (m.get("attributes") or {}).items():
                attrs.setdefault(attr, set()).add(str(value))

    def _declared(self) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """The schema's roles and attributes per event type, with those met in the
        records and not declared added as `_Seen`."""
        roles = {k: list(v) for k, v in self._roles.items()}
        attributes = {k: list(v) for k, v in self._attributes.items()}
        for kind, seen in self._seen_roles.items():
            known = {r.name for r in roles.get(kind, [])}
            roles.setdefault(kind, []).extend(
                _Seen(name, labels=tuple(sorted(labels)))
                for name, labels in sorted(seen.items()) if name not in known)
        for kind, seen_values in self._seen_values.items():
            known = {x.name for x in attributes.get(kind, [])}
            attributes.setdefault(kind, []).extend(
                _Seen(name, values=tuple(sorted(vals)))
                for name, vals in sorted(seen_values.items()) if name not in known)
        return roles, attributes

    def close(self) -> list[Path]:
        entities = self._entities + sorted(self._labels - set(self._entities))
        events = self._events + sorted(self._event_names - set(self._events))
        roles, attributes = self._declared()
        conf = self.out / "annotation.conf"
        conf.write_text(annotation_conf(entities, events, roles, attributes, self._coref),
                        encoding="utf-8")
        return [self.out]
