"""Typed request dependencies: one database session per request, and the process runtime."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from crosscheck.indexing.service import ClaimIndex
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.stance.engine import StanceEngine
from crosscheck.verdicts.claimreview import Reviewer
from crosscheck.verdicts.verifier import Verifier


def get_runtime(connection: HTTPConnection) -> Runtime:
    """The process runtime, for requests and WebSockets (GraphQL subscriptions) alike."""
    runtime: Runtime = connection.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """A session for this request; whatever it did not commit is rolled back."""
    session = runtime.session_factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


def get_reviewer(connection: HTTPConnection, runtime: RuntimeDep) -> Reviewer:
    """This instance as the author of the ClaimReview it publishes; its URL from the settings,
    else from the request (what the client used to reach it)."""
    settings = runtime.settings
    url = str(settings.public_url) if settings.public_url else str(connection.base_url)
    return Reviewer(name=settings.instance_name, url=url.rstrip("/"))


def get_claim_index(runtime: RuntimeDep) -> ClaimIndex:
    """The claim index, or a 503 ``not_ready`` while the model and index load."""
    return runtime.claim_index


def get_judge(runtime: RuntimeDep) -> StanceEngine:
    return runtime.judge


def get_verifier(runtime: RuntimeDep) -> Verifier:
    """The process's verifier, or a 503 ``not_ready`` while the model and index load."""
    return runtime.verifier


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClaimIndexDep = Annotated[ClaimIndex, Depends(get_claim_index)]
JudgeDep = Annotated[StanceEngine, Depends(get_judge)]
ReviewerDep = Annotated[Reviewer, Depends(get_reviewer)]
VerifierDep = Annotated[Verifier, Depends(get_verifier)]
