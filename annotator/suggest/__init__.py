"""Suggestions: spans proposed to an annotator from their own work (pure core, no store).

Sources: ``occurrences`` (other occurrences of a span's text, on the Arabic match keys),
``gazetteer`` (names lists through an Aho–Corasick automaton) and ``model`` (a CRF trained
on the annotator's finished documents and gold). Only :class:`Proposal` is exported here:
the CRF module (which imports ``pycrfsuite``) is imported by its users, lazily.
"""

from annotator.suggest.proposal import SOURCES, Proposal

__all__ = ["SOURCES", "Proposal"]
