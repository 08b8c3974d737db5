"""Inputs are read as streams: a JSON array, a JSONL or CSV file is never read whole, records
that cross chunk boundaries (and UTF-8 characters cut by them) come out intact, with the
line each starts on."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

from annotator.errors import InputError
from annotator.io.article_input import ArticleInput, FieldMap, iter_inputs, parse_record
from annotator.io.input_files import CHUNK
from annotator.io.input_json import read_json_stream


class _Watched(io.BytesIO):
    """A stream that remembers the largest read asked of it."""

    largest = 0

    def read(self, n: int | None = -1) -> bytes:  # type: ignore[override]
        self.largest = max(self.largest, 10**12 if n is None or n < 0 else n)
        return super().read(n)


def _parse(raw: object, path: Path, line: int, max_chars: int, fields: FieldMap) -> ArticleInput:
    return parse_record(raw, path, line, max_chars, fields)


def _pretty_array(texts: list[str]) -> tuple[bytes, list[int]]:
    """A JSON array written one key a line, and the line each record starts on."""
    lines, starts = ["["], []
    for i, text in enumerate(texts):
        starts.append(len(lines) + 1)
        lines += ["  {", f'    "id": "n{i}",', f"    \"text\": {json.dumps(text)}",
                  "  }," if i < len(texts) - 1 else "  }"]
    lines.append("]")
    return ("\n".join(lines) + "\n").encode(), starts


def test_json_array_is_read_in_chunks_with_lines(tmp_path: Path) -> None:
    texts = [("نص عربي " * (1 + i % 40)).strip() for i in range(4_000)]
    data, starts = _pretty_array(texts)
    assert len(data) > 20 * CHUNK
    stream = _Watched(data)
    items = list(read_json_stream(stream, tmp_path / "a.json", 1_000_000, FieldMap(), _parse))
    assert all(isinstance(i, ArticleInput) for i in items)
    assert [i.text for i in items] == texts  # type: ignore[union-attr]
    assert [i.line for i in items] == starts  # type: ignore[union-attr]
    assert stream.largest <= CHUNK


def test_a_record_larger_than_a_chunk_is_read_whole(tmp_path: Path) -> None:
    texts = ["قصير", "طويل جدا " * 60_000, "بعده"]
    data, starts = _pretty_array(texts)
    stream = _Watched(data)
    items = list(read_json_stream(stream, tmp_path / "a.json", 1_000_000, FieldMap(), _parse))
    assert [(i.text, i.line) for i in items] == list(zip(texts, starts, strict=True))  # type: ignore
    assert stream.largest <= 4 * len(texts[1].encode())  # grows with the record, not the file


def test_a_value_over_the_limit_stops_the_file(tmp_path: Path) -> None:
    data, _ = _pretty_array(["ن" * 1_200_000, "ok"])  # the limit: 16 * 10 + 1 MiB
    items = list(read_json_stream(io.BytesIO(data), tmp_path / "a.json", 10, FieldMap(),
                                  _parse))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert "the rest of the file is skipped" in str(items[0])


def test_records_list_in_an_object_is_streamed(tmp_path: Path) -> None:
    records = [{"text": f"نص رقم {i}"} for i in range(20_000)]
    data = json.dumps({"meta": {"n": 1}, "articles": records}, ensure_ascii=False).encode()
    stream = _Watched(data)
    items = list(read_json_stream(stream, tmp_path / "o.json", 1_000_000, FieldMap(), _parse))
    assert len([i for i in items if isinstance(i, ArticleInput)]) == 20_000
    assert stream.largest <= CHUNK


def test_bad_byte_across_chunks_skips_only_its_record(tmp_path: Path) -> None:
    texts = ["نص " * 30 for _ in range(3_000)]
    data, starts = _pretty_array(texts)
    cut = data.index(b'"n2000"')
    data = data[:cut] + b'"n2000\xff"' + data[cut + 7:]
    items = list(read_json_stream(io.BytesIO(data), tmp_path / "b.json", 1_000_000,
                                  FieldMap(), _parse))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [f"{tmp_path / 'b.json'}:{starts[2000] + 1}: not UTF-8 (byte 0xff) "
                      f"(in the record that starts on line {starts[2000]})"]
    assert len(items) == 3_000


def _peak(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        n = sum(isinstance(i, ArticleInput) for i in iter_inputs([path]))
        return n, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_is_far_below_the_file_size(tmp_path: Path) -> None:
    record = {"text": "خبر عن التعاون الأمني بين البلدين. " * 20}
    n = 4_000
    array = tmp_path / "big.json"
    array.write_text(json.dumps([dict(record, id=str(i)) for i in range(n)], ensure_ascii=False))
    jsonl = tmp_path / "big.jsonl"
    jsonl.write_text("".join(json.dumps(dict(record, id=str(i)), ensure_ascii=False) + "\n"
                             for i in range(n)))
    table = tmp_path / "big.csv"
    table.write_text("id,text\n" + "".join(f"{i},{record['text']}\n" for i in range(n)))
    for path in (array, jsonl, table):
        size = path.stat().st_size
        assert size > 5_000_000
        count, peak = _peak(path)
        assert count == n
        assert peak < 1_500_000, (path.name, peak, size)  # a few chunks, whatever the size


class _Trickle(io.BytesIO):
    """A stream that gives at most a few bytes a read (cutting UTF-8 characters)."""

    def read(self, n: int | None = -1) -> bytes:  # type: ignore[override]
        return super().read(3)


def test_short_reads_give_the_same_records(tmp_path: Path) -> None:
    data, starts = _pretty_array(["نص عربي فيه همزة: سؤال", "ثان\u2028مع فاصل", "ثالث 12"])
    data = data.replace(b"\n", b"\r\n").replace(b'"n1"', b'"n1\xd9"')
    items = list(read_json_stream(_Trickle(data), tmp_path / "t.json", 1_000, FieldMap(),
                                  _parse))
    assert [(i.external_id, i.line) for i in items if isinstance(i, ArticleInput)] == [
        ("n0", starts[0]), ("n2", starts[2])]
    assert [str(i) for i in items if isinstance(i, InputError)] == [
        f"{tmp_path / 't.json'}:{starts[1] + 1}: not UTF-8 (byte 0xd9) (in the record that "
        f"starts on line {starts[1]})"]
