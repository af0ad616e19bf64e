"""The long-lived parts of one process: database engine, encoder, claim index, stance judge."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator

from sqlalchemy.orm import Session, sessionmaker

from crosscheck.attribution.parser import DEFAULT_INTERPRETER, DependencyParser, default_parser
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.errors import NotReadyError
from crosscheck.feeds.service import ClaimFeed
from crosscheck.graph.builder import GraphBuilder
from crosscheck.indexing.backends import index_backend
from crosscheck.indexing.notifications import (
    ChangeCallback,
    ClaimChangeListener,
    track_backend_pids,
)
from crosscheck.indexing.service import ClaimIndex, open_claim_index
from crosscheck.indexing.upkeep import ClaimChanges, follow_other_writers, save_periodically
from crosscheck.metrics import TimedEncoder
from crosscheck.settings import Settings
from crosscheck.stance.classifier import BatchingPairClassifier
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.factory import build_stance_engine
from crosscheck.verdicts.verifier import Verifier
from crosscheck.verdicts.watch import SharedArrivals
from embeddings.ann.base import VectorIndex
from embeddings.encoders.base import Encoder
from embeddings.encoders.batching import BatchingEncoder
from embeddings.encoders.factory import load_encoder

log = logging.getLogger(__name__)


def attribution_parser(settings: Settings) -> DependencyParser | None:
    """The dependency parser settings ask for, or None (off, or not installed: logged)."""
    if not settings.attribution_parser:
        return None
    parser = default_parser(settings.parser_python)
    if parser is None:
        log.info(
            "no dependency parser at %s (make install builds it): statements are attributed "
            "by the rules alone",
            settings.parser_python or DEFAULT_INTERPRETER,
        )
    return parser


class Runtime:
    """Built once per process; ``start`` loads the model and index (slow), then ``ready`` is set."""

    def __init__(self, settings: Settings, *, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.engine = create_db_engine(
            settings.database_url,
            sqlite_busy_timeout_ms=round(settings.sqlite_busy_timeout_seconds * 1000),
        )
        self.session_factory: sessionmaker[Session] = create_session_factory(self.engine)
        self.index_backend: VectorIndex = index_backend(settings)
        # Which PostgreSQL backends are ours, so that notices of our own writes are ignored.
        self._backend_pids = (
            track_backend_pids(self.engine) if self.engine.dialect.name == "postgresql" else set()
        )
        self._judge: StanceEngine | None = None
        self._encoder: Encoder | None = TimedEncoder(encoder) if encoder is not None else None
        self._claim_index: ClaimIndex | None = None
        self._verifier: Verifier | None = None
        self._batching: BatchingEncoder | None = None
        self._pair_batching: BatchingPairClassifier | None = None
        self._ready = threading.Event()
        # Keeps the stance graph up with the claims table, once started (settings.stance_graph).
        self.graph_builder: GraphBuilder | None = None
        self.startup_error: str | None = None
        self.claim_feed = ClaimFeed(
            session_factory=self.session_factory, queue_size=settings.subscription_queue_size
        )
        # New evidence for a watched claim, weighed once for all its subscribers.
        self.shared_arrivals = SharedArrivals()
        # Attribution's second reading, shared by the process; its worker starts on first use.
        self.parser: DependencyParser | None = attribution_parser(settings)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            raise NotReadyError("the model is still loading; retry shortly")
        return self._encoder

    @property
    def judge(self) -> StanceEngine:
        if self._judge is None:
            raise NotReadyError("the stance engine is still loading; retry shortly")
        return self._judge

    @property
    def claim_index(self) -> ClaimIndex:
        if self._claim_index is None or not self.ready:
            raise NotReadyError("the claim index is still loading; retry shortly")
        return self._claim_index

    @property
    def verifier(self) -> Verifier:
        """The one way into verification (REST, GraphQL, CLI, ClaimReview export)."""
        if self._verifier is None or not self.ready:
            raise NotReadyError("the model and index are still loading; retry shortly")
        return self._verifier

    def start(
        self, *, rebuild_index: bool = False, load_judge: bool = True, graph: bool = False
    ) -> None:
        """Load the encoder (and the stance judge), and bring the index in step with the store.

        ``graph``: also keep the stance graph (a server does, if settings.stance_graph says so;
        one-off commands do not).
        """
        started = time.perf_counter()
        try:
            settings = self.settings
            if self._encoder is None:
                self._encoder = TimedEncoder(
                    load_encoder(
                        backend=settings.encoder_backend,
                        model=settings.model,
                        onnx_dir=settings.onnx_cache_dir / "encoder",
                        batch_size=settings.encode_batch_size,
                        onnx_max_batch=settings.onnx_max_batch,
                    )
                )
            # Queries from concurrent requests reach the model together (bulk calls bypass it).
            self._batching = BatchingEncoder(
                self._encoder,
                window=settings.query_batch_window_ms / 1000,
                max_items=settings.query_batch_max,
            )
            self._encoder = self._batching
            if load_judge:
                self._judge = build_stance_engine(settings, self._encoder)
                if self._judge.classifier is not None:
                    self._pair_batching = BatchingPairClassifier(
                        self._judge.classifier,
                        window=settings.query_batch_window_ms / 1000,
                        max_items=settings.query_batch_max,
                    )
                    self._judge.classifier = self._pair_batching
            with self.session_factory() as session:
                self._claim_index, report = open_claim_index(
                    backend=self.index_backend,
                    encoder=self._encoder,
                    session=session,
                    batch_size=settings.encode_batch_size,
                    rebuild=rebuild_index,
                )
            self._claim_index.on_added(self.claim_feed.claims_indexed)
            if self._judge is not None:
                self._verifier = Verifier(
                    claim_index=self._claim_index,
                    judge=self._judge,
                    default_top_k=settings.default_top_k,
                    timeline_similarity=settings.timeline_similarity,
                )
            if graph and self._judge is not None and settings.stance_graph:
                self.graph_builder = GraphBuilder(
                    session_factory=self.session_factory,
                    claim_index=self._claim_index,
                    judge=self._judge,
                    neighbours=settings.default_top_k,
                )
                self._claim_index.on_added(self.graph_builder.claims_indexed)
                self.graph_builder.start()
        except Exception as exc:
            self.startup_error = f"{type(exc).__name__}: {exc}"
            log.exception("start-up failed")
            raise
        self._ready.set()
        log.info("ready in %.2fs: %d claims indexed", time.perf_counter() - started, report.total)

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """Run as a server does: load in the background (``ready`` tells when), keep the index
        saved and in step with other writers meanwhile, and close everything on the way out."""
        loader = threading.Thread(target=self._start_quietly, name="crosscheck-start", daemon=True)
        loader.start()
        changes = ClaimChanges(asyncio.get_running_loop())
        listener = self.claim_change_listener(changes.announce)
        if listener is not None:
            listener.start()
        upkeep = [
            asyncio.create_task(
                save_periodically(self._ready_index, every_seconds=self.settings.index_save_seconds)
            ),
            asyncio.create_task(
                follow_other_writers(
                    self._ready_index,
                    changes,
                    session_factory=self.session_factory,
                    poll_seconds=self.settings.index_sync_seconds,
                )
            ),
        ]
        try:
            yield
        finally:
            for task in upkeep:
                task.cancel()
            if listener is not None:
                await asyncio.to_thread(listener.stop)
            await self.claim_feed.close()
            await asyncio.to_thread(loader.join)
            await asyncio.to_thread(self.close)

    def _ready_index(self) -> ClaimIndex | None:
        return self._claim_index if self.ready else None

    def _start_quietly(self) -> None:
        # The failure is logged and reported by /readyz; the thread must not crash the server.
        with contextlib.suppress(Exception):
            self.start(graph=True)

    def claim_change_listener(self, on_change: ChangeCallback) -> ClaimChangeListener | None:
        """A listener for claims other processes write, where one is possible and needed.

        Only PostgreSQL announces changes. A shared backend (pgvector) needs none: every
        process already searches the vectors the others stored.
        """
        if self.engine.dialect.name != "postgresql" or self.index_backend.shared:
            return None
        return ClaimChangeListener(
            self.settings.database_url, on_change, own_pids=self._backend_pids
        )

    def close(self) -> None:
        """Stop the graph, save the index if it changed, stop the batchers, release database
        connections."""
        if self.graph_builder is not None:
            self.graph_builder.stop()
        if self._claim_index is not None:
            try:
                self._claim_index.save_if_dirty()
            except OSError as exc:  # a full or failing disk must not stop the shutdown
                log.error(
                    "index save on close failed (%s): the next start brings it up to date from "
                    "the database",
                    exc,
                )
        for batcher in (self._batching, self._pair_batching):
            if batcher is not None:
                batcher.close()
        self.index_backend.close()
        self.engine.dispose()
