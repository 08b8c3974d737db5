"""`annotator annotate`: open the TUI for one user (importing seeds/ into an empty database)."""

from __future__ import annotations

from pathlib import Path

import annotator
from annotator.commands.common import open_store, resolve_user
from annotator.errors import PermissionDenied, UsageError
from annotator.labelschema import LabelSchema
from annotator.store.models import GOLD
from annotator.store.service import Store
from annotator.tui.layout import check_bidi

SEEDS_DIR = Path(annotator.__file__).resolve().parent.parent / "seeds"


def import_seeds_if_empty(store: Store, schema: LabelSchema, seeds: Path = SEEDS_DIR) -> int:
    """Import the seed articles when the database holds no document; returns how many."""
    if store.count_documents() or not seeds.is_dir():
        return 0
    from annotator.commands.importing import import_paths

    return import_paths(store, schema, [seeds]).added


def run_annotate(db: str | None, *, user: str | None = None, doc: str | None = None,
                 bidi: str = "app") -> int:
    check_bidi(bidi)
    name = resolve_user(user)
    if name == GOLD:
        raise PermissionDenied(
            f"{GOLD!r} is the reserved name of adjudicated annotations: "
            "adjudicators work on gold with 'annotator adjudicate'"
        )
    store, schema = open_store(db)
    try:
        import_seeds_if_empty(store, schema)
        start_doc: int | None = None
        if doc is not None:
            found = store.document_by_external_id(doc)
            if found is None:
                raise UsageError(f"no document with external id {doc!r}")
            start_doc = found.id
        from annotator.tui.app import AnnotatorApp
        from annotator.tui.base_app import run_session_app
        from annotator.tui.context import Session

        return run_session_app(AnnotatorApp, Session(store, schema, name, bidi),
                               start_doc=start_doc)
    finally:
        store.close()
