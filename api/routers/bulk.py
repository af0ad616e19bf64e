"""REST: bulk loading of claims and documents, one result per row in input order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from api.deps import ClaimIndexDep, RuntimeDep
from api.errors import ERROR_RESPONSES, ErrorBody, ErrorDetail
from crosscheck.errors import CrosscheckError, PayloadTooLargeError, UnsupportedMediaError
from crosscheck.ingest.loader import BulkLoader, RowKind, bulk_loader
from crosscheck.ingest.results import LoadTotals, RowResult
from crosscheck.ingest.rows import Row, jsonl_row, read_json_array
from crosscheck.metrics import LOAD_JOBS

router = APIRouter(prefix="/v1", tags=["bulk"], responses=ERROR_RESPONSES)

NDJSON_TYPES = {"application/x-ndjson", "application/ndjson", "application/jsonl"}
# Up to this many rows the answer is built whole (a late 413 is still a 413); past it, it is
# streamed in the same shape, so a 100 MB load never holds its results in memory.
STREAM_AFTER_ROWS = 10_000


class AnswerWhileReading(StreamingResponse):
    """A streamed answer written while the request body is still being read.

    Starlette's ``StreamingResponse`` listens for a disconnect by reading ``receive`` beside
    the stream, and would take body chunks the row reader is waiting for (the load then hangs);
    here the row reader alone reads ``receive``, and notices a client that left.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.stream_response(send)


class BulkTotals(BaseModel):
    rows: int
    created: int
    exists: int
    rejected: int


class BulkResult(BaseModel):
    """Every row's outcome, in input order, and the totals."""

    results: list[RowResult]
    totals: BulkTotals


def _body_doc(row_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}, "example": row_schema},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            },
        }
    }


async def _ndjson_rows(request: Request, limit: int) -> AsyncIterator[Row]:
    """Rows of an NDJSON body as it streams in; never more than ``limit`` bytes read."""
    received = 0
    # The unfinished line's pieces, joined once its end arrives: a long line costs linear time.
    pending: list[bytes] = []
    line = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise PayloadTooLargeError(
                f"bulk bodies are limited to {limit} bytes; rows before line {line + 1} were "
                "loaded, the rest was not read",
                field="body",
            )
        if b"\n" not in chunk:
            pending.append(chunk)
            continue
        first, *complete, rest = chunk.split(b"\n")
        for raw in [b"".join([*pending, first]), *complete]:
            line += 1
            row = jsonl_row(line, raw)
            if row is not None:
                yield row
        pending = [rest] if rest else []
    if pending:
        row = jsonl_row(line + 1, b"".join(pending))
        if row is not None:
            yield row


async def _json_rows(request: Request, limit: int) -> AsyncIterator[Row]:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLargeError(f"bulk bodies are limited to {limit} bytes", field="body")
    for row in read_json_array(bytes(body)):
        yield row


async def _load(
    request: Request, runtime: RuntimeDep, loader: BulkLoader, kind: RowKind
) -> BulkResult | AnswerWhileReading:
    LOAD_JOBS.labels(kind=kind.value).inc()
    limit = runtime.settings.bulk_max_bytes
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise PayloadTooLargeError(f"bulk bodies are limited to {limit} bytes", field="body")
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type in NDJSON_TYPES:
        rows = _ndjson_rows(request, limit)
    elif media_type == "application/json":
        rows = _json_rows(request, limit)
    else:
        raise UnsupportedMediaError(
            "send application/x-ndjson (one JSON object a line) or application/json (an array)",
            field="content-type",
        )
    batches = _processed(rows, loader)
    results: list[RowResult] = []
    totals = LoadTotals()
    async for processed in batches:
        results += processed
        for result in processed:
            totals.count(result)
        if len(results) >= STREAM_AFTER_ROWS:
            # Past this many rows the answer is streamed as it is made: memory stays flat.
            return AnswerWhileReading(
                _streamed(results, batches, totals), media_type="application/json"
            )
    return BulkResult(results=results, totals=_totals(totals))


async def _processed(
    rows: AsyncIterator[Row], loader: BulkLoader
) -> AsyncIterator[list[RowResult]]:
    """Each batch's results as it is stored."""
    batch: list[Row] = []
    async for row in rows:
        batch.append(row)
        if len(batch) >= loader.batch_rows:
            yield await run_in_threadpool(loader.process, batch)
            batch = []
    if batch:
        yield await run_in_threadpool(loader.process, batch)


def _totals(totals: LoadTotals) -> BulkTotals:
    return BulkTotals(
        rows=totals.rows, created=totals.created, exists=totals.existing, rejected=totals.rejected
    )


async def _streamed(
    first: list[RowResult], rest: AsyncIterator[list[RowResult]], totals: LoadTotals
) -> AsyncIterator[bytes]:
    """The same JSON as ``BulkResult``, written batch by batch. A failure once the answer has
    begun (the body passing the size limit) is told in an ``error`` member after the totals."""
    yield b'{"results":[' + b",".join(r.model_dump_json().encode() for r in first)
    error: ErrorBody | None = None
    try:
        async for processed in rest:
            for result in processed:
                totals.count(result)
            yield b"," + b",".join(r.model_dump_json().encode() for r in processed)
    except CrosscheckError as exc:
        error = ErrorBody(error=ErrorDetail(code=exc.code, message=exc.message, field=exc.field))
    tail = b'],"totals":' + _totals(totals).model_dump_json().encode()
    if error is not None:
        tail += b',"error":' + error.error.model_dump_json().encode()
    yield tail + b"}"


BULK_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "The body is over CROSSCHECK_BULK_MAX_BYTES"},
    415: {"model": ErrorBody, "description": "Neither NDJSON nor a JSON array"},
}


@router.post(
    "/claims/bulk",
    operation_id="bulkLoadClaims",
    summary="Load many claims: NDJSON (streamed) or a JSON array; one result per row",
    description=(
        "Each row: `{text, source, stated_at?, url?, title?, external_id?}`; unknown fields are "
        "rejected. A row already stored (same `external_id`, or same source and wording) is "
        "`exists`; a bad row is `error` with its field and reason and never fails the others. "
        "Bodies are limited to `CROSSCHECK_BULK_MAX_BYTES` (default 100 MB)."
    ),
    responses=BULK_RESPONSES,
    response_model=BulkResult,
    openapi_extra=_body_doc(
        {"text": "At least 3,000 soldiers are in Russia.", "source": "US officials"}
    ),
)
async def bulk_claims(request: Request, runtime: RuntimeDep, claim_index: ClaimIndexDep) -> Any:
    loader = bulk_loader(
        RowKind.CLAIMS, session_factory=runtime.session_factory, claim_index=claim_index
    )
    return await _load(request, runtime, loader, RowKind.CLAIMS)


@router.post(
    "/documents/bulk",
    operation_id="bulkLoadDocuments",
    summary="Load many articles: NDJSON (streamed) or a JSON array; one result per row",
    description=(
        "Each row: `{text, publisher, title?, url?, published_at?}`; the claims in each "
        "article are read and attributed as by `POST /v1/documents`. The same publisher and "
        "text stored before is `exists`."
    ),
    responses=BULK_RESPONSES,
    response_model=BulkResult,
    openapi_extra=_body_doc(
        {"text": "The ministry said 40 people were hurt.", "publisher": "Wire"}
    ),
)
async def bulk_documents(request: Request, runtime: RuntimeDep, claim_index: ClaimIndexDep) -> Any:
    loader = bulk_loader(
        RowKind.DOCUMENTS,
        session_factory=runtime.session_factory,
        claim_index=claim_index,
        parser=runtime.parser,
    )
    return await _load(request, runtime, loader, RowKind.DOCUMENTS)
