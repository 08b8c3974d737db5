"""A team's day in processes: annotators saving, an adjudicator deciding, `--auto` merging.

Used by the multi-process test (tests/unit/test_team_day.py) and by
benchmarks/contention.py. Each annotator process keeps its own record of what its saves
did (from what the store returned), so the test can compare it with the database; each
process reports its errors and the latency of every save.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.store.retry import retrying

ENTITY_LABELS = ("PERS", "ORG", "GPE")
EVENT_LABELS = ("MEET", "VISIT", "STATEMENT")
Unit = tuple[str, int | None, int | None]
DOC_UNIT: Unit = ("document", None, None)


@dataclass
class Mirror:
    """What one annotator believes is saved, per document."""

    spans: dict[int, set[tuple[int, int, str]]] = field(default_factory=dict)
    events: dict[int, dict[Unit, set[str]]] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)

    def touch(self, doc: int) -> None:
        if self.status.get(doc, "new") == "new":
            self.status[doc] = "in_progress"

    def replay(self, kind: str, payload: dict[str, Any], doc: int, *, inverse: bool) -> None:
        """Mirror an undo (inverse) or redo of a stored action."""
        if kind in ("add_span", "remove_span"):
            sp = payload["span"]
            key = (sp["start"], sp["end"], sp["label"])
            if (kind == "add_span") != inverse:
                self.spans.setdefault(doc, set()).add(key)
            else:
                self.spans.setdefault(doc, set()).discard(key)
        elif kind == "set_events":
            unit = (payload["scope"], payload["start"], payload["end"])
            self.events.setdefault(doc, {})[unit] = set(
                payload["before"] if inverse else payload["after"])
        elif kind == "set_status":
            self.status[doc] = payload["before"] if inverse else payload["after"]


@dataclass
class Outcome:
    name: str
    mirror: Mirror
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # seconds, one per save
    refused: int = 0  # refusals the product makes on purpose (a stale view)
    done: int = 0  # actions or decisions completed


def _timed(out: Outcome, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    try:
        return retrying(fn)
    finally:
        out.latencies.append(time.perf_counter() - t0)


def annotator_process(db: str, name: str, seed: int, n_actions: int, doc_ids: list[int],
                      length: int) -> Outcome:
    """`n_actions` mixed saves by `name` on random documents of `doc_ids`."""
    from annotator.labelschema import load_schema
    from annotator.store.service import Store

    rng = random.Random(seed)
    out = Outcome(name, Mirror())
    m = out.mirror
    store = Store.open(db, label_checker=load_schema())
    try:
        for _ in range(n_actions):
            doc = rng.choice(doc_ids)
            roll = rng.random()
            try:
                if roll < 0.40:
                    # a few likely places, so that annotators often agree (gold takes it)
                    start = rng.choice(range(0, length - 12, max(1, length // 8)))
                    end = start + rng.choice((4, 7))
                    label = rng.choice(ENTITY_LABELS)
                    span = _timed(out, lambda d=doc, s=start, e=end, lab=label:
                                  store.add_span(d, name, s, e, lab))
                    if span is not None:
                        m.spans.setdefault(doc, set()).add((start, end, label))
                        m.touch(doc)
                elif roll < 0.55:
                    mine = sorted(m.spans.get(doc, ()))
                    if not mine:
                        continue
                    target = rng.choice(mine)
                    ids = [s.id for s in store.spans(doc, name)
                           if (s.start, s.end, s.label) == target]
                    if not ids:
                        out.errors.append(f"{name}: span {target} on {doc} is missing")
                        continue
                    if _timed(out, lambda i=ids[0]: store.remove_span(i, name)):
                        m.spans[doc].discard(target)
                        m.touch(doc)
                elif roll < 0.70:
                    labels = sorted(rng.sample(EVENT_LABELS, rng.randint(0, 2)))
                    if _timed(out, lambda d=doc, labs=labels:
                              store.set_events(d, name, "document", labs)):
                        m.events.setdefault(doc, {})[DOC_UNIT] = set(labels)
                        m.touch(doc)
                elif roll < 0.85:
                    status = "done" if rng.random() < 0.7 else "in_progress"
                    if _timed(out, lambda d=doc, st=status: store.set_status(d, name, st)):
                        m.status[doc] = status
                else:
                    undo = roll < 0.95
                    step = store.undo if undo else store.redo
                    action = _timed(out, lambda d=doc, f=step: f(d, name))
                    if action is not None:
                        m.replay(action.kind, action.payload, doc, inverse=undo)
                out.done += 1
            except Exception as exc:  # noqa: BLE001 (every failure is counted and reported)
                out.errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
    except Exception:  # noqa: BLE001
        out.errors.append(traceback.format_exc()[-500:])
    finally:
        store.close()
    return out


def adjudicator_process(db: str, name: str, seed: int, until: Any) -> Outcome:
    """Decide open disagreements (as the screen does: load, then decide on what was
    seen) until `until` (an Event) is set."""
    from annotator.adjudication import choose, reject
    from annotator.labelschema import load_schema
    from annotator.store.gold import adjudicable_ids, decide, load_document
    from annotator.store.service import Store, StoreError

    rng = random.Random(seed)
    out = Outcome(name, Mirror())
    store = Store.open(db, label_checker=load_schema())
    try:
        while not until.is_set():
            ids = adjudicable_ids(store)
            if not ids:
                time.sleep(0.05)
                continue
            doc = rng.choice(ids)
            try:
                state = retrying(lambda d=doc: load_document(store, d, merge_by=name))
                if state is None:
                    continue
                open_items = [i for i in state.items if i.key not in state.decisions]
                if not open_items:
                    continue
                item = rng.choice(open_items)
                outcome = reject(item) if rng.random() < 0.3 else choose(item, [0])
                seen = state.decisions.get(item.key)
                _timed(out, lambda d=doc, o=outcome, v=seen: decide(store, d, name, o, seen=v))
                out.done += 1
            except StoreError:
                out.refused += 1  # the work changed under the decision: refused on purpose
            except Exception as exc:  # noqa: BLE001
                out.errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
    finally:
        store.close()
    return out


def auto_process(db: str, name: str, until: Any) -> Outcome:
    """Run `adjudicate --auto` again and again until `until` is set (at least once)."""
    from annotator.labelschema import load_schema
    from annotator.store.gold import auto_merge
    from annotator.store.service import Store

    out = Outcome(name, Mirror())
    store = Store.open(db, label_checker=load_schema())
    try:
        while True:
            try:
                auto_merge(store, by=name)
                out.done += 1
            except Exception as exc:  # noqa: BLE001
                out.errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            if until.is_set():
                break
    finally:
        store.close()
    return out
