"""Fixtures for the TUI tests: a temp database seeded with seed articles, an app factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tui_helpers import SEED_000, SEED_001, seed_store

from annotator.labelschema import LabelSchema
from annotator.store.service import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.db"


@pytest.fixture
def seeded(db_path: Path) -> Iterator[tuple[Store, LabelSchema]]:
    store, schema = seed_store(db_path, [SEED_000, SEED_001])
    yield store, schema
    store.close()


@pytest.fixture
def make_app(seeded: tuple[Store, LabelSchema]) -> Callable[..., AnnotatorApp]:
    store, schema = seeded

    def make(user: str = "alice", doc: str | None = SEED_000, bidi: str = "app") -> AnnotatorApp:
        start = None
        if doc is not None:
            found = store.document_by_external_id(doc)
            assert found is not None
            start = found.id
        return AnnotatorApp(Session(store, schema, user, bidi), start_doc=start)

    return make
