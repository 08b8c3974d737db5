"""`annotator agreement`: load finished work from the store, build and print the report."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from annotator.agreement.chart import label_chart, trend_chart
from annotator.agreement.csv_out import write_csvs
from annotator.agreement.model import DocumentUnit
from annotator.agreement.render import render_markdown, render_rich
from annotator.agreement.render_events import event_structure_tables
from annotator.agreement.report import MIN_UNITS, ReportBuilder, build_report
from annotator.agreement.views import (
    ViewTable,
    by_document,
    by_period,
    document_rows,
    document_table,
)
from annotator.agreement.views_listing import event_disagreement_table, span_disagreement_table
from annotator.agreement.views_pairs import (
    against_gold,
    confusion,
    confusion_grids,
    label_table,
    matrix_grids,
    pair_table,
)
from annotator.agreement.views_render import markdown_tables, rich_tables
from annotator.commands.agreement_load import LoadPlan, plan_units, unit_batches
from annotator.commands.agreement_parallel import tally_in_workers
from annotator.commands.common import open_store
from annotator.errors import UsageError
from annotator.store.bulk import BATCH, annotator_ids
from annotator.store.models import GOLD
from annotator.store.service import Store


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


VIEWS = ("document", "pair", "week", "batch")


def document_periods(
    store: Store, by: str, names: list[str]
) -> tuple[dict[str, str], list[str]]:
    """external id -> period of every document, and the periods in order; two queries for
    the whole corpus.

    * ``week``: the ISO week (``2026-W07``, UTC) in which the last of ``names`` who marked the
      document done did so (when it became comparable: a weekly review covers the work
      finished that week);
    * ``batch``: the import the document came from: the file it was imported from
      (``Document.source_path``), or ``added YYYY-MM-DD`` for a document added without
      one; batches in the order of their first document's creation.
    """
    from sqlalchemy import select

    from annotator.store.models import STATUS_DONE, Annotator, Assignment, Document

    d = Document.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        docs = list(conn.execute(select(d.c.id, d.c.external_id, d.c.source_path,
                                        d.c.created_at)))
        if by == "batch":
            first: dict[str, object] = {}
            periods = {}
            for _id, ext, source, created in docs:
                key = source or f"added {created:%Y-%m-%d}"
                periods[ext] = key
                if key not in first or created < first[key]:  # type: ignore[operator]
                    first[key] = created
            return periods, sorted(first, key=lambda k: (first[k], k))
        a, n = Assignment.__table__, Annotator.__table__  # type: ignore[attr-defined]
        last: dict[int, object] = {}
        for doc_id, when in conn.execute(
            select(a.c.document_id, a.c.updated_at).join(n, n.c.id == a.c.annotator_id)
            .where(a.c.status == STATUS_DONE, n.c.name.in_(names))
        ):
            if doc_id not in last or when > last[doc_id]:  # type: ignore[operator]
                last[doc_id] = when
    periods = {}
    for doc_id, ext, _source, _created in docs:
        if doc_id in last:
            year, week, _ = last[doc_id].isocalendar()  # type: ignore[attr-defined]
            periods[ext] = f"{year}-W{week:02d}"
    return periods, sorted(set(periods.values()))


def _split_gold(docs: list[DocumentUnit], names: list[str], reference: str
                ) -> tuple[list[DocumentUnit], ViewTable]:
    """The against-gold view, and the units without gold's work (for the report)."""
    table = against_gold(docs, names, reference)
    if reference != GOLD:
        return docs, table
    for doc in docs:
        doc.work.pop(GOLD, None)
    return [doc for doc in docs if doc.work], table


def run_agreement(
    db: str | None, *, annotators: str | None, json_out: bool, markdown: bool,
    max_disagreements: int | None = 1000, by: list[str] | None = None,
    against: str | None = None, confusion_matrix: bool = False, csv_dir: Path | None = None,
    chart: bool = False, min_units: int | None = None,
) -> int:
    names = None
    if annotators is not None:
        names = [a.strip() for a in annotators.split(",") if a.strip()]
        if not names:
            raise UsageError("--annotators needs at least one name, e.g. alice,bob")
    if min_units is not None and min_units < 1:
        raise UsageError("--min-units must be 1 or more")
    by = list(dict.fromkeys(by or []))
    for view in by:
        if view not in VIEWS:
            raise UsageError(f"--by {view}: expected one of {', '.join(VIEWS)}")
    tables: list[ViewTable] = []
    periods: dict[str, tuple[dict[str, str], list[str]]] = {}
    # the views read the documents again: only then are they all kept in memory; the
    # plain report is built a batch of documents at a time
    keep_docs = bool(set(by) - {"document"}) or against is not None or confusion_matrix
    doc_rows: list[list[Any]] | None = None  # --by document, row by row with the batches
    with _no_gc():
        store, schema = open_store(db)
        try:
            if against == GOLD and GOLD not in annotator_ids(store):
                raise UsageError("--against gold: there is no gold yet (annotator adjudicate)")
            plan = plan_units(store, names, with_gold=against == GOLD)
            names = plan.names
            if against is not None and against != GOLD and against not in names:
                raise UsageError(f"--against {against}: not among the annotators compared")
            for kind in ("week", "batch"):
                if kind in by:
                    periods[kind] = document_periods(store, kind, names)
            report_args = {
                "max_disagreements": max_disagreements,
                "min_units": MIN_UNITS if min_units is None else min_units,
                "span_labels": schema.entity_names(), "event_labels": schema.event_names()}
            if keep_docs:
                docs = [u for part in unit_batches(store, plan) for u in part]
            else:
                docs = []
                doc_rows = [] if "document" in by else None
                report = _streamed_report(store, plan, names, report_args, doc_rows)
        finally:
            store.close()
        if against is not None:
            docs, gold_table = _split_gold(docs, names, against)
        if keep_docs:
            report = build_report(docs, names, **report_args)
        if doc_rows is not None:
            tables.append(document_table(doc_rows))
        elif "document" in by:
            tables.append(by_document(docs, names))
        pair = pair_table(report)
        if "pair" in by:
            tables.append(pair)
        if confusion_matrix:
            tables.append(confusion(docs, names))
        if against is not None:
            tables.append(gold_table)
        for kind, (doc_periods, order) in periods.items():
            tables.append(by_period(docs, names, doc_periods, kind=kind, order=order))
        del docs
    labels = label_table(report)
    if csv_dir is not None:
        listings = [span_disagreement_table(report), event_disagreement_table(report),
                    *event_structure_tables(report)]
        unique = {t.key: t for t in [pair, labels, *listings, *tables]}  # pairs: once
        written = write_csvs(csv_dir, list(unique.values()))
        Console(stderr=True).print(
            f"wrote {', '.join(p.name for p in written)} to {csv_dir}", highlight=False)
    views_asked = bool(by or against is not None or confusion_matrix or chart)
    if json_out:
        if views_asked:
            report["views"] = {t.key: t.records() for t in tables}
        # one line, through the C encoder (an indented dump takes Python's, seconds slower on
        # a corpus); `jq .` lays it out for reading
        print(json.dumps(report, ensure_ascii=False, allow_nan=False))
    elif markdown:
        print(markdown_tables(_shown(tables, names)) if views_asked else render_markdown(report))
    else:
        console = Console()
        terminal = console.is_terminal
        if views_asked:
            console.print(rich_tables(_shown(tables, names), terminal=terminal))
            if chart:
                console.print(label_chart(labels, terminal=terminal))
                for t in tables:
                    if t.key in ("weeks", "batches"):
                        console.print(trend_chart(t, terminal=terminal))
        else:
            console.print(render_rich(report, terminal=terminal))
    return 0


def _streamed_report(store: Store, plan: LoadPlan, names: list[str],
                     report_args: dict[str, Any], doc_rows: list[list[Any]] | None
                     ) -> dict[str, Any]:
    """The report built batch by batch, none of the documents kept: in worker processes
    when there are two batches or more (`agreement_parallel`), else here; `doc_rows`
    gets the `--by document` rows when given."""
    builder = ReportBuilder(names, **report_args)
    if len(plan.order) > BATCH:
        tally_in_workers(store, plan, builder, rows=doc_rows)
    else:
        for batch in unit_batches(store, plan):
            if doc_rows is not None:
                doc_rows.extend(document_rows(batch, names))
            builder.add(batch)
    return builder.result()


def _shown(tables: list[ViewTable], names: list[str]) -> list[ViewTable]:
    """Tables for people: the pair table as one matrix per measure, the confusion table as
    one grid per pair."""
    out: list[ViewTable] = []
    for t in tables:
        if t.key == "pairs":
            out += matrix_grids(t, names)
        elif t.key == "confusion":
            out += confusion_grids(t)
        else:
            out.append(t)
    return out
