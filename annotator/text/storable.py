"""What every database backend can store: strings without NUL or lone surrogates, JSON
without NaN or infinities.

A lone surrogate (U+D800–U+DFFF, which JSON's `"\\ud800"` escape produces) is not
encodable as UTF-8, so neither SQLite nor PostgreSQL can take it; PostgreSQL `text` and
`jsonb` cannot hold NUL (U+0000), and SQLite keeps it only to have C string functions cut
the text there. Noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF) are let through: they are
valid UTF-8, both backends store them, and Unicode allows them in interchange.
"""

from __future__ import annotations

import math
import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored (its first bad code point and where), or None."""
    m = _UNSTORABLE.search(text)
    if m is None:
        return None
    ch = m.group()
    what = "NUL (U+0000)" if ch == "\x00" else f"a lone surrogate (U+{ord(ch):04X})"
    return f"has {what} at character {m.start()}"


def unstorable_json(value: Any, name: str) -> str | None:
    """The first string (key or value) or number in the JSON `value` that some backend cannot
    store, as `name['key'][0] has ...`; None when all of it can be stored."""
    stack: list[tuple[Any, str]] = [(value, name)]  # iterative: JSON may nest ~1,000 deep
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            reason = unstorable(item)
            if reason:
                return f"{where} {reason}"
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{where} is {item!r} (not JSON)"
        elif isinstance(item, dict):
            for key in item:
                reason = unstorable(key) if isinstance(key, str) else None
                if reason:
                    return f"key {where}[{_short(key)}] {reason}"
            stack.extend((sub, f"{where}[{_short(key)}]") for key, sub in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((sub, f"{where}[{i}]") for i, sub in reversed(list(enumerate(item))))
    return None


def _short(key: Any) -> str:
    """A key as it would be written in Python, cut short: it goes into a one-line message."""
    text = repr(key)
    return text if len(text) <= 40 else text[:39] + "…"
