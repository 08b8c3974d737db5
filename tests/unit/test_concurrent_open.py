"""First open and migrations are serialized and transactional; new users and settings are
insert-or-ignore: several processes starting at once on one new (or old) database all
succeed, with one row each."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

from sqlalchemy import text

from annotator.store.migrations import SCHEMA_VERSION, current_version
from annotator.store.models import UNIQUE_EVENT_INDEX
from annotator.store.service import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROCESSES = 6


def _open_and_join(db: str, barrier) -> str:  # noqa: ANN001 (a multiprocessing Barrier)
    """Wait for the others, then open the database as a new user would."""
    barrier.wait(timeout=60)
    try:
        store = Store.open(db)
        try:
            store.annotator("newcomer")  # the same new user, in every process
            store.set_setting("label_schema", "same text")
            return "ok"
        finally:
            store.close()
    except Exception as exc:  # noqa: BLE001 (reported to the test)
        import traceback

        return f"{type(exc).__name__}: {exc}" + traceback.format_exc()[-1500:]


def _race(db: str) -> list[str]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
        barrier = manager.Barrier(PROCESSES)
        jobs = [pool.apply_async(_open_and_join, (db, barrier)) for _ in range(PROCESSES)]
        return [j.get(timeout=120) for j in jobs]


def _rows(db: str, sql: str) -> int:
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()  # type: ignore[return-value]
    finally:
        store.close()


def test_many_processes_open_a_new_database_at_once(databases) -> None:  # noqa: ANN001
    db = databases.new("fresh")
    assert _race(db) == ["ok"] * PROCESSES
    assert _rows(db, "SELECT COUNT(*) FROM annotator WHERE name = 'newcomer'") == 1
    assert _rows(db, "SELECT COUNT(*) FROM setting WHERE key = 'label_schema'") == 1
    assert _rows(db, "SELECT value FROM setting WHERE key = 'schema_version'") == str(
        SCHEMA_VERSION)


def test_many_processes_upgrade_an_old_database_at_once(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", old)
    assert _race(str(old)) == ["ok"] * PROCESSES
    store = Store.open(str(old))
    try:
        with store.engine.connect() as conn:
            assert current_version(conn) == SCHEMA_VERSION
        assert store.count_documents() >= 1
    finally:
        store.close()


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path,
                                                          monkeypatch) -> None:  # noqa: ANN001
    """SQLite DDL is inside the transaction: a migration that fails half-way undoes its
    table changes too."""
    from annotator.store import migrations

    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", old)

    def broken(conn) -> None:  # noqa: ANN001
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION, broken)
    try:
        Store.open(str(old))
    except RuntimeError:
        pass
    else:
        raise AssertionError("the broken migration did not fail")
    monkeypatch.undo()
    import sqlite3

    with sqlite3.connect(old) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        version = conn.execute(
            "SELECT value FROM setting WHERE key = 'schema_version'").fetchone()
    assert "half_done" not in tables and "decision" not in tables  # v3's table rolled back
    assert version is None or int(version[0]) < SCHEMA_VERSION


def test_v3_to_v4_folds_duplicate_event_labels(tmp_path: Path) -> None:
    """A v3 database may hold gold's duplicated event labels: v4 keeps one of each and
    makes them unique."""
    db = tmp_path / "v3.db"
    store = Store.open(str(db))
    doc, _ = store.add_document(external_id="d", title="", text="نص قصير", sentences=[(0, 7)])
    gold = store.annotator("gold").id
    store.close()
    import sqlite3

    with sqlite3.connect(db) as conn:  # make it look like v3, with the duplicate
        conn.execute(f"DROP INDEX {UNIQUE_EVENT_INDEX.name}")
        for _ in range(2):
            conn.execute("INSERT INTO eventlabel (document_id, annotator_id, label, scope, "
                         "created_at) VALUES (?, ?, 'MEET', 'document', '2024-01-01')",
                         (doc.id, gold))
        conn.execute("UPDATE setting SET value = '3' WHERE key = 'schema_version'")
    store = Store.open(str(db))
    try:
        events = store.events(doc.id, "gold")  # type: ignore[arg-type]
        assert [e.label for e in events] == ["MEET"]
        with store.engine.connect() as conn:
            assert current_version(conn) == SCHEMA_VERSION
            names = {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'index'"))}
        assert UNIQUE_EVENT_INDEX.name in names
    finally:
        store.close()
