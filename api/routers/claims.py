"""REST: claims, and the evidence for a stored claim."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import ClaimIndexDep, JudgeDep, SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from crosscheck.claims import service as claim_service
from crosscheck.claims.registry import forget_claim, record_claim
from crosscheck.claims.schemas import ClaimCreate, ClaimPage, ClaimRead
from crosscheck.database import MAX_ID, DatabaseId
from crosscheck.errors import InvalidInputError
from crosscheck.pagination import DEFAULT_LIMIT, MAX_LIMIT
from crosscheck.sources import service as source_service
from crosscheck.verdicts import service as verdict_service
from crosscheck.verdicts.schemas import MAX_TOP_K, VerificationRead, verification_read

router = APIRouter(prefix="/v1/claims", tags=["claims"], responses=ERROR_RESPONSES)

ClaimId = Annotated[int, Path(ge=1, le=MAX_ID, description="Claim id")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Store a claim (200 with the stored claim if it already exists)",
    responses={200: {"model": ClaimRead, "description": "The same claim was already stored"}},
)
def create_claim(
    claim_in: ClaimCreate, session: SessionDep, claim_index: ClaimIndexDep, response: Response
) -> ClaimRead:
    stored = record_claim(session=session, claim_index=claim_index, claim_in=claim_in)
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/claims/{stored.claim.id}"
    return ClaimRead.model_validate(stored.claim)


@router.get("", summary="List claims")
def list_claims(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    source: Annotated[
        list[str] | None, Query(max_length=50, description="Source names or aliases")
    ] = None,
    source_id: Annotated[list[DatabaseId] | None, Query(max_length=50)] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=500, description="Text fragment")
    ] = None,
    stated_from: datetime | None = None,
    stated_to: datetime | None = None,
) -> ClaimPage:
    if stated_from and stated_to and stated_from > stated_to:
        raise InvalidInputError("stated_from is after stated_to", field="stated_from")
    source_ids: list[int] | None = None
    if source is not None or source_id is not None:
        source_ids = list(source_id or [])
        source_ids += source_service.resolve_names(
            session=session, names=source or [], field="source"
        )
    page = claim_service.list_page(
        session=session,
        limit=limit,
        cursor=cursor,
        source_ids=source_ids,
        q=q,
        stated_from=stated_from,
        stated_to=stated_to,
    )
    return ClaimPage(
        items=[ClaimRead.model_validate(c) for c in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


@router.get("/{claim_id}", summary="Get a claim")
def get_claim(claim_id: ClaimId, session: SessionDep) -> ClaimRead:
    return ClaimRead.model_validate(claim_service.get(session=session, claim_id=claim_id))


@router.delete("/{claim_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a claim")
def delete_claim(claim_id: ClaimId, session: SessionDep, claim_index: ClaimIndexDep) -> Response:
    forget_claim(session=session, claim_index=claim_index, claim_id=claim_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{claim_id}/evidence", summary="Corroborating and contradicting claims for a stored claim"
)
def claim_evidence(
    claim_id: ClaimId,
    session: SessionDep,
    claim_index: ClaimIndexDep,
    judge: JudgeDep,
    settings: SettingsDep,
    top_k: Annotated[int | None, Query(ge=1, le=MAX_TOP_K)] = None,
    include_same_source: bool = False,
) -> VerificationRead:
    verification = verdict_service.verify_stored_claim(
        session=session,
        claim_index=claim_index,
        judge=judge,
        claim_id=claim_id,
        top_k=top_k or settings.default_top_k,
        include_same_source=include_same_source,
    )
    return verification_read(verification)
