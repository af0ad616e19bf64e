"""``crosscheck``: run the service, migrate the database, load, verify and reindex claims."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crosscheck import migrations
from crosscheck.access import service as key_service
from crosscheck.access.binding import bind_refusal
from crosscheck.access.models import Scope
from crosscheck.access.schemas import ApiKeyCreate
from crosscheck.cli.loading import STDIN, InputFile, load_inputs
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.documents import service as document_service
from crosscheck.documents.schemas import DocumentCreate
from crosscheck.errors import CrosscheckError, StorageFullError, StorageUnavailableError
from crosscheck.ingest import service as ingest_service
from crosscheck.ingest.loader import BulkLoader, RowKind, bulk_loader
from crosscheck.ingest.report import RejectionReport
from crosscheck.ingest.results import LoadTotals
from crosscheck.ingest.rows import InputFormat, detect_format, sniff_json_ld
from crosscheck.languages.detection import LanguageSupport
from crosscheck.logs import configure_logging
from crosscheck.runtime import Runtime
from crosscheck.settings import DEFAULT_STANCE_MODEL, Settings, get_settings
from crosscheck.stance.batch import judge_stream
from crosscheck.stance.engine import (
    DEFAULT_OVERRIDES,
    RULE_PRECISION_FILE,
    StanceEngine,
    load_enabled_rules,
)
from crosscheck.storage import storage_failure
from crosscheck.verdicts import service as verdict_service
from crosscheck.verdicts.schemas import VerifyRequest, verification_read
from embeddings.encoder import SentenceTransformerEncoder

app = typer.Typer(
    help="crosscheck: cross-source claim verification.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

# A full or failing disk: exit status 4, the rows committed before it stay.
STORAGE_ERRORS = (StorageFullError, StorageUnavailableError)

log = logging.getLogger("crosscheck.serve")
console = Console(stderr=True)
out = Console()

DEMO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


def _settings() -> Settings:
    try:
        settings = get_settings()
    except ValidationError as exc:
        console.print(f"[red]invalid settings:[/red]\n{exc}")
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level, log_format=settings.log_format)
    return settings


def _runtime(settings: Settings, *, rebuild_index: bool = False) -> Runtime:
    runtime = Runtime(settings)
    runtime.start(rebuild_index=rebuild_index)
    return runtime


def _print_totals(what: str, totals: LoadTotals) -> None:
    console.print(
        f"{what}: {totals.created:,} inserted, {totals.existing:,} already present, "
        f"{totals.rejected:,} rejected in {totals.seconds:.1f}s ({totals.rate:,.0f} rows/s)",
        soft_wrap=True,
        markup=False,
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
) -> None:
    """Run the HTTP API (REST under /v1, GraphQL at /graphql, docs at /docs)."""
    import uvicorn

    from api.app import create_app

    settings = _settings()
    bind_host = host or settings.host
    check_bind(settings, bind_host)
    # The app learns where it listens: beyond loopback it never falls back to open mode.
    settings = settings.model_copy(update={"host": bind_host})
    uvicorn.run(
        create_app(settings),
        host=bind_host,
        port=port or settings.port,
        log_level=settings.log_level.lower(),
        # Logging is already set up (JSON off a terminal); the API logs each request itself.
        log_config=None,
        access_log=False,
        timeout_keep_alive=settings.http_keep_alive_seconds,
        h11_max_incomplete_event_size=settings.http_max_header_bytes,
        limit_concurrency=settings.http_max_connections,
        # A WebSocket message is bounded like a request body.
        ws_max_size=settings.max_request_bytes,
    )


def check_bind(settings: Settings, host: str) -> None:
    """The secure default: without keys, refuse any address but loopback, and say it is open."""
    try:
        with _database_session(settings) as session:
            has_keys = key_service.has_active_keys(session=session)
    except SQLAlchemyError as exc:  # e.g. not migrated: without the keys table, refuse to guess
        console.print(
            f"[red]cannot read the API keys from the database (crosscheck db upgrade?):[/red] "
            f"{getattr(exc, 'orig', exc)}"
        )
        raise typer.Exit(2) from exc
    refusal = bind_refusal(host=host, has_active_keys=has_keys)
    if refusal is not None:
        log.error(refusal)
        console.print(f"[red]{refusal}[/red]")
        raise typer.Exit(1)
    if not has_keys:
        log.warning(
            "no API keys exist: the API is open to anyone on this machine, and listens on "
            "loopback (%s) only; create a key to require one and to listen elsewhere",
            host,
        )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    settings = _settings()
    migrations.upgrade(settings.database_url, revision)
    console.print(f"database at revision {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target, e.g. -1 or base")]) -> None:
    """Revert migrations down to REVISION."""
    settings = _settings()
    migrations.downgrade(settings.database_url, revision)
    console.print(f"database at revision {revision}")


@contextlib.contextmanager
def _database_session(settings: Settings) -> Iterator[Session]:
    """A session on the database, without the model or index (quick commands)."""
    engine = create_db_engine(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


@keys_app.command("create")
def keys_create(
    scope: Annotated[Scope, typer.Option(help="read; write (and read); admin (everything)")],
    name: Annotated[str, typer.Option(help="Who or what holds the key")],
) -> None:
    """Create a key and print it: this is the only time it is shown."""
    try:
        key_in = ApiKeyCreate(name=name, scope=scope)
    except ValidationError as exc:
        console.print(f"[red]invalid key:[/red] {exc}")
        raise typer.Exit(2) from exc
    with _database_session(_settings()) as session:
        created = key_service.create(session=session, key_in=key_in)
    console.print(
        f"API key {created.api_key.id} ({created.api_key.name}, scope {scope.value}) created. "
        "Store it now: it is not kept and cannot be shown again.",
        markup=False,
    )
    out.print(created.key, markup=False, highlight=False, soft_wrap=True)


@keys_app.command("list")
def keys_list(
    active: Annotated[bool, typer.Option("--active", help="Leave out revoked keys")] = False,
) -> None:
    """List keys (never the keys themselves: their prefixes)."""
    with _database_session(_settings()) as session:
        keys = key_service.list_keys(session=session, include_revoked=not active)
    table = Table(title=f"{len(keys)} API keys")
    for column in ("id", "name", "scope", "prefix", "created", "last used", "revoked"):
        table.add_column(column)
    for key in keys:
        table.add_row(
            str(key.id),
            key.name,
            key.scope.value,
            key.prefix + "…",
            f"{key.created_at:%Y-%m-%d %H:%M}",
            f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "",
            f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (keys list)")]) -> None:
    """Revoke a key; running servers refuse it within CROSSCHECK_API_KEY_CACHE_SECONDS."""
    try:
        with _database_session(_settings()) as session:
            revoked = key_service.revoke(session=session, key_id=key_id)
    except CrosscheckError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"API key {revoked.id} ({revoked.name}) revoked at {revoked.revoked_at}")


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

    Rows: {"text", "source", "stated_at"?, "url"?, "external_id"?} for claims;
    {"text", "publisher", "title"?, "url"?, "published_at"?} for documents.
    Unknown fields are rejected. schema.org ClaimReview JSON-LD (.jsonld, a .json file that is
    JSON-LD, or the JSON-LD scripts of an .html page) loads the reviewed claims, their claimants
    and the ratings. Exit status: 0 all rows loaded, 3 some rejected, 2 bad usage, 4 the disk
    is full or failing (what was committed stays; run it again to go on).
    """
    settings = _settings()
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
    _print_totals(f"{what} from {', '.join(paths)}", totals)
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
) -> None:
    """Store an article and print the claims read from it, with who asserted each."""
    try:
        text = path.read_text(encoding="utf-8")
        document_in = DocumentCreate(text=text, publisher=publisher, title=title, url=url)
    except (UnicodeDecodeError, ValidationError) as exc:
        console.print(f"[red]cannot ingest {path}:[/red] {exc}", markup=True)
        raise typer.Exit(2) from exc
    runtime = _runtime(_settings())
    try:
        with runtime.session_factory() as session:
            stored = document_service.ingest(
                session=session, claim_index=runtime.claim_index, document_in=document_in
            )
            read = document_service.document_read(stored.document)
    finally:
        runtime.close()
    table = Table(title=f"Document {read.id}: {read.claim_count} claims", show_lines=True)
    for column in ("source", "speaker", "polarity", "relayed by", "claim"):
        table.add_column(column)
    for appearance in read.claims:
        table.add_row(
            appearance.claim.source.name,
            appearance.speaker or "",
            appearance.claim.polarity,
            ", ".join(appearance.relayed_by),
            appearance.claim.text,
        )
    out.print(table)


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option(help="Folder with sources.jsonl and claims.jsonl")
    ] = DEMO_DIR,
) -> None:
    """Load the demo scenarios (sources, then claims); safe to run again."""
    runtime = Runtime(_settings())
    runtime.start(load_judge=False)
    try:
        loaded = ingest_service.load_scenario(
            session_factory=runtime.session_factory,
            claim_index=runtime.claim_index,
            directory=directory,
        )
    finally:
        runtime.close()
    _print_totals("demo sources", loaded.sources)
    _print_totals("demo claims", loaded.claims)
    if loaded.sources.rejected or loaded.claims.rejected:
        raise typer.Exit(3)


@app.command()
def verify(
    text: Annotated[str, typer.Argument(help="The statement to verify")],
    top_k: Annotated[int | None, typer.Option(help="Nearest claims to weigh")] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", help="Only what was known then (a date or time; UTC if no zone)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer")] = False,
) -> None:
    """Verify a statement against the stored claims and print the evidence."""
    settings = _settings()
    runtime = _runtime(settings)
    try:
        with runtime.session_factory() as session:
            request = VerifyRequest(text=text, top_k=top_k, as_of=as_of)
            answer = verification_read(
                verdict_service.verify_text(
                    session=session,
                    claim_index=runtime.claim_index,
                    judge=runtime.judge,
                    request=request,
                    default_top_k=settings.default_top_k,
                    timeline_similarity=settings.timeline_similarity,
                )
            )
    except (ValidationError, CrosscheckError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    if as_json:
        out.print_json(answer.model_dump_json())
        return
    table = Table(title=f"Verdict: {answer.verdict.value}", show_lines=True)
    for column in ("stance", "source", "claim", "similarity", "confidence", "reasons"):
        table.add_column(column)
    for item in [*answer.corroborating, *answer.contradicting, *answer.related]:
        table.add_row(
            item.stance.value + ("\nsuperseded" if item.superseded_by is not None else ""),
            item.claim.source.name,
            item.claim.text,
            f"{item.similarity:.2f}",
            f"{item.confidence:.2f}",
            "\n".join(item.reasons),
        )
    out.print(table)


def _stance_engine(settings: Settings) -> StanceEngine:
    encoder = SentenceTransformerEncoder(settings.model, batch_size=settings.encode_batch_size)
    return StanceEngine.from_directory(
        encoder,
        settings.stance_model_dir,
        related_threshold=settings.related_threshold,
        nli_model=settings.nli_model,
        languages=LanguageSupport.of(settings.model_languages),
    )


@app.command("stance-batch")
def stance_batch(
    path: Annotated[str, typer.Argument(help='JSONL of {"id", "claim", "evidence"}; - for stdin')],
    batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Pairs per batch")] = 1024,
) -> None:
    """Write {"id", "label", "confidence"} per input line to stdout, in input order."""
    engine = _stance_engine(_settings())
    started = time.perf_counter()
    with (
        contextlib.nullcontext(sys.stdin) if path == "-" else Path(path).open(encoding="utf-8")
    ) as lines:
        report = judge_stream(engine, lines, sys.stdout, batch_size=batch_size)
    seconds = time.perf_counter() - started
    console.print(
        f"{report.judged} pairs judged, {report.rejected} rejected in {seconds:.1f}s "
        f"({report.judged / max(seconds, 1e-9):.0f} pairs/s)",
        markup=False,
    )
    if report.rejected:
        raise typer.Exit(3)


@app.command("train-stance")
def train_stance(
    data_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="Folder with fnc1/, sick/, emergent/")
    ],
    output: Annotated[Path, typer.Option(help="Where the artifacts go")] = DEFAULT_STANCE_MODEL,
    epochs: Annotated[int, typer.Option(min=1, max=10)] = 1,
    max_pairs: Annotated[
        int | None, typer.Option(min=10, help="Train on a sample (smoke runs)")
    ] = None,
    score_only: Annotated[
        bool,
        typer.Option(
            "--score-only", help="Keep the trained artifacts in OUTPUT; rescore them on dev"
        ),
    ] = False,
    init_from: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            file_okay=False,
            help="Continue this trained judge (a classifier/ folder) on the continuation recipe",
        ),
    ] = None,
) -> None:
    """Train the stance model on the benchmarks' training data; score it on the dev splits."""
    # Training needs scikit-learn and the benchmark readers; serving does not.
    from crosscheck.stance.training.cascade_fit import TRAINING_PAIRS as CASCADE_TRAINING_PAIRS
    from crosscheck.stance.training.cascade_fit import fit_cascade
    from crosscheck.stance.training.corpus import dev_pairs
    from crosscheck.stance.training.evaluate import (
        judge_all,
        rule_scores,
        score,
        with_rule_precision,
    )
    from crosscheck.stance.training.mixture import CONTINUATION_RECIPE, RECIPE
    from crosscheck.stance.training.model_card import write_model_card, write_rule_precision
    from crosscheck.stance.training.train import TrainingOptions, train

    settings = _settings()
    encoder = SentenceTransformerEncoder(settings.model, batch_size=settings.encode_batch_size)
    options = TrainingOptions(
        data_dir=data_dir,
        output_dir=output,
        base_model=settings.model,
        epochs=epochs,
        max_pairs=max_pairs,
        recipe=dict(RECIPE if init_from is None else CONTINUATION_RECIPE),
        learning_rate=3e-5 if init_from is None else 2e-5,
        init_from=init_from,
    )
    if score_only:
        metadata = output / "metadata.json"
        if not metadata.is_file():
            console.print(f"[red]--score-only: no trained artifacts in {output}[/red]")
            raise typer.Exit(2)
        facts = json.loads(metadata.read_text())["training"]
    else:
        facts = train(options, encoder)
    engine = StanceEngine.from_directory(
        encoder, output, related_threshold=settings.related_threshold
    )
    # Every rule is measured; rules.json then enables those that gain right answers.
    engine.overrides = DEFAULT_OVERRIDES
    dev = dev_pairs(data_dir, preparer=engine.preparer)
    if max_pairs is not None:
        dev = dev[: max(10, max_pairs // 4)]
    started = time.perf_counter()
    judged = judge_all(engine, dev)
    # Each rule's confidence is weighed by how often it was right on dev (rules.json).
    measured = rule_scores(judged)
    precision = {name: rule.precision for name, rule in measured.items()}
    write_rule_precision(output, measured)
    # The figures reported are those of the service: only the rules rules.json enables.
    engine.overrides = load_enabled_rules(output / RULE_PRECISION_FILE)
    if engine.overrides != DEFAULT_OVERRIDES:
        judged = judge_all(engine, dev)
    scores = score(with_rule_precision(judged, precision), seconds=time.perf_counter() - started)
    scores.rules = measured
    # Last, the cascade is distilled from the engine as the service runs it (rules included).
    cascade = fit_cascade(
        engine, data_dir, output, training_pairs=max_pairs or CASCADE_TRAINING_PAIRS
    )
    write_model_card(
        output, facts=facts, scores=scores, base_model=encoder.model_name, cascade=cascade
    )
    out.print_json(
        json.dumps({"training": facts, "dev": dataclasses.asdict(scores), "cascade": cascade})
    )


def _trained_engine(settings: Settings, model_dir: Path) -> StanceEngine:
    """The engine of the trained model in ``model_dir`` (PyTorch judge); exit 2 without one."""
    encoder = SentenceTransformerEncoder(settings.model, batch_size=settings.encode_batch_size)
    engine = StanceEngine.from_directory(
        encoder, model_dir, related_threshold=settings.related_threshold
    )
    if not engine.learned:
        console.print(f"[red]no trained stance model in {model_dir}[/red]")
        raise typer.Exit(2)
    return engine


@app.command("fit-cascade")
def fit_cascade_command(
    data_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="Folder with fnc1/, sick/, nli/, ...")
    ],
    model_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="The trained stance model")
    ] = DEFAULT_STANCE_MODEL,
    pairs: Annotated[
        int, typer.Option(min=40, help="Training pairs labelled by the full engine")
    ] = 30_000,
) -> None:
    """Fit the cascade's first judge for a trained stance model (writes cascade.npz beside it)."""
    from crosscheck.stance.training.cascade_fit import fit_cascade

    engine = _trained_engine(_settings(), model_dir)
    report = fit_cascade(engine, data_dir, model_dir, training_pairs=pairs)
    out.print_json(json.dumps(report))


@app.command("quantize-stance")
def quantize_stance(
    data_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="Folder with fnc1/, sick/, nli/, ...")
    ],
    model_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="The trained stance model")
    ] = DEFAULT_STANCE_MODEL,
    pairs: Annotated[int, typer.Option(min=10, help="Dev pairs to compare on")] = 4000,
) -> None:
    """Measure the int8 judge against full precision on dev pairs; quantization.json says
    whether the service may use it (labels agree on at least 99% of pairs)."""
    import random

    import numpy as np

    from crosscheck.stance.classifier import OnnxStanceClassifier
    from crosscheck.stance.quantization import QuantizationCheck, label_agreement
    from crosscheck.stance.training.corpus import ARTICLE_DATASETS, dev_pairs
    from embeddings.onnx_export import source_digest

    settings = _settings()
    engine = _trained_engine(settings, model_dir)
    dev = random.Random(13).sample(dev_pairs(data_dir), pairs)
    statements = [(p.claim, p.evidence) for p in dev if p.dataset not in ARTICLE_DATASETS]
    articles = [(p.claim, p.evidence) for p in dev if p.dataset in ARTICLE_DATASETS]
    inputs = [
        *engine.classifier_inputs(statements, statements=True),
        *engine.classifier_inputs(articles),
    ]
    claims, evidences = [c for c, _ in inputs], [e for _, e in inputs]
    classifier_dir = model_dir / "classifier"
    cache = settings.onnx_cache_dir / "stance-classifier"
    started = time.perf_counter()
    full = OnnxStanceClassifier(classifier_dir, cache_dir=cache).predict(claims, evidences)
    full_seconds = time.perf_counter() - started
    started = time.perf_counter()
    int8 = OnnxStanceClassifier(classifier_dir, cache_dir=cache, int8=True).predict(
        claims, evidences
    )
    int8_seconds = time.perf_counter() - started
    kind = np.asarray([False] * len(statements) + [True] * len(articles))
    check = QuantizationCheck(
        label_agreement=round(label_agreement(full, int8), 4),
        pairs=len(dev),
        statement_agreement=round(label_agreement(full[~kind], int8[~kind]), 4),
        article_agreement=round(label_agreement(full[kind], int8[kind]), 4),
        classifier_sha256=source_digest(classifier_dir),
    )
    check.save(model_dir)
    verdict = "used" if check.faithful else "NOT used (below 99%)"
    console.print(
        f"int8 labels agree with full precision on {check.label_agreement:.2%} of {len(dev)} "
        f"dev pairs (statements {check.statement_agreement:.2%}, articles "
        f"{check.article_agreement:.2%}): {verdict}; {full_seconds:.1f}s full precision, "
        f"{int8_seconds:.1f}s int8",
        markup=False,
    )


@app.command("graphql-schema")
def graphql_schema(
    output: Annotated[
        Path | None,
        typer.Option(help="Write the schema here (the repository keeps schema.graphql)"),
    ] = None,
) -> None:
    """Print the GraphQL schema (SDL), or write it to OUTPUT for clients to generate code from."""
    from api.graphql.schema import printed_schema  # the edge, loaded only for this command

    text = printed_schema()
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"GraphQL schema written to {output}", markup=False)


@app.command()
def reindex() -> None:
    """Rebuild the vector index from the database."""
    runtime = _runtime(_settings(), rebuild_index=True)
    count = runtime.claim_index.count()
    runtime.close()
    console.print(f"index rebuilt: {count} claims")


def main() -> None:  # pragma: no cover - console entry point
    app(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover - `python -m crosscheck.cli.main`
    main()
