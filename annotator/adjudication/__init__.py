"""Merging annotators' versions into gold: pure logic over plain data (no Textual, no DB).

`model` holds the data types, `disagreements` finds what annotators disagree on,
`merge` takes what they all agree on (the unanimous rule), `decide` turns an
adjudicator's choice into the gold items to write, with their provenance.
"""

from annotator.adjudication.decide import choose, edit, reject
from annotator.adjudication.disagreements import find_disagreements, remaining
from annotator.adjudication.merge import agreed_items, auto_plan
from annotator.adjudication.model import (
    DOCUMENT_UNIT,
    Disagreement,
    Outcome,
    Version,
    Work,
)

__all__ = [
    "DOCUMENT_UNIT",
    "Disagreement",
    "Outcome",
    "Version",
    "Work",
    "agreed_items",
    "auto_plan",
    "choose",
    "edit",
    "find_disagreements",
    "reject",
    "remaining",
]
