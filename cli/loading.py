"""``crosscheck load``: files (or standard input) through a bulk loader, with progress shown.

On a terminal a progress bar shows rows, rows/s, ETA and errors; elsewhere a log line every few
seconds says the same, so that batch jobs leave a readable trail.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from crosscheck.ingest.loader import BulkLoader
from crosscheck.ingest.report import RejectionReport
from crosscheck.ingest.results import LoadTotals, RowResult, RowStatus
from crosscheck.ingest.rows import (
    InputFormat,
    Row,
    count_rows,
    read_claim_reviews,
    read_csv,
    read_json_array,
    read_jsonl,
    read_parquet,
)

log = logging.getLogger("crosscheck.load")

STDIN = "-"
LOG_EVERY_SECONDS = 5.0


@dataclass(frozen=True)
class InputFile:
    """One thing to load: a path (or ``-``) and the format it is read in."""

    name: str
    input_format: InputFormat

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN


@contextlib.contextmanager
def open_rows(source: InputFile) -> Iterator[Iterator[Row]]:
    """The rows of one input, streamed (a JSON array file is the one format read whole)."""
    if source.input_format is InputFormat.PARQUET:
        yield read_parquet(Path(source.name))
        return
    with contextlib.ExitStack() as stack:
        stream = (
            sys.stdin.buffer if source.is_stdin else stack.enter_context(open(source.name, "rb"))
        )
        if source.input_format.holds_claim_reviews:
            yield read_claim_reviews(stream.read(), html=source.input_format is InputFormat.HTML)
        elif source.input_format is InputFormat.CSV:
            yield read_csv(stream)
        elif source.input_format is InputFormat.JSON:
            yield read_json_array(stream.read())
        else:
            yield read_jsonl(stream)


class LoadProgress:
    """Rows done, rate, ETA and errors: a rich bar on a terminal, log lines elsewhere."""

    def __init__(self, console: Console) -> None:
        self._interactive = console.is_terminal
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f}{task.fields[of]} rows"),
            TextColumn("{task.fields[rate]:,.0f} rows/s"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not self._interactive,
        )
        self._task: TaskID | None = None
        self._name = ""
        self._started = time.perf_counter()
        self._last_log = self._started
        self._rows = 0
        self._errors = 0

    def __enter__(self) -> LoadProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.__exit__(None, None, None)

    def begin(self, name: str, total: int | None) -> None:
        self._name, self._rows, self._errors = name, 0, 0
        self._started = self._last_log = time.perf_counter()
        self._task = self._progress.add_task(
            f"loading {name}",
            total=total,
            of=f"/{total:,}" if total is not None else "",
            rate=0.0,
            errors=0,
        )

    def advance(self, results: Sequence[RowResult]) -> None:
        self._rows += len(results)
        self._errors += sum(1 for r in results if r.status is RowStatus.ERROR)
        now = time.perf_counter()
        rate = self._rows / max(now - self._started, 1e-9)
        if self._task is not None:
            self._progress.update(self._task, advance=len(results), rate=rate, errors=self._errors)
        if not self._interactive and now - self._last_log >= LOG_EVERY_SECONDS:
            self._last_log = now
            log.info(
                "%s: %d rows, %.0f rows/s, %d errors", self._name, self._rows, rate, self._errors
            )


def load_inputs(
    loader_for: Callable[[InputFile], BulkLoader],
    inputs: Sequence[InputFile],
    *,
    report: RejectionReport,
    console: Console,
) -> LoadTotals:
    """Load every input in turn, each by its own loader; rejected rows go to ``report``."""
    overall = LoadTotals()
    started = time.perf_counter()
    with LoadProgress(console) as progress:
        for source in inputs:
            total = None if source.is_stdin else count_rows(Path(source.name), source.input_format)
            progress.begin(source.name, total)

            def on_results(
                rows: Sequence[Row], results: list[RowResult], name: str = source.name
            ) -> None:
                report.add(name, rows, results)
                progress.advance(results)

            with open_rows(source) as rows:
                totals = loader_for(source).run(rows, on_results)
            overall.created += totals.created
            overall.existing += totals.existing
            overall.rejected += totals.rejected
    overall.seconds = time.perf_counter() - started
    return overall
