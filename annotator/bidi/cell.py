"""One table cell or one short line of text laid out for a terminal that does not reorder.

A CLI table (``status``, ``agreement``, ``schema show``) printed to a terminal shows its
Arabic cells the way the TUI shows the article: right to left in visual order, shaped, by
the app's own engine (``layout_document``, base direction RTL). Cells without a
right-to-left letter are returned unchanged; output to a pipe or a file should not call
this at all (it stays in logical order).
"""

from __future__ import annotations

import re
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


#: a run of right-to-left text inside a left-to-right cell: from an RTL letter to the last
#: RTL letter before the next left-to-right letter (marks, spaces, digits, punctuation inside)
_RTL_RUN = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]"
                      r"(?:[^A-Za-z\u00c0-\u024f|]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])?")


def first_strong(text: str) -> str | None:
    """``"L"`` or ``"R"``: the direction of the first strong character (UAX #9 P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


def table_cell(text: str, terminal: bool) -> str:
    """A table cell for output to a terminal (``terminal=True``: its Arabic laid out right
    to left) or to a pipe, a file, Markdown or JSON (logical order, as is).

    A cell is its own paragraph: one that begins with Arabic is laid out right to left as a
    whole (like the article); one that begins with Latin text (``alice|محمد``,
    ``Finished by محمد``) stays left to right, each Arabic run in it laid out in place.
    """
    if not terminal or not has_rtl(text):
        return text
    if first_strong(text) != "L":
        return visual_cell(text)
    return _RTL_RUN.sub(lambda run: visual_cell(run.group()), text)
