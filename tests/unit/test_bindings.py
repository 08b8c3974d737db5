"""The key table of the TUI: ids, descriptions, and no clash with entity hotkeys."""

from __future__ import annotations

from annotator.labelschema import RESERVED_KEYS, load_schema
from annotator.tui.bindings import (
    ANNOTATE,
    KEYS,
    bindings_for,
    entity_bindings,
    help_rows,
    single_character_keys,
)


def test_every_key_has_a_unique_id_and_a_description() -> None:
    ids = [k.id for k in KEYS]
    assert len(ids) == len(set(ids))
    assert all(k.description.strip() and k.keys for k in KEYS)


def test_app_characters_are_reserved_in_the_label_schema() -> None:
    chars = single_character_keys()
    assert {"x", "e", "E", "u", "/", "n", "p", "d", "q", "[", "]", "{", "}"} <= chars
    assert chars <= RESERVED_KEYS, chars - RESERVED_KEYS


def test_default_entity_hotkeys_do_not_shadow_app_keys() -> None:
    schema = load_schema()
    hotkeys = {t.hotkey for t in schema.entities}
    assert hotkeys == set("1234567890")
    assert not hotkeys & single_character_keys()
    labels = [b.action for b in entity_bindings(schema)]
    assert "label_entity('PERS')" in labels


def test_textual_bindings_are_built_from_the_table() -> None:
    built = {b.id: b for b in bindings_for(ANNOTATE)}
    assert built["span.remove"].key == "x,delete"
    assert built["history.redo"].key == "ctrl+r"
    assert built["select.start_later"].action == "edge('start', 1)"
    # documentation-only rows (the digit hotkeys) are expanded per schema instead
    assert "span.label" not in built


def test_help_rows_cover_every_key_and_the_schema() -> None:
    schema = load_schema()
    rows = help_rows(schema)
    ids = {r[3] for r in rows}
    assert {k.id for k in KEYS} <= ids
    assert {f"span.label.{t.name}" for t in schema.entities} <= ids
