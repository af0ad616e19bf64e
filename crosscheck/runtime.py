"""The long-lived parts of one process: database engine, encoder, claim index, stance judge."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.errors import NotReadyError
from crosscheck.feeds.service import ClaimFeed
from crosscheck.indexing.service import ClaimIndex, open_claim_index
from crosscheck.metrics import TimedEncoder
from crosscheck.settings import Settings
from crosscheck.stance.engine import StanceEngine
from embeddings.encoder import Encoder, SentenceTransformerEncoder

log = logging.getLogger(__name__)


class Runtime:
    """Built once per process; ``start`` loads the model and index (slow), then ``ready`` is set."""

    def __init__(self, settings: Settings, *, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.engine = create_db_engine(settings.database_url)
        self.session_factory: sessionmaker[Session] = create_session_factory(self.engine)
        self._judge: StanceEngine | None = None
        self._encoder: Encoder | None = TimedEncoder(encoder) if encoder is not None else None
        self._claim_index: ClaimIndex | None = None
        self._ready = threading.Event()
        self.startup_error: str | None = None
        self.claim_feed = ClaimFeed(
            session_factory=self.session_factory, queue_size=settings.subscription_queue_size
        )

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

    def start(self, *, rebuild_index: bool = False, load_judge: bool = True) -> None:
        """Load the encoder (and the stance judge), and bring the index in step with the store."""
        started = time.perf_counter()
        try:
            if self._encoder is None:
                self._encoder = TimedEncoder(
                    SentenceTransformerEncoder(
                        self.settings.model, batch_size=self.settings.encode_batch_size
                    )
                )
            if load_judge:
                self._judge = StanceEngine.from_directory(
                    self._encoder,
                    self.settings.stance_model_dir,
                    related_threshold=self.settings.related_threshold,
                    nli_model=self.settings.nli_model,
                )
            with self.session_factory() as session:
                self._claim_index, report = open_claim_index(
                    directory=self.settings.index_dir,
                    encoder=self._encoder,
                    session=session,
                    batch_size=self.settings.encode_batch_size,
                    rebuild=rebuild_index,
                )
            self._claim_index.on_added(self.claim_feed.claims_indexed)
        except Exception as exc:
            self.startup_error = f"{type(exc).__name__}: {exc}"
            log.exception("start-up failed")
            raise
        self._ready.set()
        log.info("ready in %.2fs: %d claims indexed", time.perf_counter() - started, report.total)

    def close(self) -> None:
        """Save the index if it changed, and release database connections."""
        if self._claim_index is not None:
            self._claim_index.save_if_dirty()
        self.engine.dispose()
