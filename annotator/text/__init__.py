"""Text handling: cleaning, segmentation with offsets, and match keys.

Pure functions only: nothing here imports Textual or the database.
"""

from annotator.text.keys import find_all, keyed, match_key
from annotator.text.segment import (
    Segmentation,
    segment,
    split_sentences,
    split_tokens,
    tokens_in,
)

__all__ = [
    "Segmentation",
    "find_all",
    "keyed",
    "match_key",
    "segment",
    "split_sentences",
    "split_tokens",
    "tokens_in",
]
