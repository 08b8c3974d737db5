"""`annotator agreement`: load finished work from the store, build and print the report."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain

import numpy as np
from rich.console import Console

from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.agreement.render import render_markdown, render_rich
from annotator.agreement.report import build_report
from annotator.commands.common import open_store
from annotator.errors import UsageError
from annotator.store.bulk import (
    DocumentBundle,
    annotator_ids,
    iter_bundles,
    ordered_documents,
    statuses_by_document,
)
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.text.segment import split_tokens

NO_TOKENS = np.zeros((0, 2), dtype=np.int32)


def token_array(text: str) -> np.ndarray:
    """Token offsets of ``text`` as an (n, 2) int32 array (a fraction of a list's memory)."""
    flat = np.fromiter(chain.from_iterable(split_tokens(text)), dtype=np.int32)
    return flat.reshape(-1, 2)


def _work(bundle: DocumentBundle, name: str) -> AnnotatorWork:
    sent: dict[tuple[int, int], set[str]] = {}
    doc_events: set[str] = set()
    for label, scope, start, end, _p in bundle.events.get(name, ()):
        if scope == "document":
            doc_events.add(label)
        elif start is not None and end is not None:
            sent.setdefault((start, end), set()).add(label)
    return AnnotatorWork(
        spans={SpanAnn(a, b, lab) for a, b, lab, _p in bundle.spans.get(name, ())},
        doc_events=frozenset(doc_events),
        sent_events={k: frozenset(v) for k, v in sent.items()},
    )


def load_units(store: Store, names: list[str] | None) -> tuple[list[DocumentUnit], list[str]]:
    """One unit per document that some of `names` (default: every annotator but gold)
    finished, in external-id order, read in batches through the store's bulk layer; only
    the documents two or more finished are tokenized (token agreement looks at no other)."""
    done = {
        doc_id: [n for n in finished if (n in names if names is not None else n != GOLD)]
        for doc_id, finished in statuses_by_document(store).items()
    }
    done = {doc_id: finished for doc_id, finished in done.items() if finished}
    if names is None:
        names = sorted({n for finished in done.values() for n in finished})
    ids = annotator_ids(store)
    unknown = [n for n in names if n not in ids]
    if unknown:
        known = ", ".join(sorted(n for n in ids if n != GOLD)) or "none yet"
        raise UsageError(f"--annotators: no annotator named {', '.join(map(repr, unknown))} "
                         f"(known: {known})")
    wanted = {n: ids[n] for n in names if n in ids}
    order = [doc_id for doc_id, _ext in ordered_documents(store) if doc_id in done]
    units = [
        DocumentUnit(
            doc_id=bundle.external_id, text=bundle.text, sentences=bundle.sentences,
            tokens=token_array(bundle.text) if len(done[bundle.id]) >= 2 else NO_TOKENS,
            work={name: _work(bundle, name) for name in done[bundle.id]},
        )
        for bundle in iter_bundles(store, order, wanted)
    ]
    return units, names


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


def run_agreement(
    db: str | None, *, annotators: str | None, json_out: bool, markdown: bool,
    max_disagreements: int | None = 1000,
) -> int:
    names = None
    if annotators is not None:
        names = [a.strip() for a in annotators.split(",") if a.strip()]
        if not names:
            raise UsageError("--annotators needs at least one name, e.g. alice,bob")
    with _no_gc():
        store, _schema = open_store(db)
        try:
            docs, names = load_units(store, names)
        finally:
            store.close()
        report = build_report(docs, names, max_disagreements=max_disagreements)
        del docs
    if json_out:
        print(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
    elif markdown:
        print(render_markdown(report))
    else:
        console = Console()
        console.print(render_rich(report, terminal=console.is_terminal))
    return 0
