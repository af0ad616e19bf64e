"""``crosscheck db``: migrations; ``crosscheck reindex``: the vector and lexical indexes rebuilt
from the database."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import console, load_settings, started_runtime
from crosscheck import migrations
from crosscheck.matching.lexical import rebuild_lexical_index

app = typer.Typer(help="Database migrations.", no_args_is_help=True)
# Commands at the top level (crosscheck reindex).
commands = typer.Typer()


@app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    settings = load_settings()
    migrations.upgrade(settings.database_url, revision)
    console.print(f"database at revision {revision}")


@app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target, e.g. -1 or base")]) -> None:
    """Revert migrations down to REVISION."""
    settings = load_settings()
    migrations.downgrade(settings.database_url, revision)
    console.print(f"database at revision {revision}")


@commands.command()
def reindex() -> None:
    """Rebuild the vector index and the lexical index from the database."""
    runtime = started_runtime(load_settings(), rebuild_index=True)
    try:
        count = runtime.claim_index.count()
        with runtime.session_factory() as session:
            rebuild_lexical_index(session)
    finally:
        runtime.close()
    console.print(f"index rebuilt: {count} claims; lexical index rebuilt")
