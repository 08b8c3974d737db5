"""Every key of the TUI, as data: one `KeySpec` per action, with an id and a description.

The screens build their Textual `Binding` objects from this table (`bindings_for`), the
help screen lists it (`help_rows`), and a unit test checks it against
`annotator.labelschema.RESERVED_KEYS` so that no entity hotkey can shadow an app key.

Selection edges (for clitics such as لل in للبوليساريو) move in logical (reading) order:
`[` moves the start edge one character earlier, `]` one character later (shrinks);
`{` moves the end edge one character earlier (shrinks), `}` one character later.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from textual.binding import Binding

from annotator.labelschema import LabelSchema

# screen names used as the `scope` of a KeySpec
GLOBAL = "global"
DOCUMENTS = "documents"
DOCUMENTS_TABLE = "documents table"  # the list itself (focused), one page of rows at a time
DOCUMENTS_FILTER = "documents filter"  # the filter field of the documents list
ANNOTATE = "annotate"
PICKER = "event picker"
SEARCH = "search"
SPANS = "span list"
ARGUMENTS = "argument mode"  # of an event mention (annotator.tui.mentions_view)


@dataclass(frozen=True)
class KeySpec:
    """One app key: a stable id, the key(s), the Textual action, and what it does."""

    id: str
    keys: tuple[str, ...]
    action: str
    description: str
    scope: str
    footer: bool = False
    key_display: str | None = None
    priority: bool = False
    short: str = ""  # the footer's label; the description when empty
    group: str = ""  # keys with the same group share one footer label (`short` of the first)

    @property
    def keys_text(self) -> str:
        """The key(s) in the app's one vocabulary of key names (help, footer, palette)."""
        return self.key_display or " / ".join(key_name(k) for k in self.keys)

    def binding(self) -> Binding:
        return Binding(
            ",".join(self.keys), self.action, self.short or self.description,
            show=self.footer, key_display=self.key_display or key_name(self.keys[0]),
            priority=self.priority,
            tooltip=self.description, id=self.id,
            group=Binding.Group(self.group) if self.group else None,
        )


KEYS: tuple[KeySpec, ...] = (
    # -- everywhere
    KeySpec("app.quit", ("q",), "app.quit", "Quit (every change is already saved)", GLOBAL,
            footer=True, short="quit"),
    KeySpec("app.help", ("question_mark",), "app.help", "Show this list of keys", GLOBAL,
            footer=True, short="keys", key_display="?"),
    KeySpec("app.palette", ("ctrl+p",), "app.command_palette", "Command palette", GLOBAL,
            key_display="ctrl+p"),
    # -- documents list
    KeySpec("documents.open", ("enter",), "open_document", "Open the highlighted document",
            DOCUMENTS, footer=True, short="open"),
    KeySpec("documents.filter", ("slash",), "focus_filter", "Filter the list as you type, by "
            "id or title (hamza, ta marbuta, tashkeel, case ignored)", DOCUMENTS,
            footer=True, short="filter", key_display="/"),
    KeySpec("documents.status", ("f",), "cycle_status", "Show one status only: all, new, "
            "in progress, done, unfinished (new or in progress)", DOCUMENTS, footer=True,
            short="status"),
    KeySpec("documents.sort", ("s",), "cycle_sort", "Order by id, title, status or last "
            "change (newest first)", DOCUMENTS, footer=True, short="sort"),
    KeySpec("documents.reverse", ("r",), "reverse", "Reverse the order", DOCUMENTS,
            footer=True, short="reverse"),
    KeySpec("documents.down", ("down",), "cursor_down",
            "Next document (at the page's last row, the next page)", DOCUMENTS_TABLE,
            key_display="↓"),
    KeySpec("documents.up", ("up",), "cursor_up",
            "Previous document (at the page's first row, the previous page)",
            DOCUMENTS_TABLE, key_display="↑"),
    KeySpec("documents.page_down", ("pagedown",), "page_down",
            "A screen down; at the page's last row, the next page", DOCUMENTS_TABLE),
    KeySpec("documents.page_up", ("pageup",), "page_up",
            "A screen up; at the page's first row, the previous page", DOCUMENTS_TABLE),
    KeySpec("documents.first", ("home", "ctrl+home"), "first",
            "The first document of the list (first page)", DOCUMENTS_TABLE),
    KeySpec("documents.last", ("end", "ctrl+end"), "last",
            "The last document of the list (last page)", DOCUMENTS_TABLE),
    KeySpec("documents.filter_done", ("enter", "down"), "to_list",
            "Back to the list, keeping the filter", DOCUMENTS_FILTER),
    KeySpec("documents.filter_clear", ("escape",), "clear_filter",
            "Clear the filter and go back to the list", DOCUMENTS_FILTER, key_display="Esc"),
    # -- annotate: moving
    KeySpec("cursor.left", ("left",), "move_token('left')",
            "Token to the left on screen (forward in Arabic)", ANNOTATE, key_display="←"),
    KeySpec("cursor.right", ("right",), "move_token('right')",
            "Token to the right on screen (back in Arabic)", ANNOTATE, key_display="→"),
    KeySpec("cursor.up", ("up",), "move_line(-1)", "Visual line up", ANNOTATE, key_display="↑"),
    KeySpec("cursor.down", ("down",), "move_line(1)", "Visual line down", ANNOTATE,
            key_display="↓"),
    KeySpec("cursor.page_up", ("pageup",), "move_page(-1)", "Page up", ANNOTATE),
    KeySpec("cursor.page_down", ("pagedown",), "move_page(1)", "Page down", ANNOTATE),
    KeySpec("cursor.home", ("home",), "move_edge('start')", "First token of the document",
            ANNOTATE),
    KeySpec("cursor.end", ("end",), "move_edge('end')", "Last token of the document",
            ANNOTATE),
    # -- annotate: selecting
    KeySpec("select.left", ("shift+left",), "extend_token('left')",
            "Extend the selection by a token to the left", ANNOTATE, key_display="⇧←",
            footer=True, group="select"),
    KeySpec("select.right", ("shift+right",), "extend_token('right')",
            "Extend the selection by a token to the right", ANNOTATE, key_display="⇧→",
            footer=True, group="select"),
    KeySpec("select.start_earlier", ("left_square_bracket",), "edge('start', -1)",
            "Selection start one character earlier (grow)", ANNOTATE, key_display="[",
            footer=True, group="edges"),
    KeySpec("select.start_later", ("right_square_bracket",), "edge('start', 1)",
            "Selection start one character later (shrink, e.g. drop a clitic)", ANNOTATE,
            key_display="]", footer=True, group="edges"),
    KeySpec("select.end_earlier", ("left_curly_bracket",), "edge('end', -1)",
            "Selection end one character earlier (shrink)", ANNOTATE, key_display="{",
            footer=True, group="edges"),
    KeySpec("select.end_later", ("right_curly_bracket",), "edge('end', 1)",
            "Selection end one character later (grow)", ANNOTATE, key_display="}",
            footer=True, group="edges"),
    KeySpec("select.clear", ("escape",), "clear_selection", "Clear the selection", ANNOTATE,
            key_display="Esc"),
    # -- annotate: changing (each change is one committed transaction)
    KeySpec("span.label", ("1-0",), "label_entity", "Label the selection (or the token under "
            "the cursor) with the schema's entity type; on the exact extent of one of your "
            "spans, relabel it (+ first adds a second label instead)", ANNOTATE,
            key_display="1…0"),
    KeySpec("span.add_label", ("plus",), "add_label_next",
            "Then a label key: add a second label on a span's exact extent (a label key "
            "alone on one of your spans relabels it)", ANNOTATE, key_display="+"),
    KeySpec("span.remove", ("x", "delete"), "remove_span",
            "Remove the span under the cursor (pick one when spans are nested)", ANNOTATE,
            footer=True, short="remove"),
    KeySpec("events.sentence", ("e",), "pick_events('sentence')",
            "Event labels of the sentence under the cursor", ANNOTATE, footer=True,
            short="events", group="events"),
    KeySpec("events.document", ("E",), "pick_events('document')",
            "Event labels of the document", ANNOTATE, footer=True, short="doc events",
            group="events"),
    KeySpec("history.undo", ("u",), "undo", "Undo the last change", ANNOTATE,
            footer=True, short="undo", group="undo"),
    KeySpec("history.redo", ("ctrl+r",), "redo", "Redo", ANNOTATE,
            footer=True, group="undo"),
    KeySpec("search.open", ("slash",), "search", "Search (hamza, ta marbuta, tashkeel "
            "ignored); Enter jumps to the next hit", ANNOTATE, footer=True, short="search",
            key_display="/"),
    KeySpec("search.next", ("greater_than_sign",), "search_hit(1)", "Next search hit",
            ANNOTATE, key_display=">"),
    KeySpec("search.previous", ("less_than_sign",), "search_hit(-1)", "Previous search hit",
            ANNOTATE, key_display="<"),
    KeySpec("document.next", ("n",), "other_document(1)", "Next document", ANNOTATE,
            footer=True, short="next"),
    KeySpec("document.previous", ("p",), "other_document(-1)", "Previous document",
            ANNOTATE),
    KeySpec("document.next_unfinished", ("N",), "other_document(1, True)",
            "Next unfinished document (skips the ones marked done)", ANNOTATE),
    KeySpec("document.previous_unfinished", ("P",), "other_document(-1, True)",
            "Previous unfinished document (skips the ones marked done)", ANNOTATE),
    KeySpec("document.done", ("d",), "mark_done", "Mark the document done", ANNOTATE,
            footer=True, short="done", group="done"),
    KeySpec("document.reopen", ("D",), "reopen", "Mark the document in progress again",
            ANNOTATE, footer=True, group="done"),
    KeySpec("document.list", ("b",), "back", "Back to the documents list", ANNOTATE,
            footer=True, short="list"),
    KeySpec("legend.toggle", ("L",), "toggle_legend",
            "Show / hide the legend (label keys, names and colours)", ANNOTATE, footer=True,
            short="legend"),
    # -- annotate: suggestions (pending proposals, drawn ┆underlined┆ in the label's colour)
    KeySpec("suggest.next", ("s",), "suggestion_step(1)",
            "Select the next pending suggestion (wraps around)", ANNOTATE, footer=True,
            short="suggestion", group="suggest"),
    KeySpec("suggest.previous", ("S",), "suggestion_step(-1)",
            "Select the previous pending suggestion (wraps around)", ANNOTATE, footer=True,
            group="suggest"),
    KeySpec("suggest.accept", ("a",), "accept_suggestion",
            "Accept the suggestion under the cursor: it becomes your span (undoable)",
            ANNOTATE, footer=True, short="accept", group="accept"),
    KeySpec("suggest.reject", ("r",), "reject_suggestion",
            "Reject the suggestion under the cursor (never proposed again; undoable)",
            ANNOTATE, footer=True, short="reject", group="accept"),
    KeySpec("suggest.accept_sentence", ("A",), "decide_suggestions('sentence', True)",
            "Accept every pending suggestion of the sentence under the cursor (one undo)",
            ANNOTATE),
    KeySpec("suggest.reject_sentence", ("R",), "decide_suggestions('sentence', False)",
            "Reject every pending suggestion of the sentence under the cursor (one undo)",
            ANNOTATE),
    KeySpec("suggest.accept_document", ("ctrl+a",), "decide_suggestions('document', True)",
            "Accept every pending suggestion of the document (one undo)", ANNOTATE),
    KeySpec("suggest.occurrences", ("o",), "propose_occurrences(False)",
            "Annotate all occurrences: propose the span under the cursor (or the one you "
            "just labelled) on every other occurrence of its text in this document "
            "(hamza, ta marbuta, tashkeel ignored; a proclitic left out as you did)",
            ANNOTATE, footer=True, short="all occurrences"),
    KeySpec("suggest.occurrences_everywhere", ("O",), "propose_occurrences(True)",
            "The same in all your unfinished documents (runs in the background)", ANNOTATE),
    # -- annotate: event mentions (trigger, type, arguments, attributes; issue 13)
    KeySpec("mention.trigger", ("t",), "mark_trigger",
            "Mark the selection (or the token under the cursor; a sub-token with the span "
            "keys) as an event trigger: pick its event type, then link its arguments",
            ANNOTATE, footer=True, short="trigger", group="mentions"),
    KeySpec("mention.arguments", ("l",), "argument_mode",
            "Argument mode for the event mention under the cursor (or the current one)",
            ANNOTATE, footer=True, short="args", group="mentions"),
    KeySpec("mention.attributes", ("i",), "mention_attributes",
            "Set an attribute (polarity, tense, genericity, modality …) of the event "
            "mention under the cursor, or of the one in argument mode", ANNOTATE),
    KeySpec("mention.next", ("j",), "mention_step(1)",
            "Next event mention of the document (select its trigger)", ANNOTATE),
    KeySpec("mention.previous", ("k",), "mention_step(-1)",
            "Previous event mention of the document (select its trigger)", ANNOTATE),
    KeySpec("mention.type", ("T",), "mention_type",
            "Change the event type of the mention under the cursor (a picker; arguments "
            "the new type's roles do not take are unlinked; one undoable change)", ANNOTATE),
    KeySpec("mention.remove", ("X",), "remove_mention",
            "Remove the event mention under the cursor (or the current one) with its "
            "argument links (undoable)", ANNOTATE),
    KeySpec("mention.coref", ("c",), "mention_coref",
            "Event coreference: the mention under the cursor is the same event as an "
            "earlier mention of the document (pick it; 0: none)", ANNOTATE),
    # -- argument mode (after t, or l): handled by the screen before its other keys
    KeySpec("arguments.role", ("letters",), "choose_role",
            "Choose the role whose key the panel shows (the event type's roles)",
            ARGUMENTS, key_display="role key"),
    KeySpec("arguments.next", ("tab",), "candidate_step(1)",
            "Highlight the next span that fits the role, nearest to the trigger first "
            "(same sentence)", ARGUMENTS),
    KeySpec("arguments.previous", ("shift+tab",), "candidate_step(-1)",
            "Highlight the previous span that fits the role", ARGUMENTS),
    KeySpec("arguments.link", ("enter",), "link_argument",
            "Link the highlighted span in the role (a role that does not repeat gives up "
            "its argument)", ARGUMENTS),
    KeySpec("arguments.unlink", ("backspace", "delete"), "unlink_argument",
            "Unlink the highlighted argument of the role (or its only one)", ARGUMENTS),
    KeySpec("arguments.leave", ("escape",), "leave_argument_mode",
            "Leave the argument mode", ARGUMENTS, key_display="Esc"),
    # -- event picker
    KeySpec("picker.toggle", ("space",), "toggle", "Tick / untick the highlighted label",
            PICKER),
    KeySpec("picker.hotkey", ("letters",), "toggle_label",
            "Tick / untick a label by its hotkey", PICKER, key_display="hotkey"),
    KeySpec("picker.save", ("enter",), "save", "Save the ticked labels", PICKER),
    KeySpec("picker.cancel", ("escape",), "cancel", "Close without saving", PICKER,
            key_display="Esc"),
    # -- span list (Tab from the article focuses it)
    KeySpec("spans.up", ("up",), "step(-1)", "Previous span of the list", SPANS,
            footer=True, short="span", group="spans"),
    KeySpec("spans.down", ("down",), "step(1)", "Next span of the list", SPANS,
            footer=True, short="span", group="spans"),
    KeySpec("spans.jump", ("enter",), "jump", "Jump to the span and select it (a click on "
            "a row does the same)", SPANS, footer=True, short="jump to span"),
    # -- search bar
    KeySpec("search.enter", ("enter", "down"), "next_hit", "Next hit", SEARCH),
    KeySpec("search.up", ("up",), "previous_hit", "Previous hit", SEARCH),
    KeySpec("search.close", ("escape",), "close", "Close the search bar", SEARCH,
            key_display="Esc"),
)

# the one vocabulary of key names shown to the user (help, footers, palette); printable
# characters are shown as themselves, ctrl combinations as `ctrl+r`
KEY_NAMES = {
    "left": "←", "right": "→", "up": "↑", "down": "↓", "shift+left": "⇧←",
    "shift+right": "⇧→", "shift+up": "⇧↑", "shift+down": "⇧↓", "pageup": "PgUp",
    "pagedown": "PgDn", "home": "Home", "end": "End", "escape": "Esc", "enter": "Enter",
    "space": "Space", "delete": "Delete", "backspace": "Backspace", "tab": "Tab",
    "shift+tab": "⇧Tab",
}


def key_name(key: str) -> str:
    """A Textual key name as the user sees it: 'left_square_bracket' -> '[', 'escape' ->
    'Esc', 'ctrl+r' -> 'ctrl+r'."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if "+" in key and len(key) > 1:
        return key
    return _key_character(key)


# keys that are documentation only (expanded per schema or handled by the widget itself)
_VIRTUAL_KEYS = {"1-0", "letters"}
# ids that Textual binds itself (the command palette)
_BUILTIN_IDS = {"app.palette"}


def spec(key_id: str) -> KeySpec:
    return next(k for k in KEYS if k.id == key_id)


# the footer shows a screen's keys in this order (the ones an annotator needs most first:
# a narrow terminal cuts the footer on the right); keys not named here come after
FOOTER_ORDER = (
    "select.left", "select.right", "select.start_earlier", "select.start_later",
    "select.end_earlier", "select.end_later", "history.undo", "history.redo",
    "document.done", "document.reopen", "document.list", "events.sentence",
    "events.document", "span.remove", "search.open", "document.next", "legend.toggle",
)


def _footer_rank(k: KeySpec) -> int:
    return FOOTER_ORDER.index(k.id) if k.id in FOOTER_ORDER else len(FOOTER_ORDER)


def bindings_for(scope: str) -> list[Binding]:
    """The Textual bindings of one screen (or the app, for GLOBAL), in footer order."""
    keys = [
        k for k in KEYS
        if k.scope == scope and not set(k.keys) & _VIRTUAL_KEYS and k.id not in _BUILTIN_IDS
    ]
    return [k.binding() for k in sorted(keys, key=_footer_rank)]


def entity_bindings(schema: LabelSchema) -> list[Binding]:
    """One binding per entity hotkey of the schema: label the selection with that type."""
    return [
        Binding(t.hotkey, f"label_entity('{t.name}')", f"Label {t.name}", show=False,
                id=f"span.label.{t.name}")
        for t in schema.entities
    ]


def single_character_keys() -> set[str]:
    """The printable characters the app binds (must all be in RESERVED_KEYS)."""
    chars: set[str] = set()
    for k in KEYS:
        if k.scope not in (GLOBAL, ANNOTATE):
            continue
        for key in k.keys:
            if key in _VIRTUAL_KEYS:
                continue
            char = key if len(key) == 1 else _key_character(key)
            if len(char) == 1 and char.isprintable():
                chars.add(char)
    return chars


def _key_character(key: str) -> str:
    """'left_square_bracket' -> '['; keys that are not one character come back unchanged."""
    from textual.keys import _character_to_key

    for char in string.printable.strip():
        if _character_to_key(char) == key:
            return char
    return key


def help_rows(schema: LabelSchema | None = None) -> list[tuple[str, str, str, str]]:
    """(scope, keys, description, id) for the help screen, schema hotkeys expanded."""
    rows = [(k.scope, k.keys_text, k.description, k.id) for k in KEYS]
    if schema is not None:
        rows += [(ANNOTATE, t.hotkey, f"Label {t.name} — {t.en}", f"span.label.{t.name}")
                 for t in schema.entities]
        rows += [(PICKER, t.hotkey, f"{t.name} — {t.en}", f"picker.{t.name}")
                 for t in schema.events]
        roles: dict[tuple[str, str], list[str]] = {}
        for t in schema.events:
            for r in t.roles:
                roles.setdefault((r.hotkey, r.name), []).append(t.name)
        rows += [(ARGUMENTS, key, f"Role {name} — of {', '.join(types)}",
                  f"arguments.role.{name}.{key}") for (key, name), types in sorted(roles.items())]
    return rows
