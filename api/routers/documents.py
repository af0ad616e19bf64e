"""REST: documents, and the attributed claims read from them."""

from __future__ import annotations

import codecs
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import ClaimIndexDep, RuntimeDep, SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES, ErrorBody, field_path
from crosscheck.database import MAX_ID
from crosscheck.documents import service as document_service
from crosscheck.documents.schemas import (
    MAX_DOCUMENT_CHARS,
    DocumentCreate,
    DocumentPage,
    DocumentRead,
    DocumentSummary,
)
from crosscheck.errors import InvalidInputError, UnsupportedMediaError
from crosscheck.pagination import DEFAULT_LIMIT, PAGE_LIMIT_DOC, forward_page

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=ERROR_RESPONSES)

DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Document id")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="ingestDocument",
    summary="Store an article and the claims in it, each attributed to who asserted it",
    responses={200: {"model": DocumentRead, "description": "The same document was already stored"}},
)
def ingest_document(
    document_in: DocumentCreate,
    session: SessionDep,
    claim_index: ClaimIndexDep,
    runtime: RuntimeDep,
    response: Response,
) -> DocumentRead:
    stored = document_service.ingest(
        session=session, claim_index=claim_index, document_in=document_in, parser=runtime.parser
    )
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/documents/{stored.document.id}"
    return document_service.document_read(stored.document)


def _decode(body: bytes, content_type: str) -> str:
    """The uploaded bytes as text, in the charset the client declared (UTF-8 if none)."""
    media_type, _, parameters = content_type.partition(";")
    if media_type.strip().lower() not in {"text/plain", "text/markdown", ""}:
        raise UnsupportedMediaError(
            f"send text/plain, not {media_type.strip()}", field="content-type"
        )
    charset = "utf-8"
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    try:
        codecs.lookup(charset)
    except LookupError as exc:
        raise UnsupportedMediaError(f"unknown charset {charset!r}", field="content-type") from exc
    try:
        return body.decode(charset)
    except LookupError as exc:  # a codec that is not a text encoding: zlib, base64, rot13...
        raise UnsupportedMediaError(
            f"charset {charset!r} is not a text encoding", field="content-type"
        ) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"the body is not valid {charset}: {exc.reason}", field="body"
        ) from exc


@router.post(
    "/upload",
    operation_id="uploadDocument",
    status_code=status.HTTP_201_CREATED,
    summary="Store a plain-text article sent as the request body (charset from Content-Type)",
    responses={200: {"model": DocumentRead}, 415: {"model": ErrorBody}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/plain": {
                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_DOCUMENT_CHARS}
                }
            },
        }
    },
)
async def upload_document(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    publisher: Annotated[str, Query(min_length=1, max_length=200)],
    title: Annotated[str | None, Query(max_length=500)] = None,
    url: Annotated[str | None, Query(max_length=2000)] = None,
) -> DocumentRead:
    body = await request.body()
    text = _decode(body, request.headers.get("content-type", ""))
    try:
        document_in = DocumentCreate(text=text, publisher=publisher, title=title, url=url)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInputError(str(first["msg"]), field=field_path(first["loc"])) from exc

    def store() -> tuple[DocumentRead, bool]:
        with runtime.session_factory() as session:
            stored = document_service.ingest(
                session=session,
                claim_index=runtime.claim_index,
                document_in=document_in,
                parser=runtime.parser,
            )
            return document_service.document_read(stored.document), stored.created

    read, created = await run_in_threadpool(store)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/documents/{read.id}"
    return read


@router.get("", operation_id="listDocuments", summary="List documents")
def list_documents(
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, description=PAGE_LIMIT_DOC)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> DocumentPage:
    request = forward_page(limit=limit, cursor=cursor, maximum=settings.max_page_size)
    page = document_service.list_page(session=session, page=request)
    return DocumentPage(
        items=[DocumentSummary.model_validate(d) for d in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


@router.get("/{document_id:int}", operation_id="getDocument", summary="A document with its claims")
def get_document(document_id: DocumentId, session: SessionDep) -> DocumentRead:
    return document_service.document_read(
        document_service.get(session=session, document_id=document_id)
    )
