"""`annotator import` as a user runs it: the formats articles come in (a newspaper's JSON
arrays with url/title/content), skipped files named, --dry-run, --show-cleaning,
--show-duplicates, notes and errors one line each, exit status."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.store.service import Store

runner = CliRunner()

ARTICLES = [
    {"url": "https://www.example.ma/a/1.html", "title": "الأول", "content": "خبر أول عن الرباط."},
    {"url": "https://www.example.ma/a/2.html", "title": "الثاني", "content": "خبر ثان عن فاس."},
]


def _db(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_a_newspapers_json_arrays_import_with_their_urls_as_ids(
    store: Store, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "archive"  # (the test database lives in tmp_path)
    tmp_path.mkdir()
    (tmp_path / "day1.json").write_text(json.dumps(ARTICLES, ensure_ascii=False),
                                        encoding="utf-8")
    with gzip.open(tmp_path / "day2.json.gz", "wt", encoding="utf-8") as f:
        json.dump([{**ARTICLES[0], "url": "https://www.example.ma/a/3.html",
                    "content": "خبر ثالث."}], f, ensure_ascii=False)
    (tmp_path / "renamed.jsonl").write_text(
        json.dumps([{**ARTICLES[1], "url": "u4", "content": "خبر رابع."}],
                   ensure_ascii=False), encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    result = runner.invoke(app, ["--db", _db(store), "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "imported: 4 added, 0 duplicates, 0 rejected, 1 files skipped" in result.output
    assert f"{tmp_path / 'notes.pdf'}: skipped: not a supported format" in result.output
    assert "a JSON array in a .jsonl file: read as a JSON array" in result.output
    doc = store.document_by_external_id("https://www.example.ma/a/2.html")
    assert doc is not None and doc.title == "الثاني" and doc.text == "خبر ثان عن فاس."


def test_no_text_field_names_the_fields_found_and_exits_1(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"url": "u1", "headline": "h", "date": "2015"}\n', encoding="utf-8")
    result = runner.invoke(app, ["--db", _db(store), "import", str(path)])
    assert result.exit_code == 1
    [line] = [ln for ln in result.output.splitlines() if ln.startswith("annotator: ")]
    assert line.startswith(f"annotator: {path}:1: record has no 'text', 'content' or 'body'")
    assert "'url', 'headline', 'date'" in line and "--text-field" in line
    result = runner.invoke(app, ["--db", _db(store), "import", str(path),
                                 "--text-field", "headline"])
    assert result.exit_code == 0 and "1 added" in result.output


def test_a_folder_with_nothing_importable_exits_1(store: Store, tmp_path: Path) -> None:
    tmp_path = tmp_path / "archive"
    tmp_path.mkdir()
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    result = runner.invoke(app, ["--db", _db(store), "import", str(tmp_path)])
    assert result.exit_code == 1
    assert "nothing to import" in result.output and "a.pdf: skipped" in result.output


def test_dry_run_shows_cleaning_and_stores_nothing(store: Store, seeds_dir: Path) -> None:
    result = runner.invoke(app, ["--db", _db(store), "import", str(seeds_dir), "--dry-run",
                                 "--show-cleaning"])
    assert result.exit_code == 0, result.output
    assert "would import: 5 added, 0 duplicates, 0 rejected" in result.output
    removed = [ln for ln in result.output.splitlines() if ": line " in ln]
    assert any("000_190ea0e51b7b56d2.txt: line 5:" in ln and "تابعونا على فيسبوك" in ln
               for ln in removed), removed
    assert store.count_documents() == 0


def test_show_duplicates_names_the_stored_document(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"id": "a1", "text": "نص واحد."}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    again = tmp_path / "b.jsonl"
    again.write_text(json.dumps({"id": "b7", "text": "نص واحد."}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    assert runner.invoke(app, ["--db", _db(store), "import", str(first)]).exit_code == 0
    result = runner.invoke(app, ["--db", _db(store), "import", str(again),
                                 "--show-duplicates"])
    assert result.exit_code == 0
    assert (f"{again}:1: duplicate: id 'b7' has the same text as the stored document 'a1'"
            in result.output)
    assert "0 added, 1 duplicates" in result.output
