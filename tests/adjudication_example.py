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


def add_disputed_corpus(store: Store, n: int, prefix: str = "c") -> list[int]:
    """Add `n` copies of the disputed document (external ids ``{prefix}00000``…, each text
    made unique by a suffix) with alice's and bob's work marked done, in a few bulk inserts
    (seconds for thousands of documents, where `add_disputed_document` takes milliseconds
    each). Return the new document ids in external-id order."""
    from sqlalchemy import select

    from annotator.store.engine import codepoint
    from annotator.store.models import (
        STATUS_DONE,
        Assignment,
        Document,
        EventLabel,
        Sentence,
        Span,
        utcnow,
    )
    from annotator.store.service import sha256_text

    alice, bob = store.annotator("alice").id, store.annotator("bob").id
    now = utcnow()
    texts = [f"{TEXT} ({prefix}{i})" for i in range(n)]
    with store.engine.begin() as conn:
        conn.execute(Document.__table__.insert(), [  # type: ignore[attr-defined]
            {"external_id": f"{prefix}{i:05d}", "title": f"t{i}", "text": text,
             "sha256": sha256_text(text), "source_path": None, "meta": {},
             "created_at": now} for i, text in enumerate(texts)])
        ext = Document.__table__.c.external_id  # type: ignore[attr-defined]
        ids = [row[0] for row in conn.execute(
            select(Document.__table__.c.id)  # type: ignore[attr-defined]
            .where(ext.startswith(prefix, autoescape=True)).order_by(codepoint(ext)))]
        conn.execute(Sentence.__table__.insert(), [  # type: ignore[attr-defined]
            {"document_id": d, "index": k, "start": s, "end": e}
            for d in ids for k, (s, e) in enumerate(SENTENCES)])
        conn.execute(Assignment.__table__.insert(), [  # type: ignore[attr-defined]
            {"document_id": d, "annotator_id": a, "status": STATUS_DONE, "updated_at": now}
            for d in ids for a in (alice, bob)])
        spans = {alice: [(4, 17, "OCC"), (18, 34, "PERS"), (57, 64, "GPE"), (74, 80, "GPE"),
                         (92, 108, "ORG")],
                 bob: [(4, 17, "OCC"), (18, 34, "ORG"), (57, 64, "GPE"), (93, 108, "ORG")]}
        conn.execute(Span.__table__.insert(), [  # type: ignore[attr-defined]
            {"document_id": d, "annotator_id": a, "start": s, "end": e, "label": label,
             "created_at": now, "provenance": None}
            for d in ids for a, rows in spans.items() for s, e, label in rows])
        events = {alice: [("STATEMENT", "document", None, None),
                          ("COOPERATE", "document", None, None),
                          ("MEET", "sentence", 0, 65), ("COOPERATE", "sentence", 66, 127)],
                  bob: [("STATEMENT", "document", None, None), ("MEET", "sentence", 0, 65)]}
        conn.execute(EventLabel.__table__.insert(), [  # type: ignore[attr-defined]
            {"document_id": d, "annotator_id": a, "label": label, "scope": scope,
             "start": s, "end": e, "created_at": now, "provenance": None}
            for d in ids for a, rows in events.items() for label, scope, s, e in rows])
    return ids
