"""The FastAPI application factory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from api import metrics
from api.access import METHOD_ACCESS, READ_ACCESS, WRITE_ACCESS, install_access
from api.body_limit import BodySizeLimit
from api.docs import install_docs
from api.errors import install_error_handlers
from api.graphql.schema import create_graphql_router
from api.head_requests import HeadAsGet
from api.open_mode import OpenModeGuard
from api.openapi_limits import document_page_limits
from api.request_deadline import RequestDeadline
from api.request_log import install_request_tracking
from api.routers import bulk, claims, documents, health, page, search, sources, stance, verify
from crosscheck import __version__
from crosscheck.runtime import Runtime

log = logging.getLogger(__name__)

BULK_PATHS = {"/v1/claims/bulk", "/v1/documents/bulk"}

DESCRIPTION = """
Cross-source claim verification. Store statements attributed to **who asserted them**, then ask
which statements from other sources corroborate or contradict a claim, and why.

Errors always have the body `{"error": {"code", "message", "field"?}}`.
GraphQL (with GraphiQL) is served at `/graphql`; a page for people at `/app/`.
"""


def create_app(runtime: Runtime) -> FastAPI:
    """The app over ``runtime``; the model and index load in the background after start (see
    ``/readyz``), and the runtime closes when the app stops."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with runtime.serving():
            yield

    app = FastAPI(
        title="crosscheck",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc are served by api/docs.py, with their files: they work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.store_metrics = metrics.store_registry(runtime)
    install_error_handlers(app)
    install_access(app, runtime)

    app.add_middleware(HeadAsGet)
    app.add_middleware(
        RequestDeadline,
        seconds=runtime.settings.request_deadline_seconds,
        exempt_paths=BULK_PATHS,
    )
    app.add_middleware(OpenModeGuard, allowed_hosts=runtime.settings.open_mode_hosts)
    # Inside the request log and metrics (added after it), so refused bodies are counted too.
    app.add_middleware(
        BodySizeLimit, max_bytes=runtime.settings.max_request_bytes, exempt_paths=BULK_PATHS
    )
    install_request_tracking(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    # Who may call what (see api/access.py; health, metrics, docs and the page stay open).
    app.include_router(sources.router, dependencies=[METHOD_ACCESS])
    app.include_router(bulk.router, dependencies=[WRITE_ACCESS])
    app.include_router(claims.router, dependencies=[METHOD_ACCESS])
    app.include_router(search.router, dependencies=[READ_ACCESS])
    app.include_router(verify.router, dependencies=[READ_ACCESS])
    app.include_router(stance.router, dependencies=[READ_ACCESS])
    app.include_router(documents.router, dependencies=[METHOD_ACCESS])
    app.include_router(create_graphql_router(runtime.settings), include_in_schema=False)
    app.include_router(page.router)
    page.mount_page(app)
    install_docs(app)
    document_page_limits(app, runtime.settings)
    return app
