"""Adjudicate open time: 2,000 adjudicable documents in a temporary database.

Prints the time from creating the adjudicate app to its first frame being drawn (the
first document and its disagreements shown, the corpus still being counted), then to the
corpus-wide count being in the header (computed by a worker thread), and the time of `n`
onto a document not loaded yet. (Before the counting worker, the screen loaded every
document before its first frame: 4.5 s for 2,000 documents.)
The corpus is the tests' disputed document (five disagreements) copied with bulk inserts.

    .venv/bin/python benchmarks/adjudicate_open.py [--docs 2000]

Target: first screen <= 0.5 s whatever the corpus size.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from annotator.commands.common import open_store
from annotator.tui.context import Session
from annotator.tui.screens.adjudicate import AdjudicateApp, AdjudicateScreen

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from adjudication_example import add_disputed_corpus  # noqa: E402


async def measure(session: Session) -> None:
    marks: dict[str, float] = {}
    drawn = AdjudicateScreen._start_count  # called once the first frame is drawn
    counted = AdjudicateScreen.on_adjudicate_screen_corpus_counted

    def on_drawn(screen: AdjudicateScreen) -> None:
        marks.setdefault("drawn", time.perf_counter())
        marks["header"] = str(screen.query_one("#adj-header").render()).strip()  # type: ignore
        drawn(screen)

    def on_counted(screen: AdjudicateScreen, message: AdjudicateScreen.CorpusCounted) -> None:
        counted(screen, message)
        marks.setdefault("counted", time.perf_counter())

    AdjudicateScreen._start_count = on_drawn  # type: ignore[method-assign]
    AdjudicateScreen.on_adjudicate_screen_corpus_counted = on_counted  # type: ignore
    t0 = time.perf_counter()
    app = AdjudicateApp(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdjudicateScreen)
        print(f"first screen: {(marks['drawn'] - t0) * 1000:8.1f} ms   header: {marks['header']}")
        header = str(screen.query_one("#adj-header").render()).strip()
        print(f"corpus count: {(marks['counted'] - t0) * 1000:8.1f} ms   header: {header}")
        items = len(screen.state.items) if screen.state else 0
        await pilot.press(*"n" * max(0, items - 1))
        t = time.perf_counter()
        await pilot.press("n")  # onto the second document, loaded now
        print(f"n onto the next document: {(time.perf_counter() - t) * 1000:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store, schema = open_store(str(Path(tmp) / "bench.db"))
        add_disputed_corpus(store, args.docs)
        store.set_role("carol", "adjudicator")
        print(f"corpus: {args.docs:,} adjudicable documents "
              f"(built in {time.perf_counter() - t0:.1f} s)")
        asyncio.run(measure(Session(store, schema, "carol", "app")))
        store.close()


if __name__ == "__main__":
    main()
