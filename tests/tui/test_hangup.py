"""The terminal going away (ssh dropped, tmux killed) ends the app even when no hangup
signal reaches it (under `make annotate`, make takes the signal): a check every second."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import SEED_000, run, seed_store

from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session


def test_the_app_leaves_when_its_terminal_is_no_terminal(tmp_path: Path) -> None:
    store, schema = seed_store(tmp_path / "h.db", [SEED_000])
    app = AnnotatorApp(Session(store, schema, "alice", "app"))
    left: list[bool] = []

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            assert app._terminal is None  # headless: no terminal to watch
            app.quit_if_hung_up()
            assert not left
            with (tmp_path / "not-a-tty").open("w") as f:
                app._terminal = f.fileno()  # what a hung-up terminal looks like: no tty
                app.exit = lambda *a, **k: left.append(True)  # type: ignore[method-assign]
                app.quit_if_hung_up()
            await pilot.pause()

    try:
        run(scenario())
    finally:
        store.close()
    assert left == [True]
