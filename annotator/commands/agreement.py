"""`annotator agreement`: load finished work from the store, build and print the report."""

from __future__ import annotations

import json

from rich.console import Console

from annotator.agreement.model import AnnotatorWork, DocumentUnit, SpanAnn
from annotator.agreement.render import render_markdown, render_rich
from annotator.agreement.report import build_report
from annotator.commands.common import open_store
from annotator.errors import UsageError
from annotator.store.service import FinishedCorpus, load_finished
from annotator.text.segment import split_tokens


def document_units(corpus: FinishedCorpus) -> list[DocumentUnit]:
    units = []
    for doc_id, (external_id, _title, text) in sorted(corpus.docs.items(), key=lambda x: x[1][0]):
        work = {}
        for name in corpus.done[doc_id]:
            sent: dict[tuple[int, int], set[str]] = {}
            doc_events: set[str] = set()
            for label, scope, start, end, _p in corpus.events.get((doc_id, name), []):
                if scope == "document":
                    doc_events.add(label)
                elif start is not None and end is not None:
                    sent.setdefault((start, end), set()).add(label)
            rows = corpus.spans.get((doc_id, name), [])
            work[name] = AnnotatorWork(
                spans={SpanAnn(a, b, lab) for a, b, lab, _p in rows},
                doc_events=frozenset(doc_events),
                sent_events={k: frozenset(v) for k, v in sent.items()},
            )
        units.append(DocumentUnit(
            doc_id=external_id, text=text, sentences=corpus.sentences.get(doc_id, []),
            tokens=split_tokens(text), work=work,
        ))
    return units


def run_agreement(
    db: str | None, *, annotators: str | None, json_out: bool, markdown: bool
) -> int:
    names = None
    if annotators is not None:
        names = [a.strip() for a in annotators.split(",") if a.strip()]
        if not names:
            raise UsageError("--annotators needs at least one name, e.g. alice,bob")
    store, _schema = open_store(db)
    try:
        corpus = load_finished(store, names)
        if names is None:
            names = sorted({n for v in corpus.done.values() for n in v})
    finally:
        store.close()
    report = build_report(document_units(corpus), names)
    if json_out:
        print(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
    elif markdown:
        print(render_markdown(report))
    else:
        Console().print(render_rich(report))
    return 0
