"""Snapshots of the picker screens (pytest-textual-snapshot), each pushed alone on a host app
that reads the stylesheet of the app that opens it: the annotate app's pickers (event labels,
span to remove, event type, attributes, coreference, the removal question) and the
adjudicate app's choice list (also on a narrow terminal). They pin the pickers' look.
Regenerate with `pytest tests/tui/test_picker_snapshots.py --snapshot-update` after a
deliberate change of the look.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from annotator.events_model import ArgumentView, MentionView
from annotator.labelschema import LabelSchema, load_schema
from annotator.tui.screens.choice_picker import Choice, ChoicePicker
from annotator.tui.screens.event_picker import EventPicker
from annotator.tui.screens.mention_picker import (
    AttributesPicker,
    ConfirmRemoval,
    CorefPicker,
    EventTypePicker,
)
from annotator.tui.screens.span_picker import SpanPicker
from annotator.tui.span_index import SpanRec

TUI = Path(__file__).resolve().parents[2] / "annotator" / "tui"
ANNOTATE_CSS = TUI / "annotator.tcss"
ADJUDICATE_CSS = TUI / "adjudicate.tcss"
TEXT = "وزيارة وزير الداخلية الفرنسي إلى المغرب بعد زيارته قطر"
SIZE = (90, 26)


class Host(App[None]):
    """Pushes one screen at start. Its CSS variables are those of `SessionApp`."""

    def __init__(self, make: Callable[[], Screen], css: Path) -> None:
        super().__init__(css_path=css)
        self.make = make

    def get_css_variables(self) -> dict[str, str]:
        return {**super().get_css_variables(), "article-max-width": "100%"}

    def on_mount(self) -> None:
        self.push_screen(self.make())


def pickers(schema: LabelSchema) -> dict[str, Callable[[], Screen]]:
    colors = {t.name: t.color for t in (*schema.entities, *schema.events)}
    visit = TEXT.index("زيارة")
    later = TEXT.index("زيارته")
    first = MentionView(1, visit, visit + 5, "VISIT")
    second = MentionView(2, later, later + 6, "VISIT", coref_of=1)
    pers = TEXT.index("وزير الداخلية الفرنسي")
    spans = [SpanRec.of(7, pers, pers + 21, "PERS"), SpanRec.of(8, pers, pers + 4, "OCC")]
    # more rows than the span list shows (16)
    many = [SpanRec.of(20 + n, pers, pers + 21 - n, "PERS") for n in range(18)]
    return {
        "event_labels": lambda: EventPicker(schema, "Events of the document", ["MEET"]),
        "span_to_remove": lambda: SpanPicker(spans, TEXT, colors, "app"),
        "many_spans": lambda: SpanPicker(many, TEXT, colors, "app"),
        "event_type": lambda: EventTypePicker(schema, "زيارة"),
        "attributes": lambda: AttributesPicker(
            "VISIT", schema.attributes("VISIT"), {"polarity": "negative"}, "زيارة"),
        "coref": lambda: CorefPicker(second, [first], TEXT, colors),
        "confirm_removal": lambda: ConfirmRemoval(
            "PERS «وزير الداخلية الفرنسي»", [ArgumentView(1, "Agent", pers, pers + 21, "PERS")],
            {1: "VISIT «زيارة»"}),
    }


async def shown(pilot: Pilot) -> None:
    assert len(pilot.app.screen_stack) == 2  # the picker, on the host's screen


@pytest.mark.parametrize("name", ["event_labels", "span_to_remove", "many_spans",
                                  "event_type", "attributes", "coref", "confirm_removal"])
def test_annotate_app_picker(snap_compare, name: str) -> None:  # noqa: ANN001
    app = Host(pickers(load_schema())[name], ANNOTATE_CSS)
    assert snap_compare(app, terminal_size=SIZE, run_before=shown)


@pytest.mark.parametrize("size", [SIZE, (50, 14)], ids=["90x26", "50x14"])
def test_adjudicate_choice_picker(snap_compare, size: tuple[int, int]) -> None:  # noqa: ANN001
    schema = load_schema()
    choices = [Choice(t.name, t.hotkey, Text(f"{t.name}  {t.en}")) for t in schema.events]
    app = Host(lambda: ChoicePicker("Event type of the trigger", choices, "VISIT"),
               ADJUDICATE_CSS)
    assert snap_compare(app, terminal_size=size, run_before=shown)
