"""Column (numpy) form of the documents' spans and tokens, built once per report and shared
by every annotator pair: token tag codes and unitizing continua come from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np

from .model import DocumentUnit, SpanAnn
from .tokens import bio_codes, token_offsets
from .unitizing import CoderUnits, UnitizingAlpha, unitizing_alpha_arrays


@dataclass(frozen=True)
class SpanColumns:
    """One annotator's spans over all documents (document index, start, end, label index),
    int32 arrays (offsets are per document)."""

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


class ColumnsBuilder:
    """`Columns` built a batch of documents at a time (the documents in the order added),
    so that a corpus's documents need not all be in memory at once: each batch's spans
    become arrays and its tokens tag codes; only those are kept."""

    def __init__(self, annotators: Sequence[str]) -> None:
        self.annotators = list(annotators)
        self.index: dict[str, int] = {}  # label -> index, in order of first use
        self.n_docs = 0
        self.parts: list[dict[str, Any]] = []

    def add(self, docs: Sequence[DocumentUnit]) -> None:
        index, base = self.index, self.n_docs
        part: dict[str, Any] = {"spans": {}, "tags": {}}
        for a in self.annotators:
            counts, spans = _span_rows(docs, a)
            n = len(spans)
            labels = map(itemgetter(2), spans)
            part["spans"][a] = SpanColumns(
                np.repeat(np.arange(base, base + len(counts), dtype=np.int32), counts),
                np.fromiter(map(itemgetter(0), spans), dtype=np.int32, count=n),
                np.fromiter(map(itemgetter(1), spans), dtype=np.int32, count=n),
                np.fromiter((index.setdefault(x, len(index)) for x in labels),
                            dtype=np.int32, count=n),
            )
        lengths = np.array([len(d.text) for d in docs], dtype=np.int64)
        # documents laid end to end, one character apart, so no token or span crosses over
        starts = np.cumsum(lengths + 1) - (lengths + 1)
        paired = [i for i, d in enumerate(docs)
                  if sum(a in d.work for a in self.annotators) >= 2]
        tokens = [token_offsets(docs[i].tokens) + starts[i] for i in paired]
        part["token_doc"] = np.repeat(np.array(paired, dtype=np.int32) + base,
                                      [len(t) for t in tokens])
        all_tokens = np.concatenate(tokens) if tokens else np.zeros((0, 2), dtype=np.int64)
        is_paired = np.zeros(len(docs) + base, dtype=bool)
        is_paired[np.array(paired, dtype=np.int64) + base] = True
        # a tag goes to the first span in priority order, labels breaking ties in sorted
        # order: tag with the labels' sorted ranks, keep the codes in first-use indices
        now = np.argsort(np.argsort(np.array(list(index), dtype=object)))
        back = np.argsort(now)
        for a, sp in part["spans"].items():
            keep = is_paired[sp.doc]
            doc = sp.doc[keep] - base
            shift, limit = starts[doc], lengths[doc]
            codes = bio_codes(
                all_tokens,
                np.clip(sp.starts[keep], 0, limit) + shift,
                np.clip(sp.ends[keep], 0, limit) + shift,
                now[sp.labels[keep]] if len(now) else sp.labels[keep],
            )
            marked = codes > 0
            codes[marked] = 1 + 2 * back[(codes[marked] - 1) // 2] + (codes[marked] - 1) % 2
            part["tags"][a] = codes.astype(np.int32)
        part["lengths"] = lengths
        part["finished"] = {a: np.array([a in d.work for d in docs], dtype=bool)
                            for a in self.annotators}
        self.parts.append(part)
        self.n_docs += len(docs)

    def build(self) -> Columns:
        """The columns of every document added, labels in sorted order."""
        labels = sorted(self.index)
        order = np.zeros(len(self.index), dtype=np.int64)  # index of first use -> sorted
        for rank, label in enumerate(labels):
            order[self.index[label]] = rank
        parts, self.parts = self.parts, []

        def cat(arrays: list[np.ndarray], dtype: Any) -> np.ndarray:
            return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)

        spans, tags = {}, {}
        for a in self.annotators:
            sp = [p["spans"][a] for p in parts]
            spans[a] = SpanColumns(
                cat([x.doc for x in sp], np.int32), cat([x.starts for x in sp], np.int32),
                cat([x.ends for x in sp], np.int32),
                order[cat([x.labels for x in sp], np.int32)].astype(np.int32))
            for p in parts:  # each part's arrays are in the whole's now
                del p["spans"][a]
            codes = cat([p["tags"].pop(a) for p in parts], np.int32)
            marked = codes > 0
            inside = (codes[marked] - 1) % 2
            codes[marked] = 1 + 2 * order[(codes[marked] - 1) // 2] + inside
            tags[a] = codes
        return Columns(
            labels, cat([p["lengths"] for p in parts], np.int64),
            {a: cat([p["finished"][a] for p in parts], bool) for a in self.annotators},
            spans, cat([p["token_doc"] for p in parts], np.int32), tags)


def columns(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> Columns:
    builder = ColumnsBuilder(annotators)
    builder.add(docs)
    return builder.build()
