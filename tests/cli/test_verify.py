"""`crosscheck verify` (and the demo and reindex it runs on), through the runtime's Verifier."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from embeddings.ann.faiss import saved_index_file

CLAIM = "North Korean soldiers are in Russia"


def test_upgrade_demo_verify_reindex(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "34 inserted" in first.output
    # The runtime's start-up line counts the index before the demo is in it; the demo says
    # what it holds after.
    assert "index: 34 claims" in first.output
    again = runner.invoke(app, ["demo"])
    assert "0 inserted, 34 already present" in again.output

    result = runner.invoke(app, ["verify", "--json", CLAIM])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "contested"
    assert "Russian Ministry of Foreign Affairs" in {
        e["claim"]["source"]["name"] for e in answer["contradicting"]
    }

    # Off a terminal (the runner's output is a pipe) every value is printed whole, one item a
    # line: a table would cut the columns to 80 characters.
    piped = runner.invoke(app, ["verify", CLAIM])
    assert piped.exit_code == 0, piped.output
    lines = piped.stdout.splitlines()
    assert lines[:2] == [
        "Verdict: contested",
        "stance\tsource\tclaim\tsimilarity\tconfidence\treasons",
    ]
    items = [*answer["corroborating"], *answer["contradicting"], *answer["related"]]
    assert len(lines) == 2 + len(items)
    for line, item in zip(lines[2:], items, strict=True):
        stance, source, text, similarity, confidence, reasons = line.split("\t")
        superseded = " (superseded)" if item["superseded_by"] is not None else ""
        assert stance == item["stance"] + superseded
        assert (source, text) == (item["claim"]["source"]["name"], item["claim"]["text"])
        assert (similarity, confidence) == (
            f"{item['similarity']:.2f}",
            f"{item['confidence']:.2f}",
        )
        assert reasons == "; ".join(item["reasons"])
    assert any(
        line.startswith("contradicts\tRussian Ministry of Foreign Affairs\t") for line in lines
    )
    assert "(superseded)" in piped.stdout

    then = runner.invoke(app, ["verify", "--json", "--as-of", "2024-10-17", CLAIM])
    assert then.exit_code == 0, then.output
    # Then only the US had spoken, and "no indication so far" is not a denial.
    assert json.loads(then.stdout)["verdict"] == "unverified"

    saved_index_file(cli_env / "index").unlink()
    rebuilt = runner.invoke(app, ["reindex"])
    assert rebuilt.exit_code == 0 and "34 claims" in rebuilt.output


def test_verify_rejects_empty_text(cli_env: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["verify", "   "])
    assert result.exit_code == 2
