"""`annotator annotate`: open the TUI for one user, on a database that holds documents.

An empty or missing database is refused with one line telling how to import articles
(`make annotate` imports seeds/ into ./annotations.db explicitly): a mistyped `--db` never
gets demo articles, and a missing file is not created.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.commands.common import open_store, resolve_user
from annotator.errors import AnnotatorError, PermissionDenied, UsageError
from annotator.store.engine import DEFAULT_DB
from annotator.store.models import GOLD
from annotator.tui.layout import check_bidi

DEFAULT_MAX_WIDTH = 110  # the article's widest line on a wide terminal, in cells


def _db_flag(db: str | None) -> str:
    """How to name this database on a command line (empty for the default)."""
    return f"--db {db} " if db else ""


def _db_path(db: str | None) -> Path | None:
    """The SQLite file this database is (None for an SQLAlchemy URL)."""
    value = db or os.environ.get("ANNOTATOR_DB") or DEFAULT_DB
    return None if "://" in value else Path(value).expanduser()


def empty_database_line(db: str | None, missing: bool) -> str:
    """The one line shown when there is nothing to annotate, with the command that fixes it."""
    path = _db_path(db)
    where = str(path) if path is not None else "the database"
    what = f"no database at {where}" if missing else f"{where} holds no documents"
    return (f"{what}: import articles first, e.g. 'annotator {_db_flag(db)}import seeds/' "
            "(make annotate does this for ./annotations.db)")


def check_has_database(db: str | None) -> None:
    """Refuse a database file that does not exist, before anything creates it."""
    path = _db_path(db)
    if path is not None and not path.exists():
        raise AnnotatorError(empty_database_line(db, missing=True))


def run_annotate(db: str | None, *, user: str | None = None, doc: str | None = None,
                 bidi: str = "app", max_width: int = DEFAULT_MAX_WIDTH) -> int:
    check_bidi(bidi)
    if max_width < 0:
        raise UsageError(f"--max-width must be 0 (no limit) or a number of columns, "
                         f"not {max_width}")
    name = resolve_user(user)
    if name == GOLD:
        raise PermissionDenied(
            f"{GOLD!r} is the reserved name of adjudicated annotations: "
            "adjudicators work on gold with 'annotator adjudicate'"
        )
    check_has_database(db)
    store, schema = open_store(db)
    try:
        if not store.count_documents():
            raise AnnotatorError(empty_database_line(db, missing=False))
        start_doc: int | None = None
        if doc is not None:
            found = store.document_by_external_id(doc)
            if found is None:
                raise UsageError(f"no document with external id {doc!r}")
            start_doc = found.id
        from annotator.tui.app import AnnotatorApp
        from annotator.tui.base_app import run_session_app
        from annotator.tui.context import Session

        return run_session_app(AnnotatorApp, Session(store, schema, name, bidi, max_width),
                               start_doc=start_doc)
    finally:
        store.close()
