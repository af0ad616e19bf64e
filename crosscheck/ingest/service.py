"""Loading JSONL files of sources and claims: each line stored once, bad lines reported."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.errors import CrosscheckError
from crosscheck.indexing.service import ClaimIndex
from crosscheck.sources import service as source_service
from crosscheck.sources.schemas import SourceCreate


@dataclass(frozen=True)
class RejectedLine:
    line: int
    reason: str


@dataclass
class LoadReport:
    """What a load did, line by line accounted for."""

    inserted: int = 0
    existing: int = 0
    rejected: list[RejectedLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.inserted + self.existing + len(self.rejected)


def read_jsonl(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of the non-blank lines of a file, streamed."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "line"
        return f"{where}: {first['msg']}"
    if isinstance(exc, CrosscheckError):
        return f"{exc.field}: {exc.message}" if exc.field else exc.message
    return f"not valid JSON: {exc}"


def load_sources(*, session: Session, lines: Iterable[tuple[int, str]]) -> LoadReport:
    """Create the sources described by JSON lines; a name already present counts as existing."""
    report = LoadReport()
    for number, line in lines:
        try:
            source_in = SourceCreate.model_validate_json(line)
        except ValidationError as exc:
            report.rejected.append(RejectedLine(number, _explain(exc)))
            continue
        if source_service.find_by_name(session=session, name=source_in.name) is not None:
            report.existing += 1
            continue
        try:
            with session.begin_nested():
                source_service.create(session=session, source_in=source_in)
        except CrosscheckError as exc:
            report.rejected.append(RejectedLine(number, _explain(exc)))
            continue
        report.inserted += 1
    session.commit()
    return report


def load_claims(
    *,
    session: Session,
    claim_index: ClaimIndex,
    lines: Iterable[tuple[int, str]],
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Store claims from JSON lines in batches: one transaction, then one index update, each."""
    report = LoadReport()
    batch: list[tuple[int, str]] = []

    def flush() -> None:
        created: list[tuple[int, str]] = []
        for number, line in batch:
            try:
                claim_in = ClaimCreate.model_validate(json.loads(line))
                with session.begin_nested():
                    stored = claim_service.create(session=session, claim_in=claim_in)
            except (ValueError, CrosscheckError) as exc:
                report.rejected.append(RejectedLine(number, _explain(exc)))
                continue
            if stored.created:
                created.append((stored.claim.id, stored.claim.text))
                report.inserted += 1
            else:
                report.existing += 1
        session.commit()
        claim_index.add_texts(created)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for item in lines:
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    claim_index.save_if_dirty()
    return report
