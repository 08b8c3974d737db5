"""The model source (annotator.suggest.crf, .features): a CRF learnt from spans."""

from __future__ import annotations

import random

import pytest

from annotator.suggest.crf import ModelError, SpanModel, train_model
from annotator.suggest.features import bio_tags, model_tokens, outermost, spans_of_tags
from annotator.suggest.gazetteer import Gazetteer

MINISTERS = ["عبد الوافي لفتيت", "ناصر بوريطة", "عزيز أخنوش", "شكيب بنموسى", "نزار بركة",
             "يونس السكوري", "محمد صديقي", "ليلى بنعلي"]
UNSEEN = "سعيد أمزازي"
FILLERS = ["أكد", "قال", "أعلن", "صرح", "أوضح"]
ENDINGS = ["أن الوضع مستقر", "إن الحكومة ماضية في الإصلاحات", "عن إجراءات جديدة",
           "أن التحقيق جار"]


def _doc(rng: random.Random, name: str) -> tuple[str, list[tuple[int, int, str]]]:
    head = f"{rng.choice(FILLERS)} وزير الداخلية "
    text = head + name + " " + rng.choice(ENDINGS) + ". وزار المغرب أمس."
    place = text.index("المغرب")
    return text, [(len(head), len(head) + len(name), "PERS"), (place, place + 6, "GPE")]


def _gold(n: int, seed: int = 3) -> list[tuple[str, list[tuple[int, int, str]]]]:
    rng = random.Random(seed)
    return [_doc(rng, rng.choice(MINISTERS)) for _ in range(n)]


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    data = train_model(_gold(40))
    assert data is not None
    return data


def test_the_model_recovers_a_repeated_pattern_on_unseen_text(model_bytes: bytes) -> None:
    model = SpanModel.from_bytes(model_bytes)
    text = f"صرح وزير الداخلية {UNSEEN} أن الوضع مستقر. وزار المغرب أمس."
    got = {(text[p.start:p.end], p.label) for p in model.predict(text)}
    assert (UNSEEN, "PERS") in got
    assert ("المغرب", "GPE") in got
    for p in model.predict(text):
        assert p.source == "model" and 0.0 < p.score <= 1.0
        assert 0 <= p.start < p.end <= len(text)


def test_taken_ranges_are_not_proposed_again(model_bytes: bytes) -> None:
    model = SpanModel.from_bytes(model_bytes)
    text = "وزار المغرب أمس."
    at = text.index("المغرب")
    assert [(p.start, p.end) for p in model.predict(text)] == [(at, at + 6)]
    assert model.predict(text, taken=[(at, at + 6)]) == []
    assert model.predict("") == []


def test_the_article_convention_is_learnt_from_the_spans() -> None:
    rng = random.Random(7)
    docs = []
    for _ in range(30):
        word = rng.choice(["والمغرب", "بالمغرب", "المغرب", "للمغرب"])
        text = f"{rng.choice(FILLERS)} الوزير أن {word} بلد آمن."
        at = text.index(word) + len(word) - 4  # the span leaves ال/لل outside: مغرب
        docs.append((text, [(at, at + 4, "GPE")]))
    model = SpanModel.from_bytes(train_model(docs) or b"")
    text = "قال الوزير أن فالمغرب بلد آمن."
    assert [text[p.start:p.end] for p in model.predict(text)] == ["مغرب"]


def test_gazetteer_features_are_used_when_given() -> None:
    gaz = Gazetteer([(name, "PERS") for name in MINISTERS])
    data = train_model(_gold(20), gazetteer=gaz)
    assert data is not None
    model = SpanModel.from_bytes(data, gazetteer=gaz)
    assert model.gazetteer is gaz and model.labels == ["GPE", "PERS"]
    assert SpanModel.from_bytes(train_model(_gold(20)) or b"", gazetteer=gaz).gazetteer is None


def test_no_spans_no_model_and_bad_bytes_are_one_error() -> None:
    assert train_model([]) is None
    assert train_model([("نص بلا كيانات.", [])]) is None
    with pytest.raises(ModelError):
        SpanModel.from_bytes(b"not a model")


def test_tokens_split_proclitics_and_cut_at_span_edges() -> None:
    text = "قال وللمغرب بالرباط وزير ولفتيت"
    words = [text[s:e] for s, e in model_tokens(text)]
    assert words == ["قال", "ول", "ل", "مغرب", "ب", "ال", "رباط", "وزير", "ولفتيت"]
    known = frozenset({"لفتيت"})
    assert [text[s:e] for s, e in model_tokens(text, known)][-2:] == ["و", "لفتيت"]
    at = text.index("وزير")
    assert [text[s:e] for s, e in model_tokens(text, cuts=[at + 1])][7:9] == ["و", "زير"]


def test_bio_tags_round_trip() -> None:
    tokens = [(0, 1), (2, 3), (4, 5), (6, 7)]
    spans = [(2, 5, "ORG"), (2, 3, "GPE"), (6, 7, "PERS")]
    assert outermost(spans) == [(2, 5, "ORG"), (6, 7, "PERS")]
    tags = bio_tags(tokens, spans)
    assert tags == ["O", "B-ORG", "I-ORG", "B-PERS"]
    assert spans_of_tags(tags) == [(1, 3, "ORG"), (3, 4, "PERS")]
    assert spans_of_tags(["I-GPE", "I-ORG", "O"]) == [(0, 1, "GPE"), (1, 2, "ORG")]
