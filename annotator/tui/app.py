"""The annotation app: a documents list, one annotate screen at a time, help, a palette."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from annotator.tui.base_app import SessionApp
from annotator.tui.bindings import GLOBAL, bindings_for
from annotator.tui.palette import AnnotatorCommands
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.store_calls import Failed
from annotator.tui.widgets.status_line import REFUSED

CSS_DIR = Path(__file__).parent


class AnnotatorApp(SessionApp):
    """`annotator annotate`: the current user's view of the corpus."""

    TITLE = "annotator"
    CSS_PATH = CSS_DIR / "annotator.tcss"
    BINDINGS = bindings_for(GLOBAL)
    COMMANDS = {AnnotatorCommands}  # the product's commands only (no framework duplicates)
    COMMAND_PALETTE_DISPLAY = "ctrl+p"
    ENABLE_COMMAND_PALETTE = True

    def first_screens(self) -> list[Screen]:
        documents = DocumentsScreen(self.session)
        screens: list[Screen] = [documents]
        if self.start_doc is not None:
            opened = self._annotate_screen(self.start_doc, on=documents)
            if opened is not None:
                screens.append(opened)
        return screens

    def _annotate_screen(self, doc_id: int, on: Screen | None = None) -> AnnotateScreen | None:
        """The annotate screen on the document; None (and a ✗ line) when it cannot be read."""
        screen = self.guarded("open the document", lambda: AnnotateScreen(self.session, doc_id),
                              saving=False, on=on)
        return None if isinstance(screen, Failed) else screen

    # ----------------------------------------------------------------- actions
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.session.schema))

    def open_document(self, doc_id: int) -> None:
        screen = self._annotate_screen(doc_id)
        if screen is None:
            return
        if isinstance(self.screen, AnnotateScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def on_documents_screen_open(self, event: DocumentsScreen.Open) -> None:
        self.open_document(event.doc_id)

    def on_annotate_screen_switch_document(self, event: AnnotateScreen.SwitchDocument) -> None:
        store, user = self.session.store, self.session.user
        found = self.guarded("list the documents",  # one indexed query (doc_list)
                             lambda: store.neighbour_document(
                                 user, event.doc_id, event.step, unfinished=event.unfinished),
                             saving=False)
        if isinstance(found, Failed):
            return
        here = self.screen if isinstance(self.screen, AnnotateScreen) else None
        if found is None:
            end = "first" if event.step < 0 else "last"
            what = (f"no unfinished document {'before' if event.step < 0 else 'after'} this one"
                    if event.unfinished else f"{end} document")
            if here is not None:
                here.note(what, REFUSED)
            else:
                self.bell()
            return
        self.open_document(found)

    def on_annotate_screen_back(self, event: AnnotateScreen.Back) -> None:
        if isinstance(self.screen, AnnotateScreen) and len(self.screen_stack) > 2:
            self.pop_screen()
