"""The article's screen layout: `annotator.bidi.layout_document`, with the app's bidi mode.

`--bidi app` lays out right-to-left and shapes (the terminal must not reorder again);
`--bidi terminal` passes logical order unshaped (a VTE/Konsole/mintty terminal reorders);
`--bidi off` shows logical order left to right.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class FieldView:
    """A one-line field (the search query) drawn right to left like the article.

    ``cells`` left to right (a blank cell on the left leaves room for the caret after the
    text's end), ``offsets`` the query offset drawn in each cell (-1 on padding), ``caret``
    the column of the cursor.
    """

    cells: tuple[str, ...]
    offsets: tuple[int, ...]
    caret: int
    length: int

    def index_at(self, col: int) -> int:
        """The cursor position a click on column ``col`` puts: before the character there,
        or after the text's end on the padding."""
        if 0 <= col < len(self.offsets) and self.offsets[col] >= 0:
            return self.offsets[col]
        return self.length


def field_view(text: str, width: int, cursor: int, mode: str = "app") -> FieldView | None:
    """The visual line of ``text`` that holds ``cursor``, at ``width`` cells, with the
    column of the caret; ``None`` for empty text."""
    if not text or width <= 0:
        return None
    from annotator.bidi import layout_document

    flat = text.replace("\n", " ")
    layout = layout_document(flat, max(1, width - 1), mode=mode,  # type: ignore[arg-type]
                             shape=(mode == "app"), paragraph_gap=False)
    cursor = min(max(cursor, 0), len(flat))
    row, _ = layout.locate(cursor)
    line = layout.lines[row]
    cells = (" ", *line.cells)
    offsets = (-1, *line.col_to_logical)
    col = line.logical_to_col(cursor) if cursor < len(flat) else None
    if col is not None:
        caret = col + 1
    else:  # after the end: the cell left of the text (its logical end), on padding
        end = line.eol_col
        caret = end + 1 if 0 <= end < len(line.cells) and line.col_to_logical[end] < 0 else end
        caret = min(max(caret, 0), len(cells) - 1)
    return FieldView(cells, offsets, caret, len(flat))


def wrapped_lines(text: str, width: int, mode: str, max_lines: int = 3) -> list[str]:
    """A short text (a span's text) laid out like the article on at most ``max_lines`` lines
    of ``width`` cells, in reading order of lines; padding dropped; a cut is marked "…"
    (on the left of the last line in the RTL modes, on its right in ``off``)."""
    flat = " ".join(text.split())
    if width <= 0 or not flat or max_lines <= 0:
        return []
    lines = ["".join(line.cells).strip() for line in layout_article(flat, width, mode).lines]
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1][: width - 1] if mode == "off" else lines[max_lines - 1]
    if mode == "off":
        last = last + "…"
    else:
        last = "…" + last[-(width - 1):] if width > 1 else "…"
    return [*lines[: max_lines - 1], last]
