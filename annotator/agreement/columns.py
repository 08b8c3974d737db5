"""Column (numpy) form of the documents' spans and tokens, built once per report and shared
by every annotator pair: token tag codes and unitizing continua come from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from .model import DocumentUnit, SpanAnn
from .tokens import bio_codes, token_offsets
from .unitizing import CoderUnits, UnitizingAlpha, unitizing_alpha_arrays


@dataclass(frozen=True)
class SpanColumns:
    """One annotator's spans over all documents (document index, start, end, label index)."""

    doc: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Columns:
    labels: list[str]  # every span label, sorted; SpanColumns.labels index this
    lengths: np.ndarray  # text length per document
    finished: dict[str, np.ndarray]  # annotator -> bool per document
    spans: dict[str, SpanColumns]
    token_doc: np.ndarray  # document index per token (documents two or more finished)
    tags: dict[str, np.ndarray]  # annotator -> IOB2 tag code per token

    def label_counts(self, annotator: str) -> list[int]:
        """Number of spans per label (in ``labels`` order)."""
        return np.bincount(self.spans[annotator].labels, minlength=len(self.labels)).tolist()

    def pair_label_counts(self, a: str, b: str) -> tuple[dict[str, int], dict[str, int]]:
        """a's and b's number of spans per label on the documents both finished."""
        both = self.finished[a] & self.finished[b]
        return self._label_counts(a, both), self._label_counts(b, both)

    def _label_counts(self, annotator: str, docs: np.ndarray) -> dict[str, int]:
        sp = self.spans[annotator]
        counts = np.bincount(sp.labels[docs[sp.doc]], minlength=len(self.labels))
        return {self.labels[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}

    def pair_tags(self, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        """Tag codes of a and b on the tokens of the documents both finished."""
        both = (self.finished[a] & self.finished[b])[self.token_doc]
        return self.tags[a][both], self.tags[b][both]

    def unitizing(self, docs: np.ndarray, coders: Sequence[str]) -> UnitizingAlpha:
        """alpha_U over the documents ``docs`` (bool per document) laid end to end."""
        lengths = np.where(docs, self.lengths, 0)
        offsets = np.cumsum(lengths) - lengths
        units = []
        for c in coders:
            sp = self.spans[c]
            keep = docs[sp.doc]
            shift = offsets[sp.doc[keep]]
            units.append(
                CoderUnits(sp.starts[keep] + shift, sp.ends[keep] + shift, sp.labels[keep])
            )
        return unitizing_alpha_arrays(int(lengths.sum()), units, self.labels)


def _span_rows(docs: Sequence[DocumentUnit], annotator: str) -> tuple[list[int], list[SpanAnn]]:
    """Number of spans per document (0 when not finished) and all the spans, in order."""
    counts: list[int] = []
    spans: list[SpanAnn] = []
    for d in docs:
        work = d.work.get(annotator)
        counts.append(len(work.spans) if work is not None else 0)
        if work is not None:
            spans.extend(work.spans)
    return counts, spans


def _span_columns(counts: list[int], spans: list[SpanAnn], index: dict[str, int]) -> SpanColumns:
    n = len(spans)
    return SpanColumns(
        np.repeat(np.arange(len(counts), dtype=np.int64), counts),
        np.fromiter(map(itemgetter(0), spans), dtype=np.int64, count=n),
        np.fromiter(map(itemgetter(1), spans), dtype=np.int64, count=n),
        np.fromiter(map(index.__getitem__, map(itemgetter(2), spans)), dtype=np.int64, count=n),
    )


def columns(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> Columns:
    rows = {a: _span_rows(docs, a) for a in annotators}
    labels = sorted(set().union(*(map(itemgetter(2), spans) for _, spans in rows.values())))
    index = {label: i for i, label in enumerate(labels)}
    spans = {a: _span_columns(*rows.pop(a), index) for a in annotators}
    lengths = np.array([len(d.text) for d in docs], dtype=np.int64)
    # documents laid end to end, one character apart, so no token or span crosses over
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    paired = [i for i, d in enumerate(docs) if sum(a in d.work for a in annotators) >= 2]
    tokens = [token_offsets(docs[i].tokens) + starts[i] for i in paired]
    token_doc = np.repeat(np.array(paired, dtype=np.int64), [len(t) for t in tokens])
    all_tokens = np.concatenate(tokens) if tokens else np.zeros((0, 2), dtype=np.int64)
    is_paired = np.zeros(len(docs), dtype=bool)
    is_paired[paired] = True
    tags = {}
    for a, sp in spans.items():
        keep = is_paired[sp.doc]
        doc = sp.doc[keep]
        shift, limit = starts[doc], lengths[doc]
        tags[a] = bio_codes(
            all_tokens,
            np.clip(sp.starts[keep], 0, limit) + shift,
            np.clip(sp.ends[keep], 0, limit) + shift,
            sp.labels[keep],
        )
    finished = {a: np.array([a in d.work for d in docs], dtype=bool) for a in annotators}
    return Columns(labels, lengths, finished, spans, token_doc, tags)
