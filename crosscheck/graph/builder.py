"""The background judge: graphs each stored claim against its nearest claims from other sources,
and links it to its own source's statements near it.

It follows the claims table as the index does: whatever is stored and not yet graphed by the
current model is found again after a restart or a kill, edges and the claim's mark commit in
one transaction, and pairs already judged by the model are never judged again.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.graph import service as graph_service
from crosscheck.graph.service import JudgedEdge
from crosscheck.indexing.service import ClaimIndex
from crosscheck.metrics import GRAPH_LAG_CLAIMS, GRAPH_LAG_SECONDS
from crosscheck.stance.engine import StanceEngine
from embeddings.encoders.base import Vectors

log = logging.getLogger(__name__)

# How often the lag is counted while the graph catches up.
LAG_COUNT_SECONDS = 5.0
# How many nearest claims each graphed claim's search returns (its judged neighbours and its
# source's linked statements come from it).
LINK_SEARCH = 50


@dataclass(frozen=True)
class Nearby:
    other_sources: list[tuple[Claim, float]]
    links: list[graph_service.Link]


@dataclass(frozen=True)
class GraphStep:
    graphed: int
    judged: int
    seconds: float


class GraphBuilder:
    """Judges the nearest ``neighbours`` claims of other sources for each claim, both ways."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        claim_index: ClaimIndex,
        judge: StanceEngine,
        neighbours: int,
        batch_size: int = 16,
        poll_seconds: float = 2.0,
        quiet_seconds: float = 1.0,
    ) -> None:
        self._sessions = session_factory
        self._index = claim_index
        self._judge = judge
        self._neighbours = neighbours
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        # Writes come first: the graph judges once claims have stopped arriving for this long,
        # so a bulk load keeps the CPU and the graph catches up behind it.
        self._quiet_seconds = quiet_seconds
        self._last_write = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # The lag as last counted (counting scans the claims table: not on every probe).
        self._lag = graph_service.GraphLag(pending=0, oldest_seconds=0.0)
        self._lag_counted = 0.0

    @property
    def model_version(self) -> str:
        return self._judge.version

    def claims_indexed(self, claim_ids: Sequence[int]) -> None:
        """Told by the index when claims become searchable: look for work once writes pause."""
        self._last_write = time.monotonic()
        # Until the next count, the new claims are pending on top of the last count.
        self._lag = dataclasses.replace(self._lag, pending=self._lag.pending + len(claim_ids))
        self._wake.set()

    def _wait_for_quiet(self) -> None:
        while not self._stop.is_set():
            remaining = self._last_write + self._quiet_seconds - time.monotonic()
            if remaining <= 0:
                return
            self._stop.wait(remaining)

    def step(self) -> GraphStep:
        """Graph one batch of pending claims; nothing pending is a step of zero."""
        started = time.perf_counter()
        version = self.model_version
        with self._sessions() as session:
            pending = graph_service.pending_claim_ids(
                session=session, model_version=version, limit=self._batch_size
            )
            claims = claim_service.get_many(session=session, claim_ids=pending)
            # A claim is graphed once the index holds it (so its neighbours can find it too).
            vectors = self._index.vectors([i for i in pending if i in claims])
            ready = [claims[i] for i in pending if i in vectors]
            near = {claim.id: self._near(session, claim, vectors[claim.id]) for claim in ready}
            edges = self._judged_edges(session, ready, near, version)
            try:
                graph_service.store(
                    session=session,
                    edges=edges,
                    graphed=[claim.id for claim in ready],
                    model_version=version,
                    links=[link for claim in ready for link in near[claim.id].links],
                )
                session.commit()
            except IntegrityError:
                # A claim of the batch was deleted meanwhile: the next step judges it again
                # without it.
                session.rollback()
                log.info("stance graph: a claim went away while judged; retrying the batch")
                return GraphStep(graphed=0, judged=0, seconds=time.perf_counter() - started)
        return GraphStep(
            graphed=len(ready), judged=len(edges), seconds=time.perf_counter() - started
        )

    def _judged_edges(
        self,
        session: Session,
        claims: Sequence[Claim],
        near: Mapping[int, Nearby],
        version: str,
    ) -> list[JudgedEdge]:
        wanted: dict[tuple[int, int], float] = {}
        for claim in claims:
            for other, similarity in near[claim.id].other_sources:
                wanted.setdefault((claim.id, other.id), similarity)
                wanted.setdefault((other.id, claim.id), similarity)
        done = graph_service.judged_pairs(session=session, pairs=wanted, model_version=version)
        todo = [pair for pair in wanted if pair not in done]
        if not todo:
            return []
        involved = sorted({claim_id for pair in todo for claim_id in pair})
        texts = claim_service.get_many(session=session, claim_ids=involved)
        stored = self._index.vectors(list(texts))
        known = {texts[i].text: vector for i, vector in stored.items()}
        judgements = self._judge.judge_pairs(
            [(texts[claim_id].text, texts[evidence_id].text) for claim_id, evidence_id in todo],
            statements=True,
            known_vectors=known,
        )
        return [
            JudgedEdge(
                claim_id=claim_id,
                evidence_id=evidence_id,
                similarity=wanted[(claim_id, evidence_id)],
                judgement=judgement,
            )
            for (claim_id, evidence_id), judgement in zip(todo, judgements, strict=True)
        ]

    def _near(self, session: Session, claim: Claim, vector: Vectors) -> Nearby:
        """The nearest claims of other sources (to judge), and the source's own statements
        near the claim (to link), from one search."""
        hits = self._index.search(vector, max(self._neighbours * 4 + 1, LINK_SEARCH))
        found = claim_service.get_many(session=session, claim_ids=[i for i, _ in hits])
        others = [
            (found[i], score)
            for i, score in hits
            if i in found and i != claim.id and found[i].source_id != claim.source_id
        ]
        links = [
            graph_service.Link(claim_id=claim.id, other_id=i, similarity=score)
            for i, score in hits
            if i in found
            and i != claim.id
            and found[i].source_id == claim.source_id
            and score >= graph_service.LINK_SIMILARITY
        ]
        return Nearby(other_sources=others[: self._neighbours], links=links)

    def catch_up(self) -> int:
        """Graph every pending claim; how many were graphed."""
        total = 0
        while not self._stop.is_set():
            self._wait_for_quiet()
            step = self.step()
            if not step.graphed:
                break
            total += step.graphed
            if time.monotonic() - self._lag_counted >= LAG_COUNT_SECONDS:
                self.report_lag()
        self.report_lag()
        return total

    @property
    def lag(self) -> graph_service.GraphLag:
        """The lag as last counted (at start, every few seconds while catching up, after each
        catch-up), plus the claims indexed since."""
        return self._lag

    def report_lag(self) -> graph_service.GraphLag:
        """Count the lag now, and publish it (``lag`` and the metrics)."""
        with self._sessions() as session:
            lag = graph_service.lag(session=session, model_version=self.model_version)
        self._lag, self._lag_counted = lag, time.monotonic()
        GRAPH_LAG_CLAIMS.set(lag.pending)
        GRAPH_LAG_SECONDS.set(lag.oldest_seconds)
        return lag

    def start(self) -> None:
        self.report_lag()
        self._thread = threading.Thread(target=self._run, name="stance-graph", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                graphed = self.catch_up()
                if graphed:
                    log.info("stance graph: %d claims graphed", graphed)
            except Exception:  # the graph lags; it must never take the server down
                log.exception("stance graph step failed; retrying")
            self._wake.wait(self._poll_seconds)
            self._wake.clear()
