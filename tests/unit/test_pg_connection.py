"""A lost PostgreSQL connection loses nothing: the pool notices and replaces it, and a
save that fails on it is retried as transient."""

from __future__ import annotations

import pytest

from annotator.store.retry import is_transient, retrying
from annotator.store.service import Store

TEXT = "أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني."


def _kill_pooled(store: Store) -> int:
    """Terminate, from outside, every connection the store's pool holds (the server going
    away for them), as an administrator would."""
    import psycopg

    url = store.engine.url
    app = url.query.get("application_name")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        row = conn.execute(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s AND pid <> pg_backend_pid()", (app,)).fetchone()
    return int(row[0]) if row else 0


def test_saves_go_on_after_the_connections_are_dropped(store: Store, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("about PostgreSQL connections")
    doc, _ = store.add_document(external_id="d", title="", text=TEXT, sentences=[(0, 54)])
    assert doc.id is not None
    assert store.add_span(doc.id, "alice", 4, 17, "OCC") is not None
    assert _kill_pooled(store) >= 1  # the idle pooled connection is gone
    span = retrying(lambda: store.add_span(doc.id, "alice", 18, 34, "PERS"))
    assert span is not None
    assert {(s.start, s.end) for s in store.spans(doc.id, "alice")} == {(4, 17), (18, 34)}


def test_a_dropped_connection_is_transient() -> None:
    from sqlalchemy.exc import OperationalError

    class Gone(Exception):
        sqlstate = "08006"

    assert is_transient(OperationalError("SELECT 1", None, Gone("server closed the "
                                                              "connection unexpectedly")))
