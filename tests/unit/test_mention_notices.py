"""Undo / redo notices of event-mention steps name what changed, as it now stands."""

from __future__ import annotations

from annotator.tui.notices import changed_span, history_notice


def quote(start: int, end: int) -> str:
    return f"«{start}-{end}»"


BASE = {"start": 10, "end": 15, "type": "VISIT", "coref": None, "provenance": None,
        "attributes": {"polarity": "positive"}, "arguments": []}
PLACE = {"role": "Place", "start": 30, "end": 36, "label": "GPE", "provenance": None}


def notice(kind: str, before: dict | None, after: dict | None, undo: bool) -> str:
    return history_notice(kind, {"before": before, "after": after, "referrers": []},
                          undo=undo, quote=quote)


def test_adding_and_removing_a_trigger() -> None:
    assert notice("add_event_mention", None, BASE, undo=False) == \
        "redone: VISIT trigger «10-15» added"
    assert notice("add_event_mention", None, BASE, undo=True) == \
        "undone: VISIT trigger «10-15» removed"
    assert notice("remove_event_mention", BASE, None, undo=True) == \
        "undone: VISIT trigger «10-15» added"


def test_links_attributes_and_type() -> None:
    linked = dict(BASE, arguments=[PLACE])
    assert notice("add_event_argument", BASE, linked, undo=False) == \
        "redone: linked Place GPE «30-36» (VISIT)"
    assert notice("add_event_argument", BASE, linked, undo=True) == \
        "undone: unlinked Place GPE «30-36» (VISIT)"
    negative = dict(BASE, attributes={"polarity": "negative"})
    assert notice("set_mention_attributes", BASE, negative, undo=False) == \
        "redone: polarity=negative on VISIT trigger «10-15»"
    assert notice("set_mention_attributes", BASE, negative, undo=True) == \
        "undone: polarity=positive on VISIT trigger «10-15»"
    meet = dict(BASE, type="MEET")
    assert notice("set_mention_type", BASE, meet, undo=True) == "undone: MEET → VISIT «10-15»"


def test_the_trigger_is_brought_into_view() -> None:
    payload = {"before": None, "after": BASE}
    assert changed_span("add_event_mention", payload) == (10, 15)
    assert changed_span("remove_event_mention", {"before": BASE, "after": None}) == (10, 15)
