"""The model source: a CRF sequence labeller (python-crfsuite) trained on the spans of
an annotator's finished documents and adjudicated gold, proposing spans in the others.

BIO tags over the model's tokens (:mod:`annotator.suggest.features`: proclitics split
off, so the team's convention for ``و``/``بال``/``لل`` is learnt from its spans). A
proposal's score is the lowest marginal probability of its tokens' tags.

The model is bytes (to keep in the database or beside it): a small header, the JSON
metadata (the known first words of names, whether gazetteer features were used, the
labels) and the crfsuite model file. Import this module lazily: it imports ``pycrfsuite``.
"""

from __future__ import annotations

import json
import struct
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pycrfsuite

from annotator.suggest.features import (
    bio_tags,
    first_word_keys,
    gazetteer_tags,
    model_tokens,
    sequence_features,
    sequences,
    spans_of_tags,
)
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.proposal import Proposal, drop_taken
from annotator.text.keys import match_key

__all__ = ["MAGIC", "ModelError", "SpanModel", "TRAINING", "train_model"]

MAGIC = b"ANNSUGG1"
SOURCE = "model"
#: Stochastic gradient descent with L2 regularisation: ten passes over the sentences
#: reach the accuracy L-BFGS reaches in 40 to 80 iterations at a third of the time
#: (200 documents train within seconds), and unlike the averaged perceptron the
#: marginals stay probabilities (the proposals' scores).
ALGORITHM = "l2sgd"
TRAINING: dict[str, object] = {
    "c2": 0.01,
    "max_iterations": 10,
    "calibration.max_trials": 12,
    "feature.possible_transitions": True,
}


class ModelError(ValueError):
    """Bytes that are not a model this module wrote."""


Doc = tuple[str, Sequence[tuple[int, int, str]]]
Match = tuple[int, int, str]


def _gaz_matches(gazetteer: Gazetteer | None, text: str) -> list[Match]:
    return gazetteer.matches(text) if gazetteer is not None and len(gazetteer) else []


def _doc_xy(text: str, spans: Sequence[tuple[int, int, str]] | None, known: frozenset[str],
            gazetteer: Gazetteer | None, matches: Sequence[Match] | None = None
            ) -> tuple[list[tuple[int, int]], list[list[int]], list[list[list[str]]],
                       list[str] | None]:
    """Tokens, sentences, features and (``spans`` given) tags of a document;
    ``matches``: the gazetteer's matches in ``text`` when the caller has them."""
    cuts = [p for s, e, _ in spans for p in (s, e)] if spans else ()
    tokens = model_tokens(text, known, cuts)
    cache: dict[str, str] = {}
    keys = []
    for s, e in tokens:
        tok = text[s:e]
        key = cache.get(tok)
        if key is None:
            key = cache[tok] = match_key(tok)
        keys.append(key)
    if matches is None or gazetteer is None:
        matches = _gaz_matches(gazetteer, text)
    gaz = gazetteer_tags(tokens, matches)
    groups = sequences(text, tokens)
    xs = [sequence_features(text, tokens, idx, keys, gaz) for idx in groups]
    tags = bio_tags(tokens, spans) if spans is not None else None
    return tokens, groups, xs, tags


def _known(docs: Sequence[Doc], gazetteer: Gazetteer | None) -> frozenset[str]:
    known: set[str] = set()
    for text, spans in docs:
        known |= first_word_keys(text, spans)
    if gazetteer is not None:
        for form in gazetteer.forms:
            if form.article == "none":
                known.add(form.stem.split(" ", 1)[0])
    return frozenset(k for k in known if len(k) >= 2)


def train_model(docs: Iterable[Doc], *, gazetteer: Gazetteer | None = None,
                params: dict[str, object] | None = None) -> bytes | None:
    """A model trained on ``docs`` (text, spans as ``(start, end, label)``), or None when
    there is nothing to learn from (no document with a span)."""
    docs = [(text, list(spans)) for text, spans in docs if text]
    if not any(spans for _, spans in docs):
        return None
    known = _known(docs, gazetteer)
    trainer = pycrfsuite.Trainer(algorithm=ALGORITHM, verbose=False)
    trainer.set_params({**TRAINING, **(params or {})})
    labels: set[str] = set()
    tokens_seen = 0
    for text, spans in docs:
        _, groups, xs, tags = _doc_xy(text, spans, known, gazetteer)
        for idx, x in zip(groups, xs, strict=True):
            trainer.append(x, [tags[i] for i in idx] if tags else [])
        tokens_seen += len(tags or ())
        labels.update(label for _, _, label in spans)
    meta = {"known": sorted(known), "gazetteer": gazetteer is not None and len(gazetteer) > 0,
            "labels": sorted(labels), "tokens": tokens_seen, "documents": len(docs)}
    with tempfile.TemporaryDirectory(prefix="annotator-crf-") as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        model = path.read_bytes()
    head = json.dumps(meta, ensure_ascii=False).encode("utf-8")
    return MAGIC + struct.pack(">I", len(head)) + head + model


class SpanModel:
    """A trained model: proposes labelled spans in a text."""

    def __init__(self, meta: dict, model: bytes, gazetteer: Gazetteer | None = None) -> None:
        self.meta = meta
        self.known = frozenset(meta.get("known", ()))
        self.gazetteer = gazetteer if meta.get("gazetteer") else None
        self._model = model  # crfsuite reads the model in place: keep the bytes alive
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)
        self._lock = threading.Lock()  # one tagger: one sequence at a time

    @classmethod
    def from_bytes(cls, data: bytes, *, gazetteer: Gazetteer | None = None) -> SpanModel:
        """The model :func:`train_model` returned; ``gazetteer``: the one it was trained
        with (its features are left out without it)."""
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
            raise ModelError("not a suggestion model")
        (size,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
        at = len(MAGIC) + 4
        try:
            meta = json.loads(data[at:at + size].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ModelError(f"a suggestion model with bad metadata: {exc}") from None
        try:
            return cls(meta, data[at + size:], gazetteer)
        except (ValueError, OSError) as exc:
            raise ModelError(f"a suggestion model crfsuite cannot open: {exc}") from None

    @property
    def labels(self) -> list[str]:
        return list(self.meta.get("labels", ()))

    def predict(self, text: str, taken: Iterable[tuple[int, int]] = (), *,
                gazetteer_matches: Sequence[Match] | None = None) -> list[Proposal]:
        """The spans the model finds in ``text``, without those equal to or crossing one
        of ``taken``; score: the lowest marginal probability of the span's tags.
        ``gazetteer_matches``: ``self.gazetteer.matches(text)`` when the caller already
        has them (ignored when the model uses no gazetteer)."""
        if not text:
            return []
        tokens, groups, xs, _ = _doc_xy(text, None, self.known, self.gazetteer,
                                        gazetteer_matches)
        tagger = self._tagger
        out: list[Proposal] = []
        with self._lock:
            for idx, x in zip(groups, xs, strict=True):
                tags = tagger.tag(x)
                for first, last, label in spans_of_tags(tags):
                    score = min(tagger.marginal(tags[j], j) for j in range(first, last))
                    start = tokens[idx[first]][0]
                    end = tokens[idx[last - 1]][1]
                    out.append(Proposal(start, end, label, SOURCE, round(score, 4)))
        return drop_taken(out, taken)
