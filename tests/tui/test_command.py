"""`annotator annotate`: argument checks, no demo data in an empty database, the bidi driver."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tui_helpers import SEED_000, seed_store

from annotator.commands.annotate import run_annotate
from annotator.commands.common import open_store
from annotator.errors import AnnotatorError, PermissionDenied, UsageError
from annotator.tui import driver as driver_module
from annotator.tui.driver import BIDI_EXPLICIT, BIDI_IMPLICIT, BidiAppDriver


def test_invalid_bidi_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--bidi"):
        run_annotate(str(tmp_path / "a.db"), user="alice", bidi="sideways")
    assert not (tmp_path / "a.db").exists()  # rejected before touching the database


def test_gold_cannot_annotate(tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="reserved"):
        run_annotate(str(tmp_path / "a.db"), user="gold")
    assert not (tmp_path / "a.db").exists()


def test_negative_max_width_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--max-width"):
        run_annotate(str(tmp_path / "a.db"), user="alice", max_width=-5)
    assert not (tmp_path / "a.db").exists()


def test_unknown_document_is_a_usage_error(tmp_path: Path) -> None:
    seed_store(tmp_path / "a.db", [SEED_000])[0].close()
    with pytest.raises(UsageError, match="no document"):
        run_annotate(str(tmp_path / "a.db"), user="alice", doc="nope")


def test_mistyped_database_path_is_refused_and_not_created(tmp_path: Path) -> None:
    typo = tmp_path / "anotations.db"
    with pytest.raises(AnnotatorError, match="no database at .*anotations.db") as caught:
        run_annotate(str(typo), user="alice")
    assert "import seeds/" in str(caught.value) and "\n" not in str(caught.value)
    assert not typo.exists()  # no file, and so no demo articles in it


def test_empty_database_gets_no_demo_articles(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    open_store(str(db))[0].close()  # a database that exists but holds no document
    with pytest.raises(AnnotatorError, match="holds no documents: import articles first"):
        run_annotate(str(db), user="alice")
    store, _ = open_store(str(db))
    try:
        assert store.count_documents() == 0
    finally:
        store.close()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_annotate_imports_the_seeds_explicitly(tmp_path: Path) -> None:
    """`make annotate` on a fresh database imports seeds/ itself, then opens the TUI (here
    refused by an unknown --doc, so it exits at once); on a database with documents it
    imports nothing."""
    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "fresh.db"
    env = {**os.environ, "ANNOTATOR_DB": str(db)}
    make = ["make", "-s", "-C", str(root), "-o", ".venv/.installed", "annotate",
            "ARGS=--user alice --doc nope"]
    done = subprocess.run(make, env=env, capture_output=True, text=True, timeout=120)
    assert "no document with external id 'nope'" in done.stderr, done.stderr
    n_seeds = len(list((root / "seeds").glob("*.txt")))
    store, _ = open_store(str(db))
    try:
        assert store.count_documents() == n_seeds
        assert store.document_by_external_id(SEED_000) is not None
    finally:
        store.close()
    again = subprocess.run(make, env=env, capture_output=True, text=True, timeout=120)
    assert "added" not in again.stdout  # not empty any more: nothing imported


def test_driver_turns_terminal_bidi_off_and_back_on(monkeypatch) -> None:
    written: list[str] = []
    calls: list[str] = []
    base = driver_module.LinuxDriver
    monkeypatch.setattr(base, "start_application_mode", lambda self: calls.append("start"))
    monkeypatch.setattr(base, "stop_application_mode", lambda self: calls.append("stop"))
    monkeypatch.setattr(base, "write", lambda self, data: written.append(data))
    monkeypatch.setattr(base, "flush", lambda self: None)
    drv = BidiAppDriver.__new__(BidiAppDriver)
    drv.start_application_mode()
    assert (calls, written) == (["start"], [BIDI_EXPLICIT])
    drv.stop_application_mode()
    # implicit mode is restored before the terminal leaves the alternate screen
    assert (calls, written) == (["start", "stop"], [BIDI_EXPLICIT, BIDI_IMPLICIT])
    assert BIDI_EXPLICIT == "\x1b[8l" and BIDI_IMPLICIT == "\x1b[8h"
