"""TUI latency: a 50,000-character article with 2,000 spans in a temporary database.

Prints the median and p95 milliseconds of a cursor move (Left) and of a label keystroke
(1), each measured in a headless `run_test` app from the key event being sent to the
action having run and the changed lines having been drawn; and the article layout time at
80 and 200 columns (the work done on a resize).

    .venv/bin/python benchmarks/tui_latency.py [--moves 300] [--labels 100]

Targets: median <= 16 ms, p95 <= 33 ms, layout <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from textual import events

from annotator.commands.common import open_store
from annotator.store.service import Store
from annotator.text.segment import split_sentences, split_tokens
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session
from annotator.tui.layout import layout_article
from annotator.tui.screens.annotate import AnnotateScreen

REPO = Path(__file__).resolve().parents[1]
TARGET_CHARS = 50_000
N_SPANS = 2_000
USER = "bench"


def build_article() -> str:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    parts: list[str] = []
    total = 0
    while total < TARGET_CHARS:
        for f in seeds:
            body = f.read_text(encoding="utf-8").strip()
            parts.append(body)
            total += len(body) + 2
            if total >= TARGET_CHARS:
                break
    return "\n\n".join(parts)[:TARGET_CHARS]


def build_db(db: Path) -> tuple[Store, Any, int, str]:
    store, schema = open_store(str(db))
    text = build_article()
    doc, _ = store.add_document(external_id="bench", title="bench", text=text,
                                sentences=split_sentences(text))
    assert doc.id is not None
    tokens = split_tokens(text)
    step = max(1, len(tokens) // N_SPANS)
    names = schema.entity_names()
    spans = [(s, e, names[i % len(names)])
             for i, (s, e) in enumerate(tokens[::step][:N_SPANS])]
    store.import_annotations(doc.id, USER, spans, [], status="in_progress")
    return store, schema, doc.id, text


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(store: Store, schema: Any, doc_id: int, moves: int, labels: int
                  ) -> tuple[list[float], list[float]]:
    app = AnnotatorApp(Session(store, schema, USER, "app"), start_doc=doc_id)
    move_ms: list[float] = []
    label_ms: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        done = asyncio.Event()

        def signalling(method: Callable[..., None]) -> Callable[..., None]:
            @wraps(method)
            def wrapper(*args: Any) -> None:
                method(*args)
                done.set()
            return wrapper

        screen.action_move_token = signalling(screen.action_move_token)  # type: ignore
        screen.action_label_entity = signalling(screen.action_label_entity)  # type: ignore

        async def timed(key: str, char: str | None) -> float:
            done.clear()
            t0 = time.perf_counter()
            assert app._driver is not None
            app._driver.send_message(events.Key(key, char))
            await done.wait()
            screen._on_timer_update()  # compose and draw what changed, now
            return (time.perf_counter() - t0) * 1000

        for _ in range(moves):
            move_ms.append(await timed("left", None))
        for _ in range(labels):
            await pilot.press("left")
            label_ms.append(await timed("1", "1"))
        await pilot.pause()
    return move_ms, label_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--labels", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store, schema, doc_id, text = build_db(Path(tmp) / "bench.db")
        print(f"article: {len(text):,} characters, {len(store.spans(doc_id, USER)):,} spans "
              f"(built in {time.perf_counter() - t0:.1f} s)")
        for width in (80, 200):
            # the first layout at a width is the real cost (later calls may be cached)
            t = time.perf_counter()
            layout = layout_article(text, width, "app")
            ms = (time.perf_counter() - t) * 1000
            print(f"layout at {width:>3} columns: {ms:7.1f} ms ({len(layout.lines):,} lines)")
        move_ms, label_ms = asyncio.run(measure(store, schema, doc_id, args.moves, args.labels))
        for name, values in (("cursor move", move_ms), ("label keystroke", label_ms)):
            print(f"{name:>15}: median {statistics.median(values):6.2f} ms   "
                  f"p95 {pct(values, 0.95):6.2f} ms   (n={len(values)})")
        store.close()


if __name__ == "__main__":
    main()
