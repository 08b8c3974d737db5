"""brat standoff import: a `.txt` with a sibling `.ann` (same stem) is one document.

With `--annotator NAME` the `.ann` becomes an `ArticleInput` like a JSONL record with
`spans`, `events` and `event_mentions` (the import stores it the same way); without, the
`.txt` is a plain article and a note says the annotations were not stored.

What is read (the lines `annotator.io.brat` writes): ``T`` text-bound annotations (an
entity label of the schema: a span; an event type used as an ``E`` trigger: a trigger;
``DOCUMENT`` / ``SENTENCE``: the anchors of event labels), ``E`` events (``TYPE:T3
Role:T1 Role2:T2``: a repeated role numbered from its second argument), ``A`` attributes
(binary on an anchor: an event label; ``NAME E1 VALUE`` on an event: a mention attribute)
and ``R`` ``Coref`` relations (``Arg1:E2 Arg2:E1``: E2 corefers with the earlier E1).
Note lines (``#``), other relations, attributes on spans and other kinds are skipped with
a note. A discontinuous annotation is an error, except a span cut at line breaks exactly
as the export writes it (an .ann line cannot hold a newline).

Offsets index the `.txt` as written (a BOM counts as one character, as in brat). The text
is stored as read, not cleaned (cleaning would move every offset), in NFC: when NFC changes
it, every offset is mapped through the normalisation (`annotator.text.nfc_map`) and the
document is rejected when an edge falls inside a sequence NFC merges or reorders. Any
problem rejects the whole document with one line, ``file.ann:LINE: what is wrong``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.io.brat import COREF, DOCUMENT, SENTENCE, fragments
from annotator.io.input_files import InputNotice, cannot_read
from annotator.io.input_txt import decode_utf8, read_txt
from annotator.io.record_fields import (
    MAX_CHARS,
    ArticleInput,
    ParsedEvent,
    ParsedSpan,
    base_stem,
)
from annotator.io.record_mentions import ParsedArgument, ParsedMention
from annotator.text.span_edges import edge_problem

Range = tuple[int, int]
_BOM = b"\xef\xbb\xbf"
_ANCHORS = (DOCUMENT, SENTENCE)
_SKIPPED = {"#": "note (#) lines", "R": "relations other than Coref",
            "A": "attributes on an entity span or a relation"}


@dataclass
class BratOptions:
    """What the reader needs to read a brat document's annotations: the label schema
    (a `LabelSchema`) and the annotator they are imported for (None: not read)."""

    schema: Any
    annotator: str | None = None


def ann_of(txt: Path) -> Path | None:
    """The `.ann` beside a `.txt` (same stem), if there is one."""
    if not txt.name.endswith(".txt"):
        return None
    ann = txt.with_name(txt.name[:-4] + ".ann")
    return ann if ann.is_file() else None


def not_stored(txt: Path, ann: Path) -> InputNotice:
    return InputNotice(str(txt), None, f"brat annotations in {ann.name} not stored (read as a "
                       "plain .txt); import with --annotator NAME to store them as NAME's work")


@dataclass
class _Tb:
    id: str
    label: str
    frags: list[Range]
    line: int

    @property
    def range(self) -> Range:
        return self.frags[0][0], self.frags[-1][1]


@dataclass
class _Mention:
    id: str
    line: int
    trigger: _Tb
    type: str
    arguments: list[tuple[str, _Tb]] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    coref_of: int | None = None


class _Parser:
    def __init__(self, ann: Path, text: str, shift: int, schema: Any) -> None:
        self.ann, self.text, self.shift, self.schema = ann, text, shift, schema
        self.entities = set(schema.entity_names())
        self.events = set(schema.event_names())
        self.ids: dict[str, int] = {}
        self.tb: dict[str, _Tb] = {}
        self.later: dict[str, list[tuple[int, str, str]]] = {"E": [], "A": [], "R": []}
        self.skipped: dict[str, list[int]] = {}
        self.notices: list[InputNotice] = []
        self.mentions: dict[str, _Mention] = {}
        self.labels: list[tuple[str, _Tb]] = []  # event labels on anchors

    def fail(self, line: int, message: str) -> InputError:
        return InputError(str(self.ann), message, line)

    def skip(self, what: str, line: int) -> None:
        self.skipped.setdefault(what, []).append(line)

    def read(self, ann_text: str) -> None:
        for n, raw in enumerate(ann_text.split("\n"), 1):
            line = raw.removesuffix("\r")
            if not line.strip():
                continue
            if line.startswith("#"):
                self.skip(_SKIPPED["#"], n)
                continue
            id_, sep, rest = line.partition("\t")
            if not sep or not id_:
                raise self.fail(n, "not a brat annotation line (ID<TAB>...)")
            if id_ in self.ids:
                raise self.fail(n, f"{id_} is defined twice (first on line {self.ids[id_]})")
            self.ids[id_] = n
            kind = "A" if id_[0] == "M" else id_[0]  # M: attributes in old brat files
            if kind == "T":
                self._textbound(n, id_, rest)
            elif kind in self.later:
                self.later[kind].append((n, id_, rest))
            else:
                self.skip(f"{kind!r} lines", n)
        for t in self.tb.values():
            if t.label not in self.entities and t.label not in self.events \
                    and t.label not in _ANCHORS:
                raise self.fail(t.line, f"{t.id}: label {t.label!r} is not in the schema")
        for n, id_, rest in self.later["E"]:
            self._event(n, id_, rest)
        for n, id_, rest in self.later["A"]:
            self._attribute(n, id_, rest)
        order = {m.id: i for i, m in enumerate(self.mentions.values())}
        for n, id_, rest in self.later["R"]:
            self._relation(n, id_, rest, order)

    def _textbound(self, n: int, id_: str, rest: str) -> None:
        body, sep, shown = rest.partition("\t")
        label, _, where = body.partition(" ")
        if not sep or not label or not where:
            raise self.fail(n, f"{id_}: a text-bound line is ID<TAB>LABEL START END<TAB>TEXT")
        frags: list[Range] = []
        size = len(self.text) + self.shift
        for piece in where.split(";"):
            parts = piece.split()
            if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
                raise self.fail(n, f"{id_}: offsets {where!r} are not START END")
            a, b = int(parts[0]), int(parts[1])
            if not 0 <= a < b <= size:
                raise self.fail(n, f"{id_}: offsets {a} {b} are outside the text "
                                f"({size} characters)")
            if frags and a - self.shift < frags[-1][1]:
                raise self.fail(n, f"{id_}: fragments {where!r} overlap or are out of order")
            frags.append((a - self.shift, b - self.shift))
        got = " ".join(self.text[s:e] for s, e in frags)
        if got != shown:
            raise self.fail(n, f"{id_}: text {shown!r} differs from the .txt at {where} "
                            f"{got!r}")
        self.tb[id_] = _Tb(id_, label, frags, n)

    def _contiguous(self, t: _Tb) -> None:
        """A span or trigger: one range (cut at line breaks only, as the export writes a
        range crossing one), following the span edge rule."""
        start, end = t.range
        if len(t.frags) > 1 and t.frags != fragments(self.text, start, end):
            raise self.fail(t.line, f"{t.id}: discontinuous annotations are not supported "
                            "(only a range cut at its line breaks)")
        problem = edge_problem(self.text, start, end)
        if problem is not None:
            raise self.fail(t.line, f"{t.id}: [{start}, {end}) {self.text[start:end]!r} "
                            f"{problem}")

    def _event(self, n: int, id_: str, rest: str) -> None:
        tokens = rest.split()
        kind, sep, trig = tokens[0].partition(":") if tokens else ("", "", "")
        if not sep:
            raise self.fail(n, f"{id_}: an event line is ID<TAB>TYPE:TRIGGER ROLE:ARG ...")
        if kind not in self.events:
            raise self.fail(n, f"{id_}: event type {kind!r} is not in the schema")
        t = self.tb.get(trig)
        if t is None:
            raise self.fail(n, f"{id_}: trigger {trig} is not a text-bound annotation (T line)"
                            " of the file")
        if t.label != kind:
            raise self.fail(n, f"{id_}: trigger {trig} is a {t.label} annotation, not a "
                            f"{kind} trigger")
        self._contiguous(t)
        for other in self.mentions.values():
            if other.trigger.range == t.range and other.type == kind:
                raise self.fail(n, f"{id_}: repeats the trigger and type of {other.id}")
        m = _Mention(id_, n, t, kind)
        used: dict[str, int] = {}
        for token in tokens[1:]:
            written, sep, target = token.partition(":")
            if not sep or not written:
                raise self.fail(n, f"{id_}: argument {token!r} is not ROLE:ID")
            arg = self.tb.get(target)
            if arg is None:
                what = ("an event: events as arguments are not supported"
                        if target in self.ids else "not an annotation of the file")
                raise self.fail(n, f"{id_}: argument {target} is {what}")
            if arg.label not in self.entities or arg.label in _ANCHORS:
                raise self.fail(n, f"{id_}: argument {target} is a {arg.label} annotation, "
                                "not an entity span")
            role = self._role(n, id_, kind, written, arg.label)
            if any(r == role and a.id == arg.id for r, a in m.arguments):
                raise self.fail(n, f"{id_}: argument {target} repeats as {role}")
            used[role] = used.get(role, 0) + 1
            declared = self.schema.role(kind, role)
            if used[role] > 1 and declared is not None and not declared.repeat:
                raise self.fail(n, f"{id_}: the role {role!r} of {kind} takes one argument")
            m.arguments.append((role, arg))
        self.mentions[id_] = m

    def _role(self, n: int, id_: str, kind: str, written: str, label: str) -> str:
        """The schema's role `written` stands for (`Entity2` is `Entity`)."""
        role = written
        if self.schema.role(kind, role) is None:
            base = written.rstrip("0123456789")
            if base and self.schema.role(kind, base) is not None:
                role = base
            else:
                raise self.fail(n, f"{id_}: {written!r} is not a role of {kind}")
        if not self.schema.role_fits(kind, role, label):
            raise self.fail(n, f"{id_}: a {label} span cannot fill the role {role!r} of "
                            f"{kind}")
        return role

    def _attribute(self, n: int, id_: str, rest: str) -> None:
        parts = rest.split()
        if len(parts) not in (2, 3):
            raise self.fail(n, f"{id_}: an attribute line is ID<TAB>NAME TARGET [VALUE]")
        name, target = parts[0], parts[1]
        value = parts[2] if len(parts) == 3 else None
        m = self.mentions.get(target)
        if m is not None:
            declared = {a.name: a for a in self.schema.attributes(m.type)}
            if value is None:
                raise self.fail(n, f"{id_}: attribute {name!r} of {target} needs a value")
            if name not in declared:
                raise self.fail(n, f"{id_}: {name!r} is not an attribute of {m.type}")
            if value not in declared[name].values:
                raise self.fail(n, f"{id_}: {value!r} is not a value of attribute {name!r} "
                                f"of {m.type}")
            if name in m.attributes:
                raise self.fail(n, f"{id_}: attribute {name!r} of {target} is set twice")
            m.attributes[name] = value
            return
        t = self.tb.get(target)
        if t is not None and t.label in _ANCHORS:
            if value is not None:
                raise self.fail(n, f"{id_}: the event label {name!r} on {target} takes no "
                                "value")
            if name not in self.events:
                raise self.fail(n, f"{id_}: event label {name!r} is not in the schema")
            self.labels.append((name, t))
        elif target in self.ids:
            self.skip(_SKIPPED["A"], n)
        else:
            raise self.fail(n, f"{id_}: {target} is not an annotation of the file")

    def _relation(self, n: int, id_: str, rest: str, order: dict[str, int]) -> None:
        parts = rest.split()
        if not parts or parts[0] != COREF:
            self.skip(_SKIPPED["R"], n)
            return
        args = dict(p.partition(":")[::2] for p in parts[1:])
        this, other = args.get("Arg1", ""), args.get("Arg2", "")
        if len(parts) != 3 or not this or not other:
            raise self.fail(n, f"{id_}: a {COREF} relation is ID<TAB>{COREF} Arg1:E Arg2:E")
        for target in (this, other):
            if target not in self.mentions:
                raise self.fail(n, f"{id_}: {target} is not an event (E line) of the file")
        if order[other] >= order[this]:
            raise self.fail(n, f"{id_}: {COREF} links an event to an earlier one (Arg2 "
                            f"{other} is not before Arg1 {this})")
        m = self.mentions[this]
        if m.coref_of is not None:
            raise self.fail(n, f"{id_}: {this} already has a {COREF} relation")
        m.coref_of = order[other]

    def textbound_kinds(self) -> tuple[list[_Tb], list[_Tb]]:
        """The spans (entity labels) and the T lines that are nothing stored (notes)."""
        triggers = {m.trigger.id for m in self.mentions.values()}
        spans = []
        for t in self.tb.values():
            if t.id in triggers or t.label in _ANCHORS:
                continue
            if t.label in self.entities:
                self._contiguous(t)
                spans.append(t)
            else:  # an event type (labels were checked)
                self.notices.append(InputNotice(
                    str(self.ann), t.line, f"{t.id}: a {t.label} trigger of no event (E "
                    "line): not stored"))
        return spans, list(self.tb.values())


def _trimmed(text: str, start: int, end: int) -> Range | None:
    frags = fragments(text, start, end, trim=True)
    return (frags[0][0], frags[-1][1]) if frags else None


def _build(p: _Parser, txt: Path) -> ArticleInput:
    spans, _ = p.textbound_kinds()
    text = p.text
    normalised = not unicodedata.is_normalized("NFC", text)
    mapping = None
    if normalised:
        from annotator.text.nfc_map import nfc_map

        mapping = nfc_map(text)
        text = mapping.text

    def on_nfc(t: _Tb) -> Range:
        if mapping is None:
            return t.range
        from annotator.text.nfc_map import map_range

        got = map_range(mapping, *t.range)
        if got is None:
            raise p.fail(t.line, f"{t.id}: [{t.range[0]}, {t.range[1]}) has an edge inside a "
                         "sequence that NFC normalisation merges or reorders")
        return got

    events: list[ParsedEvent] = []
    sentences = None
    for label, t in p.labels:
        if t.label == DOCUMENT:
            events.append(ParsedEvent(label, "document"))
            continue
        if sentences is None:
            from annotator.text.segment import split_sentences

            sentences = split_sentences(text)
            by_trim = {_trimmed(text, s, e): (s, e) for s, e in sentences}
        got = by_trim.get(on_nfc(t))
        if got is None:
            raise p.fail(t.line, f"{t.id}: SENTENCE [{t.range[0]}, {t.range[1]}) is not a "
                         "sentence of the document (as the import splits it)")
        events.append(ParsedEvent(label, "sentence", *got))
    mentions = []
    for m in p.mentions.values():
        args = [ParsedArgument(role, *on_nfc(a), a.label) for role, a in m.arguments]
        mentions.append(ParsedMention(*on_nfc(m.trigger), m.type, dict(m.attributes),
                                      args, m.coref_of))
    return ArticleInput(
        path=txt, line=None, external_id=base_stem(txt), text=text, sentences=sentences,
        spans=[ParsedSpan(*on_nfc(t), t.label) for t in spans], events=events,
        is_record=True, event_mentions=mentions, nfc_changed=normalised)


def read_brat(txt: Path, ann: Path, schema: Any,
              max_chars: int = MAX_CHARS) -> Iterator[ArticleInput | InputError | InputNotice]:
    """The document of `txt` with the annotations of `ann` (notes first), or the one
    error that rejects it."""
    try:
        plain = read_txt(txt, max_chars)
        with txt.open("rb") as f:
            shift = 1 if f.read(3) == _BOM else 0
        try:
            data = ann.read_bytes()
        except OSError as exc:
            raise InputError(str(ann), cannot_read(exc)) from None
        p = _Parser(ann, plain.text, shift, schema)
        p.read(decode_utf8(ann, data))
        item = _build(p, txt)
    except InputError as exc:
        yield exc
        return
    yield from p.notices
    for what, lines in p.skipped.items():
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        yield InputNotice(str(ann), lines[0], f"{what} are not read: skipped{more}")
    yield item
