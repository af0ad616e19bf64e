"""``crosscheck verify``: a statement checked against the stored claims, by the runtime's
Verifier (the one REST and GraphQL use)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from cli.common import (
    console,
    load_settings,
    out,
    started_runtime,
    tab_separated,
    write_lines,
)
from crosscheck.errors import CrosscheckError
from crosscheck.verdicts.schemas import VerificationRead, VerifyRequest, verification_read

app = typer.Typer()

COLUMNS = ("stance", "source", "claim", "similarity", "confidence", "reasons")


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
    runtime = started_runtime(load_settings())
    try:
        with runtime.session_factory() as session:
            request = VerifyRequest(text=text, top_k=top_k, as_of=as_of)
            answer = verification_read(
                runtime.verifier.verify_text(session=session, request=request)
            )
    except (ValidationError, CrosscheckError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    if as_json:
        out.print_json(answer.model_dump_json())
    elif out.is_terminal:
        _print_table(answer)
    else:
        _print_lines(answer)


def _print_table(answer: VerificationRead) -> None:
    table = Table(title=f"Verdict: {answer.verdict.value}", show_lines=True)
    for column in COLUMNS:
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


def _print_lines(answer: VerificationRead) -> None:
    """Off a terminal (a pipe, a file), every value whole: a table would be cut to 80 columns.

    The verdict, then tab-separated lines under a header; an item's reasons are joined by "; ".
    """
    lines = [f"Verdict: {answer.verdict.value}", "\t".join(COLUMNS)]
    for item in [*answer.corroborating, *answer.contradicting, *answer.related]:
        cells = (
            item.stance.value + (" (superseded)" if item.superseded_by is not None else ""),
            item.claim.source.name,
            item.claim.text,
            f"{item.similarity:.2f}",
            f"{item.confidence:.2f}",
            "; ".join(item.reasons),
        )
        lines.append(tab_separated(cells))
    write_lines(lines)
