"""One table cell or one short line of text laid out for a terminal that does not reorder.

A CLI table (``status``, ``agreement``, ``schema show``) printed to a terminal shows its
Arabic cells the way the TUI shows the article: right to left in visual order, shaped, by
the app's own engine (``layout_document``, base direction RTL). Cells without a
right-to-left letter are returned unchanged; output to a pipe or a file should not call
this at all (it stays in logical order).
"""

from __future__ import annotations

import unicodedata

from annotator.bidi.layout import layout_document

ELLIPSIS = "…"


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (bidi class R or AL)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def visual_cell(text: str, width: int | None = None, *, mode: str = "app") -> str:
    """``text`` on one line, as a terminal that does not reorder must be sent it.

    Whitespace runs (newlines included) become one space. With ``width`` (cells) a longer
    text keeps its beginning — the right-hand end in right-to-left text — and an ellipsis
    marks the cut (on its left in ``app`` mode; after it in logical order otherwise).
    ``mode`` is the TUI's ``--bidi`` mode: ``app`` reorders and shapes, ``terminal`` and
    ``off`` keep the logical order. Text without an RTL letter, in ``app`` mode and with no
    ``width``, is returned as it is.
    """
    flat = " ".join(text.split())
    if not flat or (width is not None and width <= 0):
        return ""
    if width is None and (mode != "app" or not has_rtl(flat)):
        return flat
    room = width if width is not None else 2 * len(flat) + 2  # wide enough for one line
    layout = layout_document(flat, room, mode=mode, shape=(mode == "app"),  # type: ignore[arg-type]
                             paragraph_gap=False)
    if not layout.lines:
        return ""
    drawn = "".join(layout.lines[0].cells).strip()
    if len(layout.lines) > 1 and room > 1:
        drawn = (ELLIPSIS + drawn[-(room - 1):] if mode == "app"
                 else drawn[: room - 1] + ELLIPSIS)
    return drawn


def table_cell(text: str, terminal: bool) -> str:
    """A table cell for output to a terminal (``terminal=True``: laid out right to left
    when it holds Arabic) or to a pipe, a file, Markdown or JSON (logical order, as is)."""
    return visual_cell(text) if terminal and has_rtl(text) else text
