"""`--format events`: the sentence-level event JSONL (OneIE / TextEE shape), read back."""

from __future__ import annotations

import json
from pathlib import Path

from export_corpus import D1, Corpus, at, export, read_jsonl

from annotator.io.events_jsonl import EventsWriter, sentence_lines
from annotator.store.service import Store
from annotator.text.segment import split_sentences

# two sentences; the trigger زيارة is inside وزيارة (proclitic و), the Place argument
# إسبانيا inside لإسبانيا (proclitic ل)
TEXT = ("وصل وزير الخارجية ناصر بوريطة إلى مدريد أمس.  "
        "وزيارة بوريطة لإسبانيا هي الأولى منذ 2021.")


def span(text: str, sub: str, label: str, n: int = 1) -> dict:
    s, e = at(text, sub, n)
    return {"start": s, "end": e, "label": label, "text": text[s:e]}


def arg(text: str, role: str, sub: str, label: str, n: int = 1) -> dict:
    return {"role": role, **span(text, sub, label, n)}


def mention(text: str, mid: str, kind: str, trigger: tuple[int, int], args: list[dict],
            **attributes: str) -> dict:
    s, e = trigger
    return {"id": mid, "type": kind, "trigger": {"start": s, "end": e, "text": text[s:e]},
            "attributes": {"polarity": "positive", **attributes},
            "arguments": sorted(args, key=lambda a: (a["role"], a["start"], a["end"]))}


def record(text: str, spans: list[dict], mentions: list[dict], doc: str = "d1",
           sentences: list[tuple[int, int]] | None = None, split: str | None = None) -> dict:
    return {
        "id": doc, "title": "", "text": text,
        "sentences": [{"start": s, "end": e}
                      for s, e in (split_sentences(text) if sentences is None else sentences)],
        "spans": sorted(spans, key=lambda s: (s["start"], -s["end"], s["label"])),
        "events": [],
        "event_mentions": mentions,
        "meta": {"source": "gold", "annotators": [], "split": split, "schema_version": 1},
    }


def visit_record() -> dict:
    t = TEXT
    spans = [span(t, "ناصر بوريطة", "PERS"), span(t, "وزير الخارجية", "OCC"),
             span(t, "مدريد", "GPE"), span(t, "بوريطة", "PERS", 2),
             span(t, "إسبانيا", "GPE"), span(t, "2021", "DATE")]
    zyara = at(t, "زيارة")
    assert t[zyara[0] - 1] == "و"  # a sub-token trigger
    mentions = [
        mention(t, "E1", "VISIT", at(t, "وصل"),
                [arg(t, "Agent", "ناصر بوريطة", "PERS"), arg(t, "Place", "مدريد", "GPE")]),
        mention(t, "E2", "VISIT", zyara,
                [arg(t, "Agent", "بوريطة", "PERS", 2), arg(t, "Place", "إسبانيا", "GPE")],
                tense="future"),
    ]
    return record(t, spans, mentions)


def gaps_are_whitespace(line: dict) -> None:
    """tokens joined with the original whitespace between them are the sentence text"""
    sentence, offsets = line["sentence"], line["token_offsets"]
    assert [sentence[s:e] for s, e in offsets] == line["tokens"]
    rebuilt = ""
    pos = 0
    for (s, e), token in zip(offsets, line["tokens"], strict=True):
        assert sentence[pos:s].strip() == "" and (pos == 0) == (s == 0)
        rebuilt += sentence[pos:s] + token
        pos = e
    assert pos == len(sentence) and rebuilt == sentence


def tokens_text(line: dict, start: int, end: int) -> str:
    offsets = line["token_offsets"]
    return line["sentence"][offsets[start][0]:offsets[end - 1][1]]


def absolute(line: dict, start: int, end: int) -> tuple[int, int]:
    offsets = line["token_offsets"]
    base = line["sentence_start"]
    return base + offsets[start][0], base + offsets[end - 1][1]


def check_lines(rec: dict, lines: list[dict]) -> None:
    """Everything a trainer relies on: sentence text, resolution, offsets back."""
    text = rec["text"]
    entities: list[tuple[int, int, str]] = []
    ids: set[str] = set()
    triggers: list[tuple[int, int, str]] = []
    for line in lines:
        assert line["doc_id"] == rec["id"]
        s0 = line["sentence_start"]
        assert text[s0:s0 + len(line["sentence"])] == line["sentence"]
        gaps_are_whitespace(line)
        by_id = {}
        for ent in line["entity_mentions"]:
            assert ent["id"] not in ids  # unique per document
            ids.add(ent["id"])
            by_id[ent["id"]] = ent
            assert ent["text"] == tokens_text(line, ent["start"], ent["end"])
            entities.append((*absolute(line, ent["start"], ent["end"]), ent["entity_type"]))
        for ev in line["event_mentions"]:
            trig = ev["trigger"]
            assert trig["text"] == tokens_text(line, trig["start"], trig["end"])
            triggers.append((*absolute(line, trig["start"], trig["end"]), ev["event_type"]))
            for a in ev["arguments"]:
                assert a["entity_id"] in by_id, "an argument resolves within its line"
                assert a["text"] == by_id[a["entity_id"]]["text"]
    assert sorted(entities) == sorted((s["start"], s["end"], s["label"]) for s in rec["spans"])
    assert sorted(triggers) == sorted((m["trigger"]["start"], m["trigger"]["end"], m["type"])
                                      for m in rec["event_mentions"])


def test_lines_read_back() -> None:
    rec = visit_record()
    lines, problems = sentence_lines(rec)
    assert problems == []
    assert len(lines) == len(rec["sentences"]) == 2
    assert [ln["sent_id"] for ln in lines] == ["d1-0", "d1-1"]
    check_lines(rec, lines)
    second = lines[1]
    # sub-token edges: و | زيارة and ل | إسبانيا are tokens of their own
    assert second["tokens"][:4] == ["و", "زيارة", "بوريطة", "ل"]
    assert second["tokens"][4] == "إسبانيا"
    [ev] = second["event_mentions"]
    assert ev == {
        "id": "d1-E2", "event_type": "VISIT",
        "trigger": {"start": 1, "end": 2, "text": "زيارة"},
        "arguments": [{"entity_id": "d1-T4", "role": "Agent", "text": "بوريطة"},
                      {"entity_id": "d1-T5", "role": "Place", "text": "إسبانيا"}],
        "attributes": {"polarity": "positive", "tense": "future"},
    }
    first = lines[0]
    assert [e["id"] for e in first["entity_mentions"]] == ["d1-T1", "d1-T2", "d1-T3"]
    assert first["entity_mentions"][1] == {"id": "d1-T2", "start": 3, "end": 5,
                                           "entity_type": "PERS", "text": "ناصر بوريطة"}
    assert list(first) == ["doc_id", "sent_id", "sentence", "sentence_start", "tokens",
                           "token_offsets", "entity_mentions", "event_mentions"]


def test_sentence_without_mentions_still_a_line() -> None:
    rec = record(TEXT, [span(TEXT, "مدريد", "GPE")], [])
    lines, problems = sentence_lines(rec)
    assert problems == [] and len(lines) == 2
    assert lines[1]["entity_mentions"] == [] and lines[1]["event_mentions"] == []
    check_lines(rec, lines)


def test_trigger_across_sentences_merges_the_two() -> None:
    t = "زار الوفد المغرب. ثم عاد.\nوصل الوزير."
    s = split_sentences(t)
    assert len(s) >= 3
    cross = (at(t, "المغرب")[0], at(t, "ثم")[1])  # a (bad) trigger over the boundary
    rec = record(t, [], [mention(t, "E1", "VISIT", cross, [])])
    lines, problems = sentence_lines(rec)
    assert problems == []
    assert len(lines) == len(s) - 1
    check_lines(rec, lines)
    assert lines[0]["event_mentions"][0]["trigger"]["text"] == t[cross[0]:cross[1]]


def test_argument_in_another_sentence_merges_the_two() -> None:
    t = TEXT
    rec = record(t, [span(t, "مدريد", "GPE")],
                 [mention(t, "E1", "VISIT", at(t, "زيارة"), [arg(t, "Place", "مدريد", "GPE")])])
    lines, problems = sentence_lines(rec)
    assert problems == [] and len(lines) == 1
    check_lines(rec, lines)


def test_argument_not_a_span_is_a_problem_and_left_out() -> None:
    t = TEXT
    rec = record(t, [span(t, "مدريد", "GPE")],
                 [mention(t, "E1", "VISIT", at(t, "وصل"),
                          [arg(t, "Place", "مدريد", "GPE"), arg(t, "Agent", "بوريطة", "PERS")])])
    lines, problems = sentence_lines(rec)
    assert len(problems) == 1 and problems[0].startswith("d1: event d1-E1 VISIT: argument "
                                                         "Agent PERS")
    [ev] = lines[0]["event_mentions"]
    assert [a["role"] for a in ev["arguments"]] == ["Place"]


def test_trigger_in_whitespace_is_a_problem() -> None:
    t = TEXT
    gap = at(t, ".  ")[0] + 1
    rec = record(t, [], [mention(t, "E1", "VISIT", (gap, gap + 2), [])])
    lines, problems = sentence_lines(rec)
    assert problems and problems[0].startswith("d1: trigger VISIT")
    assert all(not ln["event_mentions"] for ln in lines)


def test_writer_splits_into_files(tmp_path: Path) -> None:
    out = tmp_path / "ev.jsonl"
    w = EventsWriter(out)
    w.add(visit_record() | {"meta": {"split": "train"}})
    w.add(record(TEXT, [], [], doc="d2", split="dev"))
    files = w.close()
    assert sorted(f.name for f in files) == ["ev.dev.jsonl", "ev.train.jsonl"]
    train = read_jsonl(tmp_path / "ev.train.jsonl")
    assert {ln["doc_id"] for ln in train} == {"d1"} and len(train) == 2
    assert not out.exists()


def test_cli_events_export(corpus, tmp_path: Path) -> None:
    """The whole command on the export corpus (sqlite and postgres): every gold span
    comes back from the lines at its offsets; one line per stored sentence."""
    ref = tmp_path / "gold.jsonl"
    assert export(corpus.db, ref).exit_code == 0
    out = tmp_path / "events.jsonl"
    result = export(corpus.db, out, "--format", "events", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == "events"
    lines = read_jsonl(out)
    for rec in read_jsonl(ref):
        mine = [ln for ln in lines if ln["doc_id"] == rec["id"]]
        assert len(mine) == len(rec["sentences"])
        check_lines(rec | {"event_mentions": rec.get("event_mentions", [])}, mine)


def add_mentions(corpus: Corpus) -> None:
    """alice's event mentions on d1: MEET on التقى (Entity PERS, Place GPE, tense past,
    an attribute off its default) and MEET on the sub-token حضر of وحضر (Place GPE),
    which corefers with the first."""
    store = Store.open(str(corpus.db))
    try:
        d1 = corpus.ids["d1"]
        span_id = {(sp.start, sp.end, sp.label): sp.id for sp in store.spans(d1, "alice")}
        met = store.add_event_mention(d1, "alice", *at(D1, "التقى"), "MEET",
                                      {"tense": "past"})
        assert met is not None
        for role, sub, label in (("Entity", "ناصر بوريطة", "PERS"), ("Place", "الرباط", "GPE")):
            assert store.add_event_argument(met.id, "alice", role,
                                            span_id[(*at(D1, sub), label)]) is not None
        s, e = at(D1, "وحضر")
        came = store.add_event_mention(d1, "alice", s + 1, e, "MEET")
        assert came is not None
        assert store.add_event_argument(came.id, "alice", "Place",
                                        span_id[(*at(D1, "مدريد"), "GPE")]) is not None
        assert store.set_mention_coref(came.id, "alice", met.id)
    finally:
        store.close()


def alice_d1(corpus: Corpus, tmp_path: Path) -> dict:
    ref = tmp_path / "alice.jsonl"
    assert export(corpus.db, ref, "--source", "annotator:alice").exit_code == 0
    return next(r for r in read_jsonl(ref) if r["id"] == "d1")


def test_cli_events_export_of_stored_mentions(corpus, tmp_path: Path) -> None:
    """Mentions made through the store come out resolved, the sub-token trigger a token
    of its own (sqlite and postgres)."""
    add_mentions(corpus)
    rec = alice_d1(corpus, tmp_path)
    assert len(rec["event_mentions"]) == 2
    out = tmp_path / "events.jsonl"
    result = export(corpus.db, out, "--source", "annotator:alice", "--format", "events")
    assert result.exit_code == 0, result.output
    mine = [ln for ln in read_jsonl(out) if ln["doc_id"] == "d1"]
    check_lines(rec, mine)
    events = {ev["trigger"]["text"]: (ln, ev) for ln in mine for ev in ln["event_mentions"]}
    line, came = events["حضر"]
    assert line["tokens"][came["trigger"]["start"] - 1] == "و"
    met = events["التقى"][1]
    assert came["coref_of"] == met["id"] == "d1-E1"
    assert met["attributes"]["tense"] == "past"
    assert sorted(a["role"] for a in met["arguments"]) == ["Entity", "Place"]


def test_export_summary_counts_event_mentions(tmp_path) -> None:
    """The export's summary line and --json count the event mentions written."""
    from typer.testing import CliRunner

    from annotator.cli import app
    from annotator.commands.common import open_store

    db = str(tmp_path / "m.db")
    text = "أكد وزير الداخلية عبد الوافي لفتيت."
    store, _ = open_store(db)
    try:
        doc, _ = store.add_document(external_id="d1", title="", text=text,
                                    sentences=[(0, len(text))])
        span = store.add_span(doc.id, "alice", 18, 34, "PERS")
        mention = store.add_event_mention(doc.id, "alice", 0, 3, "STATEMENT")
        store.add_event_argument(mention.id, "alice", "Agent", span.id)
        store.set_status(doc.id, "alice", "done")
    finally:
        store.close()
    runner = CliRunner()
    out = tmp_path / "e.jsonl"
    result = runner.invoke(app, ["--db", db, "export", str(out), "--source",
                                 "annotator:alice", "--format", "events"])
    assert result.exit_code == 0, result.output
    assert "(1 spans, 0 event labels, 1 event mentions)" in result.stdout
    result = runner.invoke(app, ["--db", db, "export", str(out), "--source",
                                 "annotator:alice", "--json"])
    assert json.loads(result.stdout)["event_mentions"] == 1
