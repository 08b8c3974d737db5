"""The report built a batch of documents at a time equals the report built on all of them
at once (the command streams a corpus through `ReportBuilder`), and the loader's forked
tokenizer gives the tokens the loader computes itself."""

import json

import numpy as np
import pytest
from test_agreement_fast_paths import random_corpus

from annotator.agreement import build_report
from annotator.agreement.report import ReportBuilder
from annotator.commands.agreement_load import load_units, plan_units, unit_batches


def batched_report(docs, size, limit=1000):
    """The report built by `ReportBuilder`, `size` documents at a time."""
    builder = ReportBuilder(["a", "b", "c"], limit)
    for i in range(0, len(docs), size):
        builder.add(docs[i:i + size])
    return builder.result()


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("size", [1, 3, 5])
@pytest.mark.parametrize("limit", [None, 4])
def test_batched_report_equals_whole(seed, size, limit):
    docs = random_corpus(seed, n_docs=13)
    whole = build_report(docs, ["a", "b", "c"], max_disagreements=limit)
    parts = batched_report(docs, size, limit)
    assert json.dumps(parts, sort_keys=True) == json.dumps(whole, sort_keys=True)
    assert whole["spans_differing"] > 0  # the corpus has disagreements to list


def test_batched_report_labels_first_used_out_of_order():
    """Labels met in another order than sorted (C before A) tag and rank the same."""
    docs = random_corpus(3, n_docs=8)
    docs.sort(key=lambda d: -sum(s.label == "C" for w in d.work.values() for s in w.spans))
    parts = batched_report(docs, 2)
    assert parts == build_report(docs, ["a", "b", "c"])


def test_loaded_units_carry_the_token_split_tokens(store):
    """The loader's whole-batch tokens are `tokens_of`'s, whatever the batch size."""
    from adjudication_example import add_disputed_document

    from annotator.io.token_split import tokens_of

    add_disputed_document(store)
    here, names = load_units(store, None)
    one = [u for part in unit_batches(store, plan_units(store, None), batch=1) for u in part]
    assert names == ["alice", "bob"] and len(here) == len(one) == 1
    assert len(here[0].tokens) > 10
    assert here[0].tokens.tolist() == [list(t) for t in tokens_of(here[0].text)]
    assert np.array_equal(here[0].tokens, one[0].tokens)
    assert here[0].work == one[0].work and here[0].sentences == one[0].sentences


def test_batches_tallied_in_worker_processes_equal_the_serial_report(store):
    """Three documents, a batch each, tallied by the worker processes (each with a store
    of its own): the same report, and the same --by document rows, as here."""
    from adjudication_example import add_disputed_corpus

    from annotator.agreement.views import document_rows
    from annotator.commands.agreement_parallel import tally_in_workers

    add_disputed_corpus(store, 3)
    plan = plan_units(store, None)
    serial, serial_rows = ReportBuilder(plan.names, 2), []
    for part in unit_batches(store, plan, batch=1):
        serial_rows += document_rows(part, plan.names)
        serial.add(part)
    workers, worker_rows = ReportBuilder(plan.names, 2), []
    tally_in_workers(store, plan, workers, rows=worker_rows, batch=1)
    assert json.dumps(workers.result(), sort_keys=True) == \
        json.dumps(serial.result(), sort_keys=True)
    assert worker_rows == serial_rows and len(serial_rows) == 3
