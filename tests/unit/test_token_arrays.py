"""The batch tokenizer (annotator.text.token_arrays) gives exactly `tokens_of`'s tokens."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.token_split import tokens_of
from annotator.text.segment import NUMBER_SEPARATORS
from annotator.text.token_arrays import token_arrays

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))

MARKS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u200c", "\u200f"]
ALPHABET = (
    list("بتمنلوالعربية") + list("abzXY") + list("0189") + list("٠١٣٩")
    + list(NUMBER_SEPARATORS) + MARKS + MARKS
    + [" ", "\n", "\t", "\u00a0", "\r"] + list("!?،؛«»()-\"'") + ["_", "\u0640"]
    + ["😀", "𝟘", "\U000e0100"]  # astral: an emoji, a digit, a variation selector (mark)
)
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=60)


def _check(batch: list[str]) -> None:
    got = token_arrays(batch)
    assert len(got) == len(batch)
    for text, arr in zip(batch, got, strict=True):
        assert arr.dtype == np.int32
        assert arr.shape == (len(tokens_of(text)), 2)
        assert [tuple(r) for r in arr.tolist()] == tokens_of(text), text


@settings(max_examples=300, deadline=None)
@given(texts)
def test_single_text_matches_tokens_of(text: str) -> None:
    _check([text])


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=8))
def test_batch_matches_tokens_of(batch: list[str]) -> None:
    _check(batch)


@pytest.mark.parametrize("text", [
    "30/03/2022", "3.5.", "٣٠٫٥", "وللمغرب،", "\u064eبَ", "\u064e", "a_b", "", "   ",
    "3..5", "3.,5", "3\u064e5", "3\u064eب", "ب3", ".\u064eب", "1,000:2 ٫5",
    "ب" + "\u064e" * 20 + "ت", "3" + "\u064e" * 20 + "ت", "\u064e" * 20 + "ت",
    " \u064e\u064eت", "\u0640\u064e", "😀\u064eب", "ب😀ب", "\ud800x",
])
def test_hand_cases(text: str) -> None:
    _check([text])
    _check([text, "ب", text, "", text])


def test_empty_batch() -> None:
    assert token_arrays([]) == []


def test_seeds_match_tokens_of() -> None:
    assert len(SEEDS) == 5
    batch = [p.read_text(encoding="utf-8") for p in SEEDS]
    _check(batch)
    for text in batch:
        _check([text])
