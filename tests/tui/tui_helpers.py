"""Shared by the TUI tests: seeded databases, walking the cursor with real keys, DB rows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from textual.pilot import Pilot

from annotator.commands.common import open_store
from annotator.labelschema import LabelSchema
from annotator.store.models import Document
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.annotate import AnnotateScreen

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SEED_000 = "000_190ea0e51b7b56d2"
SEED_001 = "001_e33eb037d265ffba"


def run(coro: Coroutine[Any, Any, None]) -> None:
    """Run one Pilot scenario (the test suite has no asyncio plugin)."""
    asyncio.run(coro)


def seed_store(db: Path, names: list[str]) -> tuple[Store, LabelSchema]:
    """A fresh database holding the named seed articles, imported the way `import` does."""
    store, schema = open_store(str(db))
    files = [SEEDS / f"{n}.txt" for n in names]
    from annotator.commands.importing import import_paths

    summary = import_paths(store, schema, files)
    assert summary.added == len(files), summary
    return store, schema


def annotate_screen(pilot: Pilot) -> AnnotateScreen:
    screen = pilot.app.screen
    assert isinstance(screen, AnnotateScreen), type(screen)
    return screen


async def walk_to(pilot: Pilot, offset: int, limit: int = 2000) -> None:
    """Press Left (forward in Arabic) until the cursor token starts at `offset`.

    Left follows the screen, so this walks line by line; `offset` must start an Arabic
    token (inside a Latin run, Left goes back in reading order)."""
    screen = annotate_screen(pilot)
    for _ in range(limit):
        cur = screen.article.caret.cursor_range
        assert cur is not None
        if cur[0] == offset:
            return
        # Left moves forward in reading order in a right-to-left paragraph
        await pilot.press("left" if cur[0] < offset else "right")
    raise AssertionError(f"cursor never reached offset {offset}")


async def search_to(pilot: Pilot, query: str, offset: int) -> None:
    """Jump to the next hit of `query` with the `/` search (a few keys instead of walking),
    then close the bar and clear the selection: the cursor token starts at `offset`."""
    caret = annotate_screen(pilot).article.caret
    await pilot.press("slash", *query, "enter")
    await pilot.pause()
    assert caret.selection is not None and caret.selection[0] == offset, caret.selection
    await pilot.press("escape", "escape")  # close the search bar, then clear the selection
    await pilot.pause()
    cur = caret.cursor_range
    assert caret.selection is None and cur is not None and cur[0] == offset, cur


@asynccontextmanager
async def opened_at(
    app: AnnotatorApp,
    store: Store,
    external_id: str,
    word_or_offset: str | int | None = None,
    *,
    via: Literal["walk", "search"] | None = "walk",
    size: tuple[int, int] = (100, 30),
) -> AsyncIterator[tuple[Pilot, Document, int | None]]:
    """Run `app` (opened on `external_id`) and yield (pilot, document, offset).

    `word_or_offset` is a text offset or a word whose first occurrence gives it; the cursor
    is brought there with real keys: Left/Right (`via="walk"`), the `/` search
    (`via="search"`, the offset must be the word's first hit), or not at all (`via=None`)."""
    doc = store.document_by_external_id(external_id)
    assert doc is not None, external_id
    offset = doc.text.index(word_or_offset) if isinstance(word_or_offset, str) else word_or_offset
    async with app.run_test(size=size) as pilot:
        assert annotate_screen(pilot).doc_id == doc.id
        if offset is not None and via == "walk":
            await walk_to(pilot, offset)
        elif offset is not None and via == "search":
            assert isinstance(word_or_offset, str), "search needs the word"
            await search_to(pilot, word_or_offset, offset)
        yield pilot, doc, offset


def span_rows(store: Store, doc_id: int, user: str) -> list[tuple[int, int, str, str]]:
    text = store.document(doc_id).text
    return [(s.start, s.end, s.label, text[s.start:s.end]) for s in store.spans(doc_id, user)]


@asynccontextmanager
async def adjudicate_running(
    store: Store, schema: LabelSchema, user: str = "carol", size: tuple[int, int] = (120, 36)
) -> AsyncIterator[Pilot]:
    """Run the adjudicate app as `user`; yield the pilot once the screen has settled (the
    corpus counted by its worker)."""
    from annotator.tui.context import Session
    from annotator.tui.screens.adjudicate import AdjudicateApp

    app = AdjudicateApp(Session(store, schema, user, "app"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot
