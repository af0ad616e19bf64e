"""``crosscheck``: run the service, migrate the database, load, search, verify and reindex
claims.

Only wiring: each group of commands lives in a module of its own.
"""

from __future__ import annotations

import sys

import typer

from cli import db, keys, load, search, serve, stance, verify

app = typer.Typer(
    help="crosscheck: cross-source claim verification.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
# Top-level commands (crosscheck serve, crosscheck load, ...), then the groups.
for commands in (serve.app, load.app, search.app, verify.app, stance.app, db.commands):
    app.add_typer(commands)
app.add_typer(db.app, name="db")
app.add_typer(keys.app, name="keys")


def main() -> None:  # pragma: no cover - console entry point
    app(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover - `python -m cli.main`
    main()
