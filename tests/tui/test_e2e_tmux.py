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
    wait_for(lambda: "sent" in tmux("capture-pane", "-p", "-t", name),  # "sent." < 90 cols
             what="the annotate screen")
    for _ in range(lefts):  # Left goes forward in reading order
        tmux("send-keys", "-t", name, "Left")
    tmux("send-keys", "-t", name, "S-Left", "S-Left", "1")
    # -e: a plain capture may stop at the «» quoting the span's text (a tmux quirk)
    wait_for(lambda: "saved PERS" in tmux("capture-pane", "-p", "-e", "-t", name),
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


@pytest.mark.xfail(reason="under pytest the tmux-hosted app shows a blank list after "
                   "resize-window (not reproduced by hand in tmux, nor in the Pilot resize "
                   "tests of test_reflow.py): cause not found yet", strict=False)
def test_documents_list_survives_a_live_resize_in_tmux(tmux_session: tuple[str, Path]) -> None:
    """120 -> 60 -> 200 columns with `tmux resize-window`: every row keeps its status and
    counts on screen, the titles keep their beginning, long ids are cut in the middle."""
    from annotator.tui.columns import middle_cut
    from annotator.tui.layout import one_line

    name, db = tmux_session
    store, _ = seed_store(db, [SEED_000])
    url = "https://www.example-news.ma/politique/2022/03/30/alliance-securitaire-dubai"
    store.add_document(external_id=url, title="تحالف أمني دولي لمكافحة الإرهاب في الساحل",
                       text="قال الوزير إن التعاون مستمر.", sentences=[])
    titles = [d.title for d in (store.document_by_external_id(e) for e in (SEED_000, url))
              if d is not None]
    store.close()
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "30",
         "-e", f"ANNOTATOR_DB={db}", "-e", "ANNOTATOR_USER=alice",
         f"{annotator_command()} annotate")

    def rows() -> list[str]:
        screen = tmux("capture-pane", "-p", "-t", name).splitlines()
        return [line for line in screen if line.rstrip().endswith("new              0       0")]

    def first_words_shown() -> bool:
        shown = rows()
        return len(shown) == 2 and all(
            any(one_line(t.split()[0], 20, "app") in line for line in shown) for t in titles)

    wait_for(first_words_shown, what="the documents list at 120 columns")
    for width, height in ((60, 20), (200, 50), (60, 20)):
        tmux("resize-window", "-t", name, "-x", str(width), "-y", str(height))

        def reflowed(width: int = width) -> bool:
            shown = rows()
            return first_words_shown() and all(len(line) <= width for line in shown)

        wait_for(reflowed, what=f"the documents list at {width} columns")
    narrow = "\n".join(rows())
    assert url not in narrow and "https" not in narrow  # cut in the middle at 60 columns
    assert any(middle_cut(url, n) in narrow for n in range(6, 30))
    tmux("send-keys", "-t", name, "q")
