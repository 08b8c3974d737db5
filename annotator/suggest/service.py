"""Suggestions from the store's point of view: what each source proposes to one annotator
on their documents, stored as pending suggestions (no Textual here; the TUI runs these in
workers, the CLI calls them directly).

Sources, per document, in this order (a range one source proposed is not proposed again
by the next): ``occurrences`` (the surfaces the annotator labelled, and adjudicated gold,
found again on the Arabic match keys, proclitics outside as they drew them), ``gazetteer``
(the project's names lists) and ``model`` (a CRF trained on the annotator's own finished
documents plus adjudicated gold; see :func:`training_documents`).

Blindness: nothing here reads another annotator's spans. Gold is read only on documents
whose gold is done (adjudicated), and on such a document nothing learnt from gold (its
surfaces, the model) is proposed: the annotator would be shown gold's answer there.
Everything pages through documents (`PAGE` at a time) and stores each page in one short
set-based transaction. The store is reached through the `Store` passed in (the store
package is imported lazily: importing this module pulls in no database layer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.suggest.clitics import Form, article_outside, form_of_span
from annotator.suggest.document import DocumentText
from annotator.suggest.occurrences import find_in_other, find_occurrences
from annotator.suggest.proposal import SOURCES, Proposal

if TYPE_CHECKING:
    from annotator.store.service import Store
    from annotator.suggest.gazetteer import Gazetteer

__all__ = [
    "PAGE",
    "SOURCES",
    "Suggesters",
    "evaluate",
    "finished_documents",
    "iter_suggest",
    "load_model",
    "retrain",
    "suggest_documents",
    "suggest_occurrences",
    "training_documents",
    "unfinished_documents",
]

PAGE = 200  # documents read, matched and stored per transaction
Doc = tuple[str, list[tuple[int, int, str]]]  # (text, [(start, end, label)])


def _paged(fetch: Callable[[int], list[int]]) -> Iterator[int]:
    after = 0
    while True:
        page = fetch(after)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1]


def unfinished_documents(store: Store, user: str) -> Iterator[int]:
    """Ids of the documents `user` has not marked done, ascending, read a page at a time."""
    return _paged(lambda after: store.unfinished_page(user, after, PAGE))


def finished_documents(store: Store, user: str) -> Iterator[int]:
    return _paged(lambda after: store.finished_page(user, after, PAGE))


def _gold_done(store: Store) -> list[int]:
    return list(_paged(lambda after: store.gold_done_page(after, PAGE)))


def _pages(ids: Iterable[int], size: int = PAGE) -> Iterator[list[int]]:
    page: list[int] = []
    for i in ids:
        page.append(i)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def _documents(store: Store, user: str, ids: Iterable[int]) -> Iterator[tuple[int, Doc]]:
    """(id, (text, spans of `user`)) for the documents, a page of queries at a time."""
    for page in _pages(ids):
        texts, spans = store.texts(page), store.spans_of(user, page)
        for i in page:
            yield i, (texts[i], spans[i])


# ------------------------------------------------------------------------ training
def training_documents(store: Store, user: str) -> list[Doc]:
    """What `user`'s model learns from: their own finished documents, plus the documents
    whose gold is done (gold's version where both exist). Never another annotator's
    unadjudicated work."""
    from annotator.store.models import GOLD

    gold = _gold_done(store)
    gold_set = set(gold)
    own = [i for i in finished_documents(store, user) if i not in gold_set]
    docs = [doc for _, doc in _documents(store, GOLD, gold)]
    docs += [doc for _, doc in _documents(store, user, own)]
    return docs


def store_gazetteer(store: Store) -> Gazetteer | None:
    """The project's gazetteer (labels the schema no longer has are left out), or None."""
    from annotator.suggest.gazetteer import Gazetteer

    entries = [(e.name, e.label) for e in store.gazetteer_entries()]
    checker = store.label_checker
    if checker is not None:
        known = set(checker.entity_names())
        entries = [(n, lab) for n, lab in entries if lab in known]
    return Gazetteer(entries) if entries else None


def retrain(store: Store, user: str) -> bool:
    """Train `user`'s model on `training_documents` and store it (what the TUI runs in a
    worker after each finished document); False when there is nothing to learn from."""
    from annotator.suggest.crf import train_model

    docs = training_documents(store, user)
    if not docs:
        return False
    data = train_model(docs, gazetteer=store_gazetteer(store))
    if data is None:
        return False
    store.save_model(user, data)
    return True


def evaluate(store: Store, user: str, sources: Sequence[str] = SOURCES, *,
             folds: int = 5) -> dict[str, Any]:
    """Cross-validated precision, recall and F1 (per label and micro) of each source on
    `user`'s own finished documents."""
    from annotator.suggest.evaluate import evaluate_sources

    docs = [doc for _, doc in _documents(store, user, finished_documents(store, user))]
    return evaluate_sources(docs, list(sources), folds=folds,
                            gazetteer=store_gazetteer(store))


# ---------------------------------------------------------------------- suggesting
def suggest_occurrences(store: Store, user: str, doc_id: int, start: int, end: int,
                        label: str, *, everywhere: bool = False) -> int:
    """Suggest every other occurrence of the span ``[start, end)`` in the document (and,
    with `everywhere`, in all the user's unfinished documents): the number stored."""
    text = store.texts([doc_id])[doc_id]
    taken = store.taken_ranges(user, [doc_id])[doc_id]
    added = store.add_suggestions(user, doc_id, find_occurrences(
        text, start, end, label, taken=taken))
    if not everywhere:
        return added
    surface, with_article = text[start:end], article_outside(text, start)
    others = (i for i in unfinished_documents(store, user) if i != doc_id)
    for page in _pages(others):
        texts, taken_by = store.texts(page), store.taken_ranges(user, page)
        added += store.add_suggestions_many(user, {
            i: find_in_other(texts[i], surface, label, with_article=with_article,
                             taken=taken_by[i]) for i in page})
    return added


@dataclass
class Suggesters:
    """The sources, built once for a run: `own` and `gold` are occurrence matchers of the
    surfaces the annotator (gold) labelled, `gazetteer` the names lists, `model` the
    annotator's model; `gold_done` the documents nothing learnt from gold may touch.
    `notes` says what could not be used (no model yet …)."""

    own: Gazetteer | None = None
    gold: Gazetteer | None = None
    gazetteer: Gazetteer | None = None
    model: Any | None = None
    gold_done: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def propose(self, doc_id: int, text: str, taken: set[tuple[int, int]]
                ) -> list[Proposal]:
        """Every source's proposals for one document; each range once (first source)."""
        blind = doc_id in self.gold_done
        doc = DocumentText(text)  # the keys and the gazetteer's matches, once
        out: list[Proposal] = []
        taken = set(taken)
        for matcher in (self.own, None if blind else self.gold, self.gazetteer):
            if matcher is not None:
                found = matcher.proposals(doc.matches(matcher), taken)
                out += found
                taken.update((p.start, p.end) for p in found)
        if self.model is not None and not blind:
            gazetteer = self.model.gazetteer
            out += self.model.predict(text, taken, gazetteer_matches=None if gazetteer is None
                                      else doc.matches(gazetteer))
        return out


def _forms(store: Store, user: str, ids: Iterable[int]) -> Iterator[tuple[Form, str]]:
    """The form (article inside, outside, none) and label of every span of `user` on the
    documents, read as drawn."""
    for _, (text, spans) in _documents(store, user, ids):
        for start, end, label in spans:
            yield form_of_span(text, start, end), label


def suggesters(store: Store, user: str, sources: Sequence[str]) -> Suggesters:
    """Build the sources asked for; a model is trained first when the user has none."""
    from annotator.store.models import GOLD
    from annotator.suggest.gazetteer import Gazetteer

    out = Suggesters()
    out.gold_done = set(_gold_done(store))
    if "occurrences" in sources:
        own_docs = store.documents_with_spans(user)
        out.own = Gazetteer.from_forms(_forms(store, user, own_docs), source="occurrences")
        out.gold = Gazetteer.from_forms(_forms(store, GOLD, sorted(out.gold_done)),
                                        source="occurrences")
        out.own = out.own or None
        out.gold = out.gold or None
    gazetteer = store_gazetteer(store) if {"gazetteer", "model"} & set(sources) else None
    if "gazetteer" in sources:
        out.gazetteer = gazetteer
        if out.gazetteer is None:
            out.notes.append("the gazetteer is empty (annotator gazetteer add FILE)")
    if "model" in sources:
        out.model = load_model(store, user, gazetteer=gazetteer)
        if out.model is None:
            out.notes.append(f"no model for {user} yet: it learns from the documents "
                             f"{user} marks done (and adjudicated gold)")
    return out


def load_model(store: Store, user: str, *, gazetteer: Any | None = None) -> Any | None:
    """The user's model (`annotator.suggest.crf.SpanModel`), trained now when they have
    none yet or the stored one cannot be read (an older format); None when there is
    nothing to learn from."""
    from annotator.suggest.crf import ModelError, SpanModel

    gazetteer = gazetteer or store_gazetteer(store)
    for attempt in range(2):
        data = store.load_model(user)
        if data is not None:
            try:
                return SpanModel.from_bytes(data, gazetteer=gazetteer)
            except ModelError:
                pass
        if attempt or not retrain(store, user):
            return None
    return None


def iter_suggest(store: Store, user: str, doc_ids: Iterable[int],
                 found: Suggesters) -> Iterator[tuple[list[int], int]]:
    """Propose and store, a page of documents per transaction: (page, number stored)."""
    checker = store.label_checker
    known = set(checker.entity_names()) if checker is not None else None
    for page in _pages(doc_ids):
        texts, taken = store.texts(page), store.taken_ranges(user, page)
        proposals = {i: [p for p in found.propose(i, texts[i], taken[i])
                         if known is None or p.label in known]  # a label since dropped
                     for i in page if i in texts}
        yield page, store.add_suggestions_many(user, proposals)


def suggest_documents(store: Store, user: str, doc_ids: Iterable[int],
                      sources: Sequence[str] = SOURCES) -> int:
    """Compute and store pending suggestions for `user` on the documents: the number
    stored."""
    found = suggesters(store, user, sources)
    return sum(n for _, n in iter_suggest(store, user, doc_ids, found))

