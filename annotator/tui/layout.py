"""The article's screen layout: `annotator.bidi.layout_document`, with the app's bidi mode.

`--bidi app` lays out right-to-left and shapes (the terminal must not reorder again);
`--bidi terminal` passes logical order unshaped (a VTE/Konsole/mintty terminal reorders);
`--bidi off` shows logical order left to right.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from annotator.errors import UsageError

BIDI_MODES = ("app", "terminal", "off")


def check_bidi(bidi: str) -> None:
    """Reject an unknown --bidi mode before anything is opened."""
    if bidi not in BIDI_MODES:
        raise UsageError(f"--bidi must be one of {', '.join(BIDI_MODES)}, not {bidi!r}")


def layout_article(text: str, width: int, mode: str) -> Any:
    """Layout of the whole article at `width` cells (``Layout`` of annotator.bidi)."""
    from annotator.bidi import layout_document

    return layout_document(text, max(1, width), mode=mode, shape=(mode == "app"),
                           paragraph_gap=True)


@lru_cache(maxsize=4096)
def one_line(text: str, width: int, mode: str) -> str:
    """A short text (a title, a span's text) as it should be drawn on one line of `width`.

    The text is laid out like the article and cut to its first visual line, its beginning
    kept (``annotator.bidi.cell.visual_cell``); the padding of a right-aligned line is dropped.
    """
    from annotator.bidi.cell import visual_cell

    return visual_cell(text, width, mode=mode)


def field_line(text: str, width: int, mode: str) -> Any:
    """A one-line field (the search query) laid out like the article, for a preview.

    The ``VisualLine`` to draw at `width` cells, right-aligned in the RTL modes; when the
    text needs more than one line the last one is kept, since that is where typing goes.
    ``None`` for empty text.
    """
    if width <= 0 or not text:
        return None
    from annotator.bidi import layout_document

    layout = layout_document(text.replace("\n", " "), width, mode=mode,
                             shape=(mode == "app"), paragraph_gap=False)
    return layout.lines[-1] if layout.lines else None
