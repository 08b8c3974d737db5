"""PostgreSQL as a backend: a missing driver is one line naming the extra, a password is
never printed, text is ordered by code point as on SQLite, and what the tool writes
(export files, agreement reports) is byte for byte the same on both backends."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from adjudication_example import TEXT
from sqlalchemy import text
from typer.testing import CliRunner

from annotator.adjudication import choose
from annotator.cli import app
from annotator.errors import AnnotatorError
from annotator.store import bulk
from annotator.store.engine import make_engine, safe_url
from annotator.store.gold import auto_merge, decide, load_document
from annotator.store.service import Store

runner = CliRunner()
# external ids (and annotator names) whose code point order differs from a linguistic one
IDS = ["b", "B", "a", "_x", "é", "ا", "Z", "e"]
WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
PASSWORD = "s3cret:p@ss/wörd"
PASSWORD_QUOTED = "s3cret%3Ap%40ss%2Fw%C3%B6rd"


def _with_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)


def _lines(result) -> list[str]:  # noqa: ANN001 (click Result)
    return (result.stdout + result.stderr).splitlines()


# ------------------------------------------------------------------ the driver
def test_missing_driver_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` fails
    for url in ("postgresql://u@127.0.0.1/x", "postgresql+psycopg://u@127.0.0.1/x"):
        with pytest.raises(AnnotatorError) as err:
            make_engine(url)
        assert str(err.value) == (
            "PostgreSQL needs the psycopg driver: pip install 'annotator[postgres]'")
    result = runner.invoke(app, ["--db", f"postgresql://u:{PASSWORD_QUOTED}@127.0.0.1:1/x",
                                 "status"])
    assert result.exit_code == 1
    assert _lines(result) == [
        "annotator: PostgreSQL needs the psycopg driver: pip install 'annotator[postgres]'"]


# --------------------------------------------------------------- the password
def test_safe_url_hides_the_password() -> None:
    url = f"postgresql+psycopg://annotator:{PASSWORD_QUOTED}@db.example:5432/corpus"
    shown = safe_url(url)
    assert shown == "postgresql+psycopg://annotator:***@db.example:5432/corpus"
    assert PASSWORD_QUOTED not in shown and "s3cret" not in shown


def _assert_no_password(result, expect_code: int = 1) -> list[str]:  # noqa: ANN001
    lines = _lines(result)
    assert result.exit_code == expect_code, lines
    assert lines, "an error must say something"
    for line in lines:
        assert "s3cret" not in line and PASSWORD_QUOTED not in line, line
    assert "Traceback" not in "\n".join(lines)
    return lines


COMMANDS = [["status"], ["status", "--json"], ["agreement", "--json"], ["role", "x", "annotator"],
            ["adjudicate", "--auto", "--user", "dina"], ["log"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a))
def test_password_never_printed_when_the_server_is_unreachable(
    args: list[str], tmp_path: Path
) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://annotator:{PASSWORD_QUOTED}@127.0.0.1:1/corpus"
    lines = _assert_no_password(runner.invoke(app, ["--db", url, *args]))
    assert lines[-1].startswith("annotator: database postgresql+psycopg://annotator:***@")


def test_password_never_printed_by_import_or_export(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://annotator:{PASSWORD_QUOTED}@127.0.0.1:1/corpus"
    doc = tmp_path / "a.txt"
    doc.write_text("خبر قصير عن التعاون.\n", encoding="utf-8")
    _assert_no_password(runner.invoke(app, ["--db", url, "import", str(doc)]))
    _assert_no_password(runner.invoke(app, ["--db", url, "export", str(tmp_path / "o.jsonl"),
                                            "--source", "majority"]))


def test_password_never_printed_for_an_unsupported_database() -> None:
    url = f"mysql://annotator:{PASSWORD_QUOTED}@db.example/corpus"
    lines = _assert_no_password(runner.invoke(app, ["--db", url, "status"]))
    assert lines == ["annotator: --db mysql://annotator:***@db.example/corpus: only SQLite "
                     "and PostgreSQL databases are supported"]


def test_password_never_printed_by_a_server_error(pg_server, tmp_path: Path) -> None:
    # a real server, a database that does not exist: the server's own error message
    url = _with_password(pg_server.base.set(database="no_such_database_here")
                         .render_as_string(hide_password=False))
    for args in (["status"], ["agreement", "--json"]):
        lines = _assert_no_password(runner.invoke(app, ["--db", url, *args]))
        assert "no_such_database_here" in lines[-1] and ":***@" in lines[-1]


# ------------------------------------------------------------------ ordering
def test_text_is_ordered_by_code_point(store: Store, backend: str) -> None:
    ids = {}
    for n, ext in enumerate(IDS):
        doc, created = store.add_document(external_id=ext, title=ext, text=f"{TEXT} ({n})",
                                          sentences=[(0, 65)])
        assert created and doc.id is not None
        ids[ext] = doc.id
    first = ids[IDS[0]]
    for name in IDS:
        store.set_status(first, name, "done")
    expected = sorted(IDS)  # Python compares str by code point
    assert expected == ["B", "Z", "_x", "a", "b", "e", "é", "ا"]
    assert [d.external_id for d in store.documents()] == expected
    assert [r.external_id for r in store.document_rows("a")] == expected
    assert [e for _i, e in bulk.ordered_documents(store)] == expected
    assert [a.name for a in store.annotators()] == expected
    assert store.annotators_with_status(first) == expected
    assert bulk.statuses_by_document(store)[first] == expected
    assert list(store.status_report()["annotators"]) == expected


def test_the_test_database_collation_is_not_code_point_order(pg_server, databases_on) -> None:
    """The PostgreSQL tests run in a database with a linguistic collation, so the ordering
    test above would fail if an ORDER BY left the order to the collation."""
    if pg_server.created is None:
        pytest.skip("the server could not make an ICU-collated database")
    store = Store.open(databases_on("postgres").new())
    try:
        for n, ext in enumerate(IDS):
            store.add_document(external_id=ext, title="", text=f"{TEXT} ({n})", sentences=[])
        with store.engine.connect() as conn:
            plain = [r[0] for r in conn.execute(
                text("SELECT external_id FROM document ORDER BY external_id"))]
    finally:
        store.close()
    assert sorted(plain) == sorted(IDS) and plain != sorted(IDS)


# ------------------------------------------------------- identical outputs
SPANS = {
    "alice": [(4, 17, "OCC"), (18, 34, "PERS"), (57, 64, "GPE"), (74, 80, "GPE"),
              (92, 108, "ORG")],
    "bob": [(4, 17, "OCC"), (18, 34, "ORG"), (57, 64, "GPE"), (93, 108, "ORG")],
    "carol": [(4, 17, "OCC"), (18, 34, "PERS"), (74, 80, "GPE")],
}
DOC_EVENTS = {"alice": ["STATEMENT", "COOPERATE"], "bob": ["STATEMENT"], "carol": ["MEET"]}


def _build(db: str, tmp_path: Path) -> None:
    """import (CLI) -> annotate (Store) -> adjudicate (Store): the same on any backend."""
    records = tmp_path / "articles.jsonl"
    records.write_text("".join(
        json.dumps({"id": ext, "title": f"عنوان {ext}", "text": f"{TEXT} ({n})"},
                   ensure_ascii=False) + "\n" for n, ext in enumerate(IDS)), encoding="utf-8")
    result = runner.invoke(app, ["--db", db, "import", str(records)])
    assert result.exit_code == 0, result.output
    store = Store.open(db)
    try:
        for n, ext in enumerate(IDS):
            doc = store.document_by_external_id(ext)
            assert doc is not None and doc.id is not None
            second = store.sentences(doc.id)[1]
            for k, (name, spans) in enumerate(SPANS.items()):
                for start, end, label in spans[: len(spans) - (n + k) % 3]:
                    store.add_span(doc.id, name, start, end, label)
                store.set_events(doc.id, name, "document", DOC_EVENTS[name][: 1 + n % 2])
                if (n + k) % 2:
                    store.set_events(doc.id, name, "sentence", ["MEET"], second.start,
                                     second.end)
                if (n + k) % 4 != 3:
                    store.set_status(doc.id, name, "done")
        store.set_role("dina", "adjudicator")
        auto_merge(store, WHEN, by="dina")
        for ext in IDS[::2]:  # adjudicate half the documents to the end
            doc = store.document_by_external_id(ext)
            assert doc is not None
            state = load_document(store, doc.id)
            while state is not None and state.remaining:
                item = next(i for i in state.items if i.key not in state.decisions)
                decide(store, doc.id, "dina", choose(item, [0]), WHEN)
                state = load_document(store, doc.id)
    finally:
        store.close()


def _outputs(db: str, out: Path) -> dict[str, bytes]:
    out.mkdir()
    files: dict[str, bytes] = {}
    exports = {
        "gold.jsonl": ["--source", "gold"],
        "majority.jsonl": ["--source", "majority", "--split", "train=0.5,dev=0.25,test=0.25",
                           "--seed", "3"],
        "alice.conll": ["--source", "annotator:alice", "--format", "conll"],
        "gold-brat": ["--source", "gold", "--format", "brat"],
    }
    for name, args in exports.items():
        result = runner.invoke(app, ["--db", db, "export", str(out / name), *args])
        assert result.exit_code == 0, result.output
    for path in sorted(out.rglob("*")):
        if path.is_file():
            files[str(path.relative_to(out))] = path.read_bytes()
    for name, args in {"agreement.json": ["--json", "--all-disagreements"],
                       "agreement.md": ["--markdown"],
                       "status.json": ["status", "--json"]}.items():
        cmd = args if name == "status.json" else ["agreement", *args]
        result = runner.invoke(app, ["--db", db, *cmd])
        assert result.exit_code == 0, result.output
        files[name] = result.stdout.encode()
    return files


def test_outputs_are_identical_on_both_backends(databases_on, tmp_path: Path) -> None:
    outputs = {}
    for backend in ("sqlite", "postgres"):
        db = databases_on(backend).new("same")
        work = tmp_path / f"in-{backend}"
        work.mkdir()
        _build(db, work)
        outputs[backend] = _outputs(db, tmp_path / f"out-{backend}")
    sqlite, postgres = outputs["sqlite"], outputs["postgres"]
    assert sorted(sqlite) == sorted(postgres)
    assert {"gold.jsonl", "majority.jsonl", "alice.conll", "agreement.json",
            "agreement.md", "status.json"} <= set(sqlite)
    assert any(k.startswith("gold-brat/") and k.endswith(".ann") for k in sqlite)
    for name in sqlite:
        assert sqlite[name] == postgres[name], name
    # and they say something: records in code point order of their ids, gold provenance
    ids = [json.loads(line)["id"] for line in sqlite["majority.jsonl"].decode().splitlines()]
    assert len(ids) >= 4 and ids == sorted(ids)
    gold = [json.loads(line) for line in sqlite["gold.jsonl"].decode().splitlines()]
    assert gold and all(r["meta"]["provenance"]["spans"] for r in gold)
    report = json.loads(sqlite["agreement.json"])
    assert report["annotators"] == ["alice", "bob", "carol"] and report["disagreements"]
