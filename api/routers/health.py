"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="getHealth", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="getReadiness",
    summary="The model and index are loaded",
    responses={503: {}},
)
def readyz(runtime: RuntimeDep) -> JSONResponse:
    if runtime.ready:
        body: dict[str, object] = {
            "status": "ready",
            "claims_indexed": runtime.claim_index.count(),
        }
        if runtime.graph_builder is not None:
            lag = runtime.graph_builder.lag
            body["stance_graph"] = {
                "pending_claims": lag.pending,
                "lag_seconds": round(lag.oldest_seconds, 3),
            }
        return JSONResponse(body)
    body = {"status": "loading" if runtime.startup_error is None else "failed"}
    if runtime.startup_error is not None:
        body["error"] = runtime.startup_error
    return JSONResponse(body, status_code=503)
