"""What the status line says after undo / redo (annotator.tui.notices, pure)."""

from __future__ import annotations

from annotator.tui.notices import changed_span, history_notice

SPAN = {"start": 3, "end": 9, "label": "ORG", "provenance": None}


def quote(start: int, end: int) -> str:
    return f"«{start}-{end}»"


def test_span_changes_are_named_with_their_text() -> None:
    add = {"span": SPAN}
    assert history_notice("add_span", add, undo=True, quote=quote) == "undone: removed ORG «3-9»"
    assert history_notice("add_span", add, undo=False, quote=quote) == "redone: added ORG «3-9»"
    assert history_notice("remove_span", add, undo=True, quote=quote) == (
        "undone: restored ORG «3-9»")
    assert history_notice("remove_span", add, undo=False, quote=quote) == (
        "redone: removed ORG «3-9»")
    relabel = {"span": {**SPAN, "label": "GPE"}, "before": "ORG", "after": "GPE"}
    assert history_notice("relabel_span", relabel, undo=True, quote=quote) == (
        "undone: GPE → ORG «3-9»")
    assert history_notice("relabel_span", relabel, undo=False, quote=quote) == (
        "redone: ORG → GPE «3-9»")


def test_events_and_status() -> None:
    sentence = {"scope": "sentence", "start": 40, "end": 80, "before": [], "after": ["MEET"]}
    assert history_notice("set_events", sentence, undo=True, quote=quote,
                          sentence_of=lambda _o: 2) == "undone: events of sentence 3: MEET → ∅"
    document = {"scope": "document", "start": None, "end": None, "before": ["A"],
                "after": ["A", "B"]}
    assert history_notice("set_events", document, undo=False, quote=quote) == (
        "redone: events of the document: A → A, B")
    status = {"before": "in_progress", "after": "done"}
    assert history_notice("set_status", status, undo=True, quote=quote) == (
        "undone: status done → in progress")
    assert history_notice("something_new", {}, undo=True, quote=quote) == (
        "undone: something new")


def test_where_the_change_was() -> None:
    assert changed_span("add_span", {"span": SPAN}) == (3, 9)
    assert changed_span("set_events", {"scope": "sentence", "start": 40, "end": 80}) == (40, 80)
    assert changed_span("set_events", {"scope": "document", "start": None}) is None
    assert changed_span("set_status", {"before": "new", "after": "done"}) is None
