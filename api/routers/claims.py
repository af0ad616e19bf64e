"""REST: claims, and the evidence for a stored claim."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import JSONResponse

from api.deps import ClaimIndexDep, ReviewerDep, SessionDep, SettingsDep, VerifierDep
from api.errors import ERROR_RESPONSES, ErrorBody
from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimCreate, ClaimFilter, ClaimPage, ClaimRead
from crosscheck.database import MAX_ID
from crosscheck.fields import RequestTime
from crosscheck.indexing.registry import forget_claim, record_claim
from crosscheck.pagination import DEFAULT_LIMIT, PAGE_LIMIT_DOC, forward_page
from crosscheck.timelines.schemas import TimelineRead, timeline_read
from crosscheck.verdicts.claimreview import review_stored_claim
from crosscheck.verdicts.schemas import (
    EvidenceRequest,
    VerificationRead,
    verification_read,
)

router = APIRouter(prefix="/v1/claims", tags=["claims"], responses=ERROR_RESPONSES)

ClaimId = Annotated[int, Path(ge=1, le=MAX_ID, description="Claim id")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="createClaim",
    summary="Store a claim (200 with the stored claim if it already exists)",
    responses={
        200: {"model": ClaimRead, "description": "The same claim was already stored"},
        409: {"model": ErrorBody, "description": "The external_id names another claim"},
    },
)
def create_claim(
    claim_in: ClaimCreate, session: SessionDep, claim_index: ClaimIndexDep, response: Response
) -> ClaimRead:
    stored = record_claim(session=session, claim_index=claim_index, claim_in=claim_in)
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/claims/{stored.claim.id}"
    return ClaimRead.model_validate(stored.claim)


@router.get("", operation_id="listClaims", summary="List claims")
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


@router.get("/{claim_id:int}", operation_id="getClaim", summary="Get a claim")
def get_claim(claim_id: ClaimId, session: SessionDep) -> ClaimRead:
    return ClaimRead.model_validate(claim_service.get(session=session, claim_id=claim_id))


@router.delete(
    "/{claim_id:int}",
    operation_id="deleteClaim",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a claim",
)
def delete_claim(claim_id: ClaimId, session: SessionDep, claim_index: ClaimIndexDep) -> Response:
    forget_claim(session=session, claim_index=claim_index, claim_id=claim_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{claim_id:int}/evidence",
    operation_id="getClaimEvidence",
    summary="Corroborating and contradicting claims for a stored claim",
)
def claim_evidence(
    claim_id: ClaimId,
    session: SessionDep,
    verifier: VerifierDep,
    request: Annotated[EvidenceRequest, Query()],
) -> VerificationRead:
    verification = verifier.verify_stored_claim(session=session, claim_id=claim_id, request=request)
    return verification_read(verification)


@router.get(
    "/{claim_id:int}/timeline",
    operation_id="getClaimTimeline",
    summary="What the claim's source said on the matter over time; which statement is current",
)
def claim_timeline(
    claim_id: ClaimId,
    session: SessionDep,
    verifier: VerifierDep,
    as_of: Annotated[
        RequestTime | None, Query(description="Only statements made (undated: stored) by then")
    ] = None,
) -> TimelineRead:
    timeline = verifier.timeline(session=session, claim_id=claim_id, as_of=as_of)
    return timeline_read(timeline)


class JsonLdResponse(JSONResponse):
    media_type = "application/ld+json"


@router.get(
    "/{claim_id:int}/claimreview",
    operation_id="getClaimReview",
    summary="The claim's current verdict as schema.org ClaimReview JSON-LD",
    # JSON-LD on success only: errors are the usual application/json error body.
    response_class=JSONResponse,
    responses={
        200: {
            "content": {"application/ld+json": {"schema": {"type": "object"}}},
            "description": "A ClaimReview object (schema.org), as fact-checking tools read it",
        }
    },
)
def claim_review(
    claim_id: ClaimId,
    session: SessionDep,
    verifier: VerifierDep,
    reviewer: ReviewerDep,
) -> JsonLdResponse:
    review = review_stored_claim(
        session=session, verifier=verifier, claim_id=claim_id, reviewer=reviewer
    )
    return JsonLdResponse(review)
