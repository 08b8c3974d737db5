"""End to end: the installed `annotator` in a real terminal (tmux), keys in, a row out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tui_helpers import SEED_000, seed_store

from annotator.store.service import Store
from annotator.text.segment import split_tokens

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")
PERSON = "عبد الوافي لفتيت"


def annotator_command() -> str:
    exe = Path(sys.executable).with_name("annotator")
    return str(exe) if exe.exists() else "annotator"


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def tmux_session(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    name = f"annotator-e2e-{os.getpid()}"
    db = tmp_path / "e2e.db"
    yield name, db
    subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True)


def tmux(*args: str) -> str:
    assert TMUX is not None
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=True).stdout


def test_mark_person_in_tmux(tmux_session: tuple[str, Path]) -> None:
    name, db = tmux_session
    store, _ = seed_store(db, [SEED_000])
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None and doc.id is not None
    start = doc.text.index(PERSON)
    lefts = [s for s, _ in split_tokens(doc.text)].index(start)
    store.close()

    command = f"{annotator_command()} annotate --doc {SEED_000}"
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30",
         "-e", f"ANNOTATOR_DB={db}", "-e", "ANNOTATOR_USER=alice", command)
    wait_for(lambda: "sentence" in tmux("capture-pane", "-p", "-t", name),
             what="the annotate screen")
    for _ in range(lefts):  # Left goes forward in reading order
        tmux("send-keys", "-t", name, "Left")
    tmux("send-keys", "-t", name, "S-Left", "S-Left", "1")
    wait_for(lambda: "saved PERS" in tmux("capture-pane", "-p", "-t", name),
             what="the saved notice")
    tmux("send-keys", "-t", name, "q")

    def gone() -> bool:
        result = subprocess.run([TMUX, "has-session", "-t", name], capture_output=True)
        return result.returncode != 0

    wait_for(gone, what="the app to quit")
    store = Store.open(str(db))
    try:
        rows = [(s.start, s.end, s.label, doc.text[s.start:s.end])
                for s in store.spans(doc.id, "alice")]
    finally:
        store.close()
    assert rows == [(start, start + len(PERSON), "PERS", PERSON)]
