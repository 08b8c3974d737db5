"""The store's refusals: one-line messages for the user (a bad range, label, document)."""

from __future__ import annotations

from annotator.errors import AnnotatorError


class StoreError(AnnotatorError):
    pass
