"""``crosscheck serve``: the HTTP API; ``crosscheck graphql-schema``: its GraphQL schema."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from cli.common import console, database_session, load_settings, settings_encoder
from cli.load import DEMO_DIR, load_demo
from crosscheck.access import service as key_service
from crosscheck.access.binding import bind_refusal
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings

app = typer.Typer()

log = logging.getLogger("crosscheck.serve")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="First load the demo scenarios (as crosscheck demo) with the model it serves",
        ),
    ] = False,
) -> None:
    """Run the HTTP API (REST under /v1, GraphQL at /graphql, docs at /docs)."""
    # The API's modules load only for this command: the others start faster without them.
    import uvicorn

    from api.app import create_app

    settings = load_settings()
    bind_host = host or settings.host
    check_bind(settings, bind_host)
    # The app learns where it listens: beyond loopback it never falls back to open mode.
    settings = settings.model_copy(update={"host": bind_host})
    encoder = None
    if demo:
        # The model is loaded once: it encodes the demo, then the server answers with it.
        encoder = settings_encoder(settings)
        load_demo(settings, DEMO_DIR, encoder=encoder)
    uvicorn.run(
        create_app(Runtime(settings, encoder=encoder)),
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
        with database_session(settings) as session:
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


@app.command("graphql-schema")
def graphql_schema(
    output: Annotated[
        Path | None,
        typer.Option(help="Write the schema here (the repository keeps schema.graphql)"),
    ] = None,
) -> None:
    """Print the GraphQL schema (SDL), or write it to OUTPUT for clients to generate code from."""
    from api.graphql.schema import printed_schema

    text = printed_schema()
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"GraphQL schema written to {output}", markup=False)
