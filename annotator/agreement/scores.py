"""The result type shared by every measure: a value, the units behind it, and a reason when
the value is undefined. Never NaN: an undefined value is ``None`` with a ``reason``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Score:
    value: float | None
    n: int
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"non-finite score {self.value!r}; use None with a reason")
        if self.value is None and not self.reason:
            raise ValueError("an undefined score needs a reason")

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "n": self.n, "reason": self.reason}


def undefined(n: int, reason: str) -> Score:
    return Score(None, n, reason)


def ratio(num: float, den: float) -> float | None:
    """num / den, or None when den is 0."""
    return None if den == 0 else num / den
