"""REST: the stance of one piece of evidence towards one claim."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import JudgeDep
from api.errors import ERROR_RESPONSES
from crosscheck.stance.schemas import StanceRead, StanceRequest

router = APIRouter(prefix="/v1", tags=["stance"], responses=ERROR_RESPONSES)


@router.post(
    "/stance",
    operation_id="judgeStance",
    summary="Does the evidence corroborate, contradict, discuss, or not bear on the claim?",
)
def stance(request: StanceRequest, judge: JudgeDep) -> StanceRead:
    return StanceRead.from_judgement(judge.judge(claim=request.claim, evidence=request.evidence))
