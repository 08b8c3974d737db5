"""Documents list open time at 10,000 and 100,000 documents (issue 10, part 7).

Builds each corpus in a temporary SQLite file with raw SQL inserts (documents with an
Arabic title, a URL as external id, a ~3 KB text, this user's assignments on a tenth of
them; the list needs no sentences), then measures, in the same run:

* the baseline: a raw ``SELECT id, external_id, title FROM document LIMIT 50``;
* an empty app: the annotate app's framework alone (a DataTable, no store), first frame;
* the documents list's first frame (the annotate app started on the list), and a
  filter typed on it (an Arabic word with a hamza variant): from the end of typing to
  its first page shown.

Each figure is the best of 5 runs (the machine may be busy), printed as a ratio against
the baseline (the project's rule: no absolute times in the output); the first frame also
against the empty app's, and against the same list's first frame on a 100-document corpus
(about 1x: opening does not grow with the corpus; the rest of the first frame is the app's
own start).

    .venv/bin/python benchmarks/documents_list.py [--sizes 10000,100000]

Target: the list's first frame <= 0.5 s at 100,000 documents (before: 23-25 s at 30,000).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from annotator.labelschema import load_schema
from annotator.store.doc_list import list_key
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session
from annotator.tui.screens.documents import DocumentsScreen

USER = "alice"
WORDS = ("الأمن", "المغرب", "وزير", "الداخلية", "مكافحة", "الإرهاب", "تفكيك", "خلية",
         "إرهابية", "التعاون", "الدولي", "الرباط", "مؤتمر", "الساحل", "الحدود", "الشرطة")
PARAGRAPH = ("قال وزير الداخلية إن التعاون الأمني بين البلدين مستمر، وإن الأجهزة الأمنية "
             "تمكنت من تفكيك خلية إرهابية تنشط في عدة مدن. ")


def build_corpus(path: Path, n: int, seed: int = 7) -> None:
    """n documents (and alice's assignments on a tenth) with raw SQL inserts."""
    Store.open(str(path), label_checker=load_schema()).close()  # the schema, migrated
    rng = random.Random(seed)
    text = PARAGRAPH * 22  # ~3 KB of UTF-8: rows overflow a page, as real articles do
    now = datetime.now(UTC).replace(tzinfo=None)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("INSERT INTO annotator (name, role) VALUES (?, 'annotator')", (USER,))
    (ann_id,) = conn.execute("SELECT id FROM annotator WHERE name = ?", (USER,)).fetchone()
    rows = []
    for i in range(n):
        eid = f"https://www.hespress.com/politique/{2020 + i % 5}/news-{i:07d}.html"
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9)))
        body = f"{title}\n{text}{i}"
        rows.append((eid, title, body, hashlib.sha256(body.encode()).hexdigest(),
                     "{}", now.isoformat(" "), list_key(eid, title)))
    conn.executemany("INSERT INTO document (external_id, title, text, sha256, meta, "
                     "created_at, list_key) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    statuses = ("in_progress", "done")
    conn.executemany(
        "INSERT INTO assignment (document_id, annotator_id, status, updated_at) "
        "VALUES (?, ?, ?, ?)",
        [(d, ann_id, statuses[d // 10 % 2], (now - timedelta(minutes=d)).isoformat(" "))
         for d in range(1, n + 1, 10)])
    conn.commit()
    conn.close()


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def baseline(path: Path) -> float:
    def query() -> None:
        conn = sqlite3.connect(path)
        conn.execute("SELECT id, external_id, title FROM document LIMIT 50").fetchall()
        conn.close()
    return best(query, 20)


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def first_frame(make: Callable[[], App[None]]) -> float:
    t0 = time.perf_counter()
    async with make().run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        return time.perf_counter() - t0


async def list_times(path: Path) -> tuple[float, float, int, int]:
    """(first frame, filter shown, rows shown, documents the filter keeps)."""
    store = Store.open(str(path), label_checker=load_schema())
    try:
        session = Session(store, load_schema(), USER, "app")
        t0 = time.perf_counter()
        app = AnnotatorApp(session, start_doc=None)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            opened = time.perf_counter() - t0
            screen = app.screen
            assert isinstance(screen, DocumentsScreen) and screen.rows
            shown = len(screen.rows)
            await pilot.press("slash", *"ارهابيه")  # finds إرهابية (hamza, ta marbuta)
            t1 = time.perf_counter()
            screen.apply_filter_now()  # as when typing pauses
            await app.workers.wait_for_complete()
            await pilot.pause()
            filtered = time.perf_counter() - t1
            return opened, filtered, shown, screen.total
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "docs-100.db"
        build_corpus(tiny, 100)
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"docs-{n}.db"
            build_corpus(path, n)
            base = baseline(path)
            empty = min(asyncio.run(first_frame(EmptyApp)) for _ in range(5))
            runs = [asyncio.run(list_times(path)) for _ in range(5)]
            small = min(asyncio.run(list_times(tiny))[0] for _ in range(5))
            opened = min(r[0] for r in runs)
            filtered = min(r[1] for r in runs)
            print(f"{n:>7,} documents: first frame {opened / base:6.0f}x baseline "
                  f"({opened / empty:4.2f}x an empty app's first frame, "
                  f"{opened / small:4.2f}x the list's at 100 documents); "
                  f"filter typed and shown {filtered / base:6.0f}x baseline "
                  f"({runs[0][3]:,} match, {runs[0][2]} rows on the page)")
            path.unlink()


if __name__ == "__main__":
    main()
