"""Bad input never aborts an import: text some backend cannot store (lone surrogates, NUL),
documents over --max-chars, unexpected errors on one item are each one `file:line:` line and
the rest is imported; `--annotator gold` is refused; a database that fails as a whole stops
the import with one line."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from typer.testing import CliRunner

from annotator.cli import app
from annotator.commands.importing import SAME_ERROR_STOP, database_unusable, import_paths
from annotator.errors import UsageError
from annotator.io import article_input
from annotator.labelschema import LabelSchema
from annotator.store.service import Store
from annotator.text.storable import unstorable, unstorable_json

runner = CliRunner()


def _lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ids(store: Store) -> set[str]:
    return {d.external_id for d in store.documents()}


def _db(store: Store) -> str:
    """The `--db` argument for the database `store` is open on (whatever the backend)."""
    return store.engine.url.render_as_string(hide_password=False)


def _error_lines(output: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith("annotator: ")]


def test_surrogate_and_nul_lines_rejected_rest_imported_cli(
    store: Store, tmp_path: Path
) -> None:
    # the escapes as a JSON writer leaves them: json.loads turns them into U+D800 / U+0000
    bad = _lines(tmp_path / "a.jsonl", [
        '{"id": "first", "text": "نص أول."}',
        '{"id": "sur", "text": "نص \\ud800 ثان."}',
        '{"id": "nul", "text": "نص \\u0000 ثالث."}',
        '{"id": "last", "text": "نص رابع."}',
    ])
    later = _lines(tmp_path / "b.jsonl", ['{"id": "later", "text": "نص لاحق."}'])
    result = runner.invoke(app, ["--db", _db(store), "import", str(bad), str(later)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert _error_lines(result.output) == [
        f"annotator: {bad}:2: text has a lone surrogate (U+D800) at character 3, "
        "which cannot be stored",
        f"annotator: {bad}:3: text has NUL (U+0000) at character 3, which cannot be stored",
    ]
    assert "3 added" in result.output and "2 rejected" in result.output
    assert _ids(store) == {"first", "last", "later"}


@pytest.mark.parametrize(("record", "expected"), [
    ('{"id": "a\\ud800", "text": "نص."}', "id has a lone surrogate (U+D800) at character 1"),
    ('{"id": 1, "title": "t\\u0000", "text": "نص."}', "title has NUL (U+0000) at character 1"),
    ('{"text": "نص.", "spans": [{"start": 0, "end": 2, "label": "PERS\\udfff"}]}',
     "span 0 label has a lone surrogate (U+DFFF) at character 4"),
    ('{"text": "نص.", "events": [{"label": "\\u0000MEET"}]}',
     "event 0 label has NUL (U+0000) at character 0"),
    ('{"text": "نص.", "meta": {"src": {"k\\ud83d": 1}}}',
     "key meta['src']['k\\ud83d'] has a lone surrogate (U+D83D) at character 1"),
    ('{"text": "نص.", "meta": {"tags": ["ok", "x\\u0000"]}}',
     "meta['tags'][1] has NUL (U+0000) at character 1"),
    ('{"text": "نص.", "meta": {"score": NaN}}', "meta['score'] is nan (not JSON)"),
])
def test_every_stored_string_is_checked(
    store: Store, schema: LabelSchema, tmp_path: Path, record: str, expected: str
) -> None:
    path = _lines(tmp_path / "r.jsonl", [record, '{"id": "ok", "text": "نص صحيح."}'])
    summary = import_paths(store, schema, [path], annotator="alice")
    assert summary.errors == [f"{path}:1: {expected}, which cannot be stored"]
    assert _ids(store) == {"ok"}


def test_noncharacters_are_stored_as_they_are(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    # valid UTF-8 that both backends store; Unicode allows them in interchange
    text = "نص \ufdd0 و\ufffe و\U0010ffff."
    path = _lines(tmp_path / "n.jsonl", [json.dumps({"id": "nc", "text": text,
                                                     "meta": {"k\uffff": "\ufdef"}})])
    summary = import_paths(store, schema, [path])
    assert summary.errors == [] and summary.added == 1
    doc = store.document_by_external_id("nc")
    assert doc is not None and doc.text == text
    assert doc.meta["record_meta"] == {"k\uffff": "\ufdef"}


def test_txt_cannot_hold_surrogates_or_nul(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    # a surrogate encoded in UTF-8 form (CESU-8 / WTF-8) is not UTF-8 for a strict decoder
    (tmp_path / "cesu.txt").write_bytes("نص ".encode() + b"\xed\xa0\x80" + " آخر".encode())
    (tmp_path / "nul.txt").write_bytes("نص".encode() + b"\x00")
    (tmp_path / "good.txt").write_text("خبر صحيح عن التعاون.\n", encoding="utf-8")
    summary = import_paths(store, schema, [tmp_path])
    assert sorted(summary.errors) == [
        f"{tmp_path / 'cesu.txt'}:1: not UTF-8 (byte 0xed)",
        f"{tmp_path / 'nul.txt'}:1: binary file (NUL byte), not UTF-8 text",
    ]
    assert _ids(store) == {"good"}


def test_file_name_that_is_not_utf8_is_rejected(
    store: Store, schema: LabelSchema, tmp_path: Path
) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"  # Latin-1 name: a lone surrogate in str
    try:
        with open(raw, "wb") as f:
            f.write("نص في ملف باسم غريب.\n".encode())
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    (tmp_path / "good.txt").write_text("خبر صحيح عن التعاون.\n", encoding="utf-8")
    summary = import_paths(store, schema, [tmp_path])
    assert summary.errors == [f"{os.fsdecode(raw)}: file name is not UTF-8: rename the file"]
    assert _ids(store) == {"good"}


def test_max_chars(store: Store, schema: LabelSchema, tmp_path: Path) -> None:
    _lines(tmp_path / "r.jsonl", [
        json.dumps({"id": "long", "text": "ن" * 11}),
        json.dumps({"id": "exact", "text": "ن" * 10}),
    ])
    (tmp_path / "chars.txt").write_text("ن" * 11, encoding="utf-8")   # 22 bytes, 11 chars
    (tmp_path / "bytes.txt").write_text("ن" * 30, encoding="utf-8")   # 60 bytes > 4 * 10 + 3
    (tmp_path / "fits.txt").write_text("\ufeff" + "م" * 10, encoding="utf-8")  # BOM not counted
    summary = import_paths(store, schema, [tmp_path], max_chars=10)
    assert sorted(summary.errors) == sorted([
        f"{tmp_path / 'r.jsonl'}:1: document has 11 characters, more than --max-chars 10",
        f"{tmp_path / 'chars.txt'}: document has 11 characters, more than --max-chars 10",
        f"{tmp_path / 'bytes.txt'}: document is 60 bytes, longer than --max-chars 10 characters",
    ])
    assert _ids(store) == {"exact", "fits"}
    with pytest.raises(UsageError, match="--max-chars"):
        import_paths(store, schema, [tmp_path], max_chars=0)


def test_max_chars_default_and_cli(store: Store, tmp_path: Path) -> None:
    assert article_input.MAX_CHARS == 1_000_000
    path = _lines(tmp_path / "r.jsonl", [
        json.dumps({"id": "big", "text": "ن" * 1_000_001}),
        json.dumps({"id": "small", "text": "نص قصير."}),
    ])
    result = runner.invoke(app, ["--db", _db(store), "import", str(path)])
    assert result.exit_code == 1
    assert _error_lines(result.output) == [
        f"annotator: {path}:1: document has 1,000,001 characters, more than --max-chars 1,000,000"
    ]
    assert _ids(store) == {"small"}
    result = runner.invoke(app, ["--db", _db(store), "import", "--max-chars", "5", str(path)])
    assert result.exit_code == 1
    assert len(_error_lines(result.output)) == 2 and "0 added" in result.output
    result = runner.invoke(app, ["--db", _db(store), "import", "--max-chars", "0", str(path)])
    assert result.exit_code == 2


def test_annotator_gold_is_refused_before_anything_is_imported(
    store: Store, tmp_path: Path
) -> None:
    path = _lines(tmp_path / "g.jsonl", [json.dumps(
        {"id": "g", "text": "نص.", "events": [{"label": "MEET"}]}, ensure_ascii=False)])
    result = runner.invoke(app, ["--db", _db(store), "import", "--annotator", "gold", str(path)])
    assert result.exit_code == 2
    assert _error_lines(result.output) == [
        "annotator: --annotator gold: 'gold' is made only by adjudication "
        "(annotator adjudicate), never imported"
    ]
    assert "Traceback" not in result.output and "imported:" not in result.output
    assert store.count_documents() == 0
    assert "gold" not in {a.name for a in store.annotators()}


@pytest.mark.parametrize("name", ["gold", "", "  ", "ali\udcffce"])
def test_import_paths_refuses_unusable_annotator_names(
    store: Store, schema: LabelSchema, tmp_path: Path, name: str
) -> None:
    path = _lines(tmp_path / "a.jsonl", ['{"text": "نص."}'])
    with pytest.raises(UsageError, match="--annotator"):
        import_paths(store, schema, [path], annotator=name)
    assert store.count_documents() == 0


def _failing_on(store: Store, monkeypatch: pytest.MonkeyPatch, exc: Exception,
                when: str | None = None) -> list[list[str]]:
    """Make `store.import_batch` raise `exc` for a batch holding a text that contains
    `when` (every batch if None); returns the external ids of each call's batch."""
    calls: list[list[str]] = []
    real = store.import_batch

    def import_batch(docs, annotator=None):  # noqa: ANN001, ANN202
        calls.append([d.external_id for d in docs])
        if when is None or any(when in d.text for d in docs):
            raise exc
        return real(docs, annotator)

    monkeypatch.setattr(store, "import_batch", import_batch)
    return calls


@pytest.mark.parametrize("exc", [
    RuntimeError("boom\nsecond line"),
    IntegrityError("INSERT INTO document ...", {"text": "..."},
                   sqlite3.IntegrityError("UNIQUE constraint failed: document.sha256")),
])
def test_unexpected_error_on_one_item_is_reported_rest_imported(
    store: Store, schema: LabelSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    exc: Exception,
) -> None:
    _failing_on(store, monkeypatch, exc, when="ثان")
    path = _lines(tmp_path / "a.jsonl", [
        '{"id": "a", "text": "نص أول."}',
        '{"id": "b", "text": "نص ثان."}',
        '{"id": "c", "text": "نص ثالث."}',
    ])
    later = _lines(tmp_path / "b.jsonl", ['{"id": "d", "text": "نص رابع."}'])
    summary = import_paths(store, schema, [path, later])
    expected = ("RuntimeError: boom" if isinstance(exc, RuntimeError)
                else "IntegrityError: UNIQUE constraint failed: document.sha256")
    assert summary.errors == [f"{path}:2: internal error: {expected}"]
    assert not summary.stopped
    assert _ids(store) == {"a", "c", "d"}


def test_unexpected_error_in_cli_is_one_line_exit_1(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Store.import_batch

    def import_batch(self: Store, docs, annotator=None):  # noqa: ANN001, ANN202
        if any("ثان" in d.text for d in docs):
            raise KeyError("sha256")
        return real(self, docs, annotator)

    monkeypatch.setattr(Store, "import_batch", import_batch)
    path = _lines(tmp_path / "a.jsonl", ['{"id": "a", "text": "نص أول."}',
                                         '{"id": "b", "text": "نص ثان."}',
                                         '{"id": "c", "text": "نص ثالث."}'])
    result = runner.invoke(app, ["--db", _db(store), "import", str(path)])
    assert result.exit_code == 1
    assert _error_lines(result.output) == [
        f"annotator: {path}:2: internal error: KeyError: 'sha256'"
    ]
    assert "2 added" in result.output and "Traceback" not in result.output
    assert _ids(store) == {"a", "c"}


def test_bug_while_parsing_one_line_is_reported_rest_imported(
    store: Store, schema: LabelSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = article_input.parse_record

    def parse_record(raw, path, line, max_chars):  # noqa: ANN001, ANN202
        if line == 2:
            raise ZeroDivisionError("division by zero")
        return real(raw, path, line, max_chars)

    monkeypatch.setattr(article_input, "parse_record", parse_record)
    path = _lines(tmp_path / "a.jsonl", ['{"id": "a", "text": "نص أول."}',
                                         '{"id": "b", "text": "نص ثان."}',
                                         '{"id": "c", "text": "نص ثالث."}'])
    summary = import_paths(store, schema, [path])
    assert summary.errors == [f"{path}:2: internal error: ZeroDivisionError: division by zero"]
    assert _ids(store) == {"a", "c"}


def test_bug_while_reading_one_file_is_reported_next_files_imported(
    store: Store, schema: LabelSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = article_input.read_txt

    def read_txt(path: Path, max_chars: int):  # noqa: ANN202
        if path.stem == "bad":
            raise TypeError("unexpected")
        return real(path, max_chars)

    monkeypatch.setattr(article_input, "read_txt", read_txt)
    (tmp_path / "bad.txt").write_text("خبر أول عن التعاون.\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("خبر ثان عن التعاون.\n", encoding="utf-8")
    summary = import_paths(store, schema, [tmp_path])
    assert summary.errors == [f"{tmp_path / 'bad.txt'}: internal error: TypeError: unexpected"]
    assert _ids(store) == {"good"}


def test_unusable_database_stops_after_the_first_failure(
    store: Store, schema: LabelSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exc = OperationalError("INSERT INTO document ...", {},
                           sqlite3.OperationalError("attempt to write a readonly database"))
    calls = _failing_on(store, monkeypatch, exc)
    path = _lines(tmp_path / "many.jsonl",
                  [json.dumps({"id": f"r{i}", "text": f"نص رقم {i}."}) for i in range(50)])
    summary = import_paths(store, schema, [path])
    assert summary.errors == [
        f"{path}:1: database error: OperationalError: attempt to write a readonly database; "
        "import stopped (nothing from this item on was imported)"
    ]
    # the first batch failed: nothing was tried after it
    assert summary.stopped and calls == [[f"r{i}" for i in range(50)]]


def test_the_same_unexpected_error_over_and_over_stops_the_import(
    store: Store, schema: LabelSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _failing_on(store, monkeypatch, RuntimeError("the same bug every time"))
    path = _lines(tmp_path / "many.jsonl",
                  [json.dumps({"id": f"r{i}", "text": f"نص رقم {i}."}) for i in range(50)])
    summary = import_paths(store, schema, [path])
    # the batch failed; each of its documents alone, until the same error came 10 times
    assert calls[0] == [f"r{i}" for i in range(50)]
    assert calls[1:] == [[f"r{i}"] for i in range(SAME_ERROR_STOP)]
    assert len(summary.errors) == SAME_ERROR_STOP
    assert summary.stopped
    assert summary.errors[-1] == (
        f"{path}:{SAME_ERROR_STOP}: internal error: RuntimeError: the same bug every time; "
        f"import stopped (the same error on {SAME_ERROR_STOP} items in a row; nothing after "
        "this item was imported)"
    )


def test_read_only_sqlite_database_stops_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    first = _lines(tmp_path / "first.jsonl", ['{"id": "a", "text": "نص أول."}'])
    assert runner.invoke(app, ["--db", str(db), "import", str(first)]).exit_code == 0
    path = _lines(tmp_path / "many.jsonl",
                  [json.dumps({"id": f"r{i}", "text": f"نص رقم {i}."}) for i in range(30)])
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = runner.invoke(app, ["--db", url, "import", str(path)])
    assert result.exit_code == 1
    assert _error_lines(result.output) == [
        f"annotator: {path}:1: database error: OperationalError: attempt to write a readonly "
        "database; import stopped (nothing from this item on was imported)"
    ]
    assert "stopped early" in result.output and "Traceback" not in result.output


def test_database_unusable_classifies_per_item_and_whole_database_errors() -> None:
    class PgError(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    def op(orig: Exception) -> OperationalError:
        return OperationalError("SQL", {}, orig)

    assert database_unusable(op(sqlite3.OperationalError("database is locked")))
    assert database_unusable(op(PgError("25006")))   # read-only transaction
    assert database_unusable(op(PgError("08006")))   # connection failure
    assert database_unusable(op(PgError("53100")))   # disk full
    assert not database_unusable(op(PgError("54000")))  # program limit: an index row too big
    assert not database_unusable(op(PgError("57014")))  # statement timeout on this item
    assert not database_unusable(IntegrityError("SQL", {}, sqlite3.IntegrityError("unique")))
    assert not database_unusable(RuntimeError("boom"))


def test_storable_helpers() -> None:
    assert unstorable("نص عادي \ufffe") is None
    assert unstorable("a\x00b") == "has NUL (U+0000) at character 1"
    assert unstorable("\udc80") == "has a lone surrogate (U+DC80) at character 0"
    deep: list = []
    node = deep
    for _ in range(5000):  # deeper than the recursion limit: the walk is iterative
        node.append([])
        node = node[0]
    node.append("x\x00")
    assert unstorable_json(deep, "meta") is not None
    assert unstorable_json({"a": [1, 2.5, None, True, "ok"]}, "meta") is None
    assert unstorable_json({"a": float("inf")}, "meta") == "meta['a'] is inf (not JSON)"


@pytest.mark.parametrize(("span", "expected"), [
    ({"start": 3, "end": 9, "label": "GPE"}, "span 0 [3, 9) ' المغر' starts with whitespace"),
    ({"start": 4, "end": 11, "label": "GPE"}, "span 0 [4, 11) 'المغرب ' ends with whitespace"),
    ({"start": 11, "end": 12, "label": "GPE"}, "span 0 [11, 12) '«' holds no letter or digit"),
    ({"start": 12, "end": 13, "label": "PERS"},
     "span 0 [12, 13) 'ع' end 13 is inside a letter's marks (harakat)"),
    ({"start": 13, "end": 17, "label": "PERS"},
     "span 0 [13, 17) 'ُمَر' start 13 is inside a letter's marks (harakat)"),
])
def test_spans_with_unclean_edges_are_rejected(
    store: Store, schema: LabelSchema, tmp_path: Path, span: dict, expected: str
) -> None:
    """Import applies the rule of every new span: no outer whitespace, a letter or digit,
    edges on display-unit boundaries (never between a letter and its harakat)."""
    text = "زار المغرب «عُمَر» أمس."
    path = _lines(tmp_path / "e.jsonl", [
        json.dumps({"id": "bad", "text": text, "spans": [span]}, ensure_ascii=False),
        json.dumps({"id": "good", "text": text,
                    "spans": [{"start": 4, "end": 10, "label": "GPE"}]}, ensure_ascii=False),
    ])
    summary = import_paths(store, schema, [path], annotator="alice")
    assert summary.errors == [f"{path}:1: {expected}"]
    assert _ids(store) == {"good"}
