"""Train/dev/test splits: parsed from `--split`, assigned per document from a hash.

A document's split depends only on its id and the seed: u = the first 8 bytes of
sha256(f"{seed}:{id}") read as a fraction in [0, 1), and the document goes to the first
split whose cumulative fraction exceeds u (in the order given on the command line). So
the assignment is stable across runs, machines and Python versions (no `hash()`), and a
document keeps its split when others are added to or removed from the corpus. Split
sizes follow the fractions in expectation, not exactly.
"""

from __future__ import annotations

import hashlib
import math

from annotator.errors import UsageError

SplitSpec = list[tuple[str, float]]
TOLERANCE = 1e-6


def parse_split(value: str) -> SplitSpec:
    """`train=0.8,dev=0.1,test=0.1` -> [("train", 0.8), ...]; UsageError when malformed,
    negative, repeated, or not summing to 1 (within 1e-6). Any split name is allowed that
    can be part of a file name (no path separators: it names files and brat folders)."""
    spec: SplitSpec = []
    for part in value.split(","):
        name, sep, raw = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--split: expected NAME=FRACTION,... (e.g. train=0.8,dev=0.1,"
                             f"test=0.1), got {part.strip()!r}")
        try:
            frac = float(raw)
        except ValueError:
            raise UsageError(f"--split: {raw.strip()!r} is not a number (split {name!r})") \
                from None
        if not math.isfinite(frac) or frac < 0:
            raise UsageError(f"--split: fraction of {name!r} must be a number >= 0, got {raw!r}")
        if name in (".", "..") or any(c in name for c in "/\\\0"):
            raise UsageError(f"--split: split name {name!r} cannot be used in a file name")
        if any(n == name for n, _ in spec):
            raise UsageError(f"--split: split {name!r} is given twice")
        spec.append((name, frac))
    total = sum(f for _, f in spec)
    if abs(total - 1.0) > TOLERANCE:
        raise UsageError(f"--split: fractions must sum to 1, they sum to {total:g}")
    return spec


def unit_interval(doc_id: str, seed: int) -> float:
    """A deterministic number in [0, 1) from the document id and the seed."""
    digest = hashlib.sha256(f"{seed}:{doc_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_split(doc_id: str, spec: SplitSpec, seed: int) -> str:
    u = unit_interval(doc_id, seed)
    cumulative = 0.0
    for name, frac in spec:
        cumulative += frac
        if u < cumulative:
            return name
    # rounding (fractions summing to 1 - 1e-7): the last split with a share takes the rest
    return next((n for n, f in reversed(spec) if f > 0), spec[-1][0])
