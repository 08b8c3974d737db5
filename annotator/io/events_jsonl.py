"""`--format events`: the sentence-level JSONL event-extraction trainers read (the OneIE /
TextEE shape), one line per sentence of every exported document, UTF-8, "\\n" line ends.

A line (keys in this order)::

    {"doc_id": "d1", "sent_id": "d1-0",
     "sentence": "التقى الوزير ...", "sentence_start": 0,
     "tokens": ["التقى", "الوزير", ...], "token_offsets": [[0, 5], [6, 12], ...],
     "entity_mentions": [{"id": "d1-T1", "start": 1, "end": 2, "entity_type": "PERS",
                          "text": "الوزير"}],
     "event_mentions": [{"id": "d1-E1", "event_type": "VISIT",
                         "trigger": {"start": 3, "end": 4, "text": "زيارة"},
                         "arguments": [{"entity_id": "d1-T1", "role": "Agent",
                                        "text": "الوزير"}],
                         "attributes": {"polarity": "positive", ...}}]}

* `start`/`end` are token indices into the line's `tokens`, end exclusive.
* Tokens respect every entity, trigger and sentence edge (`annotator.io.token_split`): a
  sub-token trigger such as ``زيارة`` inside ``وزيارة`` is a token of its own (``و`` |
  ``زيارة``), and nothing is widened. `sentence` is the document text from the line's
  first token to its last, whitespace included; `token_offsets` are each token's
  ``[start, end)`` in `sentence` (so ``sentence[s:e] == token`` and what lies between two
  tokens is the original whitespace), `sentence_start` the sentence's offset in the
  document text (the JSONL record's `text`): together they map every token back.
* Ids are unique per document: entity ``<doc>-T<n>`` (n: the span's position in the
  record's `spans`, from 1), event ``<doc>-<record id>`` (``d1-E1``); every argument's
  `entity_id` names an entity mention of the same line.
* Sentences are the record's `sentences` (and runs of tokens outside every sentence).
  Two neighbouring sentences become one line when an entity or a trigger crosses the
  boundary between them, or when an event's trigger and one of its arguments lie on
  either side of it: a line never cuts a mention, and every trigger and argument resolves
  within its line (`sent_id` is then the merged line's number; nothing is dropped).
* `attributes` (the mention's, every one) and, for event coreference, `coref_of` (the id
  of the earlier mention of the same event) go with each event mention.
* Problems (exit 1; the rest is written): a trigger or span with no token inside it (left
  out), an edge in whitespace (exported shrunk to its tokens), an argument that is not one
  of the record's spans (left out of the mention).

With `--split`, one file per split: ``events.jsonl`` -> ``events.train.jsonl`` etc.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path
from typing import Any

from annotator.io.token_split import Layout, Range, layout
from annotator.io.writer import AtomicFile, Record, Writer, split_path

_TRIGGER = "\x1f"  # marks a trigger among the ranges handed to `layout`


def _merge(blocks: list[Range], holds: list[Range]) -> list[Range]:
    """`blocks` (token ranges in order) merged wherever one of `holds` (token ranges)
    spans a boundary between two of them."""
    if len(blocks) < 2 or not holds:
        return blocks
    held = bytearray(blocks[-1][1] + 1)  # held[j]: tokens j - 1 and j stay on one line
    for first, last in holds:
        if last - first > 1:
            held[first + 1:last] = b"\x01" * (last - first - 1)
    out = [blocks[0]]
    for first, last in blocks[1:]:
        if held[first]:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def _problem(doc: str, p: str) -> str:
    p = p.replace(f"span {_TRIGGER}", "trigger ")
    return f"{doc}: {p}"


def _placed(lay: Layout) -> dict[tuple[int, int, str], Range]:
    return {(sp.start, sp.end, sp.label): (sp.first, sp.last) for sp in lay.spans}


def sentence_lines(record: Record) -> tuple[list[dict[str, Any]], list[str]]:
    """The lines of one record and the problems met."""
    doc = record["id"]
    text = record["text"]
    spans = record["spans"]
    mentions = record.get("event_mentions") or []
    sentences = [(s["start"], s["end"]) for s in record["sentences"]]
    ranges = [(s["start"], s["end"], s["label"]) for s in spans]
    ranges += [(m["trigger"]["start"], m["trigger"]["end"], _TRIGGER + m["type"])
               for m in mentions]
    lay = layout(text, sentences, ranges)
    problems = [_problem(doc, p) for p in lay.problems]
    tokens = lay.tokens
    at = _placed(lay)
    entity_of = {(s["start"], s["end"], s["label"]): i for i, s in enumerate(spans, 1)}

    events: list[tuple[str, Range, dict[str, Any], list[tuple[int, str, Range]]]] = []
    holds: list[Range] = []
    for n, m in enumerate(mentions, 1):
        trig = m["trigger"]
        placed = at.get((trig["start"], trig["end"], _TRIGGER + m["type"]))
        mid = f"{doc}-{m.get('id') or f'E{n}'}"
        if placed is None:  # covers no token: layout named it
            continue
        args: list[tuple[int, str, Range]] = []
        for a in m.get("arguments") or []:
            key = (a["start"], a["end"], a["label"])
            where = at.get(key)
            if key not in entity_of or where is None:
                problems.append(
                    f"{doc}: event {mid} {m['type']}: argument {a['role']} {a['label']} "
                    f"[{a['start']}, {a['end']}) is not an exported span: left out")
                continue
            args.append((entity_of[key], a["role"], where))
        lo = min([placed[0], *(w[0] for _, _, w in args)])
        hi = max([placed[1], *(w[1] for _, _, w in args)])
        holds.append((lo, hi))
        events.append((mid, placed, m, args))
    blocks = _merge(lay.blocks, holds)
    starts = [first for first, _ in blocks]

    def block_of(token: int) -> int:
        return bisect_right(starts, token) - 1

    def piece(first: int, last: int) -> str:
        return text[tokens[first][0]:tokens[last - 1][1]]

    entities: list[list[dict[str, Any]]] = [[] for _ in blocks]
    for i, s in enumerate(spans, 1):
        where = at.get((s["start"], s["end"], s["label"]))
        if where is None:
            continue
        b = block_of(where[0])
        base = blocks[b][0]
        entities[b].append({"id": f"{doc}-T{i}", "start": where[0] - base,
                            "end": where[1] - base, "entity_type": s["label"],
                            "text": piece(*where)})
    event_lines: list[list[dict[str, Any]]] = [[] for _ in blocks]
    exported = {m["id"] for _, _, m, _ in events if m.get("id")}
    for mid, placed, m, args in events:
        b = block_of(placed[0])
        base = blocks[b][0]
        event_lines[b].append({
            "id": mid,
            "event_type": m["type"],
            "trigger": {"start": placed[0] - base, "end": placed[1] - base,
                        "text": piece(*placed)},
            "arguments": [{"entity_id": f"{doc}-T{i}", "role": role, "text": piece(*where)}
                          for i, role, where in args],
            "attributes": dict(m.get("attributes") or {}),
        } | ({"coref_of": f"{doc}-{m['coref_of']}"} if m.get("coref_of") in exported else {}))
    lines = []
    for k, (first, last) in enumerate(blocks):
        begin = tokens[first][0]
        lines.append({
            "doc_id": doc,
            "sent_id": f"{doc}-{k}",
            "sentence": text[begin:tokens[last - 1][1]],
            "sentence_start": begin,
            "tokens": [text[s:e] for s, e in tokens[first:last]],
            "token_offsets": [[s - begin, e - begin] for s, e in tokens[first:last]],
            "entity_mentions": entities[k],
            "event_mentions": event_lines[k],
        })
    return lines, problems


class EventsWriter(Writer):
    """One file, or one per split (named as `split_path` does)."""

    def __init__(self, out: Path) -> None:
        super().__init__(out)
        self._files: dict[str | None, AtomicFile] = {}

    def add(self, record: Record) -> None:
        split = record["meta"].get("split")
        if split not in self._files:
            self._files[split] = AtomicFile(split_path(self.out, split))
        lines, problems = sentence_lines(record)
        self.problems.extend(problems)
        fh = self._files[split]
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False))
            fh.write("\n")

    def close(self) -> list[Path]:
        if not self._files:  # nothing exported: still leave an (empty) file
            return [AtomicFile(self.out).commit()]
        return [f.commit() for f in self._files.values()]

    def abort(self) -> None:
        for f in self._files.values():
            f.discard()
