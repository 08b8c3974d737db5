"""The adjudication example shared by the store and TUI tests: one article that alice and
bob both annotated, agreeing on some items and disagreeing once in each way (label,
boundary, a span only one has, document and sentence event labels)."""

from __future__ import annotations

from annotator.store.service import Store

TEXT = ("أكد وزير الداخلية عبد الوافي لفتيت على التعاون الأمني مع إسبانيا. "
        "وقال إن المغرب شريك موثوق للاتحاد الأوروبي في مكافحة الإرهاب.")
SENTENCES = [(0, 65), (66, 127)]


def add_disputed_document(store: Store, external_id: str = "d1", title: str = "t1") -> int:
    """Add TEXT as `external_id` with alice's and bob's annotations; return its id."""
    doc, _ = store.add_document(external_id=external_id, title=title, text=TEXT,
                                sentences=SENTENCES)
    assert doc.id is not None
    store.import_annotations(doc.id, "alice", [
        (4, 17, "OCC"), (18, 34, "PERS"), (57, 64, "GPE"), (74, 80, "GPE"), (92, 108, "ORG"),
    ], [("STATEMENT", "document", None, None), ("COOPERATE", "document", None, None),
        ("MEET", "sentence", 0, 65), ("COOPERATE", "sentence", 66, 127)])
    store.import_annotations(doc.id, "bob", [
        (4, 17, "OCC"), (18, 34, "ORG"), (57, 64, "GPE"), (93, 108, "ORG"),
    ], [("STATEMENT", "document", None, None), ("MEET", "sentence", 0, 65)])
    return doc.id
