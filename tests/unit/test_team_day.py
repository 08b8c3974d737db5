"""A team's day on one database: 8 annotator processes × 300 mixed saves, an adjudicator
deciding and `adjudicate --auto` merging, all at once. Nothing fails, nothing is lost,
every process's record of its saves is the database, gold has no duplicates and every
gold item is still held by the annotators its provenance names."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter

from adjudication_example import SENTENCES, TEXT
from sqlalchemy import text as sql
from team_day import DOC_UNIT, adjudicator_process, annotator_process, auto_process

from annotator.adjudication import choose
from annotator.labelschema import load_schema
from annotator.store.gold import adjudicable_ids, auto_merge, decide, load_document
from annotator.store.models import GOLD
from annotator.store.service import Store

ANNOTATORS = 8
ACTIONS = int(os.environ.get("ANNOTATOR_TEAM_ACTIONS", "300"))
DOCUMENTS = 24


def _corpus(db: str) -> list[int]:
    store = Store.open(db, label_checker=load_schema())
    try:
        ids = []
        for i in range(DOCUMENTS):
            doc, _ = store.add_document(external_id=f"t{i:03d}", title="", text=f"{TEXT} {i}",
                                        sentences=SENTENCES)
            assert doc.id is not None
            ids.append(doc.id)
        store.set_role("carol", "adjudicator")
        store.set_role("dave", "adjudicator")
        return ids
    finally:
        store.close()


def test_a_team_day(databases) -> None:  # noqa: ANN001 (conftest fixture)
    db = databases.new("team")
    ids = _corpus(db)
    ctx = multiprocessing.get_context("spawn")
    names = [f"ann{i}" for i in range(ANNOTATORS)]
    with ctx.Manager() as manager, ctx.Pool(ANNOTATORS + 2) as pool:
        over = manager.Event()  # the annotators have stopped: the others stop too
        judge = pool.apply_async(adjudicator_process, (db, "carol", 99, over))
        auto = pool.apply_async(auto_process, (db, "dave", over))
        jobs = [pool.apply_async(annotator_process, (db, n, i, ACTIONS, ids, len(TEXT)))
                for i, n in enumerate(names)]
        outcomes = [j.get(timeout=600) for j in jobs]
        over.set()
        extra = [judge.get(timeout=600), auto.get(timeout=600)]

    errors = [e for o in outcomes + extra for e in o.errors]
    assert errors == []
    assert sum(o.done for o in outcomes) > ANNOTATORS * ACTIONS * 0.8
    assert extra[0].done > 0 and extra[1].done > 0  # decisions were made, auto ran

    store = Store.open(db)
    try:
        for o in outcomes:  # every process's record of its saves is what is stored
            for doc in ids:
                stored = {(s.start, s.end, s.label) for s in store.spans(doc, o.name)}
                assert stored == o.mirror.spans.get(doc, set()), (o.name, doc)
                events = {e.label for e in store.events(doc, o.name)}
                assert events == o.mirror.events.get(doc, {}).get(DOC_UNIT, set())
                assert store.status(doc, o.name) == o.mirror.status.get(doc, "new")
        with store.engine.connect() as conn:
            dup_events = conn.execute(sql(
                "SELECT COUNT(*) FROM (SELECT 1 FROM eventlabel GROUP BY document_id, "
                "annotator_id, scope, COALESCE(start, -1), COALESCE(\"end\", -1), label "
                "HAVING COUNT(*) > 1) d")).scalar()
            dup_spans = conn.execute(sql(
                "SELECT COUNT(*) FROM (SELECT 1 FROM span GROUP BY document_id, "
                "annotator_id, start, \"end\", label HAVING COUNT(*) > 1) d")).scalar()
        assert dup_events == 0 and dup_spans == 0
        _gold_is_held(store, ids)  # what the day left in gold stands
        # the day is over: carol settles every open item and --auto runs once more; what
        # gold then holds must stand too (and there is some)
        for doc in adjudicable_ids(store):
            state = load_document(store, doc, merge_by="carol")
            for item in state.items if state else ():
                if item.key not in state.decisions:
                    decide(store, doc, "carol", choose(item, [0]))
        auto_merge(store, by="dave")
        assert _gold_is_held(store, ids) > 0
    finally:
        store.close()


def _gold_is_held(store: Store, ids: list[int]) -> int:
    """Every annotator a gold item's provenance names holds that item; return how many
    (item, annotator) pairs were checked."""
    held = 0
    for doc in ids:
        for span in store.spans(doc, GOLD):
            for name in (span.provenance or {}).get("annotators", []):
                mine = {(s.start, s.end, s.label) for s in store.spans(doc, name)}
                assert (span.start, span.end, span.label) in mine, (doc, name, span)
                held += 1
        for ev in store.events(doc, GOLD):
            for name in (ev.provenance or {}).get("annotators", []):
                theirs = Counter((e.label, e.scope, e.start) for e in store.events(doc, name))
                assert theirs[(ev.label, ev.scope, ev.start)] == 1, (doc, name, ev)
                held += 1
    return held
