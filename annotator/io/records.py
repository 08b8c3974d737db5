"""Build export records (the DESIGN "record" dicts) from the store, in bulk.

Which documents a source exports:

* ``gold``: documents on which the reserved annotator ``gold`` has status ``done``
  (adjudication finished). Documents with gold annotations whose adjudication is not
  marked done are skipped (counted in `Selection.unfinished_gold`, so the command can
  warn): half-adjudicated gold is not gold. ``meta.annotators`` lists the annotators who
  finished the document; ``meta.provenance`` holds each span's and event label's stored
  provenance (who had it, who decided, the rule), in the order of ``spans``/``events``.
* ``majority``: documents at least two annotators (not gold) marked done; see
  `annotator.io.majority` for the vote (ties are dropped).
* ``annotator:NAME``: documents NAME marked done.

Records are yielded in external id order. Keys follow the DESIGN order; spans are sorted
by (start, -end, label); events document-scope first, then by sentence range, then label.
Structured event mentions (`event_mentions`, issue 13) are built by
`annotator.io.mention_records`; gold's provenance of them is `meta.provenance.event_mentions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import UsageError
from annotator.io.majority import majority
from annotator.io.mention_records import (
    MentionRow,
    majority_mentions,
    mention_entries,
    read_mentions,
)
from annotator.io.split import SplitSpec, assign_split
from annotator.store import bulk
from annotator.store.bulk import DocumentBundle, EventRow, SpanRow
from annotator.store.models import GOLD, SCOPE_DOCUMENT
from annotator.store.service import Store

Record = dict[str, Any]


@dataclass(frozen=True)
class Source:
    kind: str  # "gold" | "majority" | "annotator"
    name: str | None = None

    @property
    def label(self) -> str:
        return f"annotator:{self.name}" if self.kind == "annotator" else self.kind


def parse_source(value: str) -> Source:
    if value in ("gold", "majority"):
        return Source(value)
    kind, sep, name = value.partition(":")
    if kind == "annotator" and sep and name.strip():
        name = name.strip()
        if name == GOLD:
            raise UsageError("--source annotator:gold: use --source gold")
        return Source("annotator", name)
    raise UsageError(f"--source: expected gold, majority or annotator:NAME, got {value!r}")


@dataclass
class Selection:
    """The documents a source exports, with the annotators that stand behind each."""

    source: Source
    documents: list[tuple[int, str]] = field(default_factory=list)  # (id, external id)
    annotators: dict[int, list[str]] = field(default_factory=dict)  # meta.annotators
    fetch: dict[str, int] = field(default_factory=dict)  # annotators whose rows to read
    unfinished_gold: int = 0


def select_documents(store: Store, source: Source) -> Selection:
    ids = bulk.annotator_ids(store)
    done = bulk.statuses_by_document(store)
    sel = Selection(source)
    if source.kind == "annotator":
        assert source.name is not None
        if source.name not in ids:
            known = ", ".join(sorted(n for n in ids if n != GOLD)) or "none"
            raise UsageError(f"--source: no annotator named {source.name!r} (known: {known})")
        sel.fetch = {source.name: ids[source.name]}
    elif source.kind == "gold":
        if GOLD in ids:
            sel.fetch = {GOLD: ids[GOLD]}
    else:
        sel.fetch = {n: i for n, i in ids.items() if n != GOLD}
    for doc_id, ext in bulk.ordered_documents(store):
        names = done.get(doc_id, [])
        voters = [n for n in names if n != GOLD]
        if source.kind == "gold":
            ok = GOLD in names
        elif source.kind == "majority":
            ok = len(voters) >= 2
        else:
            ok = source.name in names
        if ok:
            sel.documents.append((doc_id, ext))
            sel.annotators[doc_id] = [source.name] if source.kind == "annotator" else voters
    if source.kind == "gold" and GOLD in ids:
        chosen = {i for i, _ in sel.documents}
        sel.unfinished_gold = len(bulk.documents_annotated_by(store, ids[GOLD]) - chosen)
    return sel


def _span_key(s: SpanRow) -> tuple[int, int, str]:
    return (s[0], -s[1], s[2])


def _event_key(e: EventRow) -> tuple[int, int, int, str]:
    if e[1] == SCOPE_DOCUMENT:
        return (0, 0, 0, e[0])
    return (1, e[2] or 0, e[3] or 0, e[0])


def _event_dict(e: EventRow) -> dict[str, Any]:
    if e[1] == SCOPE_DOCUMENT:
        return {"label": e[0], "scope": e[1]}
    return {"label": e[0], "scope": e[1], "start": e[2], "end": e[3]}


def _chosen(bundle: DocumentBundle, sel: Selection) -> tuple[list[SpanRow], list[EventRow]]:
    if sel.source.kind == "majority":
        voters = sel.annotators[bundle.id]
        span_votes = {v: [s[:3] for s in bundle.spans.get(v, ())] for v in voters}
        event_votes = {v: [e[:4] for e in bundle.events.get(v, ())] for v in voters}
        spans = [(*k, None) for k in majority(span_votes, voters)]
        events = [(*k, None) for k in majority(event_votes, voters)]
        return spans, events  # type: ignore[return-value]
    name = GOLD if sel.source.kind == "gold" else sel.source.name
    assert name is not None
    return list(bundle.spans.get(name, ())), list(bundle.events.get(name, ()))


def build_record(
    bundle: DocumentBundle,
    spans: list[SpanRow],
    events: list[EventRow],
    *,
    source: str,
    annotators: list[str],
    split: str | None,
    schema_version: int,
    provenance: bool = False,
    mentions: list[MentionRow] | None = None,
) -> Record:
    text = bundle.text
    mention_list, mention_prov = mention_entries(text, mentions or [], provenance)
    spans = sorted(spans, key=_span_key)
    events = sorted(events, key=_event_key)
    meta: dict[str, Any] = {
        "source": source,
        "annotators": sorted(annotators),
        "split": split,
        "schema_version": schema_version,
    }
    if provenance:
        meta["provenance"] = {
            "spans": [{"start": s, "end": e, "label": lab, **(p or {})}
                      for s, e, lab, p in spans],
            "events": [{**_event_dict(ev), **(ev[4] or {})} for ev in events],
            "event_mentions": mention_prov,
        }
    return {
        "id": bundle.external_id,
        "title": bundle.title,
        "text": text,
        "sentences": [{"start": s, "end": e} for s, e in bundle.sentences],
        "spans": [{"start": s, "end": e, "label": lab, "text": text[s:e]}
                  for s, e, lab, _ in spans],
        "events": [_event_dict(ev) for ev in events],
        "event_mentions": mention_list,
        "meta": meta,
    }


def iter_records(
    store: Store,
    sel: Selection,
    *,
    schema_version: int,
    split: SplitSpec | None = None,
    seed: int = 0,
) -> Iterator[Record]:
    """Records of the selected documents, in order; reads the store in batches."""
    gold = sel.source.kind == "gold"
    ids = [i for i, _ in sel.documents]
    for lo in range(0, len(ids), bulk.BATCH):
        chunk = ids[lo:lo + bulk.BATCH]
        found = read_mentions(store, chunk, list(sel.fetch.values()), provenance=gold)
        for bundle in bulk.iter_bundles(store, chunk, sel.fetch, provenance=gold):
            spans, events = _chosen(bundle, sel)
            yield build_record(
                bundle, spans, events,
                source=sel.source.label,
                annotators=sel.annotators[bundle.id],
                split=assign_split(bundle.external_id, split, seed) if split else None,
                schema_version=schema_version,
                provenance=gold,
                mentions=_chosen_mentions(bundle.id, sel, found),
            )


def _chosen_mentions(doc_id: int, sel: Selection,
                     found: dict[tuple[int, int], list[MentionRow]]) -> list[MentionRow]:
    if sel.source.kind == "majority":
        voters = sel.annotators[doc_id]
        return majority_mentions({v: found.get((doc_id, sel.fetch[v]), [])
                                  for v in voters if v in sel.fetch}, voters)
    name = GOLD if sel.source.kind == "gold" else sel.source.name
    ann_id = sel.fetch.get(name or "")
    return found.get((doc_id, ann_id), []) if ann_id is not None else []
