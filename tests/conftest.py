"""Shared fixtures: temporary stores, the seed folder, the label schema."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from annotator.labelschema import LabelSchema, load_schema
from annotator.store.service import Store

# CI runs the property tests with a fixed seed (a red build always reproduces); local runs
# explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def schema() -> LabelSchema:
    return load_schema()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path, schema: LabelSchema):
    s = Store.open(str(db_path), label_checker=schema)
    yield s
    s.close()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
