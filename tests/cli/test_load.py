"""`crosscheck load`, `ingest` and `demo`: claims, documents and reviews into the store."""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.documents.models import Document
from crosscheck.settings import get_settings
from embeddings.ann.faiss import FaissIndex


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

    def no_space(self: FaissIndex) -> None:
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


def test_ingest_dates_the_document_and_its_claims_as_rest_does(cli_env: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    dated = {
        "strike.txt": ("2024-10-17T11:30:00+02:00", datetime(2024, 10, 17, 9, 30, tzinfo=UTC)),
        "port.txt": ("2024-10-18", datetime(2024, 10, 18, tzinfo=UTC)),  # no zone: UTC
    }
    texts = {
        "strike.txt": "The Ministry of Transport said 2,650 dock workers were on strike.\n",
        "port.txt": "The port authority denied that any ships had been turned away.\n",
    }
    for name, (published_at, _) in dated.items():
        article = cli_env / name
        article.write_text(texts[name])
        result = runner.invoke(
            app,
            [
                "ingest",
                str(article),
                "--publisher",
                "Coastal Herald",
                "--published-at",
                published_at,
            ],
        )
        assert result.exit_code == 0, result.output
    engine = create_db_engine(f"sqlite:///{cli_env / 'cli.db'}")
    try:
        with create_session_factory(engine)() as session:
            documents = session.scalars(select(Document).order_by(Document.id)).all()
            assert [d.published_at for d in documents] == [when for _, when in dated.values()]
            for document in documents:
                stated = {appearance.claim.stated_at for appearance in document.appearances}
                assert stated == {document.published_at}
    finally:
        engine.dispose()


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
