"""Column widths that fit the screen (pure: no Textual), and cutting long ids in the middle.

The documents list must keep every column on screen from 60 to 200 columns: the status and
counts have fixed widths, the document id gets at most a third of what is left (cut in the
middle, so a URL keeps its scheme and its last path part), the title the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

ELLIPSIS = "…"
STATUS_WIDTH = len("in progress")
CELL_PADDING = 2  # a DataTable cell has one blank cell each side
SCROLLBAR = 2  # room kept for the table's vertical scrollbar
MIN_ID = 6
MIN_TITLE = 8
MAX_TITLE = 120


def middle_cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: its beginning and end, "…" between."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:max(width, 0)]
    head = width // 2
    tail = width - 1 - head
    return text[:head] + ELLIPSIS + (text[len(text) - tail:] if tail else "")


@dataclass(frozen=True)
class DocumentColumns:
    """Widths (cells, padding excluded) of the documents list's columns."""

    id: int
    title: int
    status: int = STATUS_WIDTH
    spans: int = len("spans")
    events: int = len("events")

    @property
    def widths(self) -> tuple[int, int, int, int, int]:
        return (self.id, self.title, self.status, self.spans, self.events)


def document_columns(width: int, longest_id: int, most_spans: int = 0,
                     most_events: int = 0) -> DocumentColumns:
    """Column widths for a table ``width`` cells wide whose longest id has ``longest_id``
    characters and whose largest counts are ``most_spans`` and ``most_events``."""
    spans = max(len("spans"), len(str(most_spans)))
    events = max(len("events"), len(str(most_events)))
    room = width - SCROLLBAR - 5 * CELL_PADDING - STATUS_WIDTH - spans - events
    id_width = max(min(longest_id, MIN_ID), min(longest_id, room // 3))
    title = min(MAX_TITLE, max(MIN_TITLE, room - id_width))
    return DocumentColumns(id=max(1, id_width), title=title, spans=spans, events=events)


#: A piece of a header line: its long form, a short form for narrow screens, a Rich style.
Part = tuple[str, str, str]
SEPARATOR = " │ "


def _line_length(texts: list[str]) -> int:
    return 1 + len(SEPARATOR.join(texts))  # a leading blank


def _greedy(texts: list[str], width: int) -> list[list[int]]:
    lines: list[list[int]] = [[]]
    for i, text in enumerate(texts):
        current = [texts[j] for j in lines[-1]]
        if lines[-1] and _line_length([*current, text]) > width:
            lines.append([])
        lines[-1].append(i)
    return lines


def pack_parts(parts: list[Part], width: int, max_lines: int = 2) -> list[list[tuple[str, str]]]:
    """Lay ``parts`` out in at most ``max_lines`` lines of ``width`` cells: one line of long
    forms if it fits, else one of short forms, else long then short forms wrapped between
    parts; each line a list of (text, style)."""
    forms = ([p[0] for p in parts], [p[1] for p in parts])
    for texts in forms:
        if _line_length(texts) <= width:
            return [[(t, p[2]) for t, p in zip(texts, parts, strict=True)]]
    for texts in forms:
        lines = _greedy(texts, width)
        if len(lines) <= max_lines or texts is forms[1]:
            return [[(texts[i], parts[i][2]) for i in line] for line in lines[:max_lines]]
    return []  # pragma: no cover - the short forms always return
