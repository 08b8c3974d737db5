"""Snapshots of the annotate screen (pytest-textual-snapshot): spans, nesting, cursor, panels.

The database is built the same way every time (fixed user, seed 000, fixed spans and
event labels added through the store), and nothing on screen depends on the clock.
Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate
change of the look.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import SEED_000, seed_store

from annotator.tui.app import AnnotatorApp
from annotator.tui.context import Session

PERSON = "عبد الوافي لفتيت"


def snapshot_app(db: Path) -> AnnotatorApp:
    store, schema = seed_store(db, [SEED_000])
    doc = store.document_by_external_id(SEED_000)
    assert doc is not None and doc.id is not None
    text = doc.text
    p = text.index(PERSON)
    store.add_span(doc.id, "alice", p, p + len(PERSON), "PERS")
    store.add_span(doc.id, "alice", p, p + 3, "PERS")  # nested inside the full name
    o = text.index("وزير الداخلية")
    store.add_span(doc.id, "alice", o, o + len("وزير الداخلية"), "OCC")
    d = text.index("30 مارس 2022")
    store.add_span(doc.id, "alice", d, d + len("30 مارس 2022"), "DATE")
    c = text.index("للبوليساريو")
    store.add_span(doc.id, "alice", c + 2, c + len("للبوليساريو"), "ORG")
    sentence = next(s for s in store.sentences(doc.id) if s.start <= p < s.end)
    store.set_events(doc.id, "alice", "sentence", ["MEET"], sentence.start, sentence.end)
    store.set_events(doc.id, "alice", "document", ["COOPERATE", "STATEMENT"])
    return AnnotatorApp(Session(store, schema, "alice", "app"), start_doc=doc.id)


@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
def test_annotate_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = snapshot_app(tmp_path / "snap.db")
    # cursor forward a few tokens, then a two-token selection
    keys = ["left"] * 12 + ["shift+left"]
    assert snap_compare(app, press=keys, terminal_size=size)


@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
def test_legend_and_trimmed_selection(snap_compare, tmp_path: Path,
                                      size: tuple[int, int]) -> None:
    """The legend (expanded; at 60x20 it starts collapsed, so `L` opens it) and a
    two-token selection whose start edge `]` moved one character later: the dropped letter
    is drawn plain, the selection underlined and bold, the cursor token within it reverse."""
    app = snapshot_app(tmp_path / "snap.db")
    keys = ["left"] * 12 + ["shift+left", "right_square_bracket"]
    if size[1] < 28:
        keys.append("L")
    assert snap_compare(app, press=keys, terminal_size=size)


@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
def test_collapsed_legend(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """`L` at 100x30 collapses the legend to one line of coloured keys (60x20 starts so)."""
    app = snapshot_app(tmp_path / "snap.db")
    keys = ["L"] if size[1] >= 28 else []
    assert snap_compare(app, press=keys, terminal_size=size)
