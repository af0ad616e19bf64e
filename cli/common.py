"""What the commands share: settings, the two consoles, database sessions, the runtime, the
encoder, lines for a pipe."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.orm import Session

from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.ingest.results import LoadTotals
from crosscheck.logs import configure_logging
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings, get_settings
from embeddings.encoders.base import Encoder
from embeddings.encoders.factory import load_encoder

# Messages and progress go to stderr; what a command answers goes to stdout, for scripts.
console = Console(stderr=True)
out = Console()


def load_settings() -> Settings:
    """The validated settings, with logging set up by them; exit 2 naming what is invalid."""
    try:
        settings = get_settings()
    except ValidationError as exc:
        console.print(f"[red]invalid settings:[/red]\n{exc}")
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level, log_format=settings.log_format)
    return settings


def started_runtime(
    settings: Settings, *, rebuild_index: bool = False, load_judge: bool = True
) -> Runtime:
    """A runtime with the model, the stance judge (unless ``load_judge`` is false) and the
    index loaded."""
    runtime = Runtime(settings)
    runtime.start(rebuild_index=rebuild_index, load_judge=load_judge)
    return runtime


@contextlib.contextmanager
def database_session(settings: Settings) -> Iterator[Session]:
    """A session on the database, without the model or index (quick commands)."""
    engine = create_db_engine(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def settings_encoder(settings: Settings) -> Encoder:
    """The encoder the settings describe, as the runtime loads it (backend, ONNX cache)."""
    return load_encoder(
        backend=settings.encoder_backend,
        model=settings.model,
        onnx_dir=settings.onnx_cache_dir / "encoder",
        batch_size=settings.encode_batch_size,
        onnx_max_batch=settings.onnx_max_batch,
    )


def print_totals(what: str, totals: LoadTotals) -> None:
    console.print(
        f"{what}: {totals.created:,} inserted, {totals.existing:,} already present, "
        f"{totals.rejected:,} rejected in {totals.seconds:.1f}s ({totals.rate:,.0f} rows/s)",
        soft_wrap=True,
        markup=False,
    )


def tab_separated(cells: Iterable[str]) -> str:
    """One line of tab-separated values, each whole, its own whitespace made single spaces."""
    return "\t".join(" ".join(cell.split()) for cell in cells)


def write_lines(lines: Iterable[str]) -> None:
    """Lines to stdout as they are, for a pipe or a file: rich would turn the tabs into spaces."""
    sys.stdout.write("".join(f"{line}\n" for line in lines))
