"""REST: has this been checked before? Stored claims ranked against a text, no stance judged."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import ClaimIndexDep, SessionDep
from api.errors import ERROR_RESPONSES
from crosscheck.matching.reads import search_read
from crosscheck.matching.schemas import SearchRead, SearchRequest
from crosscheck.matching.service import search_claims
from crosscheck.timings import server_timing

router = APIRouter(prefix="/v1", tags=["search"], responses=ERROR_RESPONSES)


@router.post(
    "/search",
    operation_id="searchClaims",
    summary="Stored claims that match a text (a post, a quote), best first, with their ratings",
)
def search(
    request: SearchRequest, session: SessionDep, claim_index: ClaimIndexDep, response: Response
) -> SearchRead:
    result = search_claims(session=session, claim_index=claim_index, request=request)
    response.headers["Server-Timing"] = server_timing(result.timings)
    return search_read(result)
