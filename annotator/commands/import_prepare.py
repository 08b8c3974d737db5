"""From one input item to the document to store: labels checked, text cleaned (`.txt`)
or normalised (records), offsets carried through NFC, sentences checked.

No database here: `prepare` is pure, `check_sentence_events` takes the sentences the
batch decided on (the stored ones for a known text, the record's own or the splitter's
for a new one).

Stored text is always NFC. A record whose text NFC changes keeps its spans, sentences
and sentence-scope events: their offsets are mapped through the normalisation
(`annotator.text.nfc_map`), and the record is rejected only when an edge falls inside a
sequence NFC changes. Its `meta.normalised` then says so (`"NFC"`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from annotator.errors import InputError
from annotator.io.article_input import ArticleInput, ParsedEvent, ParsedSpan
from annotator.labelschema import LabelSchema
from annotator.store.bulk_import import NewDocument
from annotator.store.service import sha256_text
from annotator.text.clean import clean_article, normalise_only
from annotator.text.segment import split_sentences

if TYPE_CHECKING:
    from annotator.text.nfc_map import NfcMap

Range = tuple[int, int]


_NOT_BREAK = "[^\\n\\r\\x0b\\x0c\\x1c-\\x1e\\x85\\u2028\\u2029]*"  # str.splitlines' ends
_LINE = re.compile(f"{_NOT_BREAK}\\S{_NOT_BREAK}")


def _first_line(text: str) -> str:
    """The first line that is not blank (line ends as `str.splitlines` has them)."""
    m = _LINE.search(text)
    return m.group().strip() if m else ""


def where(item: ArticleInput) -> str:
    return f"{item.path}:{item.line}" if item.line is not None else str(item.path)


def check_labels(item: ArticleInput, schema: LabelSchema) -> None:
    entities, events = set(schema.entity_names()), set(schema.event_names())
    for s in item.spans:
        if s.label not in entities:
            raise InputError(str(item.path), f"span label {s.label!r} is not in the schema",
                             item.line)
    for e in item.events:
        if e.label not in events:
            raise InputError(str(item.path), f"event label {e.label!r} is not in the schema",
                             item.line)
    if item.event_mentions:
        from annotator.io.record_mentions import check_mentions

        check_mentions(item.event_mentions, schema, str(item.path), item.line)


def check_sentence_events(doc: NewDocument, sentences: list[Range]) -> None:
    """A sentence-scope event label must sit on one of the document's sentences."""
    known = set(sentences)
    for i, (_label, scope, start, end) in enumerate(doc.events):
        if scope == "sentence" and (start, end) not in known:
            raise InputError(doc.where,  # (already `file:line`)
                             f"event {i} [{start}, {end}) is not a sentence of the document")


def _mapped(m: NfcMap, start: int, end: int, what: str, item: ArticleInput) -> Range:
    from annotator.text.nfc_map import map_range

    got = map_range(m, start, end)
    if got is None:
        raise InputError(str(item.path), f"{what} [{start}, {end}) has an edge inside a "
                         "sequence that NFC normalisation merges or reorders", item.line)
    return got


def _normalised_record(item: ArticleInput) -> tuple[str, list[ParsedSpan], list[ParsedEvent],
                                                    list[Range] | None, bool]:
    """The record's text as NFC, with its spans, events and sentences mapped onto it."""
    if unicodedata.is_normalized("NFC", item.text):
        return item.text, item.spans, item.events, item.sentences, False
    if not (item.spans or item.sentences or any(e.scope == "sentence" for e in item.events)):
        return unicodedata.normalize("NFC", item.text), [], item.events, None, True
    from annotator.text.nfc_map import nfc_map

    m = nfc_map(item.text)
    spans = [ParsedSpan(*_mapped(m, s.start, s.end, f"span {i}", item), s.label)
             for i, s in enumerate(item.spans)]
    events = []
    for i, e in enumerate(item.events):
        if e.scope == "sentence" and e.start is not None and e.end is not None:
            a, b = _mapped(m, e.start, e.end, f"event {i}", item)
            events.append(ParsedEvent(e.label, e.scope, a, b))
        else:
            events.append(e)
    sentences = None if item.sentences is None else [
        _mapped(m, a, b, f"sentence {i}", item) for i, (a, b) in enumerate(item.sentences)]
    return m.text, spans, events, sentences, True


def _mention_rows(item: ArticleInput, schema: LabelSchema) -> list[dict]:
    """The record's event mentions as the bulk import stores them: offsets on the NFC
    text, attributes the record leaves out at the schema's defaults."""
    if not item.event_mentions:
        return []
    m = None
    if not unicodedata.is_normalized("NFC", item.text):
        from annotator.text.nfc_map import nfc_map

        m = nfc_map(item.text)

    def on_nfc(a: int, b: int, what: str) -> Range:
        return (a, b) if m is None else _mapped(m, a, b, what, item)

    defaults = getattr(schema, "attributes", None)
    out = []
    for i, pm in enumerate(item.event_mentions):
        start, end = on_nfc(pm.start, pm.end, f"event mention {i} trigger")
        attrs = {a.name: a.default for a in defaults(pm.type)} if defaults else {}
        attrs.update(pm.attributes)
        out.append({"start": start, "end": end, "type": pm.type, "attributes": attrs,
                    "coref": pm.coref_of, "arguments": [
                        {"role": a.role, "label": a.label, **dict(zip(
                            ("start", "end"),
                            on_nfc(a.start, a.end, f"event mention {i} argument {j}"),
                            strict=True))}
                        for j, a in enumerate(pm.arguments)]})
    return out


def prepare(item: ArticleInput, schema: LabelSchema, *, annotator: str | None,
            clean: bool) -> tuple[NewDocument, list[dict]]:
    """The document to store for `item`, and what cleaning removed (for `--show-cleaning`).
    Raises `InputError` when the item cannot be imported."""
    if annotator is not None:
        check_labels(item, schema)
    meta: dict = {"source_path": str(item.path)}
    removed: list[dict] = []
    spans: list[ParsedSpan] = []
    events: list[ParsedEvent] = []
    sentences: list[Range] | None = None
    if item.is_record:
        text, spans, events, sentences, changed = _normalised_record(item)
        if changed or item.nfc_changed:
            meta["normalised"] = "NFC"
        if item.meta:
            meta["record_meta"] = item.meta
        if item.extra:  # the record's other small fields (url, date, section …)
            meta["fields"] = item.extra
        title = item.title or _first_line(text)[:200]
    else:
        result = clean_article(item.text) if clean else normalise_only(item.text)
        text, title, removed = result.text, result.title, result.removed
        meta["cleaning"] = {"cleaned": clean, "removed": removed}
        if result.source:
            meta["attribution"] = result.source
    if not text.strip():
        raise InputError(str(item.path), "nothing left after cleaning", item.line)
    events_on_sentences = any(e.scope == "sentence" for e in events)
    if annotator is not None and events_on_sentences and sentences is None:
        sentences = split_sentences(text)  # checked now, so that errors come in file order
    mentions = _mention_rows(item, schema) if annotator is not None else []
    doc = NewDocument(
        where=where(item), external_id=item.external_id, title=title, text=text,
        sha=sha256_text(text), source_path=str(item.path), meta=meta, sentences=sentences,
        spans=[(s.start, s.end, s.label) for s in spans],
        events=[(e.label, e.scope, e.start, e.end) for e in events],
        annotate=annotator is not None and (item.is_record or item.has_annotations),
        mentions=mentions,
    )
    if doc.annotate and events_on_sentences:
        check_sentence_events(doc, sentences or [])
    return doc, removed
