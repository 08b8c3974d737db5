"""The agreement report's batches tallied in worker processes, side by side.

Reading a batch of documents, tokenizing it and tallying it (disagreements, span columns,
pair matches, event units) is most of the report's time, and each batch stands alone.
With two batches or more, WORKERS forked processes each take a batch at a time: read it
through a database connection of their own, tally it, and send the tally back
(`agreement.batch.BatchTally`: arrays and counts, never the batch's spans); this process
merges the tallies in document order, so the report is the one a single process builds.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from annotator.agreement.batch import BatchTally, tally_batch
from annotator.agreement.report import ReportBuilder
from annotator.commands.agreement_load import LoadPlan, batch_table, tokenize
from annotator.store.bulk import BATCH
from annotator.store.service import Store
from annotator.text.token_arrays import token_arrays

WORKERS = 2
IN_FLIGHT = 2 * WORKERS  # batches handed out and not merged yet, at the most

# the worker's own store (its own connections), opened on its first batch
_STORES: dict[str, Store] = {}


def _tally(url: str, names: list[str], limit: int | None, wanted: dict[str, int],
           ids: list[int], done: dict[int, list[str]], rows: bool, floor: int) -> BatchTally:
    """Read, tokenize and tally one batch (in a worker process)."""
    store = _STORES.get(url)
    if store is None:
        store = _STORES[url] = Store.open(url)
    with store.engine.connect() as conn:
        units, table = batch_table(conn, ids, done, wanted, names)
    tokenize(units)
    return tally_batch(units, names, limit, table, rows=rows, floor=floor)


def tally_in_workers(store: Store, plan: LoadPlan, builder: ReportBuilder, *,
                     rows: list[list[Any]] | None = None, batch: int = BATCH) -> None:
    """Every batch of the plan tallied in WORKERS processes and merged into `builder` in
    order; with `rows`, each batch's `--by document` rows are added to it."""
    url = store.engine.url.render_as_string(hide_password=False)
    token_arrays([])  # the tokenizer's class table, built once here for both workers
    flying: deque[Future[BatchTally]] = deque()

    def merge_oldest() -> None:
        done = flying.popleft().result()
        if rows is not None:
            rows.extend(done.document_rows)
        done.document_rows = []
        builder.merge(done)

    with ProcessPoolExecutor(WORKERS, mp_context=get_context("fork")) as pool:
        try:
            for lo in range(0, len(plan.order), batch):
                ids = plan.order[lo:lo + batch]
                flying.append(pool.submit(
                    _tally, url, builder.annotators, builder.max_disagreements,
                    plan.wanted, ids, {i: plan.done[i] for i in ids}, rows is not None,
                    builder.disagreements.least_listed()))
                while len(flying) > IN_FLIGHT:
                    merge_oldest()
            while flying:
                merge_oldest()
        except BaseException:
            for future in flying:
                future.cancel()
            raise
