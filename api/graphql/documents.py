"""GraphQL: documents and the attributed claims read from them."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.pagination import Connection, connection, page_request
from api.graphql.types import ClaimType, SourceRefType
from crosscheck.documents import service as document_service
from crosscheck.documents.models import Document
from crosscheck.documents.schemas import AppearanceRead, DocumentCreate


@strawberry.type(name="Appearance", description="A claim where it appears in a document")
class AppearanceType:
    claim: ClaimType
    start: int
    end: int
    quote: str
    speaker: str | None
    relayed_by: list[str]
    attributed: bool = strawberry.field(
        description="False when no speaker could be named and the publisher stands in for one"
    )
    cue: str | None = strawberry.field(
        description="What the attribution rests on (speech verb, according to, document, "
        "relayed, reference, quote continues, narration, unattributed)"
    )
    confidence: float | None = strawberry.field(
        description="How often attributions on this cue were right on articles set aside for "
        "measuring"
    )

    @classmethod
    def from_read(cls, read: AppearanceRead) -> AppearanceType:
        return cls(
            claim=ClaimType.from_read(read.claim),
            start=read.start,
            end=read.end,
            quote=read.quote,
            speaker=read.speaker,
            relayed_by=read.relayed_by,
            attributed=read.attributed,
            cue=read.cue,
            confidence=read.confidence,
        )


@strawberry.type(name="Document", description="An article and the attributed claims in it")
class DocumentType:
    id: int
    title: str | None
    url: str | None
    published_at: datetime | None
    publisher: SourceRefType | None
    created_at: datetime
    claim_count: int
    text: str

    @strawberry.field(description="Where claims appear in this document, in reading order")
    async def claims(
        self,
        info: GraphQLInfo,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AppearanceType]:
        settings = info.context.runtime.settings
        text = self.text

        def fetch(session: Session) -> Connection[AppearanceType]:
            page = document_service.appearances_page(
                session=session,
                document_id=self.id,
                page=page_request(settings, first=first, after=after, last=last, before=before),
            )
            return connection(
                page,
                lambda row: AppearanceType.from_read(
                    document_service.appearance_read(row, document_text=text)
                ),
            )

        return await info.context.run(fetch)

    @strawberry.field(
        description="Claims whose speaker could not be named: stored under the source "
        "'<publisher> (speaker not named)', not as the publisher's words"
    )
    async def unattributed(self, info: GraphQLInfo) -> list[AppearanceType]:
        text = self.text

        def fetch(session: Session) -> list[AppearanceType]:
            rows = document_service.unattributed(session=session, document_id=self.id)
            return [
                AppearanceType.from_read(document_service.appearance_read(r, document_text=text))
                for r in rows
            ]

        return await info.context.run(fetch)

    @classmethod
    def from_row(cls, document: Document) -> DocumentType:
        publisher = document.publisher
        return cls(
            id=document.id,
            title=document.title,
            url=document.url,
            published_at=document.published_at,
            publisher=SourceRefType(id=publisher.id, name=publisher.name) if publisher else None,
            created_at=document.created_at,
            claim_count=document.claim_count,
            text=document.text,
        )


@strawberry.input(description="An article to store and read claims from")
class DocumentInput:
    text: str
    publisher: str
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None


@strawberry.type(description="A stored document, and whether this call stored it")
class IngestDocumentPayload:
    document: DocumentType
    created: bool


@strawberry.type
class DocumentQuery:
    @strawberry.field(description="Documents in id order")
    async def documents(
        self,
        info: GraphQLInfo,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DocumentType]:
        settings = info.context.runtime.settings

        def fetch(session: Session) -> Connection[DocumentType]:
            page = document_service.list_page(
                session=session,
                page=page_request(settings, first=first, after=after, last=last, before=before),
            )
            return connection(page, DocumentType.from_row)

        return await info.context.run(fetch)

    @strawberry.field(description="One document by id, with its claims")
    async def document(self, info: GraphQLInfo, id: int) -> DocumentType:
        return await info.context.run(
            lambda session: DocumentType.from_row(
                document_service.get(session=session, document_id=id)
            )
        )


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="Store an article; its claims are attributed to who asserted them"
    )
    async def ingest_document(
        self, info: GraphQLInfo, input: DocumentInput
    ) -> IngestDocumentPayload:
        runtime = info.context.runtime

        def ingest(session: Session) -> IngestDocumentPayload:
            document_in = DocumentCreate.model_validate(
                {k: v for k, v in vars(input).items() if v is not None}
            )
            stored = document_service.ingest(
                session=session,
                claim_index=runtime.claim_index,
                document_in=document_in,
                parser=runtime.parser,
            )
            return IngestDocumentPayload(
                document=DocumentType.from_row(stored.document), created=stored.created
            )

        return await info.context.run(ingest)
