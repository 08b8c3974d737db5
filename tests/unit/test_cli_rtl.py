"""CLI tables lay out Arabic right to left (visual order, shaped) on a terminal, and keep
logical order on a pipe, in Markdown and in JSON."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from annotator.agreement import AnnotatorWork, DocumentUnit, SpanAnn, build_report
from annotator.agreement.render import render_markdown, render_rich
from annotator.bidi import layout_document
from annotator.bidi.cell import has_rtl, table_cell, visual_cell
from annotator.bidi.shaping import shape_characters
from annotator.cli import app
from annotator.commands import schema_cmd, status
from annotator.labelschema import load_schema

runner = CliRunner()
NAME = "محمد"
TEXT = "التقى ناصر بوريطة وزير الخارجية في الرباط."
PHRASE = "وزير الخارجية"


def visual(text: str) -> str:
    """What the TUI draws for `text` on one wide line (the reference layout)."""
    layout = layout_document(text, 200, mode="app", shape=True, paragraph_gap=False)
    return "".join(layout.lines[0].cells).strip()


def shape(word: str) -> str:
    return "".join(shape_characters(word) or word)


def test_visual_cell_is_the_article_layout() -> None:
    cell = visual_cell(PHRASE)
    assert cell == visual(PHRASE) != PHRASE
    # right to left: the first word is on the right, shaped into presentation forms
    words = cell.split(" ")
    assert words[-1] == shape("وزير")[::-1] and words[0] == shape("الخارجية")[::-1]
    assert sum("\ufb50" <= ch <= "\ufeff" for ch in cell) >= len(PHRASE) // 2
    assert visual_cell("alice 3, bob 5") == "alice 3, bob 5"  # no Arabic: as it is
    assert visual_cell("  two\nlines ") == "two lines"
    assert visual_cell("") == "" and visual_cell(PHRASE, 0) == ""


def test_visual_cell_keeps_the_beginning_when_cut() -> None:
    cut = visual_cell(TEXT, 12)
    assert len(cut) <= 12 and cut.startswith("…")
    assert cut.endswith(visual("التقى"))  # the first word, on the right
    off = visual_cell(TEXT, 12, mode="off")
    assert off.endswith("…") and TEXT.startswith(off[:-1].rstrip())


def test_table_cell_only_on_a_terminal() -> None:
    assert table_cell(NAME, terminal=False) == NAME
    assert table_cell(NAME, terminal=True) == visual(NAME) != NAME
    assert table_cell("bob", terminal=True) == "bob"
    assert has_rtl(NAME) and not has_rtl("bob 12")


def test_a_cell_that_begins_in_latin_stays_left_to_right() -> None:
    """A cell is its own paragraph (first strong character): `alice|محمد` keeps alice on
    the left and lays the Arabic run out in place."""
    assert table_cell(f"alice|{NAME}", terminal=True) == f"alice|{visual(NAME)}"
    assert table_cell(f"Finished by {NAME}", terminal=True) == f"Finished by {visual(NAME)}"
    two = "محمد علي"
    assert table_cell(f"bob|{two}", terminal=True) == f"bob|{visual(two)}"
    assert table_cell(f"{NAME}|bob", terminal=True) == visual(f"{NAME}|bob")  # RTL-led


def _agreement_report() -> dict:
    start = TEXT.index(PHRASE)
    units = [DocumentUnit(
        "d1", TEXT, [(0, len(TEXT))], [(m.start(), m.end()) for m in re.finditer(r"\S+", TEXT)],
        {NAME: AnnotatorWork({SpanAnn(start, start + len(PHRASE), "OCC")}),
         "bob": AnnotatorWork({SpanAnn(start, start + len(PHRASE), "PERS")})},
    )]
    return build_report(units, [NAME, "bob"])


def _printed(renderable: object, terminal: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=250, color_system=None)
    console.print(renderable)
    return out.getvalue()


def test_agreement_tables_right_to_left_on_a_terminal_only() -> None:
    report = _agreement_report()
    on_terminal = _printed(render_rich(report, terminal=True), terminal=True)
    assert visual(PHRASE) in on_terminal and visual(NAME) in on_terminal
    assert PHRASE not in on_terminal and NAME not in on_terminal
    piped = _printed(render_rich(report), terminal=False)
    assert PHRASE in piped and NAME in piped and visual(PHRASE) not in piped
    markdown = render_markdown(report)
    assert PHRASE in markdown and visual(PHRASE) not in markdown


def _two_annotators_db(tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    rec = {"id": "r", "text": TEXT, "spans": [], "events": []}
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in (NAME, "bob"):
        done = runner.invoke(app, ["--db", str(db), "import", "--annotator", name, str(f)])
        assert done.exit_code == 0, done.output
    return db


def test_status_and_agreement_on_a_pipe_stay_logical(tmp_path: Path) -> None:
    db = _two_annotators_db(tmp_path)
    result = runner.invoke(app, ["--db", str(db), "status"])  # CliRunner: not a terminal
    assert result.exit_code == 0 and NAME in result.output
    assert visual(NAME) not in result.output
    result = runner.invoke(app, ["--db", str(db), "status", "--json"])
    assert NAME in json.loads(result.stdout)["annotators"]
    result = runner.invoke(app, ["--db", str(db), "agreement"])
    assert result.exit_code == 0 and NAME in result.output
    assert visual(NAME) not in result.output


def _fake_terminal(monkeypatch: pytest.MonkeyPatch, module: object) -> io.StringIO:
    out = io.StringIO()
    monkeypatch.setattr(module, "Console", lambda: Console(
        file=out, force_terminal=True, width=200, color_system=None))
    return out


def test_status_on_a_terminal_is_right_to_left(tmp_path: Path, monkeypatch) -> None:
    db = _two_annotators_db(tmp_path)
    out = _fake_terminal(monkeypatch, status)
    assert status.run_status(str(db), json_out=False) == 0
    shown = out.getvalue()
    assert visual(NAME) in shown and NAME not in shown and "bob" in shown


def test_schema_show_right_to_left_on_a_terminal_logical_on_a_pipe(monkeypatch) -> None:
    schema = load_schema()
    arabic = next(t.ar for t in schema.entities if has_rtl(t.ar))
    result = runner.invoke(app, ["schema", "show"])
    assert result.exit_code == 0 and arabic in result.output
    out = _fake_terminal(monkeypatch, schema_cmd)
    assert schema_cmd.run_show(None) == 0
    shown = out.getvalue()
    assert visual(arabic) in shown and arabic not in shown
    assert visual("العربية") in shown
