"""Loading the sources file of a scenario, and a whole scenario (sources, then claims)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.errors import CrosscheckError
from crosscheck.indexing.service import ClaimIndex
from crosscheck.ingest.claims import ClaimBulkLoader
from crosscheck.ingest.results import LoadTotals, error_from, rejected
from crosscheck.ingest.rows import Row, read_jsonl
from crosscheck.sources import service as source_service
from crosscheck.sources.schemas import SourceCreate


def load_sources(*, session: Session, rows: Iterable[Row]) -> LoadTotals:
    """Create the sources described by rows; a name already known counts as existing."""
    totals = LoadTotals()
    for row in rows:
        try:
            if row.data is None:
                raise CrosscheckError(row.error or "unreadable row")
            source_in = SourceCreate.model_validate(row.data)
            if source_service.find_by_name(session=session, name=source_in.name) is not None:
                totals.existing += 1
                continue
            with session.begin_nested():
                source_service.create(session=session, source_in=source_in)
        except (ValidationError, CrosscheckError) as exc:
            totals.count(rejected(row.line, error_from(exc)))
            continue
        totals.created += 1
    session.commit()
    return totals


@dataclass(frozen=True)
class ScenarioLoad:
    sources: LoadTotals
    claims: LoadTotals


def load_scenario(
    *, session_factory: sessionmaker[Session], claim_index: ClaimIndex, directory: Path
) -> ScenarioLoad:
    """Load ``sources.jsonl`` then ``claims.jsonl`` from ``directory``; safe to run again."""
    with session_factory() as session, (directory / "sources.jsonl").open("rb") as handle:
        sources = load_sources(session=session, rows=read_jsonl(handle))
    loader = ClaimBulkLoader(session_factory=session_factory, claim_index=claim_index)
    with (directory / "claims.jsonl").open("rb") as handle:
        claims = loader.run(read_jsonl(handle))
    return ScenarioLoad(sources=sources, claims=claims)
