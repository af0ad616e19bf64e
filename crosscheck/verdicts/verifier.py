"""Verifying a statement against stored claims from other sources: the ``Verifier``."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.deadlines import check_deadline
from crosscheck.graph import service as graph_service
from crosscheck.indexing.service import ClaimIndex
from crosscheck.matching.posts import normalize_post
from crosscheck.matching.service import rank_claims
from crosscheck.sources import service as source_service
from crosscheck.stance.schemas import Stance, StanceJudge, StanceJudgement
from crosscheck.timelines.rules import known_by
from crosscheck.timelines.service import StatementHistory, Timeline, statement_timeline
from crosscheck.timings import timed
from crosscheck.verdicts.evidence import Evidence
from crosscheck.verdicts.notices import unread_evidence_notice, unsupported_claim_notice
from crosscheck.verdicts.positions import Position, SourcePosition, source_positions
from crosscheck.verdicts.schemas import (
    EvidenceRequest,
    Verdict,
    Verification,
    VerifyRequest,
    as_of_utc,
)
from crosscheck.verdicts.supersession import with_successors
from embeddings.encoders.base import Vectors


def overall_verdict(positions: Collection[SourcePosition]) -> Verdict:
    """Corroborated or contradicted when the sources that take a side all take one, contested
    when sources take both; a source counts once, by its current position."""
    stands = {position.position for position in positions}
    supported, opposed = Position.CORROBORATES in stands, Position.CONTRADICTS in stands
    if supported and opposed:
        return Verdict.CONTESTED
    if supported:
        return Verdict.CORROBORATED
    if opposed:
        return Verdict.CONTRADICTED
    return Verdict.UNVERIFIED


@dataclass(frozen=True)
class Eligibility:
    """Which stored claims may count as evidence: by source, by id, and known by ``as_of``."""

    only_sources: Collection[int] | None
    exclude_sources: Collection[int]
    exclude_claims: Collection[int]
    as_of: datetime | None

    def admits(self, claim: Claim) -> bool:
        return (
            claim.id not in self.exclude_claims
            and claim.source_id not in self.exclude_sources
            and (self.only_sources is None or claim.source_id in self.only_sources)
            and known_by(claim, self.as_of)
        )


def _depths(total: int, top_k: int, eligibility: Eligibility) -> Iterator[int]:
    """How deep to search, in turn, for ``top_k`` eligible claims: enough for them past the
    excluded ones, then four times deeper each time some fail the filters, up to every claim."""
    depth = min(total, top_k * 4 + len(eligibility.exclude_claims))
    while True:
        yield depth
        if depth >= total:
            return
        depth = min(total, depth * 4)


def _nearest_eligible(
    *,
    session: Session,
    claim_index: ClaimIndex,
    query: Vectors,
    top_k: int,
    eligibility: Eligibility,
    timings: dict[str, float],
) -> list[tuple[Claim, float]]:
    """The ``top_k`` nearest stored claims that pass the source and time filters, best first."""
    eligible: list[tuple[Claim, float]] = []
    for depth in _depths(claim_index.count(), top_k, eligibility):
        with timed(timings, "search"):
            hits = claim_index.search(query, depth)
        with timed(timings, "fetch"):
            claims = claim_service.get_many(
                session=session, claim_ids=[claim_id for claim_id, _ in hits]
            )
        eligible = [
            (claims[claim_id], score)
            for claim_id, score in hits
            if claim_id in claims and eligibility.admits(claims[claim_id])
        ]
        if len(eligible) >= top_k:
            break
    return eligible[:top_k]


def _matched_eligible(
    *,
    session: Session,
    claim_index: ClaimIndex,
    text: str,
    query: Vectors,
    top_k: int,
    eligibility: Eligibility,
    timings: dict[str, float],
) -> list[tuple[Claim, float]]:
    """The ``top_k`` best matches of ``text`` by words and meaning fused (as search ranks them)
    that pass the filters, best first, each with its cosine similarity to ``query``."""
    parts = [normalize_post(text) or text]
    chosen: list[Claim] = []
    vectors: dict[int, Vectors] = {}
    for depth in _depths(claim_index.count(), top_k, eligibility):
        ranked = rank_claims(
            session=session,
            claim_index=claim_index,
            parts=parts,
            depth=depth,
            vector=query,
            timings=timings,
        )
        with timed(timings, "fetch"):
            claims = claim_service.get_many(
                session=session, claim_ids=[r.claim_id for r in ranked.items]
            )
            eligible = [
                claims[r.claim_id]
                for r in ranked.items
                if r.claim_id in claims and eligibility.admits(claims[r.claim_id])
            ]
            # A claim stored but not yet indexed has no vector to weigh it by: it waits.
            vectors = claim_index.vectors([claim.id for claim in eligible[: top_k * 2]])
            chosen = [claim for claim in eligible if claim.id in vectors][:top_k]
        if len(chosen) >= top_k:
            break
    return [(claim, float(vectors[claim.id] @ query)) for claim in chosen]


@dataclass(frozen=True)
class Verifier:
    """The one way into verification: the claim index, the stance judge and the verification
    settings, bound once per process (the runtime builds it) and used by REST, GraphQL, the CLI
    and the ClaimReview export alike."""

    claim_index: ClaimIndex
    judge: StanceJudge
    default_top_k: int
    timeline_similarity: float

    def verify_text(self, *, session: Session, request: VerifyRequest) -> Verification:
        """Judge the nearest claims of the allowed sources against ``request.text``."""
        only = (
            set(
                source_service.resolve_names(
                    session=session, names=request.sources, field="sources"
                )
            )
            if request.sources is not None
            else None
        )
        excluded = set(
            source_service.resolve_names(
                session=session, names=request.exclude_sources or [], field="exclude_sources"
            )
        )
        # Stored claims worded as the text: their vector is the one encoding would give, and
        # the stance graph holds their judged neighbours. Only the same wording counts: a
        # paraphrase near in meaning may differ in the one number or negation that decides
        # its stance.
        duplicates = claim_service.ids_with_wording(session=session, text=request.text)
        return self._verify(
            session=session,
            text=request.text,
            graphed_as=duplicates,
            top_k=request.top_k or self.default_top_k,
            only_sources=only,
            exclude_sources=excluded,
            exclude_claims=(),
            as_of=request.as_of,
            matched=True,
        )

    def verify_stored_claim(
        self, *, session: Session, claim_id: int, request: EvidenceRequest | None = None
    ) -> Verification:
        """Evidence for a stored claim, from other sources unless asked otherwise."""
        request = request or EvidenceRequest()
        claim = claim_service.get(session=session, claim_id=claim_id)
        return self._verify(
            graphed_as=[claim.id],
            session=session,
            text=claim.text,
            top_k=request.top_k or self.default_top_k,
            only_sources=None,
            exclude_sources=set() if request.include_same_source else {claim.source_id},
            exclude_claims={claim.id},
            as_of=request.as_of,
        )

    def timeline(
        self, *, session: Session, claim_id: int, as_of: datetime | None = None
    ) -> Timeline:
        """What the claim's source said on the matter over time (see ``StatementHistory``)."""
        return statement_timeline(
            session=session,
            claim_index=self.claim_index,
            claim_id=claim_id,
            threshold=self.timeline_similarity,
            as_of=as_of_utc(as_of),
        )

    def _verify(
        self,
        *,
        session: Session,
        text: str,
        top_k: int,
        only_sources: Collection[int] | None,
        exclude_sources: Collection[int],
        exclude_claims: Collection[int],
        as_of: datetime | None,
        graphed_as: Sequence[int] = (),
        matched: bool = False,
    ) -> Verification:
        """``graphed_as``: stored claims worded as the text, whose vector and judged pairs the
        index and the stance graph may already hold. ``matched``: candidates by words and
        meaning fused (new text), else the nearest in meaning (a stored claim: the stance
        graph holds its judged neighbours)."""
        claim_index, judge = self.claim_index, self.judge
        timings: dict[str, float] = {}
        language = judge.languages.unsupported(text)
        if language is not None:
            return Verification(
                verdict=Verdict.UNVERIFIED,
                as_of=as_of,
                language=language.code,
                notices=[unsupported_claim_notice(language.code)],
                timings=timings,
            )
        with timed(timings, "encode"):
            # A stored claim's vector is in the index already: the encoder is spared.
            query = None
            if graphed_as:
                query = claim_index.vectors([graphed_as[0]]).get(graphed_as[0])
            if query is None:
                query = claim_index.encoder.encode([text])[0]
        eligibility = Eligibility(
            only_sources=only_sources,
            exclude_sources=exclude_sources,
            exclude_claims=exclude_claims,
            as_of=as_of,
        )
        candidates = partial(_matched_eligible, text=text) if matched else _nearest_eligible
        nearest = candidates(
            session=session,
            claim_index=claim_index,
            query=query,
            top_k=top_k,
            eligibility=eligibility,
            timings=timings,
        )
        unread = [claim for claim, _ in nearest if judge.languages.unsupported(claim.text)]
        nearest = [(claim, score) for claim, score in nearest if claim not in unread]
        check_deadline()  # before the graph is read or the judge asked
        with timed(timings, "judge"):
            judgements = _judgements(
                session=session,
                claim_index=claim_index,
                judge=judge,
                text=text,
                query=query,
                nearest=[claim for claim, _ in nearest],
                graphed_as=graphed_as,
            )
        evidence = [
            Evidence(claim=claim, similarity=score, judgement=judgements[claim.id])
            for claim, score in nearest
        ]
        relevant = [item for item in evidence if item.stance is not Stance.UNRELATED]
        check_deadline()
        with timed(timings, "timelines"):
            history = StatementHistory(
                session=session,
                claim_index=claim_index,
                threshold=self.timeline_similarity,
                as_of=as_of,
            )
            weighed = with_successors(
                relevant,
                history=history,
                judge=judge,
                text=text,
                query=query,
                exclude_claims=exclude_claims,
            )
        weighed.sort(
            key=lambda item: (not item.current, -item.judgement.confidence, -item.similarity)
        )
        positions = source_positions(weighed)
        return Verification(
            verdict=overall_verdict(positions.values()),
            evidence=weighed,
            as_of=as_of,
            positions=positions,
            notices=[unread_evidence_notice(unread)] if unread else [],
            timings=timings,
        )


def _judgements(
    *,
    session: Session,
    claim_index: ClaimIndex,
    judge: StanceJudge,
    text: str,
    query: Vectors,
    nearest: Sequence[Claim],
    graphed_as: Sequence[int],
) -> dict[int, StanceJudgement]:
    """Each nearby claim's judgement against ``text``, by claim id: from the stance graph
    where it holds the pair for a claim worded as ``text`` (judged by the same model), live
    for the rest, in one batch."""
    judged: dict[int, StanceJudgement] = {}
    for claim_id in graphed_as:
        unread = [claim.id for claim in nearest if claim.id not in judged]
        judged.update(
            graph_service.stored_judgements(
                session=session,
                claim_id=claim_id,
                evidence_ids=unread,
                model_version=judge.version,
            )
        )
    missing = [claim for claim in nearest if claim.id not in judged]
    if missing:
        stored = claim_index.vectors([claim.id for claim in missing])
        known = {claim.text: stored[claim.id] for claim in missing if claim.id in stored}
        known[text] = query
        fresh = judge.judge_many(
            text, [claim.text for claim in missing], statements=True, known_vectors=known
        )
        judged.update(zip([claim.id for claim in missing], fresh, strict=True))
    return judged
