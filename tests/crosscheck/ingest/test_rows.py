"""Reading bulk files: JSON lines, CSV, Parquet and JSON arrays, bad rows kept with their line."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosscheck.errors import InvalidInputError
from crosscheck.ingest.rows import (
    InputFormat,
    count_rows,
    detect_format,
    read_csv,
    read_json_array,
    read_jsonl,
    read_parquet,
)


def test_jsonl_keeps_line_numbers_skips_blanks_and_strips_a_bom() -> None:
    data = b'\xef\xbb\xbf{"text": "a"}\n\n[1, 2]\n{"text": "b", "_line": 9, "_reason": "x"}\n'
    rows = list(read_jsonl(io.BytesIO(data)))
    assert [r.line for r in rows] == [1, 3, 4]
    assert rows[0].data == {"text": "a"}
    assert rows[1].error == "each line must be a JSON object"
    assert rows[2].data == {"text": "b"}  # a rejection report's own columns are dropped


def test_csv_with_header_quoted_newlines_and_bad_bytes() -> None:
    data = (
        b"text,source,stated_at\n"
        b'"Two lines,\nin one cell",Ministry,\n'
        b"short,row\n"
        b"caf\xe9 prices rose,Guild,2024-01-02\n"
        b"\n"
        b"Prices fell,Guild,2024-01-03\n"
    )
    rows = list(read_csv(io.BytesIO(data)))
    assert rows[0].data == {"text": "Two lines,\nin one cell", "source": "Ministry"}
    assert rows[0].line == 3
    assert rows[1].error == "2 cells for 3 columns"
    assert rows[2].error == "not UTF-8"
    assert rows[3].data == {"text": "Prices fell", "source": "Guild", "stated_at": "2024-01-03"}


def test_parquet_rows_in_order_with_nulls_dropped(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    table = pa.table(
        {"text": ["one claim here", "another claim"], "source": ["A", None], "n": [1, 2]}
    )
    pq.write_table(table, path)
    rows = list(read_parquet(path, batch_rows=1))
    assert [r.line for r in rows] == [1, 2]
    assert rows[1].data == {"text": "another claim", "n": 2}
    assert count_rows(path, InputFormat.PARQUET) == 2


def test_json_array_and_its_errors() -> None:
    rows = list(read_json_array(b'[{"text": "a"}, 3]'))
    assert rows[0].data == {"text": "a"} and rows[1].error == "each item must be a JSON object"
    with pytest.raises(InvalidInputError, match="array"):
        list(read_json_array(b'{"text": "a"}'))
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        list(read_json_array(b"[{"))


def test_format_from_the_file_name() -> None:
    assert detect_format("x.NDJSON") is InputFormat.JSONL
    assert detect_format("export.csv") is InputFormat.CSV
    with pytest.raises(InvalidInputError):
        detect_format("claims.txt")
