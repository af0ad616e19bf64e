"""``crosscheck search``: has this been checked before? The stored claims that match a text (a
post, a quote), best first, with fact-checkers' ratings; no stance is judged."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.table import Table

from cli.common import console, load_settings, out, started_runtime, tab_separated, write_lines
from crosscheck.errors import CrosscheckError
from crosscheck.matching.reads import search_read
from crosscheck.matching.schemas import MAX_SEARCH_K, Retrieval, SearchRead, SearchRequest
from crosscheck.matching.service import search_claims

app = typer.Typer()

COLUMNS = ("rank", "score", "source", "claim", "rating")
TOP_K: int = SearchRequest.model_fields["top_k"].default


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to match, as pasted (a post, a quote)")],
    top_k: Annotated[int, typer.Option(help=f"How many matches (1 to {MAX_SEARCH_K})")] = TOP_K,
    retrieval: Annotated[
        Retrieval, typer.Option(help="hybrid: words and meaning; lexical: words; semantic: meaning")
    ] = Retrieval.HYBRID,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer")] = False,
) -> None:
    """List the stored claims that match a text, best first, with fact-checkers' ratings."""
    try:
        request = SearchRequest(text=text, top_k=top_k, retrieval=retrieval)
    except ValidationError as exc:
        _fail(exc)
    # Matching judges no stance: the judge is not loaded.
    runtime = started_runtime(load_settings(), load_judge=False)
    try:
        with runtime.session_factory() as session:
            answer = search_read(
                search_claims(session=session, claim_index=runtime.claim_index, request=request)
            )
    except CrosscheckError as exc:
        _fail(exc)
    finally:
        runtime.close()
    if as_json:
        out.print_json(answer.model_dump_json())
        return
    if not answer.items:
        console.print("No stored claim matches the text.")
    if out.is_terminal:
        if answer.items:
            _print_table(answer)
    else:
        write_lines(["\t".join(COLUMNS), *(tab_separated(row) for row in _rows(answer))])


def _fail(exc: Exception) -> NoReturn:
    """Exit 2 with the message, as for bad usage."""
    console.print(str(exc), style="red", markup=False, highlight=False)
    raise typer.Exit(2) from exc


def _rows(answer: SearchRead) -> list[tuple[str, ...]]:
    """Each match's cells, best first; the rating is the latest fact-checker's, if any."""
    return [
        (str(rank), f"{item.score:.3f}", item.claim.source.name, item.claim.text, item.rating or "")
        for rank, item in enumerate(answer.items, start=1)
    ]


def _print_table(answer: SearchRead) -> None:
    table = Table(title=f"Stored claims that match ({answer.retrieval.value})", show_lines=True)
    for column in COLUMNS:
        table.add_column(column, justify="right" if column in {"rank", "score"} else "left")
    for row in _rows(answer):
        table.add_row(*row)
    out.print(table)
