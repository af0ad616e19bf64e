"""The rejection report: every rejected row as a JSON line that can be fixed and loaded again.

Each line is the row's own fields plus ``_file``, ``_line``, ``_field`` and ``_reason``; loaders
ignore those, so a fixed report is valid input. A row that could not be read at all carries its
raw text as ``_raw``: replace the line with the intended object to load it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from crosscheck.ingest.results import RowResult, RowStatus
from crosscheck.ingest.rows import Row


class RejectionReport:
    """Appends rejected rows to a JSONL file, created on the first rejection only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._handle: IO[str] | None = None

    def add(self, file: str, rows: Sequence[Row], results: Sequence[RowResult]) -> None:
        for row, result in zip(rows, results, strict=True):
            if result.status is not RowStatus.ERROR or result.error is None:
                continue
            entry: dict[str, Any] = dict(row.data) if row.data is not None else {"_raw": row.raw}
            entry.update(
                _file=file,
                _line=result.line,
                _field=result.error.field,
                _reason=result.error.message,
            )
            if self._handle is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = self.path.open("w", encoding="utf-8")
            self._handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            self.rows += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RejectionReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
