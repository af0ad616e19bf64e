"""Storing, finding, listing and deleting claims."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crosscheck.claims.exceptions import ClaimNotFoundError, ExternalIdTakenError
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate, ClaimFilter
from crosscheck.pagination import PageRequest, ResultPage, paginate
from crosscheck.sources import service as source_service
from crosscheck.textnorm import contains_pattern, content_hash


@dataclass(frozen=True)
class StoredClaim:
    """A claim after ``create``: ``created`` is false when an identical one already existed."""

    claim: Claim
    created: bool


def _existing(
    *, session: Session, source_id: int, digest: str, external_id: str | None
) -> Claim | None:
    same_text = session.scalar(
        select(Claim).where(Claim.source_id == source_id, Claim.content_hash == digest)
    )
    if same_text is not None or external_id is None:
        return same_text
    same_external = session.scalar(
        select(Claim).where(Claim.source_id == source_id, Claim.external_id == external_id)
    )
    if same_external is not None:
        raise ExternalIdTakenError(
            f"external_id {external_id!r} already names claim {same_external.id} of this source",
            field="external_id",
        )
    return None


def create(
    *,
    session: Session,
    claim_in: ClaimCreate,
    polarity: str = "asserts",
    document_id: int | None = None,
) -> StoredClaim:
    """Store a claim once per source and wording; asking again returns the stored one."""
    if claim_in.source_id is not None:
        source = source_service.get(session=session, source_id=claim_in.source_id)
    else:
        assert claim_in.source is not None  # guaranteed by ClaimCreate's validator
        source = source_service.get_or_create(session=session, name=claim_in.source)
    digest = content_hash(claim_in.text)
    existing = _existing(
        session=session, source_id=source.id, digest=digest, external_id=claim_in.external_id
    )
    if existing is not None:
        return StoredClaim(claim=existing, created=False)
    claim = Claim(
        text=claim_in.text,
        content_hash=digest,
        source=source,
        stated_at=claim_in.stated_at,
        url=str(claim_in.url) if claim_in.url else None,
        title=claim_in.title,
        external_id=claim_in.external_id,
        polarity=polarity,
        document_id=document_id,
    )
    try:
        with session.begin_nested():
            session.add(claim)
    except IntegrityError:
        # Another writer stored the same claim between our check and insert.
        raced = _existing(session=session, source_id=source.id, digest=digest, external_id=None)
        if raced is None:
            raise
        return StoredClaim(claim=raced, created=False)
    return StoredClaim(claim=claim, created=True)


def get(*, session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise ClaimNotFoundError(f"no claim with id {claim_id}", field="id")
    return claim


def ids_with_wording(*, session: Session, text: str, limit: int = 8) -> list[int]:
    """Stored claims worded as ``text`` (case and spacing aside), oldest first, at most
    ``limit``."""
    return list(
        session.scalars(
            select(Claim.id)
            .where(Claim.content_hash == content_hash(text))
            .order_by(Claim.id)
            .limit(limit)
        )
    )


def get_many(*, session: Session, claim_ids: Sequence[int]) -> dict[int, Claim]:
    """Claims by id in one query; unknown ids are simply absent."""
    if not claim_ids:
        return {}
    return {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(set(claim_ids))))}


def filter_source_ids(*, session: Session, claim_filter: ClaimFilter) -> set[int] | None:
    """The ids of the sources ``claim_filter`` names (``None``: any source); unknown names fail."""
    if claim_filter.sources is None and claim_filter.source_ids is None:
        return None
    source_ids = set(claim_filter.source_ids or [])
    source_ids.update(
        source_service.resolve_names(
            session=session, names=claim_filter.sources or [], field="sources"
        )
    )
    return source_ids


def filter_conditions(*, session: Session, claim_filter: ClaimFilter) -> list[ColumnElement[bool]]:
    """The SQL conditions a claim meets to pass ``claim_filter``; unknown source names fail."""
    filters: list[ColumnElement[bool]] = []
    source_ids = filter_source_ids(session=session, claim_filter=claim_filter)
    if source_ids is not None:
        filters.append(Claim.source_id.in_(source_ids))
    if claim_filter.q:
        filters.append(Claim.text.ilike(contains_pattern(claim_filter.q), escape="\\"))
    if claim_filter.stated_from is not None:
        filters.append(Claim.stated_at >= claim_filter.stated_from)
    if claim_filter.stated_to is not None:
        filters.append(Claim.stated_at <= claim_filter.stated_to)
    return filters


def list_page(
    *, session: Session, page: PageRequest, claim_filter: ClaimFilter
) -> ResultPage[Claim]:
    """Claims in id order that pass ``claim_filter``; unknown source names are an error."""
    return paginate(
        session=session,
        model=Claim,
        id_column=Claim.id,
        filters=filter_conditions(session=session, claim_filter=claim_filter),
        page=page,
    )


def delete(*, session: Session, claim_id: int) -> Claim:
    """Remove a claim from the store; the caller removes it from the index after commit."""
    claim = get(session=session, claim_id=claim_id)
    session.delete(claim)
    session.flush()
    return claim


def iter_texts(
    *, session: Session, claim_ids: Sequence[int] | None = None, chunk: int = 1000
) -> Iterator[tuple[int, str]]:
    """(id, text) of the given claims, or of all claims, in id order, streamed in chunks."""
    statement = select(Claim.id, Claim.text).order_by(Claim.id)
    if claim_ids is not None:
        ids = sorted(set(claim_ids))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            for row in session.execute(statement.where(Claim.id.in_(part))):
                yield row.id, row.text
        return
    for row in session.execute(statement.execution_options(yield_per=chunk)):
        yield row.id, row.text


@dataclass(frozen=True)
class IdWatermark:
    """A cheap summary of a set of claim ids: equal watermarks almost surely mean equal sets."""

    count: int
    highest: int | None
    total: int


def watermark(*, session: Session) -> IdWatermark:
    """Count, highest id and sum of ids of the stored claims, in one query.

    The sum catches what count and highest id miss: one claim deleted while another, with a
    lower id from a transaction that committed late, arrives.
    """
    count, highest, total = session.execute(
        select(func.count(Claim.id), func.max(Claim.id), func.sum(Claim.id))
    ).one()
    return IdWatermark(
        count=int(count),
        highest=int(highest) if highest is not None else None,
        total=int(total or 0),
    )


def iter_texts_after(*, session: Session, after_id: int) -> Iterator[tuple[int, str]]:
    """(id, text) of the claims with an id above ``after_id``, in id order."""
    statement = select(Claim.id, Claim.text).where(Claim.id > after_id).order_by(Claim.id)
    for row in session.execute(statement):
        yield row.id, row.text


def existing_ids(*, session: Session, claim_ids: Sequence[int], chunk: int = 10_000) -> set[int]:
    """Those of ``claim_ids`` that are stored now."""
    ids = sorted(set(claim_ids))
    found: set[int] = set()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found.update(session.scalars(select(Claim.id).where(Claim.id.in_(part))))
    return found


def all_ids(*, session: Session) -> list[int]:
    """Every stored claim id, ascending."""
    return list(session.scalars(select(Claim.id).order_by(Claim.id)))


def counts_by_source(*, session: Session, source_ids: Sequence[int]) -> dict[int, int]:
    """How many claims each source has asserted, in one grouped query."""
    rows = session.execute(
        select(Claim.source_id, func.count())
        .where(Claim.source_id.in_(set(source_ids)))
        .group_by(Claim.source_id)
    )
    return {source_id: count for source_id, count in rows}
