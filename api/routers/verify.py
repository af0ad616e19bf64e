"""REST: verify a statement against the stored claims."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import SessionDep, VerifierDep
from api.errors import ERROR_RESPONSES
from crosscheck.timings import server_timing
from crosscheck.verdicts.schemas import VerificationRead, VerifyRequest, verification_read

router = APIRouter(prefix="/v1", tags=["verify"], responses=ERROR_RESPONSES)


@router.post(
    "/verify",
    operation_id="verifyClaim",
    summary="Which stored claims corroborate or contradict a statement, and why",
)
def verify(
    request: VerifyRequest,
    session: SessionDep,
    verifier: VerifierDep,
    response: Response,
) -> VerificationRead:
    verification = verifier.verify_text(session=session, request=request)
    # Where the time went, readable by browsers' dev tools and benchmarks alike.
    response.headers["Server-Timing"] = server_timing(verification.timings)
    return verification_read(verification)
