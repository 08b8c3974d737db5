"""`annotator annotate`: argument checks, seeds on a fresh database, the bidi driver."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.commands.annotate import import_seeds_if_empty, run_annotate
from annotator.commands.common import open_store
from annotator.errors import PermissionDenied, UsageError
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


def test_unknown_document_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no document"):
        run_annotate(str(tmp_path / "a.db"), user="alice", doc="nope")


def test_fresh_database_gets_the_seeds_once(tmp_path: Path) -> None:
    store, schema = open_store(str(tmp_path / "a.db"))
    try:
        added = import_seeds_if_empty(store, schema)
        n_seeds = len(list((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt")))
        assert added == n_seeds == store.count_documents()
        assert import_seeds_if_empty(store, schema) == 0  # not empty any more
        assert store.document_by_external_id("000_190ea0e51b7b56d2") is not None
    finally:
        store.close()


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
