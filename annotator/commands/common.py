"""Helpers shared by the command implementations: opening the store, the user name."""

from __future__ import annotations

import getpass
import os

from annotator.errors import AnnotatorError
from annotator.labelschema import LabelSchema, load_schema
from annotator.store.service import Store

SCHEMA_KEY = "label_schema"


def resolve_user(user: str | None) -> str:
    """--user, else $ANNOTATOR_USER, else the login name."""
    if user:
        return user
    env = os.environ.get("ANNOTATOR_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a container without passwd entry)
        return "annotator"


def open_store(db: str | None, schema: LabelSchema | None = None) -> tuple[Store, LabelSchema]:
    """Open (create, migrate) the database with the label schema; remember the schema used."""
    schema = schema or load_schema()
    store = Store.open(db, label_checker=schema)
    remembered = store.get_setting(SCHEMA_KEY)
    if remembered != schema.source_text:
        if remembered is not None:
            try:
                check_labels_kept(store, schema)
            except AnnotatorError:
                store.close()
                raise
        store.set_setting(SCHEMA_KEY, schema.source_text)
    return store, schema


def check_labels_kept(store: Store, schema: LabelSchema) -> None:
    """A changed schema must still hold every label the database uses: a label missing from
    the schema is an error, never silently dropped."""
    entities, events = store.labels_in_use()
    missing = sorted(entities - set(schema.entity_names())) + sorted(
        events - set(schema.event_names())
    )
    if missing:
        raise AnnotatorError(
            f"the label schema has changed and no longer has {', '.join(missing)}, which the "
            "database uses: put them back in the schema (annotations are never dropped)"
        )
