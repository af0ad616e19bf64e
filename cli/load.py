"""``crosscheck load``, ``ingest`` and ``demo``: claims, documents and reviews into the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from cli.common import console, load_settings, out, print_totals, started_runtime
from cli.loading import STDIN, InputFile, load_inputs
from crosscheck.documents import service as document_service
from crosscheck.documents.schemas import DocumentCreate
from crosscheck.errors import CrosscheckError, StorageFullError, StorageUnavailableError
from crosscheck.ingest import service as ingest_service
from crosscheck.ingest.loader import BulkLoader, RowKind, bulk_loader
from crosscheck.ingest.report import RejectionReport
from crosscheck.ingest.rows import InputFormat, detect_format, sniff_json_ld
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.storage import storage_failure
from embeddings.encoders.base import Encoder

app = typer.Typer()

# A full or failing disk: exit status 4, the rows committed before it stay.
STORAGE_ERRORS = (StorageFullError, StorageUnavailableError)

DEMO_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def _inputs(paths: list[str], input_format: InputFormat | None) -> list[InputFile]:
    inputs = []
    for name in paths:
        if name != STDIN and not Path(name).is_file():
            raise CrosscheckError(f"{name} is not a readable file", field="path")
        fmt = input_format or (InputFormat.JSONL if name == STDIN else detect_format(name))
        if input_format is None and fmt is InputFormat.JSON and sniff_json_ld(Path(name)):
            fmt = InputFormat.JSONLD
        if name == STDIN and fmt is InputFormat.PARQUET:
            raise CrosscheckError("Parquet cannot be read from standard input", field="format")
        inputs.append(InputFile(name, fmt))
    return inputs


@app.command()
def load(
    paths: Annotated[
        list[str], typer.Argument(help="Files to load (JSONL, CSV, Parquet, JSON); - for stdin")
    ],
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--format", help="Input format (default: from the file name; stdin: jsonl)"),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Source for rows that name none (the publisher, for documents)"),
    ] = None,
    kind: Annotated[
        RowKind,
        typer.Option(help="What each row is (JSON-LD and HTML files: always claim reviews)"),
    ] = RowKind.CLAIMS,
    report: Annotated[
        Path, typer.Option(help="Where rejected rows go, as JSON lines to fix and load again")
    ] = Path("crosscheck-rejected.jsonl"),
) -> None:
    """Bulk-load claims, documents or fact-checkers' reviews; re-running a file adds nothing twice.

    Rows: {"text", "source", "stated_at"?, "url"?, "title"?, "external_id"?} for claims;
    {"text", "publisher", "title"?, "url"?, "published_at"?} for documents.
    Unknown fields are rejected. schema.org ClaimReview JSON-LD (.jsonld, a .json file that is
    JSON-LD, or the JSON-LD scripts of an .html page) loads the reviewed claims, their claimants
    and the ratings. Exit status: 0 all rows loaded, 3 some rejected, 2 bad usage, 4 the disk
    is full or failing (what was committed stays; run it again to go on).
    """
    settings = load_settings()
    try:
        inputs = _inputs(paths, input_format)
    except CrosscheckError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    runtime = Runtime(settings)
    try:
        runtime.start(load_judge=False)
        loaders = {
            row_kind: bulk_loader(
                row_kind,
                session_factory=runtime.session_factory,
                claim_index=runtime.claim_index,
                default_source=source,
                parser=runtime.parser,
            )
            for row_kind in {kind, RowKind.CLAIM_REVIEWS}
        }

        def loader_for(item: InputFile) -> BulkLoader:
            reviews = item.input_format.holds_claim_reviews
            return loaders[RowKind.CLAIM_REVIEWS if reviews else kind]

        with RejectionReport(report) as rejections:
            totals = load_inputs(loader_for, inputs, report=rejections, console=console)
    except (CrosscheckError, OSError, SQLAlchemyError) as exc:
        failure = exc if isinstance(exc, STORAGE_ERRORS) else storage_failure(exc)
        if failure is not None:
            console.print(
                f"[red]{failure.message}[/red]\nbatches committed before it are stored; run the "
                "same command again once the disk is fixed: it goes on where it stopped"
            )
            raise typer.Exit(4) from exc
        if not isinstance(exc, CrosscheckError):
            raise
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    reviews_only = all(item.input_format.holds_claim_reviews for item in inputs)
    what = RowKind.CLAIM_REVIEWS.value if reviews_only else kind.value
    print_totals(f"{what} from {', '.join(paths)}", totals)
    if totals.rejected:
        console.print(f"rejected rows, with line and reason: {report}", markup=False)
        raise typer.Exit(3)


@app.command()
def ingest(
    path: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="A UTF-8 text article"),
    ],
    publisher: Annotated[str, typer.Option(help="Who printed it")],
    title: Annotated[str | None, typer.Option(help="Headline")] = None,
    url: Annotated[str | None, typer.Option(help="Where it was published")] = None,
    published_at: Annotated[
        datetime | None,
        typer.Option(
            "--published-at",
            help="When it was published, and so when its claims were stated (a date or time; "
            "UTC if no zone)",
        ),
    ] = None,
) -> None:
    """Store an article and print the claims read from it, with who asserted each."""
    try:
        text = path.read_text(encoding="utf-8")
        document_in = DocumentCreate(
            text=text, publisher=publisher, title=title, url=url, published_at=published_at
        )
    except (UnicodeDecodeError, ValidationError) as exc:
        console.print(f"[red]cannot ingest {path}:[/red] {exc}", markup=True)
        raise typer.Exit(2) from exc
    runtime = started_runtime(load_settings())
    try:
        with runtime.session_factory() as session:
            stored = document_service.ingest(
                session=session,
                claim_index=runtime.claim_index,
                document_in=document_in,
                parser=runtime.parser,
            )
            read = document_service.document_read(stored.document)
    finally:
        runtime.close()
    table = Table(title=f"Document {read.id}: {read.claim_count} claims", show_lines=True)
    for column in ("source", "speaker", "cue", "polarity", "relayed by", "claim"):
        table.add_column(column)
    for appearance in read.claims:
        table.add_row(
            appearance.claim.source.name,
            appearance.speaker or "",
            f"{appearance.cue} {appearance.confidence:.2f}"
            if appearance.cue and appearance.confidence is not None
            else "",
            appearance.claim.polarity,
            ", ".join(appearance.relayed_by),
            appearance.claim.text,
        )
    out.print(table)


def load_demo(settings: Settings, directory: Path, *, encoder: Encoder | None = None) -> None:
    """Load the demo scenarios in ``directory`` and say what was stored and indexed; exit 3 if
    rows were rejected. ``encoder``: one already loaded (``serve --demo`` shares its own)."""
    runtime = Runtime(settings, encoder=encoder)
    runtime.start(load_judge=False)
    try:
        loaded = ingest_service.load_scenario(
            session_factory=runtime.session_factory,
            claim_index=runtime.claim_index,
            directory=directory,
        )
        indexed = runtime.claim_index.count()
    finally:
        runtime.close()
    print_totals("demo sources", loaded.sources)
    print_totals("demo claims", loaded.claims)
    # The runtime's start-up line counted the index before the demo was in it.
    console.print(f"index: {indexed:,} claims", markup=False)
    if loaded.sources.rejected or loaded.claims.rejected:
        raise typer.Exit(3)


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option(help="Folder with sources.jsonl and claims.jsonl")
    ] = DEMO_DIR,
) -> None:
    """Load the demo scenarios (sources, then claims); safe to run again."""
    load_demo(load_settings(), directory)
