"""No data lost: a killed process keeps what it committed; two writers on one file both land."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.store.service import Store

TEXT = "أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني بين المغرب وإسبانيا."

KILLED_WRITER = """
import os, signal, sys
from annotator.store.service import Store
store = Store.open(sys.argv[1])
doc = store.document_by_external_id("d1")
store.add_span(doc.id, "alice", 18, 34, "PERS")
print("saved", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

WRITER = """
import sys
from annotator.store.service import Store
store = Store.open(sys.argv[1])
doc = store.document_by_external_id("d1")
user = sys.argv[2]
for i in range(40):
    store.add_span(doc.id, user, i, i + 1, "CARDINAL")
"""


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.db"
    store = Store.open(str(path))
    store.add_document(external_id="d1", title="t", text=TEXT, sentences=[(0, len(TEXT))])
    store.close()
    return path


def test_killed_process_keeps_what_it_showed_as_saved(tmp_path: Path) -> None:
    path = _db(tmp_path)
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9 and proc.stdout.strip() == "saved"
    store = Store.open(str(path))
    try:
        doc = store.document_by_external_id("d1")
        spans = store.spans(doc.id, "alice")
        assert [(s.start, s.end, s.label) for s in spans] == [(18, 34, "PERS")]
        assert store.status(doc.id, "alice") == "in_progress"
    finally:
        store.close()


def test_two_annotators_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = _db(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), user])
             for user in ("alice", "bob")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = Store.open(str(path))
    try:
        doc = store.document_by_external_id("d1")
        assert len(store.spans(doc.id, "alice")) == 40
        assert len(store.spans(doc.id, "bob")) == 40
        assert len(store.actions(doc.id)) == 80
    finally:
        store.close()
