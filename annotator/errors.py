"""Errors that carry a user-facing one-line message (file and line where known)."""

from __future__ import annotations


class AnnotatorError(Exception):
    """An error whose message is shown to the user as one line, without a traceback."""


class InputError(AnnotatorError):
    """One rejected input item: names the file and, where it has one, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class UsageError(AnnotatorError):
    """Bad arguments: exit status 2."""


class PermissionDenied(AnnotatorError):
    """The user may not do this (e.g. an annotator opening adjudication)."""
