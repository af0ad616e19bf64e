"""`crosscheck search`: the stored claims a pasted post matches, with fact-checkers' ratings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cli.search
from cli.main import app

POST = (
    "3000 North Korean troops shipped to Vladivostok!! https://t.co/AbC123 #NorthKorea "
    "\u2014 Daily Wire Watch (@wirewatch) October 24, 2024"
)
REVIEWED = (
    "At least 3,000 North Korean troops travelled by ship to the Russian Pacific port city of "
    "Vladivostok."
)


def _review_file(folder: Path) -> Path:
    """A fact-checker's ClaimReview of a demo claim, as it would publish it."""
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factdesk.example.org/checks/vladivostok-troops",
        "claimReviewed": REVIEWED,
        "author": {"@type": "Organization", "name": "Harbour Fact Desk"},
        "datePublished": "2024-10-25",
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "US National Security Council"},
            "datePublished": "2024-10-23",
        },
    }
    path = folder / "factdesk.jsonld"
    path.write_text(json.dumps(review))
    return path


def test_search_lists_matches_with_ratings_as_json_lines_and_a_table(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo"]).exit_code == 0
    loaded = runner.invoke(app, ["load", str(_review_file(cli_env))])
    assert loaded.exit_code == 0, loaded.output

    result = runner.invoke(app, ["search", "--json", POST])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["retrieval"] == "hybrid"
    assert answer["query"]["text"] == POST
    assert "t.co" not in answer["query"]["normalized"]
    items = answer["items"]
    assert len(items) == 10  # the default top_k
    texts = [item["claim"]["text"] for item in items]
    assert REVIEWED in texts[:3] and texts.count(REVIEWED) == 1  # the rating joined the claim
    reviewed = items[texts.index(REVIEWED)]
    assert reviewed["rating"] == "Mostly true"
    assert reviewed["claim"]["source"]["name"] == "US National Security Council"
    assert reviewed["claim"]["reviews"][0]["reviewer"] == "Harbour Fact Desk"
    assert [item["rating"] for item in items].count(None) == len(items) - 1
    assert [item["score"] for item in items] == sorted(
        (item["score"] for item in items), reverse=True
    )

    # Off a terminal (the runner's output is a pipe): a header, then one match a line, whole.
    piped = runner.invoke(app, ["search", POST])
    assert piped.exit_code == 0, piped.output
    lines = piped.stdout.splitlines()
    assert lines[0] == "rank\tscore\tsource\tclaim\trating"
    assert len(lines) == 1 + len(items)
    for rank, (line, item) in enumerate(zip(lines[1:], items, strict=True), start=1):
        assert line.split("\t") == [
            str(rank),
            f"{item['score']:.3f}",
            item["claim"]["source"]["name"],
            item["claim"]["text"],
            item["rating"] or "",
        ]

    lexical = runner.invoke(
        app, ["search", "--json", "--retrieval", "lexical", "--top-k", "3", POST]
    )
    assert lexical.exit_code == 0, lexical.output
    found = json.loads(lexical.stdout)
    assert found["retrieval"] == "lexical" and 1 <= len(found["items"]) <= 3
    assert all(item["similarity"] is None for item in found["items"])

    # On a terminal: a table with the rating in its own column.
    screen = io.StringIO()
    monkeypatch.setattr(cli.search, "out", Console(file=screen, force_terminal=True, width=200))
    shown = runner.invoke(app, ["search", "--top-k", "3", POST])
    assert shown.exit_code == 0, shown.output
    table = screen.getvalue()
    assert "Stored claims that match (hybrid)" in table
    assert "Mostly true" in table and "US National Security Council" in table


def test_search_says_when_nothing_matches(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["search", "North Korean troops in Russia"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "rank\tscore\tsource\tclaim\trating\n"
    assert "No stored claim matches the text." in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["   "], "text"),
        (["--top-k", "0", "troops"], "top_k"),
        (["--top-k", "101", "troops"], "top_k"),
    ],
)
def test_search_rejects_bad_input_with_status_2(
    cli_env: Path, arguments: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["search", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_search_rejects_an_unknown_retrieval(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["search", "--retrieval", "fuzzy", "troops"])
    assert result.exit_code == 2
    assert "hybrid" in result.output
