"""One document as the suggestion sources read it: its text, its match keys
(:func:`annotator.text.keys.keyed`) and each gazetteer's matches in it, each computed
once, when a source first asks, however many sources ask (the occurrence matchers, the
gazetteer and the model's gazetteer features all run on the same keys)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.text.keys import keyed

if TYPE_CHECKING:
    from annotator.suggest.gazetteer import Gazetteer

__all__ = ["DocumentText"]

Match = tuple[int, int, str]


class DocumentText:
    """``text`` with its keys and gazetteer matches computed at most once each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._keyed: tuple[str, list[int]] | None = None
        self._matches: dict[Gazetteer, list[Match]] = {}

    @property
    def keyed(self) -> tuple[str, list[int]]:
        """``keyed(text)``: the key and the text offset of each key character."""
        if self._keyed is None:
            self._keyed = keyed(self.text)
        return self._keyed

    def matches(self, gazetteer: Gazetteer) -> list[Match]:
        """``gazetteer.matches(text)``, the automaton run once per gazetteer (an empty
        gazetteer matches nothing and needs no keys)."""
        found = self._matches.get(gazetteer)
        if found is None:
            found = gazetteer.matches(self.text, keyed_text=self.keyed) if len(gazetteer) else []
            self._matches[gazetteer] = found
        return found
