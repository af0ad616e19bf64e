"""``crosscheck keys``: create, list and revoke API keys."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from cli.common import console, database_session, load_settings, out
from crosscheck.access import service as key_service
from crosscheck.access.models import Scope
from crosscheck.access.schemas import ApiKeyCreate
from crosscheck.errors import CrosscheckError

app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


@app.command("create")
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
    with database_session(load_settings()) as session:
        created = key_service.create(session=session, key_in=key_in)
    console.print(
        f"API key {created.api_key.id} ({created.api_key.name}, scope {scope.value}) created. "
        "Store it now: it is not kept and cannot be shown again.",
        markup=False,
    )
    out.print(created.key, markup=False, highlight=False, soft_wrap=True)


@app.command("list")
def keys_list(
    active: Annotated[bool, typer.Option("--active", help="Leave out revoked keys")] = False,
) -> None:
    """List keys (never the keys themselves: their prefixes)."""
    with database_session(load_settings()) as session:
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


@app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (keys list)")]) -> None:
    """Revoke a key; running servers refuse it within CROSSCHECK_API_KEY_CACHE_SECONDS."""
    try:
        with database_session(load_settings()) as session:
            revoked = key_service.revoke(session=session, key_id=key_id)
    except CrosscheckError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"API key {revoked.id} ({revoked.name}) revoked at {revoked.revoked_at}")
