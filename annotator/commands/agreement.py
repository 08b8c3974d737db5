"""`annotator agreement`: load finished work from the store, build and print the report."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import chain

import numpy as np
from rich.console import Console

from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.agreement.render import render_markdown, render_rich
from annotator.agreement.report import build_report
from annotator.commands.common import open_store
from annotator.errors import UsageError
from annotator.store.service import FinishedCorpus, load_finished
from annotator.text.segment import split_tokens

NO_TOKENS = np.zeros((0, 2), dtype=np.int32)
# below this many characters a worker process costs more than it saves
PARALLEL_CHARS = 2_000_000


def token_array(text: str) -> np.ndarray:
    """Token offsets of ``text`` as an (n, 2) int32 array (a fraction of a list's memory)."""
    flat = np.fromiter(chain.from_iterable(split_tokens(text)), dtype=np.int32)
    return flat.reshape(-1, 2)


def _token_arrays(texts: list[str]) -> list[np.ndarray]:
    return [token_array(text) for text in texts]


def _tokenize_in_background(
    texts: list[str],
) -> tuple[Iterator[np.ndarray], ProcessPoolExecutor | None]:
    """Token arrays of ``texts`` (in order). On a large corpus with a spare core, the last
    three fifths are tokenized by a forked worker while the caller goes on (building the
    units, then the first two fifths); call ``shutdown`` on the returned pool (if any)."""
    split = len(texts) * 2 // 5
    parallel = (
        (os.cpu_count() or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and sum(map(len, texts)) >= PARALLEL_CHARS
    )
    if not parallel:
        return (token_array(t) for t in texts), None
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    second = pool.submit(_token_arrays, texts[split:])

    def arrays() -> Iterator[np.ndarray]:
        yield from (token_array(t) for t in texts[:split])
        yield from second.result()

    return arrays(), pool


def _work(corpus: FinishedCorpus, doc_id: int, name: str) -> AnnotatorWork:
    sent: dict[tuple[int, int], set[str]] = {}
    doc_events: set[str] = set()
    for label, scope, start, end, _p in corpus.events.pop((doc_id, name), ()):
        if scope == "document":
            doc_events.add(label)
        elif start is not None and end is not None:
            sent.setdefault((start, end), set()).add(label)
    rows = corpus.spans.pop((doc_id, name), ())
    return AnnotatorWork(
        spans={SpanAnn(a, b, lab) for a, b, lab, _p in rows},
        doc_events=frozenset(doc_events),
        sent_events={k: frozenset(v) for k, v in sent.items()},
    )


def document_units(corpus: FinishedCorpus) -> list[DocumentUnit]:
    """One unit per document, in external-id order. Consumes ``corpus.spans`` and
    ``corpus.events`` (so their rows can be freed) and tokenizes only the documents that
    two or more annotators finished (the only ones token agreement looks at)."""
    ordered = sorted(corpus.docs.items(), key=lambda x: x[1][0])
    paired = [doc_id for doc_id, _ in ordered if len(corpus.done[doc_id]) >= 2]
    tokens, pool = _tokenize_in_background([corpus.docs[doc_id][2] for doc_id in paired])
    try:
        units = [
            DocumentUnit(
                doc_id=external_id,
                text=text,
                sentences=corpus.sentences.get(doc_id, []),
                tokens=NO_TOKENS,
                work={name: _work(corpus, doc_id, name) for name in corpus.done[doc_id]},
            )
            for doc_id, (external_id, _title, text) in ordered
        ]
        index = {doc_id: i for i, (doc_id, _) in enumerate(ordered)}
        for doc_id, array in zip(paired, tokens, strict=True):
            units[index[doc_id]].tokens = array
    finally:
        if pool is not None:
            pool.shutdown()
    return units


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading and the report allocate millions of
    small, acyclic objects, and repeated full collections over them cost seconds."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_agreement(db: str | None, *, annotators: str | None, json_out: bool, markdown: bool) -> int:
    names = None
    if annotators is not None:
        names = [a.strip() for a in annotators.split(",") if a.strip()]
        if not names:
            raise UsageError("--annotators needs at least one name, e.g. alice,bob")
    with _no_gc():
        store, _schema = open_store(db)
        try:
            corpus = load_finished(store, names)
            if names is None:
                names = sorted({n for v in corpus.done.values() for n in v})
        finally:
            store.close()
        docs = document_units(corpus)
        del corpus  # the units hold everything the report needs
        report = build_report(docs, names)
        del docs
    if json_out:
        print(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
    elif markdown:
        print(render_markdown(report))
    else:
        Console().print(render_rich(report))
    return 0
