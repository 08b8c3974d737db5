"""`annotator suggest`: compute and store pending suggestions for one annotator, or
cross-validate the sources on their finished documents (`--evaluate`)."""

from __future__ import annotations

import json
import sys
from typing import Any

from annotator.commands.common import open_store, resolve_user
from annotator.errors import AnnotatorError, UsageError
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.suggest.proposal import SOURCES


def parse_sources(value: str | None) -> list[str]:
    """`--source occurrences,gazetteer,model` (any order, any subset; default all)."""
    if value is None:
        return list(SOURCES)
    names = [v.strip() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in SOURCES]
    if bad or not names:
        raise UsageError(f"--source: expected some of {','.join(SOURCES)}, got {value!r}")
    return [s for s in SOURCES if s in names]


def run_suggest(db: str | None, *, user: str | None, doc: str | None, all_docs: bool,
                sources: str | None, json_out: bool, evaluate: bool) -> int:
    name = resolve_user(user)
    if name == GOLD:
        raise UsageError(f"{GOLD!r} is made only by adjudication: it gets no suggestions")
    if doc is not None and all_docs:
        raise UsageError("--doc and --all exclude each other")
    if evaluate and (doc is not None or all_docs):
        raise UsageError("--evaluate uses every document the annotator finished: "
                         "no --doc or --all")
    chosen = parse_sources(sources)
    from annotator.commands.annotate import check_has_database

    check_has_database(db)  # a mistyped --db: one line, nothing created
    store, _schema = open_store(db)
    try:
        if evaluate:
            return _evaluate(store, name, chosen, json_out)
        return _suggest(store, name, doc, chosen, json_out)
    finally:
        store.close()


def _suggest(store: Store, user: str, doc: str | None, sources: list[str],
             json_out: bool) -> int:
    from annotator.suggest import service

    if doc is not None:
        found = store.document_by_external_id(doc)
        if found is None or found.id is None:
            raise UsageError(f"no document with external id {doc!r}")
        ids: Any = [found.id]
    else:
        ids = service.unfinished_documents(store, user)
    before = store.suggestion_counts(user)
    run = service.suggesters(store, user, sources)
    for note in run.notes:
        print(f"annotator: note: {note}", file=sys.stderr)
    added = documents = 0
    advance, stop = _progress(store, user, ids)
    try:
        for page, n in service.iter_suggest(store, user, ids, run):
            added += n
            documents += len(page)
            advance(len(page))
            if json_out:
                _print_json(store, user, page, sources)
    finally:
        stop()
    if not json_out:
        after = store.suggestion_counts(user)
        per_source = ", ".join(f"{s} {after.get(s, 0) - before.get(s, 0)}" for s in sources)
        print(f"{user}: {added} new suggestions on {documents} documents ({per_source}); "
              f"{sum(after.values())} pending in all")
    return 0


def _progress(store: Store, user: str, ids: Any) -> tuple[Any, Any]:
    """(advance, stop): a progress bar on stderr when it is a terminal and the run goes
    over many documents; no-ops otherwise."""
    if isinstance(ids, list) or not sys.stderr.isatty():
        return (lambda n: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from annotator.suggest import service

    total = store.count_documents() - sum(1 for _ in service.finished_documents(store, user))
    bar = Progress("suggesting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task("suggesting", total=total)
    bar.start()
    return (lambda n: bar.advance(task, n)), bar.stop


def _print_json(store: Store, user: str, page: list[int], sources: list[str]) -> None:
    """One JSON line per pending suggestion of the page's documents from the sources
    asked for (made now or earlier: the output is the same when run again)."""
    rows = [r for r in store.pending_suggestions(user, page) if r.source in sources]
    if not rows:
        return
    texts, eids = store.texts(page), store.external_ids(page)
    out = sys.stdout
    for r in rows:
        out.write(json.dumps({
            "doc_id": eids[r.document_id], "start": r.start, "end": r.end,
            "text": texts[r.document_id][r.start:r.end], "label": r.label,
            "source": r.source, "score": round(r.score, 4)}, ensure_ascii=False) + "\n")
    out.flush()


# ------------------------------------------------------------------------ evaluate
def _evaluate(store: Store, user: str, sources: list[str], json_out: bool) -> int:
    from annotator.suggest import service

    report = service.evaluate(store, user, sources)
    if not report["folds"]:
        raise AnnotatorError(f"{user} has finished {report['documents']} documents: "
                             "cross-validation needs at least 2")
    if json_out:
        print(json.dumps({"annotator": user, **report}, ensure_ascii=False, indent=2))
        return 0
    _print_report(user, report)
    return 0


def _print_report(user: str, report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"{user}: each source cross-validated on {report['documents']} finished "
                  f"documents ({report['folds']} folds; exact range and label)")
    for source, result in report["sources"].items():
        table = Table("label", "precision", "recall", "F1", "right", "wrong", "missed",
                      title=source)
        rows = [*sorted(result["labels"].items()), ("micro", result["micro"])]
        for label, m in rows:
            table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}",
                          f"{m['f1']:.3f}", str(m["tp"]), str(m["fp"]), str(m["fn"]),
                          end_section=label == rows[-2][0] if len(rows) > 1 else False)
        console.print(table)
