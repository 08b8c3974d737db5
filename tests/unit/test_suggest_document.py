"""One document's keys and gazetteer matches computed once for every source
(annotator.suggest.document, Suggesters.propose), with the same proposals as each source
run on its own."""

from __future__ import annotations

import pytest

import annotator.suggest.document as document_module
import annotator.suggest.gazetteer as gazetteer_module
import annotator.suggest.occurrences as occurrences_module
from annotator.suggest.clitics import form_of_span
from annotator.suggest.crf import SpanModel, train_model
from annotator.suggest.document import DocumentText
from annotator.suggest.evaluate import Counts
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.proposal import drop_taken
from annotator.suggest.service import Suggesters
from annotator.text.keys import keyed

DOCS = [
    ("قال وزير الداخلية عبد الوافي لفتيت إن المغرب آمن. وزار الرباط أمس.",
     ["عبد الوافي لفتيت", "المغرب", "الرباط"]),
    ("أعلن ناصر بوريطة أن المغرب شريك. والتقى بوريطة وزير خارجية فرنسا.",
     ["ناصر بوريطة", "المغرب", "فرنسا"]),
    ("صرح عزيز أخنوش بأن الحكومة ماضية. وزار أخنوش الرباط وللمغرب وفرنسا.",
     ["عزيز أخنوش", "الرباط"]),
] * 6
LABELS = {"عبد الوافي لفتيت": "PERS", "ناصر بوريطة": "PERS", "عزيز أخنوش": "PERS",
          "المغرب": "GPE", "الرباط": "GPE", "فرنسا": "GPE"}
TEXT = "قال بوريطة إن وزير الداخلية لفتيت زار بالمغرب الرباط وفرنسا، وأكد عزيز أخنوش ذلك."


def _gold() -> list[tuple[str, list[tuple[int, int, str]]]]:
    out = []
    for text, names in DOCS:
        spans = []
        for name in names:
            at = text.index(name)
            spans.append((at, at + len(name), LABELS[name]))
        out.append((text, spans))
    return out


@pytest.fixture(scope="module")
def sources() -> Suggesters:
    gold = _gold()
    gaz = Gazetteer([("لفتيت", "PERS"), ("المغرب", "GPE"), ("الرباط", "LOC"),
                     ("وزير الداخلية", "OCC")])
    own = Gazetteer.from_forms([(form_of_span(t, s, e), lab) for t, spans in gold[:2]
                                for s, e, lab in spans], source="occurrences")
    data = train_model(gold, gazetteer=gaz)
    assert data is not None
    model = SpanModel.from_bytes(data, gazetteer=gaz)
    assert model.gazetteer is gaz
    return Suggesters(own=own, gazetteer=gaz, model=model)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def counted(text: str) -> tuple[str, list[int]]:
        calls.append(text)
        return keyed(text)

    for module in (document_module, gazetteer_module, occurrences_module):
        monkeypatch.setattr(module, "keyed", counted)
    return calls


def test_keys_and_matches_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = Gazetteer([("المغرب", "GPE"), ("لفتيت", "PERS")])
    expected = gaz.matches(TEXT), keyed(TEXT)
    assert expected[0]
    calls = _counting(monkeypatch)
    doc = DocumentText(TEXT)
    first = doc.matches(gaz)
    assert first == expected[0] and doc.matches(gaz) is first
    assert doc.keyed == expected[1] and doc.keyed is doc.keyed
    assert calls == [TEXT]
    empty = DocumentText(TEXT)
    assert empty.matches(Gazetteer([])) == [] and calls == [TEXT]  # no keys needed


def test_propose_runs_the_keys_and_the_automaton_once(
        sources: Suggesters, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    runs: list[str] = []
    gaz = sources.gazetteer
    assert gaz is not None
    real = Gazetteer.matches

    def counted(self: Gazetteer, text: str, **kw: object) -> list[tuple[int, int, str]]:
        if self is gaz:
            runs.append(text)
        return real(self, text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Gazetteer, "matches", counted)
    sources.propose(1, TEXT, set())
    assert calls == [TEXT]  # occurrences, gazetteer and the model's features: one key
    assert runs == [TEXT]  # the gazetteer for its proposals and the model's features


def test_propose_proposes_what_each_source_would(sources: Suggesters) -> None:
    assert sources.own is not None and sources.gazetteer is not None
    taken = {(0, 3)}
    expected = []
    seen = set(taken)
    for matcher in (sources.own, sources.gazetteer):
        found = matcher.find(TEXT, seen)
        assert found == matcher.find(TEXT, seen, keyed_text=keyed(TEXT))
        expected += found
        seen.update((p.start, p.end) for p in found)
    model = sources.model.predict(TEXT, seen)
    assert model == sources.model.predict(
        TEXT, seen, gazetteer_matches=sources.gazetteer.matches(TEXT))
    expected += model
    got = sources.propose(1, TEXT, taken)
    assert got == expected
    assert {p.source for p in got} == {"occurrences", "gazetteer", "model"}
    assert sources.gazetteer.proposals(sources.gazetteer.matches(TEXT), seen) == drop_taken(
        sources.gazetteer.find(TEXT), seen)


def test_gold_done_documents_get_no_model_proposals(sources: Suggesters) -> None:
    blind = Suggesters(own=sources.own, gazetteer=sources.gazetteer, model=sources.model,
                       gold_done={1})
    assert all(p.source != "model" for p in blind.propose(1, TEXT, set()))


def test_f1_is_the_exact_ratio_rounded() -> None:
    c = Counts()
    c.tp["A"], c.fp["A"], c.fn["A"] = 1, 19, 43  # F1 = 2 / 64 = 0.03125 exactly
    assert c.report()["micro"]["f1"] == round(2 / 64, 4) == 0.0312
    one_sided = Counts()
    one_sided.fp["A"] = 3  # nothing to find: recall undefined, reported as 0
    assert one_sided.report()["labels"]["A"] == {"precision": 0.0, "recall": 0.0,
                                                 "f1": 0.0, "tp": 0, "fp": 3, "fn": 0}
