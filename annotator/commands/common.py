"""Helpers shared by the command implementations: opening the store, the user name."""

from __future__ import annotations

import getpass
import os

from annotator.labelschema import LabelSchema
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
    """Open (create, migrate) the database; return it with the project's label schema, the
    one stored in the database (`Store.label_schema()`; a new database starts from the
    packaged schema/labels.toml). The store checks every label it writes against that
    schema, followed live (`annotator schema set` elsewhere is seen within seconds).

    `schema`, when given, is first made the project's schema (a new version, refused when
    it drops a label in use), as `annotator schema set` does."""
    from annotator.store.schema_store import LiveLabelSchema

    store = Store.open(db)
    try:
        if schema is not None and store.label_schema().source_text != schema.source_text:
            store.set_label_schema(schema.source_text, by=resolve_user(None),
                                   note="given to open_store")
        store.label_checker = LiveLabelSchema(store)
        current = store.label_schema()
        if store.get_setting(SCHEMA_KEY) != current.source_text:  # mirrored for older readers
            store.set_setting(SCHEMA_KEY, current.source_text)
        return store, current
    except BaseException:
        store.close()
        raise

