"""Column (numpy) form of the documents' spans and tokens, built once per report and shared
by every annotator pair: token tag codes and unitizing continua come from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .model import DocumentUnit
from .pairs import pairs
from .span_table import SpanTable, span_table
from .tokens import TagCounts, bio_codes, code_names, tag_counts, token_offsets
from .unitizing import CoderUnits, Continuum, UnitizingAlpha


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
    tags: dict[str, np.ndarray]  # annotator -> IOB2 tag code per token (when kept)
    # (a, b) -> the pair's token tag counts on the documents both finished: (all, marked)
    kappa: dict[tuple[str, str], tuple[TagCounts, TagCounts]]
    # the documents' continuum per set of documents asked for (`unitizing`)
    continua: dict[bytes, Continuum] = field(default_factory=dict, compare=False)

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

    def unitizing(self, docs: np.ndarray, coders: Sequence[str]) -> UnitizingAlpha:
        """alpha_U over the documents ``docs`` (bool per document) laid end to end; the
        coders' units on those documents are merged once for every coder set asked."""
        key = np.packbits(docs).tobytes()
        continuum = self.continua.get(key)
        if continuum is None:
            continuum = self.continua[key] = self._continuum(docs)
        return continuum.alpha(list(coders))

    def _continuum(self, docs: np.ndarray) -> Continuum:
        lengths = np.where(docs, self.lengths, 0)
        offsets = np.cumsum(lengths) - lengths
        units = {}
        for c, sp in self.spans.items():
            keep = docs[sp.doc]
            shift = offsets[sp.doc[keep]]
            units[c] = CoderUnits(sp.starts[keep] + shift, sp.ends[keep] + shift,
                                  sp.labels[keep])
        return Continuum(int(lengths.sum()), units, self.labels)


@dataclass
class ColumnsPart:
    """The columns of one batch of documents, on its own: document indices from 0, label
    indices into its own ``labels`` (sorted), so batches can be made apart (in other
    processes) and put together in order by `ColumnsBuilder`."""

    n_docs: int
    labels: list[str]
    spans: dict[str, SpanColumns]
    token_doc: np.ndarray
    tags: dict[str, np.ndarray]  # IOB2 codes over ``labels`` (empty when not kept)
    lengths: np.ndarray
    finished: dict[str, np.ndarray]
    kappa: dict[tuple[str, str], tuple[TagCounts, TagCounts]]


def column_part(docs: Sequence[DocumentUnit], annotators: Sequence[str],
                table: SpanTable | None = None, *, keep_tags: bool = True) -> ColumnsPart:
    """The batch's columns; ``table``: its spans as a `SpanTable` already made. Without
    ``keep_tags`` only each pair's tag counts are kept (what the report needs), not a tag
    per token (what views over subsets of the documents need)."""
    if table is None:
        table = span_table(docs, annotators)
    labels = table.labels
    spans: dict[str, SpanColumns] = {}
    for i, a in enumerate(annotators):
        mine = table.ann == i
        spans[a] = SpanColumns(*(x[mine].astype(np.int32) for x in (
            table.doc, table.start, table.end, table.label)))
    lengths = np.array([len(d.text) for d in docs], dtype=np.int64)
    # documents laid end to end, one character apart, so no token or span crosses over
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    paired = [i for i, d in enumerate(docs) if sum(a in d.work for a in annotators) >= 2]
    tokens = [token_offsets(docs[i].tokens) + starts[i] for i in paired]
    token_doc = np.repeat(np.array(paired, dtype=np.int32), [len(t) for t in tokens])
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
        ).astype(np.int32)
    finished = {a: np.array([a in d.work for d in docs], dtype=bool) for a in annotators}
    names = code_names(labels)
    kappa = {}
    for a, b in pairs(list(annotators)):
        both = (finished[a] & finished[b])[token_doc]
        kappa[a, b] = tag_counts(tags[a][both], tags[b][both], names)
    if not keep_tags:
        tags, token_doc = {}, token_doc[:0]
    return ColumnsPart(len(docs), labels, spans, token_doc, tags, lengths, finished, kappa)


class ColumnsBuilder:
    """`Columns` built a batch of documents at a time (the documents in the order added),
    so that a corpus's documents need not all be in memory at once: each batch's spans
    become arrays and its tokens tag codes (a `ColumnsPart`); only those are kept."""

    def __init__(self, annotators: Sequence[str]) -> None:
        self.annotators = list(annotators)
        self.parts: list[ColumnsPart] = []

    def add(self, docs: Sequence[DocumentUnit]) -> None:
        self.parts.append(column_part(docs, self.annotators))

    def add_part(self, part: ColumnsPart) -> None:
        self.parts.append(part)

    def build(self) -> Columns:
        """The columns of every document added, labels in sorted order."""
        parts, self.parts = self.parts, []
        labels = sorted(set().union(*(p.labels for p in parts)))
        index = {label: i for i, label in enumerate(labels)}
        remaps = [np.array([index[x] for x in p.labels] or [0], dtype=np.int32)
                  for p in parts]
        bases = np.cumsum([0] + [p.n_docs for p in parts])

        def cat(arrays: list[np.ndarray], dtype: Any) -> np.ndarray:
            return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)

        def codes_of(p: ColumnsPart, remap: np.ndarray, a: str) -> np.ndarray:
            codes = p.tags.pop(a)
            if p.labels == labels:  # its label indices are the report's already
                return codes
            marked = codes > 0
            inside = (codes[marked] - 1) % 2
            codes[marked] = 1 + 2 * remap[(codes[marked] - 1) // 2] + inside
            return codes

        kappa = {key: (TagCounts(), TagCounts()) for key in pairs(self.annotators)}
        for p in parts:
            for key, (whole, marked) in p.kappa.items():
                kappa[key][0].merge(whole)
                kappa[key][1].merge(marked)
        spans, tags = {}, {}
        for a in self.annotators:
            sp = [(p.spans.pop(a), base, remap)
                  for p, base, remap in zip(parts, bases, remaps, strict=False)]
            spans[a] = SpanColumns(
                cat([(x.doc + base).astype(np.int32) for x, base, _ in sp], np.int32),
                cat([x.starts for x, _, _ in sp], np.int32),
                cat([x.ends for x, _, _ in sp], np.int32),
                cat([x.labels if p.labels == labels else remap[x.labels]
                     for (x, _, remap), p in zip(sp, parts, strict=True)], np.int32))
            if any(p.tags for p in parts):
                tags[a] = cat([codes_of(p, remap, a) for p, remap in zip(parts, remaps,
                                                                          strict=True)],
                              np.int32)
        return Columns(
            labels, cat([p.lengths for p in parts], np.int64),
            {a: cat([p.finished[a] for p in parts], bool) for a in self.annotators},
            spans,
            cat([(p.token_doc + base).astype(np.int32)
                 for p, base in zip(parts, bases, strict=False)], np.int32),
            tags, kappa)


def columns(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> Columns:
    builder = ColumnsBuilder(annotators)
    builder.add(docs)
    return builder.build()
