"""Column (numpy) form of the documents' spans and tokens, built once per report and shared
by every annotator pair: token tag codes and unitizing continua come from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import DocumentUnit
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


def _span_columns(
    docs: Sequence[DocumentUnit], annotator: str, index: dict[str, int]
) -> SpanColumns:
    doc_ids: list[int] = []
    spans = []
    for i, d in enumerate(docs):
        work = d.work.get(annotator)
        if work is not None and work.spans:
            doc_ids += [i] * len(work.spans)
            spans += work.spans
    starts, ends, labels = zip(*spans, strict=True) if spans else ((), (), ())
    return SpanColumns(
        np.array(doc_ids, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array([index[label] for label in labels], dtype=np.int64),
    )


def columns(docs: Sequence[DocumentUnit], annotators: Sequence[str]) -> Columns:
    labels = sorted(
        {s.label for d in docs for a in annotators if a in d.work for s in d.work[a].spans}
    )
    index = {label: i for i, label in enumerate(labels)}
    spans = {a: _span_columns(docs, a, index) for a in annotators}
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
