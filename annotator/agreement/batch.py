"""One batch of documents tallied for the agreement report, on its own: what
`report.ReportBuilder` merges, in order, whether the batch was tallied in this process or
in another one (the command spreads a corpus's batches over worker processes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .columns import ColumnsPart, column_part
from .disagreements import DisagreementTally
from .events import SCOPES, EventTally, event_tally
from .model import DocumentUnit
from .pairs import pairs
from .span_table import SpanTable, fill_spans, group, span_table
from .spans import PairTally, pair_tally
from .table_counts import MAX_ANNOTATORS, disagreement_counts, pair_matches
from .views import document_rows, table_document_rows


class DocumentTexts(Mapping[str, str]):
    """Document texts as the event-structure section reads them: the text of a document
    with event mentions (its disagreements quote it), only the length of the others
    (alpha_U's continuum), given back as that many spaces."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.lengths: dict[str, int] = {}

    def add(self, doc_id: str, text: str, *, keep: bool) -> None:
        self.lengths[doc_id] = len(text)
        if keep:
            self.texts[doc_id] = text

    def merge(self, other: DocumentTexts) -> None:
        self.texts.update(other.texts)
        self.lengths.update(other.lengths)

    def __getitem__(self, doc_id: str) -> str:
        found = self.texts.get(doc_id)
        return found if found is not None else " " * self.lengths[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.lengths)

    def __len__(self) -> int:
        return len(self.lengths)


@dataclass
class BatchTally:
    """Everything the report needs from one batch of documents (then free to go)."""

    disagreements: DisagreementTally
    events: dict[str, EventTally]
    columns: ColumnsPart
    pairs: dict[tuple[str, str], PairTally]
    ids: list[str]
    finished: dict[str, int]
    two_or_more: int
    mentions: dict[str, dict[str, list[Any]]]
    texts: DocumentTexts
    document_rows: list[list[Any]] = field(default_factory=list)  # --by document


def tally_batch(docs: Sequence[DocumentUnit], annotators: list[str],
                limit: int | None, table: SpanTable | None = None, *,
                rows: bool = False, floor: int = 0) -> BatchTally:
    """The tally of ``docs``. ``table``: their spans (`span_table.SpanTable`), when the
    documents' works do not carry them (they are given theirs where needed). ``rows``:
    with the batch's `--by document` rows. ``floor``: the disputed clusters a document
    needs to enter the listing (`DisagreementTally.least_listed` of the batches before)."""
    disagreements = DisagreementTally(annotators, limit, floor)
    events = {scope: event_tally(docs, annotators, scope, limit=limit) for scope in SCOPES}
    tallies = {}
    whole = len(annotators) <= MAX_ANNOTATORS
    doc_rows: list[list[Any]] = []
    bare = table is not None  # the works carry no spans
    if bare and not whole:
        fill_spans(docs, table, annotators, range(len(docs)))
    if table is None and whole:
        table = span_table(docs, annotators)
    if table is not None and whole:  # counted whole-array
        grouped = group(table)
        counted = disagreement_counts(table, grouped)
        per_doc = counted.per_doc.tolist()
        picked = disagreements.listed(docs, per_doc)
        if bare:
            fill_spans(docs, table, annotators, picked)
        disagreements.add_counted([docs[i] for i in picked], counted.clusters, counted.spans)
        index = {a: i for i, a in enumerate(annotators)}
        for a, b in pairs(annotators):
            tallies[a, b] = pair_matches(table, grouped, index[a], index[b])
        if rows:
            doc_rows = table_document_rows(
                docs, annotators, table, grouped, counted.differing_per_doc,
                sum((tally.per_doc for tally in events.values()), Counter()))
    else:
        disagreements.add(docs)
        for a, b in pairs(annotators):
            tallies[a, b] = pair_tally(((d.work[a].spans, d.work[b].spans)
                                        for d in docs if a in d.work and b in d.work),
                                       count_spans=False)
        if rows:
            doc_rows = document_rows(docs, annotators)
    finished = dict.fromkeys(annotators, 0)
    two_or_more = 0
    mentions: dict[str, dict[str, list[Any]]] = {}
    texts = DocumentTexts()
    for d in docs:
        present = [a for a in annotators if a in d.work]
        for a in present:
            finished[a] += 1
        two_or_more += len(present) >= 2
        mentions[d.doc_id] = {a: d.work[a].mentions for a in present}
        texts.add(d.doc_id, d.text, keep=any(d.work[a].mentions for a in present))
    return BatchTally(
        disagreements, events,
        column_part(docs, annotators, table, keep_tags=False), tallies,
        [d.doc_id for d in docs], finished, two_or_more, mentions, texts, doc_rows)
