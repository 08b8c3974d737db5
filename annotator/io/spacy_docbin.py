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

import os
import shutil
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import pairwise
from multiprocessing import get_context
from operator import itemgetter
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.io.token_split import Layout, TokenSpan, layout
from annotator.io.writer import Record, Writer, split_path

SPANS_KEY = "sc"
EVENTS_KEY = "events"
_RANGE = itemgetter("start", "end")
_SPAN = itemgetter("start", "end", "label")
SHARD_DOCS = 1000  # documents per DocBin: what one shard holds in memory


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
    tokens = lay.tokens
    if tokens and tokens[0][0] == 0 and tokens[-1][1] == len(text):
        # the usual case, in C loops: tokens separated by one space or nothing
        words = [text[s:e] for s, e in tokens]
        gaps = [text[e:s] for (_, e), (s, _) in pairwise(tokens)]
        if not (set(gaps) - {"", " "}):
            spaces = [g == " " for g in gaps]
            spaces.append(False)
            return words, spaces, list(range(len(words)))
    words = []
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

    for s, e in tokens:
        gap(s)
        index.append(len(words))
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    gap(len(text))
    return words, spaces, index


def greedy_ents(spans: list[TokenSpan]) -> list[TokenSpan]:
    """Non-overlapping spans, longest first (ties: the earlier, then the label order)."""
    taken: list[TokenSpan] = []
    used = bytearray(max((sp.last for sp in spans), default=0))
    for sp in sorted(spans, key=lambda t: (-(t.last - t.first), t.first, t.label)):
        if used.find(1, sp.first, sp.last) < 0:
            used[sp.first:sp.last] = b"\x01" * (sp.last - sp.first)
            taken.append(sp)
    return sorted(taken, key=lambda t: t.first)


def add_to_docbin(docbin: Any, doc: Any, words: list[str]) -> None:
    """`docbin.add(doc)` for a Doc of `SpacyWriter.make_doc` (no tagger, parser, lemmas,
    morphology, entity links: those strings are all ""), without its walk over every
    token: the token strings are the doc's distinct words and their norms, the entity
    labels are among the span labels. The result is the same DocBin (a test compares the
    bytes with `DocBin.add`'s)."""
    from spacy.attrs import SPACY

    array = doc.to_array(docbin.attrs)
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    docbin.tokens.append(array)
    spaces = doc.to_array(SPACY)
    docbin.spaces.append(spaces.reshape((spaces.shape[0], 1)).astype(bool))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    strings = docbin.strings
    distinct = set(words)
    strings.update(distinct)
    vocab = doc.vocab
    strings.update(vocab[w].norm_ for w in distinct)
    strings.add("")  # the entity labels: those of doc.spans (make_doc's ents are spans of "sc")
    docbin.cats.append(doc.cats)
    if docbin.store_user_data:
        import srsly

        docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
    docbin.span_groups.append(doc.spans.to_bytes())
    for group in doc.spans.values():
        for span in group:
            strings.add(span.label_)


class _MsgpackEncoders:
    """srsly looks its msgpack encoders up in the installed packages' entry points every
    time it packs (several times per Doc inside `DocBin.add`: a scan of every entry point,
    most of the export's time). While a writer is open the lookup is done once; the
    same encoders are used."""

    def __init__(self) -> None:
        import srsly

        self.registry = srsly.msgpack_encoders
        found = dict(self.registry.get_all())
        self.registry.get_all = lambda: dict(found)  # an instance attribute: shadows

    def restore(self) -> None:
        self.registry.__dict__.pop("get_all", None)


def is_shard_folder(path: Path) -> bool:
    """A folder a sharded spaCy export wrote (only part-NNNN.spacy files in it)."""
    return path.is_dir() and all(
        f.is_file() and f.name.startswith("part-") and f.suffix == ".spacy"
        for f in path.iterdir())


def _put_in_place(src: Path, dest: Path) -> None:
    """Move a written file or folder to `dest`, replacing what an earlier export left
    there (a file, or a folder of shards; any other folder is refused)."""
    if dest.is_dir():
        if not is_shard_folder(dest):
            raise AnnotatorError(f"{dest}: is a folder with other files than part-*.spacy; "
                                 "not replaced")
        shutil.rmtree(dest)
    elif src.is_dir() and dest.exists():
        dest.unlink()
    os.replace(src, dest)


class _Output:
    """One output (one split): OUT is one `.spacy` file while it fits in one DocBin
    (SHARD_DOCS documents), else a folder of `part-0000.spacy`, `part-0001.spacy`, ...
    Both are written under a temporary name and moved into place at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.pending: list[Record] = []
        self.parts = 0

    def next_part(self) -> Path:
        if self.parts == 0:
            self.tmp.mkdir()
        part = self.tmp / f"part-{self.parts:04d}.spacy"
        self.parts += 1
        return part

    def discard(self) -> None:
        if self.tmp.is_dir():
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            self.tmp.unlink(missing_ok=True)


class DocBuilder:
    """Records to Docs, and Docs to a DocBin file (see `SpacyWriter`)."""

    def __init__(self, event_labels: list[str] | None = None) -> None:
        spacy = _import_spacy()
        from spacy.tokens import DocBin

        self._DocBin = DocBin
        self._vocab = spacy.blank("ar").vocab
        self._event_labels = list(event_labels or [])
        self.problems: list[str] = []

    def make_doc(self, record: Record) -> Any:
        return self._build(record)[0]

    def _build(self, record: Record) -> tuple[Any, list[str]]:
        """The Doc of a record, and its words."""
        from spacy.tokens import Doc, Span

        text = record["text"]
        lay = layout(text, list(map(_RANGE, record["sentences"])),
                     list(map(_SPAN, record["spans"])))
        self.problems.extend(f"{record['id']}: {p}" for p in lay.problems)
        words, spaces, index = words_and_spaces(text, lay)
        meta = record["meta"]
        sent_starts = [False] * len(words)
        for first, _ in lay.blocks:
            sent_starts[index[first]] = True
        if words:
            sent_starts[0] = True
        doc = Doc(self._vocab, words=words, spaces=spaces, sent_starts=sent_starts, user_data={
            "id": record["id"], "title": record["title"], "source": meta["source"],
            "annotators": meta["annotators"], "split": meta.get("split"),
        })
        if len(index) != len(words) and doc.text != text:
            # the general path of words_and_spaces (the usual one is exact by construction)
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
        return doc, words

    def _new_bin(self) -> Any:
        return self._DocBin(attrs=["ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=True)

    def write(self, records: list[Record], path: Path) -> list[str]:
        """One DocBin of the records' Docs written to `path`; the problems met."""
        before = len(self.problems)
        docbin = self._new_bin()
        for record in records:
            add_to_docbin(docbin, *self._build(record))
        path.write_bytes(docbin.to_bytes())
        return self.problems[before:]


# one builder per process and event-label set: a worker builds many parts
_BUILDERS: dict[tuple[str, ...], DocBuilder] = {}


def _write_part(records: list[Record], path: Path, event_labels: list[str]) -> list[str]:
    """Build and write one DocBin file (in a worker process, or here); its problems."""
    key = tuple(event_labels)
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = DocBuilder(event_labels)
    problems = builder.write(records, path)
    builder.problems.clear()
    return problems


WORKERS = 2  # processes building DocBins: shards are independent files
IN_FLIGHT = 2 * WORKERS  # shards handed out and not done yet, at the most


class SpacyWriter(Writer):
    """Records are gathered a shard (SHARD_DOCS documents) at a time; each full shard is
    built and written by one of WORKERS forked processes while the export reads on, so
    shards are made side by side. A short export (one shard) is built here. The files
    are the ones one process writes, byte for byte."""

    def __init__(self, out: Path, event_labels: list[str] | None = None) -> None:
        super().__init__(out)
        _import_spacy()
        self._event_labels = list(event_labels or [])
        self._outputs: dict[str | None, _Output] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._flying: deque[Future[list[str]]] = deque()
        self._encoders = _MsgpackEncoders()
        self._local: DocBuilder | None = None

    def _here(self) -> DocBuilder:
        if self._local is None:
            self._local = DocBuilder(self._event_labels)
        return self._local

    def make_doc(self, record: Record) -> Any:
        return self._here()._build(record)[0]

    def _build(self, record: Record) -> tuple[Any, list[str]]:
        return self._here()._build(record)

    def _new_bin(self) -> Any:
        return self._here()._new_bin()

    def add(self, record: Record) -> None:
        split = record["meta"].get("split")
        out = self._outputs.get(split)
        if out is None:
            out = self._outputs[split] = _Output(split_path(self.out, split))
        out.pending.append(record)
        if len(out.pending) == SHARD_DOCS + 1:  # more than one shard: a folder of parts
            self._hand_out(out.pending[:SHARD_DOCS], out.next_part())
            out.pending = out.pending[SHARD_DOCS:]

    def _hand_out(self, records: list[Record], path: Path) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(WORKERS, mp_context=get_context("fork"))
        self._flying.append(self._pool.submit(_write_part, records, path,
                                              self._event_labels))
        while len(self._flying) > IN_FLIGHT:
            self.problems.extend(self._flying.popleft().result())

    def close(self) -> list[Path]:
        try:
            if not self._outputs:  # nothing exported: still an (empty) DocBin
                self._outputs[None] = _Output(self.out)
            for out in self._outputs.values():
                if out.parts:
                    if out.pending:
                        self._hand_out(out.pending, out.next_part())
                elif out.pending:  # one shard: one file, built here
                    self.problems.extend(_write_part(out.pending, out.tmp,
                                                     self._event_labels))
                else:
                    from spacy.tokens import DocBin

                    out.tmp.write_bytes(DocBin(store_user_data=True).to_bytes())
                out.pending = []
            while self._flying:
                self.problems.extend(self._flying.popleft().result())
            for out in self._outputs.values():
                _put_in_place(out.tmp, out.path)
            return [out.path for out in self._outputs.values()]
        except BaseException:
            self.abort()
            raise
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._encoders.restore()

    def abort(self) -> None:
        for future in self._flying:
            future.cancel()
        self._flying.clear()
        self._shutdown()
        for out in self._outputs.values():
            out.discard()
