"""The ``crosscheck`` command line, run in-process against a real SQLite file."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosscheck.cli.main import app
from crosscheck.settings import get_settings
from embeddings.faiss_index import FaissIndex, saved_index_file


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CROSSCHECK_INDEX_DIR", str(tmp_path / "index"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_upgrade_demo_verify_reindex(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "34 inserted" in first.output
    again = runner.invoke(app, ["demo"])
    assert "0 inserted, 34 already present" in again.output

    result = runner.invoke(app, ["verify", "--json", "North Korean soldiers are in Russia"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "contested"
    assert "Russian Ministry of Foreign Affairs" in {
        e["claim"]["source"]["name"] for e in answer["contradicting"]
    }

    table = runner.invoke(app, ["verify", "North Korean soldiers are in Russia"])
    assert "Verdict: contested" in table.stdout
    assert "superseded" in table.stdout
    then = runner.invoke(
        app, ["verify", "--json", "--as-of", "2024-10-17", "North Korean soldiers are in Russia"]
    )
    assert then.exit_code == 0, then.output
    # Then only the US had spoken, and "no indication so far" is not a denial.
    assert json.loads(then.stdout)["verdict"] == "unverified"

    saved_index_file(cli_env / "index").unlink()
    rebuilt = runner.invoke(app, ["reindex"])
    assert rebuilt.exit_code == 0 and "34 claims" in rebuilt.output


def test_load_reports_rejected_rows_to_a_file_that_can_be_fixed_and_loaded_again(
    cli_env: Path,
) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    data = cli_env / "claims.jsonl"
    data.write_text(
        '{"text": "Troops arrived by ship on Monday.", "source": "NSC"}\n'
        "not json\n"
        '{"text": "", "source": "NSC"}\n'
        '{"text": "Troops arrived by ship on Monday.", "source": "NSC"}\n'
    )
    report = cli_env / "rejected.jsonl"
    result = runner.invoke(app, ["load", str(data), "--report", str(report)])
    assert result.exit_code == 3
    assert "1 inserted, 1 already present, 2 rejected" in result.output
    rejected = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["_line"], r["_field"]) for r in rejected] == [(2, None), (3, "text")]
    assert rejected[0]["_raw"] == "not json" and "JSON" in rejected[0]["_reason"]

    fixed = cli_env / "fixed.jsonl"
    repaired = {**rejected[1], "text": "Troops left by train on Friday."}
    fixed.write_text(json.dumps(repaired) + "\n")
    again = runner.invoke(app, ["load", str(fixed), "--report", str(cli_env / "r2.jsonl")])
    assert again.exit_code == 0, again.output
    assert "1 inserted, 0 already present, 0 rejected" in again.output


def test_load_on_a_full_disk_says_so_and_a_rerun_goes_on(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    data = cli_env / "claims.jsonl"
    data.write_text(
        '{"text": "The dam held after the storm.", "source": "Water Board"}\n'
        '{"text": "Two bridges closed on the river road.", "source": "Roads Agency"}\n'
    )

    def no_space(self: FaissIndex, directory: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    first = cli_env / "first.jsonl"
    first.write_text('{"text": "The ferry ran on time all week.", "source": "Port Office"}\n')
    assert runner.invoke(app, ["load", str(first)]).exit_code == 0  # a saved index to start from
    monkeypatch.setattr(FaissIndex, "save", no_space)
    full = runner.invoke(app, ["load", str(data)])
    assert full.exit_code == 4, full.output
    assert "Traceback" not in full.output, full.output[-3000:]
    assert "storage is full" in full.output

    monkeypatch.undo()
    get_settings.cache_clear()
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", f"sqlite:///{cli_env / 'cli.db'}")
    monkeypatch.setenv("CROSSCHECK_INDEX_DIR", str(cli_env / "index"))
    again = runner.invoke(app, ["load", str(data)])
    assert again.exit_code == 0, again.output
    assert "0 inserted, 2 already present, 0 rejected" in again.output


def test_load_csv_with_a_default_source_and_from_stdin(cli_env: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    export = cli_env / "export.csv"
    export.write_text(
        "text,stated_at,external_id\n"
        "The council approved 40 new bus stops.,2024-03-01,r1\n"
        "The council delayed the tram line by a year.,,r2\n"
    )
    result = runner.invoke(app, ["load", str(export), "--source", "City Council"])
    assert result.exit_code == 0, result.output
    assert "2 inserted" in result.output
    piped = runner.invoke(
        app,
        ["load", "-", "--source", "City Council"],
        input='{"text": "The council approved 40 new bus stops."}\n',
    )
    assert piped.exit_code == 0 and "0 inserted, 1 already present" in piped.output


def test_load_refuses_unknown_formats_and_missing_files(cli_env: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    notes = cli_env / "notes.txt"
    notes.write_text("hello")
    assert runner.invoke(app, ["load", str(notes)]).exit_code == 2
    assert runner.invoke(app, ["load", str(cli_env / "absent.jsonl")]).exit_code == 2
    assert runner.invoke(app, ["load", "-", "--format", "parquet"]).exit_code == 2


def test_invalid_settings_fail_fast(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_MODEL", str(cli_env / "no-such-model"))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "invalid settings" in result.output and "model" in result.output


def test_verify_rejects_empty_text(cli_env: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["verify", "   "])
    assert result.exit_code == 2


def test_stance_batch_answers_every_line_in_order(cli_env: Path) -> None:
    data = cli_env / "pairs.jsonl"
    claim = "At least 3,000 North Korean soldiers are in Russia."
    article = (
        "Markets were calm. " * 5
        + "Russia's foreign ministry dismissed reports of North Korean soldiers in Russia as propaganda."
    )
    lines = [
        {"id": "a", "claim": claim, "evidence": article},
        {"id": 2, "claim": claim, "evidence": "The council approved a budget for road repairs."},
        {"id": "bad", "claim": "", "evidence": "x"},
        {"id": "c", "claim": claim, "evidence": article},
    ]
    data.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    result = CliRunner().invoke(app, ["stance-batch", str(data), "--batch-size", "2"])
    assert result.exit_code == 3
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("id") for row in rows] == ["a", 2, "bad", "c", None]
    assert rows[0]["label"] == rows[3]["label"] == "contradicts"
    assert rows[1]["label"] == "unrelated"
    assert "claim" in rows[2]["error"] and "JSON" in rows[4]["error"]
    assert all(0 < row["confidence"] < 1 for row in rows if "label" in row)


def test_ingest_prints_attributed_claims_and_refuses_binary(cli_env: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    article = cli_env / "article.txt"
    article.write_text(
        "The Ministry of Transport said 2,650 dock workers were on strike on Wednesday.\n"
        "The port authority denied that any ships had been turned away.\n"
    )
    result = runner.invoke(
        app, ["ingest", str(article), "--publisher", "Coastal Herald"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Ministry of Transport" in result.stdout and "denies" in result.stdout
    binary = cli_env / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    refused = runner.invoke(app, ["ingest", str(binary), "--publisher", "X"])
    assert refused.exit_code == 2 and "cannot ingest" in refused.output


def test_load_claim_review_json_ld_files_and_pages(cli_env: Path) -> None:
    from tests.crosscheck.reviews.test_jsonld import review

    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    graph = cli_env / "factdesk.jsonld"
    graph.write_text(
        json.dumps({"@context": "https://schema.org", "@graph": [review("The harbour is clean.")]})
    )
    array = cli_env / "export.json"  # JSON-LD under a .json name is recognised
    array.write_text(
        json.dumps(
            [
                {**review("Ferries run again."), "url": "https://factdesk.example.org/ferries"},
                {
                    **review("The port reopened."),
                    "url": "https://factdesk.example.org/port",
                    "claimReviewed": "",
                },
            ]
        )
    )
    page = cli_env / "check.html"
    page.write_text(
        "<!doctype html><title>check</title><script type=application/ld+json>"
        + json.dumps(
            {**review("The lighthouse was rebuilt."), "url": "https://factdesk.example.org/light"}
        )
        + "</script><p>The lighthouse was not rebuilt.</p>"
    )
    report = cli_env / "rejected.jsonl"
    result = runner.invoke(
        app, ["load", str(graph), str(array), str(page), "--report", str(report)]
    )
    assert result.exit_code == 3, result.output
    assert "claimreviews from" in result.output
    assert "3 inserted, 0 already present, 1 rejected" in result.output
    rejected = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["_file"], r["_line"], r["_field"]) for r in rejected] == [
        (str(array), 2, "claimReviewed")
    ]
    again = runner.invoke(app, ["load", str(graph), str(page), "--report", str(report)])
    assert again.exit_code == 0 and "0 inserted, 2 already present" in again.output

    # Fixed rows from the report load as claim reviews with --kind claimreviews.
    fixed = cli_env / "fixed.jsonl"
    fixed.write_text(json.dumps({**rejected[0], "claimReviewed": "The port reopened."}) + "\n")
    repaired = runner.invoke(
        app, ["load", str(fixed), "--kind", "claimreviews", "--report", str(report)]
    )
    assert repaired.exit_code == 0 and "1 inserted" in repaired.output, repaired.output
