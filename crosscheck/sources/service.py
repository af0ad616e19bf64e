"""Creating, finding and listing sources; names and aliases resolve to exactly one source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crosscheck.pagination import PageRequest, ResultPage, paginate
from crosscheck.sources.exceptions import SourceNameTakenError, SourceNotFoundError
from crosscheck.sources.models import Source, SourceAlias, SourceKind
from crosscheck.sources.schemas import MAX_SOURCE_NAME_CHARS, SourceCreate
from crosscheck.textnorm import clean_text, contains_pattern, name_key


def find_by_name(*, session: Session, name: str) -> Source | None:
    """The source called ``name`` or known by it as an alias, ignoring case and spacing."""
    key = name_key(name)
    source = session.scalar(select(Source).where(Source.name_key == key))
    if source is not None:
        return source
    return session.scalar(
        select(Source)
        .join(SourceAlias, SourceAlias.source_id == Source.id)
        .where(SourceAlias.alias_key == key)
    )


def _ensure_names_free(*, session: Session, names: Iterable[str]) -> None:
    for name in names:
        owner = find_by_name(session=session, name=name)
        if owner is not None:
            raise SourceNameTakenError(
                f"{name!r} already names source {owner.id} ({owner.name})", field="name"
            )


def create(*, session: Session, source_in: SourceCreate) -> Source:
    """Store a new source; its name and aliases must not name any other source."""
    aliases = [a for a in source_in.aliases if name_key(a) != name_key(source_in.name)]
    _ensure_names_free(session=session, names=[source_in.name, *aliases])
    source = Source(
        name=source_in.name,
        name_key=name_key(source_in.name),
        kind=source_in.kind,
        country=source_in.country or None,
        aliases=[SourceAlias(alias=a, alias_key=name_key(a)) for a in aliases],
    )
    session.add(source)
    session.flush()
    return source


def get_or_create(*, session: Session, name: str, kind: SourceKind = SourceKind.OTHER) -> Source:
    """The source known by ``name``, created (of ``kind``) when none is."""
    existing = find_by_name(session=session, name=name)
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            return create(session=session, source_in=SourceCreate(name=clean_text(name), kind=kind))
    except (IntegrityError, SourceNameTakenError):
        # Another writer created it between our lookup and insert (seen by the check or the
        # unique index, depending on who got the write lock first).
        raced = find_by_name(session=session, name=name)
        if raced is None:
            raise
        return raced


def add_aliases(*, session: Session, source: Source, aliases: Iterable[str]) -> None:
    """Give ``source`` the aliases no source is known by yet (others are left to their owner)."""
    for alias in aliases:
        key = name_key(alias)
        if not alias or len(alias) > MAX_SOURCE_NAME_CHARS or key == source.name_key:
            continue
        if find_by_name(session=session, name=alias) is not None:
            continue
        try:
            with session.begin_nested():
                session.add(
                    SourceAlias(source_id=source.id, alias=clean_text(alias), alias_key=key)
                )
        except IntegrityError:
            continue  # another writer took the alias first


def get(*, session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise SourceNotFoundError(f"no source with id {source_id}", field="source_id")
    return source


def get_many(*, session: Session, source_ids: Sequence[int]) -> dict[int, Source]:
    """Sources by id, in one query; unknown ids are simply absent."""
    if not source_ids:
        return {}
    rows = session.scalars(select(Source).where(Source.id.in_(set(source_ids))))
    return {source.id: source for source in rows}


def resolve_names(*, session: Session, names: Sequence[str], field: str) -> list[int]:
    """Ids of the named sources; an unknown name is an error naming ``field``."""
    ids = []
    for name in names:
        source = find_by_name(session=session, name=name)
        if source is None:
            raise SourceNotFoundError(f"no source named {name!r}", field=field)
        ids.append(source.id)
    return ids


def list_page(
    *,
    session: Session,
    page: PageRequest,
    kind: SourceKind | None = None,
    country: str | None = None,
    q: str | None = None,
) -> ResultPage[Source]:
    """Sources in id order, filtered by kind, country and a name fragment."""
    filters: list[ColumnElement[bool]] = []
    if kind is not None:
        filters.append(Source.kind == kind)
    if country:
        filters.append(func.lower(Source.country) == country.strip().lower())
    if q:
        pattern = contains_pattern(name_key(q))
        alias_match = select(SourceAlias.source_id).where(
            SourceAlias.alias_key.like(pattern, escape="\\")
        )
        filters.append(or_(Source.name_key.like(pattern, escape="\\"), Source.id.in_(alias_match)))
    return paginate(
        session=session,
        model=Source,
        id_column=Source.id,
        filters=filters,
        page=page,
    )
