"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator

from fastapi import FastAPI

from api import metrics
from api.access import METHOD_ACCESS, READ_ACCESS, WRITE_ACCESS, install_access
from api.body_limit import BodySizeLimit
from api.errors import install_error_handlers
from api.graphql.schema import create_graphql_router
from api.head_requests import HeadAsGet
from api.open_mode import OpenModeGuard
from api.openapi_limits import document_page_limits
from api.request_deadline import RequestDeadline
from api.request_log import install_request_tracking
from api.routers import bulk, claims, documents, health, page, sources, stance, verify
from crosscheck import __version__
from crosscheck.indexing.notifications import INSERTED
from crosscheck.indexing.service import catch_up, follow_new_claims
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings, get_settings
from embeddings.encoder import Encoder

log = logging.getLogger(__name__)

FOLLOW_MIN_GAP_SECONDS = 0.2
BULK_PATHS = {"/v1/claims/bulk", "/v1/documents/bulk"}

DESCRIPTION = """
Cross-source claim verification. Store statements attributed to **who asserted them**, then ask
which statements from other sources corroborate or contradict a claim, and why.

Errors always have the body `{"error": {"code", "message", "field"?}}`.
GraphQL (with GraphiQL) is served at `/graphql`; a page for people at `/app/`.
"""


async def _save_periodically(runtime: Runtime) -> None:
    while True:
        await asyncio.sleep(runtime.settings.index_save_seconds)
        if runtime.ready:
            try:
                await asyncio.to_thread(_maintain_index, runtime)
            except Exception:  # a full disk must not end the loop: the index stays dirty, and
                # the next round tries again (the previous saved index still loads meanwhile)
                log.exception("index save failed")


def _maintain_index(runtime: Runtime) -> None:
    """Rebuild the index if the store outgrew its kind (searches go on meanwhile), then save."""
    runtime.claim_index.reshape()
    runtime.claim_index.save_if_dirty()


class _ClaimChanges:
    """Kinds of change announced since the follower last looked; fed from the listener thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._kinds: set[str] = set()
        self._announced = asyncio.Event()

    def announce(self, kind: str) -> None:
        """Thread-safe: called by the listener."""
        self._loop.call_soon_threadsafe(self._note, kind)

    def _note(self, kind: str) -> None:
        self._kinds.add(kind)
        self._announced.set()

    async def next(self, *, timeout: float) -> set[str]:
        """The kinds announced, waiting up to ``timeout``; empty after a quiet wait (poll)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._announced.wait(), timeout=timeout)
        kinds, self._kinds = self._kinds, set()
        self._announced.clear()
        return kinds


def _catch_up(runtime: Runtime, kinds: set[str]) -> None:
    with runtime.session_factory() as session:
        if kinds == {INSERTED}:  # the common case, and the cheap one: new claims only
            follow_new_claims(claim_index=runtime.claim_index, session=session)
        else:  # a poll, deletes, or a reconnection: compare with the whole store
            catch_up(claim_index=runtime.claim_index, session=session)


async def _follow_other_writers(runtime: Runtime, changes: _ClaimChanges) -> None:
    """Bring the index in step with claims that other processes (servers, a CLI load) wrote.

    It looks when PostgreSQL announces a change and, in any case, every ``index_sync_seconds``;
    announcements that arrive while it works are handled together in the next round.
    """
    while True:
        kinds = await changes.next(timeout=runtime.settings.index_sync_seconds)
        if runtime.ready:
            try:
                await asyncio.to_thread(_catch_up, runtime, kinds)
            except Exception:  # a database hiccup must not end the loop; the next round retries
                log.exception("index catch-up failed")
        # A steady stream of writes elsewhere costs at most a few rounds a second.
        await asyncio.sleep(FOLLOW_MIN_GAP_SECONDS)


def create_app(settings: Settings | None = None, *, encoder: Encoder | None = None) -> FastAPI:
    """The app; the model and index load in the background after start (see ``/readyz``)."""
    runtime = Runtime(settings or get_settings(), encoder=encoder)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loader = threading.Thread(
            target=_start_quietly, args=(runtime,), name="crosscheck-start", daemon=True
        )
        loader.start()
        changes = _ClaimChanges(asyncio.get_running_loop())
        listener = runtime.claim_change_listener(changes.announce)
        if listener is not None:
            listener.start()
        saver = asyncio.create_task(_save_periodically(runtime))
        follower = asyncio.create_task(_follow_other_writers(runtime, changes))
        try:
            yield
        finally:
            saver.cancel()
            follower.cancel()
            if listener is not None:
                await asyncio.to_thread(listener.stop)
            await runtime.claim_feed.close()
            await asyncio.to_thread(loader.join)
            await asyncio.to_thread(runtime.close)

    app = FastAPI(
        title="crosscheck",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
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
    app.include_router(verify.router, dependencies=[READ_ACCESS])
    app.include_router(stance.router, dependencies=[READ_ACCESS])
    app.include_router(documents.router, dependencies=[METHOD_ACCESS])
    app.include_router(create_graphql_router(runtime.settings), include_in_schema=False)
    app.include_router(page.router)
    page.mount_page(app)
    document_page_limits(app, runtime.settings)
    return app


def _start_quietly(runtime: Runtime) -> None:
    # The failure is logged and reported by /readyz; the thread must not crash the server.
    with contextlib.suppress(Exception):
        runtime.start(graph=True)
