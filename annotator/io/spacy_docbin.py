"""spaCy export: a `.spacy` DocBin (spaCy v3 training format), one Doc per document.

* Tokens are `annotator.io.token_split` tokens (cut at every span edge), built with
  ``Doc(vocab, words=..., spaces=...)`` on the ``spacy.blank("ar")`` vocab; whitespace
  other than one plain space after a token becomes a whitespace token, so ``doc.text`` is
  exactly the document text and token character offsets are the record's offsets.
* ``doc.spans["sc"]``: every span (nested and overlapping ones included), labelled.
* ``doc.ents``: the spans that do not overlap, chosen greedily longest first (ties: the
  earlier, then the label order), so the NER component can train on the rest.
* sentence starts: the first token of each block (stored sentence) is a sentence start.
* event labels: ``doc.cats`` holds every event type of the label schema (1.0 when the
  document has it at document scope, else 0.0); sentence-scope labels are spans over the
  sentence in ``doc.spans["events"]``.
* ``doc.user_data``: id, title, source, annotators, split.

spaCy is an optional extra (``pip install 'annotator[spacy]'``); it is imported only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.io.token_split import Layout, TokenSpan, layout
from annotator.io.writer import Record, Writer, split_path

SPANS_KEY = "sc"
EVENTS_KEY = "events"


def _import_spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise AnnotatorError(
            "--format spacy needs spaCy: pip install 'annotator[spacy]'") from None
    return spacy


def words_and_spaces(text: str, lay: Layout) -> tuple[list[str], list[bool], list[int]]:
    """Words and trailing-space flags reproducing `text` exactly, and for each layout token
    its index among the words."""
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []
    pos = 0

    def gap(upto: int) -> None:
        between = text[pos:upto]
        if between and words and between[0] == " ":
            spaces[-1] = True
            between = between[1:]
        if between:
            words.append(between)
            spaces.append(False)

    for s, e in lay.tokens:
        gap(s)
        index.append(len(words))
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    gap(len(text))
    return words, spaces, index


def greedy_ents(spans: list[TokenSpan]) -> list[TokenSpan]:
    """Non-overlapping spans, longest first."""
    taken: list[TokenSpan] = []
    for sp in sorted(spans, key=lambda t: (-(t.last - t.first), t.first, t.label)):
        if all(sp.last <= o.first or o.last <= sp.first for o in taken):
            taken.append(sp)
    return sorted(taken, key=lambda t: t.first)


class SpacyWriter(Writer):
    def __init__(self, out: Path, event_labels: list[str] | None = None) -> None:
        super().__init__(out)
        spacy = _import_spacy()
        from spacy.tokens import DocBin

        self._DocBin = DocBin
        self._vocab = spacy.blank("ar").vocab
        self._event_labels = list(event_labels or [])
        self._bins: dict[str | None, Any] = {}

    def make_doc(self, record: Record) -> Any:
        from spacy.tokens import Doc, Span

        text = record["text"]
        lay = layout(
            text,
            [(s["start"], s["end"]) for s in record["sentences"]],
            [(s["start"], s["end"], s["label"]) for s in record["spans"]],
        )
        self.problems.extend(f"{record['id']}: {p}" for p in lay.problems)
        words, spaces, index = words_and_spaces(text, lay)
        meta = record["meta"]
        block_starts = {index[first] for first, _ in lay.blocks} | {0}
        sent_starts = [i in block_starts for i in range(len(words))]
        doc = Doc(self._vocab, words=words, spaces=spaces, sent_starts=sent_starts, user_data={
            "id": record["id"], "title": record["title"], "source": meta["source"],
            "annotators": meta["annotators"], "split": meta.get("split"),
        })
        if doc.text != text:  # cannot happen unless words_and_spaces is wrong
            raise AnnotatorError(f"{record['id']}: spaCy Doc text differs from the document")

        def span(sp: TokenSpan) -> Any:
            return Span(doc, index[sp.first], index[sp.last - 1] + 1, label=sp.label)

        doc.spans[SPANS_KEY] = [span(sp) for sp in lay.spans]
        doc.ents = [span(sp) for sp in greedy_ents(lay.spans)]
        doc_events = {e["label"] for e in record["events"] if e["scope"] == "document"}
        doc.cats = {label: float(label in doc_events)
                    for label in sorted(set(self._event_labels) | doc_events)}
        sentence_events = []
        for e in record["events"]:
            if e["scope"] != "sentence":
                continue
            sp = doc.char_span(e["start"], e["end"], label=e["label"],
                               alignment_mode="contract")
            if sp is None:
                self.problems.append(f"{record['id']}: sentence event {e['label']} "
                                     f"[{e['start']}, {e['end']}) covers no token: left out")
            else:
                sentence_events.append(sp)
        doc.spans[EVENTS_KEY] = sentence_events
        return doc

    def add(self, record: Record) -> None:
        split = record["meta"].get("split")
        if split not in self._bins:
            self._bins[split] = self._DocBin(
                attrs=["ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=True)
        self._bins[split].add(self.make_doc(record))

    def close(self) -> list[Path]:
        if not self._bins:
            self._bins[None] = self._DocBin(store_user_data=True)
        written = []
        for split, docbin in self._bins.items():
            path = split_path(self.out, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(docbin.to_bytes())
            tmp.replace(path)
            written.append(path)
        return written
