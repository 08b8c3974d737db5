"""The text services the TUI uses: tokens and normalised search (annotator.text)."""

from __future__ import annotations

from functools import lru_cache

from annotator.text.keys import find_all
from annotator.text.segment import split_tokens

Range = tuple[int, int]


def tokens_of(text: str) -> list[Range]:
    """Token ranges of the whole document, in reading order."""
    return [tuple(t) for t in split_tokens(text)]  # type: ignore[misc]


@lru_cache(maxsize=32)
def search_hits(text: str, query: str) -> list[Range]:
    """Where `query` occurs, comparing normalised keys (hamza/alef, ta marbuta, tashkeel...)."""
    return [tuple(h) for h in find_all(text, query.strip())]  # type: ignore[misc]
