"""REST: verify a statement against the stored claims."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import ClaimIndexDep, JudgeDep, SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from crosscheck.verdicts import service as verdict_service
from crosscheck.verdicts.schemas import VerificationRead, VerifyRequest, verification_read

router = APIRouter(prefix="/v1", tags=["verify"], responses=ERROR_RESPONSES)


@router.post(
    "/verify", summary="Which stored claims corroborate or contradict a statement, and why"
)
def verify(
    request: VerifyRequest,
    session: SessionDep,
    claim_index: ClaimIndexDep,
    judge: JudgeDep,
    settings: SettingsDep,
    response: Response,
) -> VerificationRead:
    verification = verdict_service.verify_text(
        session=session,
        claim_index=claim_index,
        judge=judge,
        request=request,
        default_top_k=settings.default_top_k,
        timeline_similarity=settings.timeline_similarity,
    )
    # Where the time went, readable by browsers' dev tools and benchmarks alike.
    response.headers["Server-Timing"] = ", ".join(
        f"{step};dur={ms:.2f}" for step, ms in verification.timings.items()
    )
    return verification_read(verification)
