"""Fixtures for the unit tests: the small exported corpus (see export_corpus.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_corpus import build_corpus


@pytest.fixture
def corpus(tmp_path: Path):
    return build_corpus(tmp_path / "c.db")
