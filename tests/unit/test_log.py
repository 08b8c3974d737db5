"""The audit trail: `annotator log` over the action log, and the pure summaries behind it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select, update
from typer.testing import CliRunner

from annotator import audit
from annotator.cli import app
from annotator.commands import log as log_cmd
from annotator.store.models import GOLD, Action, Annotator
from annotator.store.service import Store, os_actor

runner = CliRunner()
TEXT = "أكد وزير الخارجية ناصر بوريطة أن التعاون مستمر. وقال إن الاجتماع كان مثمرا."
NAME = (18, 29)  # ناصر بوريطة
SENT = [(0, 47), (48, len(TEXT))]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def invoke(db: Path | str, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def url(store: Store) -> str:
    """The store's database as `--db` takes it (SQLite file or PostgreSQL URL alike)."""
    return store.engine.url.render_as_string(hide_password=False)


def lines(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def log_json(store: Store, *args: str) -> list[dict]:
    return [json.loads(x) for x in lines(invoke(url(store), "log", "--json", *args))]


def add_doc(store: Store, eid: str, text: str = TEXT) -> int:
    doc, _ = store.add_document(external_id=eid, title=eid, text=text, sentences=SENT)
    assert doc.id is not None
    return doc.id


def history(store: Store) -> tuple[int, int]:
    """alice: add, remove, add span, event labels, status, undo, redo; bob: one span on d2;
    the lead makes carol an adjudicator."""
    d1, d2 = add_doc(store, "d1"), add_doc(store, "d2", TEXT + " ثانية")
    span = store.add_span(d1, "alice", *NAME, "PERS")
    assert span is not None and span.id is not None
    assert store.remove_span(span.id, "alice")
    store.add_span(d1, "alice", *NAME, "PERS")
    assert store.set_events(d1, "alice", "sentence", ["MEET"], *SENT[0])
    assert store.set_status(d1, "alice", "done")
    assert store.undo(d1, "alice") is not None  # the status
    assert store.redo(d1, "alice") is not None
    store.add_span(d2, "bob", 4, 8, "OCC")
    store.set_role("carol", "adjudicator", by="lead")
    return d1, d2


# ---------------------------------------------------------------- the command
def test_log_shows_every_change_with_who_and_where(store: Store) -> None:
    history(store)
    out = lines(invoke(url(store), "log"))
    me = os_actor()
    expected = [
        ("alice", "d1", "add_span", "PERS [18,29) «ناصر بوريطة»"),
        ("alice", "d1", "remove_span", "PERS [18,29) «ناصر بوريطة»"),
        ("alice", "d1", "add_span", "PERS [18,29) «ناصر بوريطة»"),
        ("alice", "d1", "set_events", "sentence [0,47): ∅ → MEET"),
        ("alice", "d1", "set_status", "in_progress → done"),
        ("alice", "d1", "undo", "set_status in_progress → done (action 5)"),
        ("alice", "d1", "redo", "set_status in_progress → done (action 5)"),
        ("bob", "d2", "add_span", "OCC [4,8) «وزير»"),
        ("lead", "-", "role", "carol: annotator → adjudicator"),
    ]
    assert len(out) == len(expected)
    for line, (who, doc, kind, summary) in zip(out, expected, strict=True):
        fields = line.split()
        assert fields[2:4] == [who, f"({me})"], line
        assert fields[4:6] == [doc, kind], line
        assert line.endswith(summary), line
        assert datetime.strptime(" ".join(fields[:2]), "%Y-%m-%d %H:%M:%SZ")


def test_role_command_logs_the_invoking_user(store: Store,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    assert invoke(url(store), "role", "carol", "adjudicator").exit_code == 0
    assert invoke(url(store), "role", "carol", "adjudicator").exit_code == 0  # no change: no row
    rows = log_json(store)
    assert [(r["by"], r["actor"], r["annotator"], r["document"], r["kind"], r["summary"])
            for r in rows] == [("lead", os_actor(), "carol", None, "role",
                                "annotator → adjudicator")]


def test_json_lines_have_the_keys(store: Store) -> None:
    history(store)
    rows = log_json(store)
    assert len(rows) == 9
    keys = {"id", "at", "by", "actor", "annotator", "document", "kind", "state", "summary",
            "payload"}
    assert all(set(r) == keys for r in rows)
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    first = rows[0]
    assert first["kind"] == "add_span" and first["document"] == "d1"
    assert first["payload"]["span"]["label"] == "PERS"
    assert first["summary"] == "PERS [18,29) «ناصر بوريطة»"
    assert first["at"].endswith("Z")
    assert datetime.fromisoformat(first["at"].replace("Z", "+00:00")).tzinfo is not None
    assert rows[5]["kind"] == "undo" and rows[5]["payload"]["kind"] == "set_status"
    assert rows[4]["state"] == "done"  # undone, then redone


def test_filter_by_user_means_made_by_or_made_to(store: Store) -> None:
    history(store)
    def kinds(*args: str) -> list[str]:
        return [r["kind"] for r in log_json(store, *args)]

    assert kinds("--user", "bob") == ["add_span"]
    assert kinds("--user", "lead") == ["role"]  # the grant lead made
    assert kinds("--user", "carol") == ["role"]  # the grant made to carol
    assert len(kinds("--user", "alice")) == 7
    assert kinds("--user", "nobody") == []
    result = invoke(url(store), "log", "--user", "nobody")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no logged change matches" in result.stderr


def test_filter_by_user_finds_old_gold_rows_by_their_payload(store: Store) -> None:
    d1 = add_doc(store, "d1")
    with store.write() as s:  # a decision logged before the `by` column existed
        gold = store._annotator(s, GOLD)
        s.add(Action(document_id=d1, annotator_id=gold.id, kind="adjudicate",
                     payload={"by": "carol", "spans_added": [], "spans_removed": [],
                              "events": [], "decision_after": {"outcome": "rejected",
                                                               "kind": "missing"}}))
        s.commit()
    store.add_span(d1, "alice", *NAME, "PERS")
    rows = log_json(store, "--user", "carol")
    assert [(r["by"], r["actor"], r["annotator"]) for r in rows] == [("carol", None, GOLD)]
    assert rows[0]["summary"] == "rejected missing: gold unchanged"
    assert len(lines(invoke(url(store), "log", "--user", GOLD))) == 1


def test_filter_by_document(store: Store) -> None:
    history(store)
    out = lines(invoke(url(store), "log", "--doc", "d2"))
    assert len(out) == 1 and out[0].split()[2:6] == ["bob", f"({os_actor()})", "d2", "add_span"]
    result = invoke(url(store), "log", "--doc", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == "annotator: no document with external id 'nope'"


def test_filter_since(store: Store) -> None:
    history(store)
    old = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    with store.write() as s:  # the first three changes were made long ago
        s.exec(update(Action).where(col(Action.id) <= 3).values(created_at=old))  # type: ignore[call-overload]
        s.commit()
    def ids(*args: str) -> list[int]:
        return [r["id"] for r in log_json(store, *args)]

    assert ids("--since", "2d") == list(range(4, 10))
    assert ids("--since", "90m") == list(range(4, 10))
    assert ids("--since", "2024-03-01") == list(range(1, 10))
    assert ids("--since", "2024-03-01T12:00:01") == list(range(4, 10))
    assert ids("--since", "2024-03-01T13:00+01:00") == list(range(1, 10))  # 12:00 UTC
    assert ids("--since", "2024-03-02", "--doc", "d1") == list(range(4, 8))


@pytest.mark.parametrize("bad", ["yesterday", "1x", "-2d", "2024-13-01", ""])
def test_bad_since_is_a_usage_error(db_path: Path, bad: str) -> None:
    result = invoke(db_path, "log", "--since", bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("annotator: --since")
    assert not db_path.exists()  # checked before the database is opened


def test_last_n_most_recent_oldest_first(store: Store) -> None:
    history(store)
    ids = [r["id"] for r in log_json(store, "--last", "3")]
    assert ids == [7, 8, 9]
    out = lines(invoke(url(store), "log", "--user", "alice", "--last", "2"))
    assert [x.split()[5] for x in out] == ["undo", "redo"]
    assert len(lines(invoke(url(store), "log", "--last", "100"))) == 9
    assert invoke(url(store), "log", "--last", "0").exit_code == 2


def test_pages_stream_every_row_once_in_order(store: Store,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    other = "وزيرالداخلية قال."
    d1, d2 = add_doc(store, "d1"), add_doc(store, "d2", other)
    for i in range(10):  # alternate documents: the one-document text cache is evicted
        store.add_span(d1, "alice", i, i + 1, "PERS")
        store.add_span(d2, "alice", i, i + 1, "ORG")
    monkeypatch.setattr(log_cmd, "PAGE", 3)
    monkeypatch.setattr(log_cmd, "TEXT_CACHE", 1)
    rows = list(log_cmd.iter_log(store))
    assert [r.id for r, _ in rows] == list(range(1, 21))
    assert [s for _, s in rows[:2]] == [f"PERS [0,1) «{TEXT[0]}»", f"ORG [0,1) «{other[0]}»"]
    assert rows[-2:] == [(rows[-2][0], f"PERS [9,10) «{TEXT[9]}»"),
                         (rows[-1][0], f"ORG [9,10) «{other[9]}»")]
    tail = list(log_cmd.iter_log(store, last=4))
    assert [r.id for r, _ in tail] == [17, 18, 19, 20]


def test_old_database_shows_question_marks(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    shutil.copy(FIXTURES / "v1.db", db)
    out = lines(invoke(db, "log"))
    assert out, "the v1 fixture has logged actions"
    assert all(line.split()[2:4] == ["?", "(?)"] for line in out)
    rows = [json.loads(x) for x in lines(invoke(db, "log", "--json"))]
    assert all(r["by"] is None and r["actor"] is None for r in rows)


def test_log_rows_match_the_action_table(store: Store) -> None:
    history(store)
    with store.session() as s:
        expected = [(a.id, a.kind, a.by, a.actor, a.state) for a in
                    s.exec(select(Action).order_by(col(Action.id)))]
        carol = s.exec(select(Annotator).where(Annotator.name == "carol")).one()
    rows = log_json(store)
    assert [(r["id"], r["kind"], r["by"], r["actor"], r["state"]) for r in rows] == expected
    assert carol.role == "adjudicator"


# ------------------------------------------------------------- pure summaries
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [
    ("30m", NOW - timedelta(minutes=30)),
    ("2h", NOW - timedelta(hours=2)),
    ("7d", NOW - timedelta(days=7)),
    ("1w", NOW - timedelta(weeks=1)),
    ("45s", NOW - timedelta(seconds=45)),
    ("2025-01-31", datetime(2025, 1, 31, tzinfo=UTC)),
    ("2025-01-31T14:05", datetime(2025, 1, 31, 14, 5, tzinfo=UTC)),
    ("2025-01-31T14:05:00Z", datetime(2025, 1, 31, 14, 5, tzinfo=UTC)),
    ("2025-01-31T16:05+02:00", datetime(2025, 1, 31, 14, 5, tzinfo=UTC)),
])
def test_parse_since(value: str, expected: datetime) -> None:
    got = audit.parse_since(value, NOW)
    assert got == expected and got.tzinfo is not None and got.utcoffset() == timedelta(0)


@pytest.mark.parametrize("bad", ["", "7", "d7", "7 days", "2025-02-30", "soon"])
def test_parse_since_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="--since"):
        audit.parse_since(bad, NOW)


SPAN = {"start": 18, "end": 29, "label": "PERS", "provenance": None}


@pytest.mark.parametrize(("kind", "payload", "expected"), [
    ("add_span", {"span": SPAN}, "PERS [18,29) «ناصر بوريطة»"),
    ("remove_span", {"span": SPAN}, "PERS [18,29) «ناصر بوريطة»"),
    ("set_events", {"scope": "document", "start": None, "end": None, "before": ["MEET"],
                    "after": ["MEET", "VISIT"]}, "document: MEET → MEET, VISIT"),
    ("set_events", {"scope": "sentence", "start": 0, "end": 47, "before": ["MEET"],
                    "after": []}, "sentence [0,47): MEET → ∅"),
    ("set_status", {"before": "in_progress", "after": "done"}, "in_progress → done"),
    ("role", {"before": "annotator", "after": "adjudicator"}, "annotator → adjudicator"),
    ("import", {"spans": 1, "events": 2}, "+1 span +2 event labels"),
    ("undo", {"action": 4, "kind": "add_span", "payload": {"span": SPAN}},
     "add_span PERS [18,29) «ناصر بوريطة» (action 4)"),
    ("redo", {"action": 9, "kind": "set_status",
              "payload": {"before": "new", "after": "done"}}, "set_status new → done (action 9)"),
    ("undo", {"by": "carol", "action": 8, "kind": "adjudicate", "item_key": "span:1-2:ab"},
     "adjudicate span:1-2:ab (action 8)"),
    ("auto_merge", {"by": "carol", "spans_added": [SPAN] * 12, "spans_removed": [],
                    "events": [{"unit": ["document", None, None], "before": {},
                                "after": {"MEET": {}, "VISIT": {}}}],
                    "status_before": "new", "status_after": "in_progress"},
     "+12 spans +2 event labels; status new → in_progress"),
    ("adjudicate", {"by": "carol", "spans_added": [{**SPAN, "label": "ORG"}],
                    "spans_removed": [SPAN], "events": [],
                    "decision_before": {"outcome": "accepted"},
                    "decision_after": {"outcome": "accepted", "kind": "label",
                                       "versions": [["alice", "bob"], ["dave"]]},
                    "status_before": "in_progress", "status_after": "done"},
     "accepted label (alice+bob; dave) (replacing an earlier decision): "
     "+ORG [18,29) «ناصر بوريطة», -PERS [18,29) «ناصر بوريطة»; status in_progress → done"),
    ("adjudicate", {"spans_added": [], "spans_removed": [],
                    "events": [{"unit": ["sentence", 0, 47], "before": {"STATEMENT": {}},
                                "after": {"COOPERATE": {}}}],
                    "decision_after": {"outcome": "accepted", "kind": "event",
                                       "versions": [["alice"]]}},
     "accepted event (alice): sentence [0,47) +COOPERATE -STATEMENT"),
    ("gold_follows", {"by": "alice", "spans_removed": [SPAN],
                      "labels_removed": [{"unit": ["document", None, None], "label": "MEET"}],
                      "decisions_dropped": [{"outcome": "accepted", "kind": "label",
                                             "by": "carol"}],
                      "status_before": "done", "status_after": "in_progress"},
     "-PERS [18,29) «ناصر بوريطة», document -MEET, reopened accepted label (carol); "
     "status done → in_progress"),
])
def test_summaries(kind: str, payload: dict, expected: str) -> None:
    assert audit.summarize(kind, payload, TEXT) == expected
    assert audit.needs_text(kind, payload) == ("«" in expected)


def test_summary_without_text_and_of_odd_payloads() -> None:
    assert audit.summarize("add_span", {"span": SPAN}) == "PERS [18,29)"
    assert audit.summarize("add_span", {"span": {**SPAN, "end": 999}}, TEXT) == "PERS [18,999)"
    long = "كلمة " * 30
    quoted = audit.summarize("add_span", {"span": {**SPAN, "start": 0, "end": len(long)}}, long)
    assert quoted.endswith("…»") and len(quoted) < 70
    assert audit.summarize("mystery", {"a": 1}) == '{"a": 1}'
    assert audit.summarize("import", {"spans": "many"}) == '{"spans": "many"}'
    assert audit.summarize("adjudicate", {}) == "decided item: gold unchanged"


def test_one_line_keeps_a_terminal_line_intact() -> None:
    assert audit.one_line("a\nb\t\tc\x1b[31m\u202ed\u2067") == "a b c[31md"
    assert audit.one_line("ناصر  بوريطة") == "ناصر بوريطة"
    assert audit.one_line("abcdef", 4) == "abc…"


def test_format_line_names_the_subject_and_state() -> None:
    at = datetime(2025, 1, 2, 3, 4, 5)  # naive: UTC
    row = audit.LogRow(id=1, at=at, kind="adjudicate", annotator=GOLD, document="d1",
                       by=None, actor=None, state="undone",
                       payload={"by": "carol", "decision_after": {"outcome": "rejected",
                                                                  "kind": "missing"}})
    line = audit.format_line(row, audit.summarize(row.kind, row.payload))
    assert line.split()[:6] == ["2025-01-02", "03:04:05Z", "carol", "(?)", "d1", "adjudicate"]
    assert line.endswith("[gold] rejected missing: gold unchanged (undone)")
    role = audit.LogRow(id=2, at=at, kind="role", annotator="carol", document=None,
                        by="lead", actor="root@host",
                        payload={"before": "annotator", "after": "adjudicator"})
    line = audit.format_line(role, audit.summarize(role.kind, role.payload))
    assert line.split()[2:] == ["lead", "(root@host)", "-", "role", "carol:", "annotator",
                                "→", "adjudicator"]
    obj = audit.to_json(role, "x")
    assert obj["at"] == "2025-01-02T03:04:05Z" and obj["document"] is None
    dead = audit.LogRow(id=3, at=at, kind="set_status", annotator="a", document="d", by="a",
                        state="dead", payload={"before": "new", "after": "done"})
    assert audit.format_line(dead, "new → done").endswith("(undone, redo discarded)")
    gone = audit.LogRow(id=4, at=at, kind="gold_follows", annotator=GOLD, document="d",
                        by="a", state="dead")
    assert audit.format_line(gone, "gold unchanged").endswith("[gold] gold unchanged")


def test_audit_module_is_pure() -> None:
    code = ("import sys, annotator.audit\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith("
            "('textual', 'sqlmodel', 'sqlalchemy', 'annotator.store')))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_relabel_summary_names_both_labels() -> None:
    text = "قال إن المغرب شريك"
    payload = {"span": {"start": 7, "end": 13, "label": "LOC", "provenance": None},
               "before": "GPE", "after": "LOC"}
    assert audit.needs_text("relabel_span", payload)
    assert audit.summarize("relabel_span", payload, text) == (
        f"GPE → LOC [7,13) «{audit.one_line('المغرب', audit.MAX_TEXT)}»")
    undo = {"action": 4, "kind": "relabel_span", "payload": payload}
    assert audit.summarize("undo", undo, None) == (
        "relabel_span GPE → LOC [7,13) (action 4)")


def test_summaries_of_suggestions_event_mentions_and_schema() -> None:
    from annotator.audit import summarize

    text = "قال إن المغرب شريك"
    accepted = {"items": [{"start": 7, "end": 13, "label": "GPE", "source": "occurrences"},
                          {"start": 0, "end": 3, "label": "GPE", "source": "occurrences"}]}
    assert summarize("accept_suggestion", accepted, text) == \
        "GPE [7,13) «المغرب» (occurrences) +1 more"
    mention = {"start": 0, "end": 3, "type": "STATEMENT", "arguments": [
        {"role": "Place", "start": 7, "end": 13, "label": "GPE"}]}
    assert summarize("add_event_argument", {"before": {**mention, "arguments": []},
                                            "after": mention}, text) == \
        "STATEMENT [0,3) «قال» → STATEMENT [0,3) «قال» [Place=GPE]"
    assert summarize("remove_event_mention", {"before": mention, "after": None}, None) == \
        "STATEMENT [0,3) [Place=GPE] → ∅"
    assert summarize("schema", {"before": 1, "after": 2, "renames": {"OCC": "TITLE"}}) == \
        "v1 → v2 rename OCC=TITLE"
