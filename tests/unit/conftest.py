"""Fixtures for the unit tests: the small exported corpus (see export_corpus.py)."""

from __future__ import annotations

import pytest
from export_corpus import Corpus, build_corpus


@pytest.fixture
def corpus(databases) -> Corpus:
    """The export corpus in a fresh database of the test's backend."""
    return build_corpus(databases.new("c"))
