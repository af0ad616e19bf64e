"""Statements by one source that are near each other in meaning, in the order they were made.

Two statements of one source are one timeline when they are at least ``threshold`` similar; within
it, the rules in ``rules.py`` say which supersedes which, and what was known at ``as_of``. The
stance graph links each statement to its source's near ones as it is stored: a source whose
statements are all graphed is read from those links, without searching the index again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.graph import service as graph_service
from crosscheck.indexing.service import ClaimIndex
from crosscheck.timelines.exceptions import NotYetStatedError
from crosscheck.timelines.rules import chronological_key, known_by, supersedes
from embeddings.encoders.base import Vectors

# A timeline holds at most this many of the source's nearest statements.
MAX_STATEMENTS = 50


def vectors_of(claim_index: ClaimIndex, claims: Sequence[Claim]) -> Vectors:
    """The claims' vectors from the index, encoded afresh if one is not indexed yet."""
    held = claim_index.vectors([claim.id for claim in claims])
    if len(held) == len({claim.id for claim in claims}):
        return np.asarray([held[claim.id] for claim in claims], dtype=np.float32).reshape(
            len(claims), -1
        )
    # written by another process moments ago: the index catches up later
    return claim_index.encoder.encode([claim.text for claim in claims])


@dataclass(frozen=True)
class TimelineEntry:
    claim: Claim
    similarity: float
    superseded_by: Claim | None

    @property
    def current(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class Timeline:
    """The statements of ``claim``'s source near it, oldest first, ``claim`` among them."""

    claim: Claim
    entries: list[TimelineEntry]


class StatementHistory:
    """Finds a source's statements near a claim, as known at ``as_of``; one per request."""

    def __init__(
        self,
        *,
        session: Session,
        claim_index: ClaimIndex,
        threshold: float,
        as_of: datetime | None = None,
    ) -> None:
        self._session = session
        self._index = claim_index
        self._threshold = threshold
        self._as_of = as_of
        self._source_ids: dict[int, list[int]] = {}

    @property
    def claim_index(self) -> ClaimIndex:
        return self._index

    def _claim_ids_of(self, source_id: int) -> list[int]:
        if source_id not in self._source_ids:
            statement = select(Claim.id).where(Claim.source_id == source_id)
            if self._as_of is not None:
                statement = statement.where(
                    func.coalesce(Claim.stated_at, Claim.created_at) <= self._as_of
                )
            self._source_ids[source_id] = list(self._session.scalars(statement))
        return self._source_ids[source_id]

    def near(self, claim: Claim) -> list[tuple[Claim, float]]:
        """The source's statements at least ``threshold`` similar to ``claim``, best first."""
        return self.near_many([claim])[claim.id]

    def near_many(self, claims: Sequence[Claim]) -> dict[int, list[tuple[Claim, float]]]:
        """``near`` for each claim: read from the stance graph's links where its source is fully
        linked, searched in the index otherwise."""
        linked = self._linked_sources({claim.source_id for claim in claims})
        from_links = [claim for claim in claims if claim.source_id in linked]
        near = self._near_by_links(from_links)
        for claim in claims:
            if claim.id not in near:
                near[claim.id] = self._near_by_search(claim)
        return near

    def _linked_sources(self, source_ids: set[int]) -> set[int]:
        if self._threshold < graph_service.LINK_SIMILARITY or not source_ids:
            return set()
        return graph_service.fully_linked_sources(session=self._session, source_ids=source_ids)

    def _near_by_links(self, claims: Sequence[Claim]) -> dict[int, list[tuple[Claim, float]]]:
        links = graph_service.linked_statements(
            session=self._session,
            claim_ids=[claim.id for claim in claims],
            min_similarity=self._threshold,
        )
        others = claim_service.get_many(
            session=self._session,
            claim_ids=sorted({other for found in links.values() for other, _ in found}),
        )
        near: dict[int, list[tuple[Claim, float]]] = {}
        for claim in claims:
            found = [
                (others[other], similarity)
                for other, similarity in links[claim.id][:MAX_STATEMENTS]
                if other in others and known_by(others[other], self._as_of)
            ]
            near[claim.id] = [(claim, 1.0), *found] if known_by(claim, self._as_of) else found
        return near

    def _near_by_search(self, claim: Claim) -> list[tuple[Claim, float]]:
        among = self._claim_ids_of(claim.source_id)
        vector = vectors_of(self._index, [claim])[0]
        hits = [
            (claim_id, score)
            for claim_id, score in self._index.search(vector, MAX_STATEMENTS, among=among)
            if score >= self._threshold or claim_id == claim.id
        ]
        claims = claim_service.get_many(session=self._session, claim_ids=[i for i, _ in hits])
        return [(claims[i], score) for i, score in hits if i in claims]

    def newer_statement(self, claim: Claim, *, exclude: Collection[int] = ()) -> Claim | None:
        """The latest statement that supersedes ``claim``, if its source made one."""
        return self.newer_statements([claim], exclude=exclude)[claim.id]

    def newer_statements(
        self, claims: Sequence[Claim], *, exclude: Collection[int] = ()
    ) -> dict[int, Claim | None]:
        """``newer_statement`` of each claim, by id."""
        near = self.near_many(claims)
        return {
            claim.id: max(
                (
                    other
                    for other, _ in near[claim.id]
                    if other.id not in exclude and supersedes(other, claim)
                ),
                key=chronological_key,
                default=None,
            )
            for claim in claims
        }

    def timeline(self, claim: Claim) -> Timeline:
        """``claim`` and its source's statements near it, oldest first, each marked current or
        superseded (by the latest later statement near it in meaning)."""
        if not known_by(claim, self._as_of):
            raise NotYetStatedError(
                f"claim {claim.id} was not yet stated at {self._as_of}", field="as_of"
            )
        near = self.near(claim)
        if all(other.id != claim.id for other, _ in near):
            near.append((claim, 1.0))
        near.sort(key=lambda pair: chronological_key(pair[0]))
        statements = [other for other, _ in near]
        vectors = vectors_of(self._index, statements)
        similar = (vectors @ vectors.T) >= self._threshold
        np.fill_diagonal(similar, True)
        entries = []
        for position, (older, similarity) in enumerate(near):
            later = [
                newer
                for index, newer in enumerate(statements)
                if similar[position, index] and supersedes(newer, older)
            ]
            entries.append(
                TimelineEntry(
                    claim=older,
                    similarity=1.0 if older.id == claim.id else similarity,
                    superseded_by=max(later, key=chronological_key, default=None),
                )
            )
        return Timeline(claim=claim, entries=entries)


def statement_timeline(
    *,
    session: Session,
    claim_index: ClaimIndex,
    claim_id: int,
    threshold: float,
    as_of: datetime | None = None,
) -> Timeline:
    """The timeline of a stored claim (see ``StatementHistory.timeline``)."""
    claim = claim_service.get(session=session, claim_id=claim_id)
    history = StatementHistory(
        session=session, claim_index=claim_index, threshold=threshold, as_of=as_of
    )
    return history.timeline(claim)
