"""The input formats of `annotator import`: .txt, .jsonl, .json, .csv, .tsv (each optionally
gzip-compressed), sniffing where the name lies, field mapping, and the folder walk."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.io import article_input
from annotator.io.article_input import (
    ArticleInput,
    ByteProgress,
    FieldMap,
    InputNotice,
    collect_files,
    iter_inputs,
    scan_paths,
)

RECS = [
    {"id": "r1", "title": "عنوان", "text": "نص أول.", "date": "2024-01-01"},
    {"id": "r2", "text": "نص ثان.", "spans": [{"start": 0, "end": 2, "label": "PERS"}]},
]


def _write(path: Path, data: str | bytes) -> Path:
    raw = data.encode() if isinstance(data, str) else data
    if path.name.endswith(".gz"):
        raw = gzip.compress(raw)
    path.write_bytes(raw)
    return path


def _jsonl(records: list) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _read(*paths: Path, **kw: object) -> list[ArticleInput | InputError | InputNotice]:
    return list(iter_inputs(list(paths), **kw))  # type: ignore[arg-type]


def _articles(items: list) -> list[ArticleInput]:
    return [i for i in items if isinstance(i, ArticleInput)]


def _messages(items: list) -> list[str]:
    return [str(i) for i in items if not isinstance(i, ArticleInput)]


@pytest.mark.parametrize("gz", ["", ".gz"])
def test_txt(tmp_path: Path, gz: str) -> None:
    path = _write(tmp_path / f"خبر.txt{gz}", "\ufeffمقالة عن التعاون.\n")
    [item] = _read(path)
    assert isinstance(item, ArticleInput)
    assert item.external_id == "خبر" and item.text == "مقالة عن التعاون.\n"
    assert item.line is None and not item.is_record


@pytest.mark.parametrize("gz", ["", ".gz"])
@pytest.mark.parametrize("shape", ["jsonl", "array", "object-list"])
def test_json_shapes(tmp_path: Path, gz: str, shape: str) -> None:
    if shape == "jsonl":
        path = _write(tmp_path / f"a.jsonl{gz}", _jsonl(RECS))
    elif shape == "array":
        path = _write(tmp_path / f"a.json{gz}", json.dumps(RECS, ensure_ascii=False, indent=2))
    else:
        path = _write(tmp_path / f"a.json{gz}", json.dumps({"source": "x", "articles": RECS}))
    items = _read(path)
    arts = _articles(items)
    assert [a.external_id for a in arts] == ["r1", "r2"]
    assert arts[0].title == "عنوان" and arts[0].extra == {"date": "2024-01-01"}
    assert [(s.start, s.end, s.label) for s in arts[1].spans] == [(0, 2, "PERS")]
    notes = _messages(items)
    if shape == "object-list":
        assert notes == [f"{path}:1: records read from the list 'articles' of the JSON object"]
    else:
        assert notes == []


def test_json_object_is_one_record(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", json.dumps(
        {"tags": ["a", "b"], "authors": [{"name": "x"}], "text": "نص واحد.", "id": "solo"},
        indent=2))
    [item] = _read(path)
    assert isinstance(item, ArticleInput) and item.external_id == "solo"
    assert item.line == 1


@pytest.mark.parametrize("gz", ["", ".gz"])
def test_csv_and_tsv(tmp_path: Path, gz: str) -> None:
    csv_path = _write(tmp_path / f"a.csv{gz}",
                      'id,title,text,source\r\nc1,عنوان,"نص، فيه ""اقتباس""\nوسطر ثان",وكالة\r\n'
                      "c2,,نص آخر,\r\n")
    tsv_path = _write(tmp_path / f"b.tsv{gz}", "url\theadline\tbody\nhttp://x/1\tعنوان\tنص.\n")
    items = _read(csv_path, tsv_path)
    assert _messages(items) == []
    c1, c2, t1 = _articles(items)
    assert (c1.external_id, c1.title, c1.line) == ("c1", "عنوان", 2)
    assert c1.text == 'نص، فيه "اقتباس"\nوسطر ثان' and c1.extra == {"source": "وكالة"}
    assert (c2.external_id, c2.title, c2.line, c2.extra) == ("c2", None, 4, {})
    assert (t1.external_id, t1.title, t1.text) == ("http://x/1", "عنوان", "نص.")
    assert c1.is_record and t1.is_record


def test_csv_cell_of_200k_chars(tmp_path: Path) -> None:
    text = "ن" * 200_000
    path = _write(tmp_path / "big.csv", f'text,id\n"{text}",big\nصغير,small\n')
    items = _read(path)
    assert _messages(items) == []
    assert [(a.external_id, len(a.text)) for a in _articles(items)] == [
        ("big", 200_000), ("small", 4)]


def test_csv_rows_with_problems(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.csv", b"id,text\n1,\xd9\x86\xd8\xb5\n2,bad \xff\n3\n4,  \n5,ok\n")
    items = _read(path)
    assert [a.external_id for a in _articles(items)] == ["1", "5"]
    assert _messages(items) == [
        f"{path}:3: not UTF-8 (byte 0xff)",
        f"{path}:4: row has 1 cells, the header has 2",
        f"{path}:5: record has no 'text': the cell is empty",
    ]


def test_jsonl_array_is_read_as_array_with_one_notice(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.jsonl", json.dumps(RECS * 50, indent=1))
    items = _read(path)
    assert len(_articles(items)) == 100
    assert _messages(items) == [f"{path}: a JSON array in a .jsonl file: read as a JSON array"]


@pytest.mark.parametrize("gz", ["", ".gz"])
def test_json_holding_jsonl_is_read_as_jsonl(tmp_path: Path, gz: str) -> None:
    path = _write(tmp_path / f"x.json{gz}", _jsonl(RECS) + "{not json\n" + _jsonl(RECS[:1]))
    items = _read(path)
    assert [a.external_id for a in _articles(items)] == ["r1", "r2", "r1"]
    assert [a.line for a in _articles(items)] == [1, 2, 4]
    assert _messages(items) == [
        f"{path}:2: one JSON object a line in a .json file: read as JSONL",
        f"{path}:3: invalid JSON: Expecting property name enclosed in double quotes",
    ]


def test_default_fields_in_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.jsonl", _jsonl([
        {"url": "http://a", "headline": "ع", "content": "نص.", "body": "ignored"},
        {"id": 7, "url": "http://b", "body": "نص ب."},
        {"text": "نص ج.", "title": 5, "headline": "عنوان"},
    ]))
    a, b, c = _articles(_read(path))
    assert (a.external_id, a.title, a.text) == ("http://a", "ع", "نص.")
    assert a.extra == {"body": "ignored"}
    assert (b.external_id, b.text, b.extra) == ("7", "نص ب.", {"url": "http://b"})
    assert (c.external_id, c.title) == ("d-3", "عنوان")


def test_field_flags(tmp_path: Path) -> None:
    fields = FieldMap(text="article", id="guid", title="name")
    j = _write(tmp_path / "f.jsonl", _jsonl([
        {"guid": "g1", "name": "اسم", "article": "نص.", "text": "not this"}]))
    c = _write(tmp_path / "f.csv", "guid,name,article\ng2,اسم,نص.\n")
    a, b = _articles(_read(j, c, fields=fields))
    assert (a.external_id, a.title, a.text, a.extra) == ("g1", "اسم", "نص.", {"text": "not this"})
    assert (b.external_id, b.title, b.text) == ("g2", "اسم", "نص.")


def test_no_text_field_names_what_the_record_has(tmp_path: Path) -> None:
    path = _write(tmp_path / "n.jsonl", _jsonl([
        {"url": "u", "title": "t", "date": "d"}, {}, {"text": 5}, {"text": " "}]))
    assert _messages(_read(path)) == [
        f"{path}:1: record has no 'text', 'content' or 'body' field; it has 'url', 'title', "
        "'date' (use --text-field)",
        f"{path}:2: record has no 'text', 'content' or 'body' field; it has no fields "
        "(use --text-field)",
        f"{path}:3: 'text' must be a string, got int",
        f"{path}:4: record has no 'text': the field is empty",
    ]
    assert _messages(_read(path, fields=FieldMap(text="article")))[0] == (
        f"{path}:1: record has no 'article' field (--text-field); it has 'url', 'title', "
        "'date'")


def test_csv_without_text_column_is_one_error_for_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "h.csv", "url,title,date\n" + "u,t,d\n" * 50)
    later = _write(tmp_path / "later.csv", "text\nنص.\n")
    items = _read(path, later)
    assert _messages(items) == [
        f"{path}:1: the header has no 'text', 'content' or 'body' column; it has 'url', "
        "'title', 'date' (use --text-field): the file is skipped"]
    assert len(_articles(items)) == 1
    assert _messages(_read(later, fields=FieldMap(text="body", id="guid"))) == [
        f"{later}:1: the header has no 'body' column (--text-field); it has 'text': the file "
        "is skipped"]


def test_json_array_errors_name_the_record_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "l.json", b'[\n  {"text": "ok"},\n  {\n    "id": "x",\n'
                  b'    "title": "t"\n  },\n  {"text": "bad \xff byte"},\n  {"text": 3},\n'
                  b'  {"text": "last"},\n  {"text": "broken" "json"}\n]\n')
    items = _read(path)
    assert [a.line for a in _articles(items)] == [2, 9]
    assert _messages(items) == [
        f"{path}:3: record has no 'text', 'content' or 'body' field; it has 'id', 'title' "
        "(use --text-field)",
        f"{path}:7: not UTF-8 (byte 0xff)",
        f"{path}:8: 'text' must be a string, got int",
        f"{path}:10: invalid JSON: Expecting ',' delimiter; the rest of the file is skipped",
    ]


def test_bad_bytes_and_nul_in_jsonl(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.jsonl", b'{"text": "a"}\n{"text": "\xc3("}\n{"text": "c"}\n'
                  b'{"text": "\x00"}\n{"text": "never"}\n')
    items = _read(path)
    assert [a.line for a in _articles(items)] == [1, 3]
    assert _messages(items) == [f"{path}:2: not UTF-8 (byte 0xc3)",
                                f"{path}:4: binary file (NUL byte), not UTF-8 text"]


def test_empty_and_odd_files(tmp_path: Path) -> None:
    files = [_write(tmp_path / name, data) for name, data in [
        ("e.json", " \n"), ("e.jsonl", "\n\n"), ("e.csv", ""), ("s.json", '"just a string"'),
        ("z.json", "[]"), ("t.json", '[{"text": "a"}] [1]'),
    ]]
    items = _read(*files)
    assert _messages(items) == [
        f"{files[0]}: empty file", f"{files[1]}: empty file", f"{files[2]}: empty file",
        f"{files[3]}:1: a JSON file must hold an array of records or an object",
        f"{files[4]}:1: no records (an empty JSON array)",
        f"{files[5]}:1: extra data after the JSON value: ignored",
    ]


def test_bad_gzip_and_bugs_do_not_stop_the_next_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = gzip.compress(_jsonl(RECS * 200).encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    fake = tmp_path / "fake.csv.gz"
    fake.write_bytes(b"\x1f\x8bnot really gzip")
    good = _write(tmp_path / "good.jsonl", _jsonl(RECS))
    items = _read(cut, fake, good)
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors[-2] == f"{cut}: gzip file is truncated (it ends before its end marker)"
    assert errors[-1].startswith(f"{fake}: not a valid gzip file (")
    assert [a.external_id for a in _articles(items)][-2:] == ["r1", "r2"]

    def boom(*args: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(article_input, "read_csv_stream", boom)
    csv_path = _write(tmp_path / "x.csv", "text\nنص\n")
    items = _read(csv_path, good)
    assert _messages(items) == [f"{csv_path}: internal error: KeyError: 'oops'"]
    assert len(_articles(items)) == 2


@pytest.mark.parametrize("name", ["p.jsonl", "p.json.gz", "p.csv", "p.txt.gz"])
def test_progress_reaches_the_file_size(tmp_path: Path, name: str) -> None:
    if "csv" in name:
        data = "text\n" + "نص طويل بعض الشيء\n" * 20_000
    elif "txt" in name:
        data = "نص طويل بعض الشيء\n" * 20_000
    else:
        records = [{"id": os.urandom(8).hex(), "text": "نص " + os.urandom(24).hex()}
                   for _ in range(5_000)]  # random: gzip cannot make it fit in one read
        data = _jsonl(records) if name.endswith(".jsonl") else json.dumps(records)
    path = _write(tmp_path / name, data)
    scan = scan_paths([path])
    progress = ByteProgress(scan.total_bytes)
    seen = []
    for _ in iter_inputs(scan.files, progress=progress):
        seen.append(progress.done)
    assert progress.total == path.stat().st_size == progress.done
    if "txt" not in name:
        assert 0 < seen[0] < progress.total  # counted while reading, not only at the end


def test_folder_walk_names_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["a.txt", "b.JSONL", "c.csv.gz", "d.pdf", "sub/e.tsv", "sub/f.docx",
                 ".git/config", ".hidden.txt", "g.gz"]:
        (tmp_path / name).write_bytes(b"x")
    scan = scan_paths([tmp_path, tmp_path / "nope", tmp_path / "d.pdf"])
    assert [p.relative_to(tmp_path).as_posix() for p in scan.files] == [
        "a.txt", "b.JSONL", "c.csv.gz", "sub/e.tsv"]
    note = "skipped: not a supported format (.txt, .jsonl, .json, .csv, .tsv, optionally .gz)"
    assert scan.skipped == [f"{tmp_path / 'd.pdf'}: {note}", f"{tmp_path / 'g.gz'}: {note}",
                            f"{tmp_path / 'sub' / 'f.docx'}: {note}"]
    assert [str(e) for e in scan.errors] == [
        f"{tmp_path / 'nope'}: no such file or folder",
        f"{tmp_path / 'd.pdf'}: not a supported format (.txt, .jsonl, .json, .csv, .tsv, "
        "optionally .gz)"]
    assert scan.total_bytes == 4
    files, errors = collect_files([tmp_path])
    assert files == scan.files and errors == []


@pytest.mark.parametrize(("name", "data"), [
    ("b.json", '[{"id": "x", "text": "نص."}]'),
    ("b.jsonl", '{"id": "x", "text": "نص."}\n'),
    ("b.csv", "id,text\nx,نص.\n"),
    ("b.tsv.gz", "id\ttext\nx\tنص.\n"),
])
def test_bom_is_stripped(tmp_path: Path, name: str, data: str) -> None:
    items = _read(_write(tmp_path / name, "\ufeff" + data))
    assert _messages(items) == []
    [item] = _articles(items)
    assert (item.external_id, item.text, item.line) == ("x", "نص.", 1 if "json" in name else 2)


def test_nul_in_json_array_stops_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "n.json", b'[{"text": "a"},\n{"text": "\x00"}]')
    items = _read(path)
    assert [a.text for a in _articles(items)] == ["a"]
    assert _messages(items) == [f"{path}:2: binary file (NUL byte), not UTF-8 text; the rest of "
                                "the file is skipped"]


def test_csv_notes_a_missing_id_or_title_column_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "n.csv", "text\nنص أ.\nنص ب.\n")
    items = _read(path, fields=FieldMap(id="guid", title="name"))
    assert [a.external_id for a in _articles(items)] == ["n-2", "n-3"]
    assert _messages(items) == [
        f"{path}:1: no 'guid' column (--id-field); the header has 'text'",
        f"{path}:1: no 'name' column (--title-field); the header has 'text'"]


def test_a_bug_on_one_row_or_record_spares_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_row, real_record = article_input.parse_row, article_input.parse_record

    def parse_row(cells, path, line, max_chars, fields):  # noqa: ANN001, ANN202
        if line == 3:
            raise ZeroDivisionError("division by zero")
        return real_row(cells, path, line, max_chars, fields)

    def parse_record(raw, path, line, max_chars):  # noqa: ANN001, ANN202
        if line == 2:
            raise ValueError("bad")
        return real_record(raw, path, line, max_chars)

    monkeypatch.setattr(article_input, "parse_row", parse_row)
    monkeypatch.setattr(article_input, "parse_record", parse_record)
    table = _write(tmp_path / "a.csv", "text\nأ\nب\nج\n")
    lines = _write(tmp_path / "a.jsonl", _jsonl([{"text": "أ"}, {"text": "ب"}, {"text": "ج"}]))
    items = _read(table, lines)
    assert [(a.path.suffix, a.line) for a in _articles(items)] == [
        (".csv", 2), (".csv", 4), (".jsonl", 1), (".jsonl", 3)]
    assert _messages(items) == [f"{table}:3: internal error: ZeroDivisionError: division by zero",
                                f"{lines}:2: internal error: ValueError: bad"]


def test_json_object_with_a_second_list_of_records(tmp_path: Path) -> None:
    path = _write(tmp_path / "two.json", json.dumps(
        {"articles": RECS[:1], "more": RECS[1:], "tags": ["x"]}, indent=1))
    items = _read(path)
    assert [a.external_id for a in _articles(items)] == ["r1"]
    assert _messages(items) == [
        f"{path}:2: records read from the list 'articles' of the JSON object",
        f"{path}:10: a second list of records 'more' was not read (only 'articles')"]
