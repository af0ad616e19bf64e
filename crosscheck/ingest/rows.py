"""Rows of a bulk file, streamed: JSON lines, CSV with a header, Parquet, or a JSON array; or
the ClaimReview objects of a JSON-LD file or of an HTML page's JSON-LD scripts.

Every row keeps its line number and its raw form, so that a rejected row can be reported, fixed
and loaded again. Rows that cannot even be read (broken JSON, bad UTF-8) come out as rows with an
``error`` instead of failing the file.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from crosscheck.errors import InvalidInputError
from crosscheck.reviews.jsonld import claim_reviews_in_text

# Columns the rejection report adds; rows read back from a report ignore them.
REPORT_COLUMNS = ("_file", "_line", "_field", "_reason")
_UTF8_BOM = b"\xef\xbb\xbf"
JSON_LD_SNIFF_BYTES = 4096
# Python's parser gives up near a thousand levels (RecursionError); no row nests that deep.
NESTED_TOO_DEEPLY = "nested too deeply"


class InputFormat(enum.StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"
    JSON = "json"
    JSONLD = "jsonld"
    HTML = "html"

    @property
    def holds_claim_reviews(self) -> bool:
        return self in (InputFormat.JSONLD, InputFormat.HTML)


@dataclass(frozen=True)
class Row:
    """One input row: its fields, or why it could not be read."""

    line: int
    raw: str
    data: dict[str, Any] | None = None
    error: str | None = None


def detect_format(name: str) -> InputFormat:
    """The format a file name implies: .jsonl/.ndjson, .csv, .parquet or .json."""
    suffix = Path(name).suffix.lower()
    formats = {
        ".jsonl": InputFormat.JSONL,
        ".ndjson": InputFormat.JSONL,
        ".csv": InputFormat.CSV,
        ".parquet": InputFormat.PARQUET,
        ".json": InputFormat.JSON,
        ".jsonld": InputFormat.JSONLD,
        ".html": InputFormat.HTML,
        ".htm": InputFormat.HTML,
    }
    if suffix not in formats:
        raise InvalidInputError(
            f"cannot tell the format of {name!r} from its name: give --format", field="format"
        )
    return formats[suffix]


def sniff_json_ld(path: Path) -> bool:
    """Whether a ``.json`` file is JSON-LD: it names a ``@context`` or ``@type`` early on."""
    with path.open("rb") as handle:
        head = handle.read(JSON_LD_SNIFF_BYTES)
    return b'"@context"' in head or b'"@type"' in head


def without_report_columns(data: dict[str, Any]) -> dict[str, Any]:
    """The row's own fields: a rejection report's ``_line``/``_field``/``_reason`` dropped."""
    return {key: value for key, value in data.items() if key not in REPORT_COLUMNS}


def jsonl_row(line: int, raw: bytes) -> Row | None:
    """One JSON line as a row; ``None`` for a blank line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Row(line, raw.decode("utf-8", "replace").rstrip("\r\n"), error=f"not UTF-8: {exc}")
    text = text.rstrip("\r\n")
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Row(line, text, error=f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Row(line, text[:200], error=f"not valid JSON: {NESTED_TOO_DEEPLY}")
    if not isinstance(data, dict):
        return Row(line, text, error="each line must be a JSON object")
    return Row(line, text, data=without_report_columns(data))


def read_jsonl(lines: Iterable[bytes]) -> Iterator[Row]:
    """Rows of JSON lines (bytes, as read from a binary file or a request body)."""
    for number, raw in enumerate(lines, start=1):
        row = jsonl_row(number, raw.removeprefix(_UTF8_BOM) if number == 1 else raw)
        if row is not None:
            yield row


def _has_undecodable(values: Iterable[str]) -> bool:
    # Bytes that are not UTF-8 arrive as lone surrogates under errors="surrogateescape".
    return any(any("\udc80" <= char <= "\udcff" for char in value) for value in values)


def read_csv(stream: IO[bytes]) -> Iterator[Row]:
    """Rows of a CSV file with a header row; empty cells are absent fields."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    header = next(reader, None)
    if header is None:
        return
    columns = [name.strip() for name in header]
    if _has_undecodable(columns):
        raise InvalidInputError("the CSV header is not UTF-8", field="header")
    for cells in reader:
        line = reader.line_num
        raw = _csv_line(cells)
        if not any(cell.strip() for cell in cells):
            continue
        if _has_undecodable(cells):
            yield Row(
                line,
                raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                error="not UTF-8",
            )
            continue
        if len(cells) != len(columns):
            yield Row(line, raw, error=f"{len(cells)} cells for {len(columns)} columns")
            continue
        data = {name: cell for name, cell in zip(columns, cells, strict=True) if cell.strip()}
        yield Row(line, raw, data=without_report_columns(data))


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue().rstrip("\r\n")


def _plain(value: Any) -> Any:
    """A Parquet cell as JSON would carry it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def read_parquet(path: Path, *, batch_rows: int = 4096) -> Iterator[Row]:
    """Rows of a Parquet file, read a record batch at a time; nulls are absent fields."""
    import pyarrow.parquet as pq  # only Parquet loads need pyarrow loaded

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for unreadable files
        raise InvalidInputError(
            f"{path} is not a readable Parquet file: {exc}", field="path"
        ) from exc
    line = 0
    for batch in parquet.iter_batches(batch_size=batch_rows):
        for record in batch.to_pylist():
            line += 1
            data = {key: _plain(value) for key, value in record.items() if value is not None}
            yield Row(
                line,
                json.dumps(data, ensure_ascii=False, default=str),
                data=without_report_columns(data),
            )


def read_json_array(payload: bytes) -> Iterator[Row]:
    """Rows of a JSON array of objects; their numbers count from 1 in array order."""
    try:
        items = json.loads(payload.removeprefix(_UTF8_BOM))
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"the body is not UTF-8: {exc}", field="body") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno}", field="body"
        ) from exc
    except RecursionError as exc:
        raise InvalidInputError(
            f"the body is not valid JSON: {NESTED_TOO_DEEPLY}", field="body"
        ) from exc
    if not isinstance(items, list):
        raise InvalidInputError("a JSON body must be an array of objects", field="body")
    for number, item in enumerate(items, start=1):
        try:
            raw = json.dumps(item, ensure_ascii=False)
        except RecursionError:
            yield Row(number, "", error=f"not valid JSON: {NESTED_TOO_DEEPLY}")
            continue
        if isinstance(item, dict):
            yield Row(number, raw, data=without_report_columns(item))
        else:
            yield Row(number, raw, error="each item must be a JSON object")


def read_claim_reviews(payload: bytes, *, html: bool) -> Iterator[Row]:
    """One row per ClaimReview in a JSON-LD document (or an HTML page's JSON-LD), numbered from
    1 in document order; a part that holds no review is a row with an error."""
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"the file is not UTF-8: {exc}", field="body") from exc
    for number, found in enumerate(claim_reviews_in_text(text, html=html), start=1):
        if found.node is None:
            yield Row(number, "", error=found.error)
        else:
            yield Row(number, json.dumps(found.node, ensure_ascii=False), data=found.node)


def count_rows(path: Path, input_format: InputFormat) -> int | None:
    """Rows a file holds (for a progress bar): exact for Parquet, non-blank lines otherwise."""
    if input_format is InputFormat.PARQUET:
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows)
        except Exception:  # unreadable: the reader reports it properly
            return None
    if input_format in (InputFormat.JSON, InputFormat.JSONLD, InputFormat.HTML):
        return None
    with path.open("rb") as handle:
        blank_free = sum(1 for raw in handle if raw.strip())
    return blank_free - 1 if input_format is InputFormat.CSV else blank_free
