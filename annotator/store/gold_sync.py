"""Gold follows the annotators: placeholder, filled in below."""

from __future__ import annotations

from typing import Any


def reconcile_gold(store: Any, s: Any, doc_id: int, *, changed_by: int | None) -> None:
    return None
