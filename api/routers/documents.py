"""REST: documents, and the attributed claims read from them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import ClaimIndexDep, SessionDep
from api.errors import ERROR_RESPONSES
from crosscheck.database import MAX_ID
from crosscheck.documents import service as document_service
from crosscheck.documents.schemas import DocumentCreate, DocumentPage, DocumentRead, DocumentSummary
from crosscheck.pagination import DEFAULT_LIMIT, MAX_LIMIT

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=ERROR_RESPONSES)

DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Document id")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Store an article and the claims in it, each attributed to who asserted it",
    responses={200: {"model": DocumentRead, "description": "The same document was already stored"}},
)
def ingest_document(
    document_in: DocumentCreate, session: SessionDep, claim_index: ClaimIndexDep, response: Response
) -> DocumentRead:
    stored = document_service.ingest(
        session=session, claim_index=claim_index, document_in=document_in
    )
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/documents/{stored.document.id}"
    return document_service.document_read(stored.document)


@router.get("", summary="List documents")
def list_documents(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> DocumentPage:
    page = document_service.list_page(session=session, limit=limit, cursor=cursor)
    return DocumentPage(
        items=[DocumentSummary.model_validate(d) for d in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


@router.get("/{document_id}", summary="A document with its claims")
def get_document(document_id: DocumentId, session: SessionDep) -> DocumentRead:
    return document_service.document_read(
        document_service.get(session=session, document_id=document_id)
    )
