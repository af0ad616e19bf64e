"""Bulk loading of claims on SQLite and PostgreSQL: every row accounted for, re-runs add nothing."""

from __future__ import annotations

import io
import json

import numpy as np
from sqlalchemy import select

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.ingest.claims import ClaimBulkLoader
from crosscheck.ingest.results import RowResult, RowStatus
from crosscheck.ingest.rows import Row, read_jsonl
from crosscheck.runtime import Runtime

GOOD = [
    {"text": "The ministry counted 1,200 displaced families by Tuesday.", "source": "Ministry"},
    {"text": "Rail traffic resumed on the northern line on Friday.", "source": "Rail Operator"},
    {
        "text": "Inflation slowed to 3.1 percent in October.",
        "source": "Statistics Office",
        "stated_at": "2024-11-02T09:00:00Z",
        "url": "https://example.org/cpi",
        "external_id": "cpi-2024-10",
    },
]


def _jsonl(lines: list[str | bytes]) -> list[Row]:
    data = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    return list(read_jsonl(io.BytesIO(data)))


def _load(runtime: Runtime, rows: list[Row], **options: object) -> list[RowResult]:
    loader = ClaimBulkLoader(
        session_factory=runtime.session_factory,
        claim_index=runtime.claim_index,
        **options,  # type: ignore[arg-type]
    )
    collected: list[RowResult] = []
    loader.run(rows, lambda _rows, results: collected.extend(results))
    return collected


def _stored(runtime: Runtime) -> list[tuple[int, str, str]]:
    with runtime.session_factory() as session:
        rows = session.execute(select(Claim.id, Claim.text, Claim.content_hash).order_by(Claim.id))
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _index_matches_database(runtime: Runtime) -> None:
    with runtime.session_factory() as session:
        stored = claim_service.all_ids(session=session)
    assert runtime.claim_index.ids().tolist() == stored


def test_mixed_file_stores_every_good_row_and_reports_every_bad_one(runtime: Runtime) -> None:
    lines: list[str | bytes] = [
        json.dumps(GOOD[0]),
        "{broken json",
        json.dumps({"source": "Ministry"}),  # missing text
        json.dumps({"text": 42, "source": "Ministry"}),  # wrong type
        json.dumps({"text": "   ", "source": "Ministry"}),  # empty text
        json.dumps({"text": "x" * 5001, "source": "Ministry"}),  # over-long
        b'{"text": "caf\xe9 owners said 40 shops closed", "source": "Guild"}',  # not UTF-8
        json.dumps(GOOD[1]),
        json.dumps(GOOD[0]),  # a duplicate of line 1
        json.dumps({**GOOD[1], "mood": "grim"}),  # unknown field
        json.dumps(
            {"text": "Dates are checked before storing.", "source": "X", "stated_at": "soon"}
        ),
        json.dumps(GOOD[2]),
    ]
    results = _load(runtime, _jsonl(lines), batch_rows=4)
    assert [r.line for r in results] == list(range(1, 13))
    statuses = [r.status for r in results]
    assert statuses == [
        RowStatus.CREATED,
        *[RowStatus.ERROR] * 6,
        RowStatus.CREATED,
        RowStatus.EXISTS,
        RowStatus.ERROR,
        RowStatus.ERROR,
        RowStatus.CREATED,
    ]
    errors = {r.line: r.error for r in results if r.error is not None}
    assert errors[2].field is None and "JSON" in errors[2].message
    assert errors[3].field == "text"
    assert errors[4].field == "text" and "string" in errors[4].message
    assert errors[5].field == "text"
    assert errors[6].field == "text" and "5000" in errors[6].message
    assert "UTF-8" in errors[7].message
    assert errors[10].field == "mood"
    assert errors[11].field == "stated_at"
    assert results[8].id == results[0].id

    stored = _stored(runtime)
    assert [text for _, text, _ in stored] == [GOOD[0]["text"], GOOD[1]["text"], GOOD[2]["text"]]
    _index_matches_database(runtime)
    with runtime.session_factory() as session:
        cpi = session.scalars(select(Claim).where(Claim.external_id == "cpi-2024-10")).one()
        assert cpi.source.name == "Statistics Office" and cpi.url == "https://example.org/cpi"
        assert cpi.stated_at is not None and cpi.stated_at.year == 2024


def test_rerun_inserts_nothing_and_leaves_stored_claims_untouched(runtime: Runtime) -> None:
    rows = _jsonl([json.dumps(row) for row in GOOD])
    first = _load(runtime, rows)
    before = _stored(runtime)
    again = _load(runtime, rows)
    assert [r.status for r in again] == [RowStatus.EXISTS] * 3
    assert [r.id for r in again] == [r.id for r in first]
    assert _stored(runtime) == before
    _index_matches_database(runtime)


def test_external_id_identifies_a_row_even_when_its_text_was_edited(runtime: Runtime) -> None:
    _load(runtime, _jsonl([json.dumps(GOOD[2])]))
    edited = {**GOOD[2], "text": "Inflation slowed to 3.2 percent in October (revised)."}
    [result] = _load(runtime, _jsonl([json.dumps(edited)]))
    assert result.status is RowStatus.EXISTS
    assert len(_stored(runtime)) == 1


def test_default_source_fills_rows_without_one(runtime: Runtime) -> None:
    rows = _jsonl([json.dumps({"text": "The port handled 2 million containers last year."})])
    [result] = _load(runtime, rows, default_source="Port Authority")
    assert result.status is RowStatus.CREATED
    with runtime.session_factory() as session:
        claim = claim_service.get(session=session, claim_id=result.id or 0)
        assert claim.source.name == "Port Authority"
    [missing] = _load(runtime, _jsonl([json.dumps({"text": "No source at all here, sadly."})]))
    assert missing.status is RowStatus.ERROR
    assert missing.error is not None and "source" in missing.error.message


def test_loaded_claims_are_searchable_with_their_own_vectors(runtime: Runtime) -> None:
    results = _load(runtime, _jsonl([json.dumps(row) for row in GOOD]))
    query = runtime.encoder.encode(["How fast are consumer prices rising?"])[0]
    best_id, score = runtime.claim_index.search(query, 1)[0]
    assert best_id == results[2].id and score > 0.3
    expected = runtime.encoder.encode([GOOD[2]["text"]])[0]
    assert np.isclose(float(expected @ query), score, atol=1e-4)


def test_a_repeat_within_one_batch_is_stored_once(runtime: Runtime) -> None:
    row = json.dumps(GOOD[0])
    results = _load(runtime, _jsonl([row, row, row]), batch_rows=10)
    assert [r.status for r in results] == [RowStatus.CREATED, RowStatus.EXISTS, RowStatus.EXISTS]
    assert len({r.id for r in results}) == 1
    assert len(_stored(runtime)) == 1
