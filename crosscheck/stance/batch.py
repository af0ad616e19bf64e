"""Stance for a stream of JSONL pairs: one output line per input line, in order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError

from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.schemas import StanceRequest


class BatchLine(StanceRequest):
    """One input line: an id of the caller's, a claim and its evidence."""

    model_config = ConfigDict(extra="ignore")

    id: Any = None


class BatchResult(BaseModel):
    id: Any
    label: str | None = None
    confidence: float | None = None
    error: str | None = None


@dataclass
class BatchReport:
    judged: int = 0
    rejected: int = 0


def _parse(line: str) -> BatchLine | BatchResult:
    """The pair on ``line``, or the error to write for it (keeping its id where there is one)."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return BatchResult(id=None, error=f"not valid JSON: {exc.msg}")
    try:
        return BatchLine.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "line"
        line_id = raw.get("id") if isinstance(raw, dict) else None
        return BatchResult(id=line_id, error=f"{where}: {first['msg']}")


def judge_stream(
    engine: StanceEngine,
    lines: Iterable[str],
    out: TextIO,
    *,
    batch_size: int = 1024,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Judge JSONL pairs in batches (one classifier call per batch), writing results in order."""
    report = BatchReport()
    batch: list[BatchLine | BatchResult] = []

    def flush() -> None:
        valid = [item for item in batch if isinstance(item, BatchLine)]
        judgements = iter(engine.judge_pairs([(item.claim, item.evidence) for item in valid]))
        for item in batch:
            if isinstance(item, BatchLine):
                judgement = next(judgements)
                result = BatchResult(
                    id=item.id, label=judgement.stance.value, confidence=judgement.confidence
                )
                report.judged += 1
            else:
                result = item
                report.rejected += 1
            out.write(result.model_dump_json(exclude_none=True) + "\n")
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for line in lines:
        if not line.strip():
            continue
        batch.append(_parse(line))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    out.flush()
    return report
