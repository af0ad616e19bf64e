"""Storing documents and the attributed claims read from them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crosscheck.attribution.cues import Cue
from crosscheck.attribution.extractor import ExtractedStatement
from crosscheck.attribution.parser import DependencyParser
from crosscheck.attribution.second_reading import read_statements
from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import MAX_CLAIM_CHARS, ClaimCreate, ClaimRead
from crosscheck.documents.exceptions import DocumentNotFoundError
from crosscheck.documents.models import ClaimAppearance, Document
from crosscheck.documents.schemas import AppearanceRead, DocumentCreate, DocumentRead
from crosscheck.indexing.service import ClaimIndex
from crosscheck.pagination import PageRequest, ResultPage, paginate
from crosscheck.sources import service as source_service
from crosscheck.sources.models import Source, SourceKind
from crosscheck.sources.schemas import MAX_SOURCE_NAME_CHARS, SourceRef
from crosscheck.textnorm import content_hash, name_key


@dataclass(frozen=True)
class StoredDocument:
    """A document after ``ingest``: ``created`` is false when the same text was stored before."""

    document: Document
    created: bool


UNNAMED_SPEAKER = " (speaker not named)"


def unattributed_source_name(publisher: str) -> str:
    """The source that holds a publisher's quotes whose speaker it did not name: marked in its
    name, so that no answer presents the publisher as the one who said them."""
    room = MAX_SOURCE_NAME_CHARS - len(UNNAMED_SPEAKER)
    if len(publisher) > room:  # cut at a word where the name is too long to keep whole
        publisher = publisher[:room].rsplit(" ", 1)[0] or publisher[:room]
    return publisher.rstrip() + UNNAMED_SPEAKER


def _source_for(session: Session, statement: ExtractedStatement, *, publisher: Source) -> Source:
    if not statement.attributed:
        return source_service.get_or_create(
            session=session, name=unattributed_source_name(publisher.name), kind=SourceKind.OTHER
        )
    name = statement.source
    if name_key(name) == name_key(publisher.name):
        return publisher
    source = source_service.find_by_name(session=session, name=name)
    if source is None:  # "Senator Jane Roe" may be stored before as a source of its own
        for known_as in statement.aliases:
            source = source_service.find_by_name(session=session, name=known_as)
            if source is not None:
                return source
        person = statement.person is not None and statement.person == name
        kind = SourceKind.PERSON if person else SourceKind.OTHER
        source = source_service.get_or_create(session=session, name=name, kind=kind)
    source_service.add_aliases(session=session, source=source, aliases=statement.aliases)
    return source


def ingest(
    *,
    session: Session,
    claim_index: ClaimIndex,
    document_in: DocumentCreate,
    parser: DependencyParser | None = None,
) -> StoredDocument:
    """Store the document and its attributed claims, commit, then index the new claims.

    ``parser``: the dependency parser for attribution's second reading (rules alone without).
    """
    # Read before writing: the write transaction (SQLite's one lock) lasts only the inserts.
    statements = [
        statement
        for statement in read_statements(document_in.text, document_in.publisher, parser)
        if len(statement.text) <= MAX_CLAIM_CHARS
    ]
    publisher = source_service.get_or_create(
        session=session, name=document_in.publisher, kind=SourceKind.OUTLET
    )
    digest = content_hash(document_in.text)
    existing = session.scalar(
        select(Document).where(
            Document.publisher_id == publisher.id, Document.content_hash == digest
        )
    )
    if existing is not None:
        return StoredDocument(document=existing, created=False)
    document = Document(
        publisher=publisher,
        title=document_in.title,
        url=str(document_in.url) if document_in.url else None,
        text=document_in.text,
        content_hash=digest,
        published_at=document_in.published_at,
    )
    session.add(document)
    session.flush()
    new_claims: list[tuple[int, str]] = []
    for statement in statements:
        source = _source_for(session, statement, publisher=publisher)
        for outlet in statement.relayed_by:
            source_service.get_or_create(session=session, name=outlet, kind=SourceKind.OUTLET)
        stored = claim_service.create(
            session=session,
            claim_in=ClaimCreate(
                text=statement.text,
                source_id=source.id,
                stated_at=document_in.published_at,
                url=document_in.url,
            ),
            polarity=statement.polarity.value,
            document_id=document.id,
        )
        if stored.created:
            new_claims.append((stored.claim.id, stored.claim.text))
        document.appearances.append(
            ClaimAppearance(
                claim=stored.claim,
                start=statement.start,
                end=statement.end,
                speaker=statement.person,
                relayed_by=statement.relayed_by,
                cue=statement.cue.value,
                confidence=statement.confidence,
            )
        )
    session.commit()
    claim_index.add_texts(new_claims)
    return StoredDocument(document=document, created=True)


def get(*, session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise DocumentNotFoundError(f"no document with id {document_id}", field="id")
    return document


def appearing_in(*, session: Session, claim_id: int) -> list[Document]:
    """The documents a claim appeared in, earliest published first (undated ones last)."""
    documents = session.scalars(
        select(Document)
        .join(ClaimAppearance, ClaimAppearance.document_id == Document.id)
        .where(ClaimAppearance.claim_id == claim_id)
        .distinct()
    )
    return sorted(
        documents,
        key=lambda d: (d.published_at is None, d.published_at or d.created_at, d.id),
    )


def list_page(*, session: Session, page: PageRequest) -> ResultPage[Document]:
    """Documents in id order."""
    return paginate(session=session, model=Document, id_column=Document.id, filters=[], page=page)


def appearances_page(
    *, session: Session, document_id: int, page: PageRequest
) -> ResultPage[ClaimAppearance]:
    """Where claims appear in one document, in the order they were read (appearance id)."""
    return paginate(
        session=session,
        model=ClaimAppearance,
        id_column=ClaimAppearance.id,
        filters=[ClaimAppearance.document_id == document_id],
        page=page,
    )


def unattributed(*, session: Session, document_id: int) -> list[ClaimAppearance]:
    """The appearances in one document whose speaker could not be named, in reading order."""
    return list(
        session.scalars(
            select(ClaimAppearance)
            .where(
                ClaimAppearance.document_id == document_id,
                ClaimAppearance.cue == Cue.UNATTRIBUTED.value,
            )
            .order_by(ClaimAppearance.start)
        )
    )


def appearance_read(appearance: ClaimAppearance, *, document_text: str) -> AppearanceRead:
    """The response form of one appearance, quoting the document's own words."""
    return AppearanceRead(
        claim=ClaimRead.model_validate(appearance.claim),
        start=appearance.start,
        end=appearance.end,
        quote=document_text[appearance.start : appearance.end],
        speaker=appearance.speaker,
        relayed_by=list(appearance.relayed_by or []),
        attributed=appearance.attributed,
        cue=appearance.cue,
        confidence=appearance.confidence,
    )


def document_read(document: Document) -> DocumentRead:
    """The response form of a document, with each claim where it appears."""
    claims = [
        appearance_read(appearance, document_text=document.text)
        for appearance in document.appearances
    ]
    return DocumentRead(
        id=document.id,
        title=document.title,
        url=document.url,
        published_at=document.published_at,
        publisher=SourceRef.model_validate(document.publisher) if document.publisher else None,
        created_at=document.created_at,
        claim_count=document.claim_count,
        text=document.text,
        claims=claims,
        unattributed=[claim for claim in claims if not claim.attributed],
    )
