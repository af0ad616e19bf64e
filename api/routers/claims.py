"""REST: claims, and the evidence for a stored claim."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import ClaimIndexDep, JudgeDep, SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from crosscheck.claims import service as claim_service
from crosscheck.claims.registry import forget_claim, record_claim
from crosscheck.claims.schemas import ClaimCreate, ClaimFilter, ClaimPage, ClaimRead
from crosscheck.database import MAX_ID
from crosscheck.pagination import DEFAULT_LIMIT, PAGE_LIMIT_DOC, forward_page
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
    settings: SettingsDep,
    claim_filter: Annotated[ClaimFilter, Query()],
    limit: Annotated[int, Query(ge=1, description=PAGE_LIMIT_DOC)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ClaimPage:
    request = forward_page(limit=limit, cursor=cursor, maximum=settings.max_page_size)
    page = claim_service.list_page(session=session, page=request, claim_filter=claim_filter)
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
