"""Right-to-left layout for the terminal: levels, wrapping, reordering, shaping.

A pure layout engine (no Textual): ``layout_document`` turns a document into
screen lines of cells, each cell mapped back to a document offset, for the TUI
to draw with its line API.
"""

from annotator.bidi.layout import Layout, clear_caches, layout_document, split_paragraphs
from annotator.bidi.line_builder import MODES, Mode
from annotator.bidi.prepare import Paragraph, prepare_paragraph
from annotator.bidi.visual_line import NO_CHAR, VisualLine

__all__ = [
    "MODES",
    "NO_CHAR",
    "Layout",
    "Mode",
    "Paragraph",
    "VisualLine",
    "clear_caches",
    "layout_document",
    "prepare_paragraph",
    "split_paragraphs",
]
