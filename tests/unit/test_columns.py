"""Pure layout helpers of the TUI: column widths that fit, middle cuts, header packing,
span texts wrapped like the article."""

from __future__ import annotations

import pytest

from annotator.tui.columns import (
    CELL_PADDING,
    SCROLLBAR,
    document_columns,
    middle_cut,
    pack_parts,
)
from annotator.tui.layout import one_line, wrapped_lines

URL = "https://www.example-news.ma/politique/2022/03/30/alliance-securitaire-dubai"


def test_middle_cut_keeps_both_ends() -> None:
    assert middle_cut("short", 10) == "short"
    cut = middle_cut(URL, 21)
    assert len(cut) == 21 and cut == URL[:10] + "…" + URL[-10:]
    assert middle_cut(URL, 2) == "h…" and middle_cut(URL, 1) == "…" and middle_cut(URL, 0) == ""


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160, 200])
def test_document_columns_fit_the_width(width: int) -> None:
    cols = document_columns(width, longest_id=len(URL), most_spans=1234, most_events=7)
    total = sum(cols.widths) + len(cols.widths) * CELL_PADDING + SCROLLBAR
    assert total <= width
    assert cols.status == len("in progress") and cols.spans == 5 and cols.events == 6
    assert cols.title >= 8 and cols.id >= 6
    assert cols.id <= max(6, cols.title // 2)  # the id never crowds out the title


def test_document_columns_short_ids_are_not_padded() -> None:
    cols = document_columns(200, longest_id=20)
    assert cols.id == 20 and cols.title == 120  # the title is capped on a wide screen


PARTS = [("carol", "carol", "bold"), ("adjudicate", "adj.", ""),
         ("document 4/300", "doc 4/300", ""), ("disagreement 2/5", "dis. 2/5", ""),
         ("1485 left in corpus", "1485 left in corpus", ""),
         ("3/300 documents gold-done", "3/300 gold-done", "")]


def _lines(packed: list[list[tuple[str, str]]]) -> list[str]:
    return [" " + " │ ".join(text for text, _style in line) for line in packed]


def test_pack_parts_one_line_when_it_fits() -> None:
    lines = _lines(pack_parts(PARTS, 200))
    assert len(lines) == 1 and "document 4/300" in lines[0]


def test_pack_parts_abbreviates_then_wraps() -> None:
    short = _lines(pack_parts(PARTS, 80))
    assert len(short) == 1 and "doc 4/300" in short[0] and len(short[0]) <= 80
    wrapped = _lines(pack_parts(PARTS, 50))
    assert len(wrapped) == 2 and all(len(line) <= 50 for line in wrapped)
    every = " ".join(wrapped)
    assert "4/300" in every and "1485 left in corpus" in every and "gold-done" in every
    assert pack_parts(PARTS, 50)[0][0] == ("carol", "bold")  # styles kept


def test_wrapped_lines_keep_every_word_in_reading_order() -> None:
    phrase = "المنظومة الأمنية الدولية"
    lines = wrapped_lines(phrase, 10, "app")
    assert lines == [one_line(w, 10, "app") for w in phrase.split()]
    assert wrapped_lines(phrase, 40, "app") == [one_line(phrase, 40, "app")]
    cut = wrapped_lines(phrase + " لمكافحة الإرهاب", 10, "app", max_lines=2)
    assert len(cut) == 2 and cut[1].startswith("…")
    assert wrapped_lines("abc def ghi", 4, "off", max_lines=2) == ["abc", "def…"]
    assert wrapped_lines("", 10, "app") == [] and wrapped_lines("x", 0, "app") == []
