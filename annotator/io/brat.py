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
* gold provenance: an ``AnnotatorNotes`` comment on each span and anchor that has one:
  ``#1<TAB>AnnotatorNotes T1<TAB>annotators=alice,bob; rule=unanimous; by=dina``.

File names are the document ids with path separators replaced by ``_``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.io.writer import Record, Writer

DOCUMENT = "DOCUMENT"
SENTENCE = "SENTENCE"
_LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_UNSAFE = re.compile(r"[\\/\x00]")


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


def ann_lines(record: Record) -> tuple[list[str], list[str]]:
    """The .ann lines of one record and the problems met (spans left out)."""
    text = record["text"]
    prov = record["meta"].get("provenance") or {}
    span_prov = prov.get("spans") or [None] * len(record["spans"])
    event_prov = prov.get("events") or [None] * len(record["events"])
    lines: list[str] = []
    problems: list[str] = []
    t = a = c = 0

    def note(target: int, p: dict[str, Any] | None) -> None:
        nonlocal c
        body = _note(p)
        if body:
            c += 1
            lines.append(f"#{c}\tAnnotatorNotes T{target}\t{body}")

    for span, p in zip(record["spans"], span_prov, strict=True):
        frags = fragments(text, span["start"], span["end"])
        if not frags:
            problems.append(f"{record['id']}: span {span['label']} [{span['start']}, "
                            f"{span['end']}) holds only line breaks: left out")
            continue
        t += 1
        lines.append(_textbound(t, span["label"], frags, text))
        note(t, p)
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
        note(anchors[key], p)
    return lines, problems


def annotation_conf(entity_labels: list[str], event_labels: list[str]) -> str:
    entities = "\n".join([*entity_labels, DOCUMENT, SENTENCE])
    attributes = "\n".join(f"{label}\tArg:{DOCUMENT}|{SENTENCE}" for label in event_labels)
    return (f"[entities]\n{entities}\n\n[relations]\n\n[events]\n\n"
            f"[attributes]\n{attributes}\n")


def file_stem(doc_id: str) -> str:
    stem = _UNSAFE.sub("_", doc_id)
    return "_" + stem if stem.startswith(".") else stem


class BratWriter(Writer):
    def __init__(self, out: Path, entity_labels: list[str] | None = None,
                 event_labels: list[str] | None = None) -> None:
        super().__init__(out)
        self._entities = list(entity_labels or [])
        self._events = list(event_labels or [])
        self._written: set[Path] = set()
        self._labels: set[str] = set()
        self._event_names: set[str] = set()
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
        lines, problems = ann_lines(record)
        self.problems.extend(problems)
        txt = folder / f"{stem}.txt"
        txt.write_text(record["text"], encoding="utf-8", newline="")
        (folder / f"{stem}.ann").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8", newline="")
        self._written.add(txt)
        self._labels.update(s["label"] for s in record["spans"])
        self._event_names.update(e["label"] for e in record["events"])

    def close(self) -> list[Path]:
        entities = self._entities + sorted(self._labels - set(self._entities))
        events = self._events + sorted(self._event_names - set(self._events))
        conf = self.out / "annotation.conf"
        conf.write_text(annotation_conf(entities, events), encoding="utf-8")
        return [self.out]
