"""GraphQL: documents and the attributed claims read from them."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.types import ClaimType, PageInfo, SourceRefType
from crosscheck.documents import service as document_service
from crosscheck.documents.models import Document
from crosscheck.documents.schemas import DocumentCreate
from crosscheck.pagination import DEFAULT_LIMIT


@strawberry.type(name="Appearance", description="A claim where it appears in a document")
class AppearanceType:
    claim: ClaimType
    start: int
    end: int
    quote: str
    speaker: str | None
    relayed_by: list[str]


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
    claims: list[AppearanceType]

    @classmethod
    def from_row(cls, document: Document) -> DocumentType:
        read = document_service.document_read(document)
        publisher = read.publisher
        return cls(
            id=read.id,
            title=read.title,
            url=read.url,
            published_at=read.published_at,
            publisher=SourceRefType(id=publisher.id, name=publisher.name) if publisher else None,
            created_at=read.created_at,
            claim_count=read.claim_count,
            text=read.text,
            claims=[
                AppearanceType(
                    claim=ClaimType.from_row(appearance.claim),
                    start=a.start,
                    end=a.end,
                    quote=a.quote,
                    speaker=a.speaker,
                    relayed_by=a.relayed_by,
                )
                for a, appearance in zip(read.claims, document.appearances, strict=True)
            ],
        )


@strawberry.type(description="One page of documents")
class DocumentConnection:
    items: list[DocumentType]
    total_count: int
    page_info: PageInfo


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
        self, info: GraphQLInfo, first: int = DEFAULT_LIMIT, after: str | None = None
    ) -> DocumentConnection:
        def fetch(session: Session) -> DocumentConnection:
            page = document_service.list_page(session=session, limit=first, cursor=after)
            return DocumentConnection(
                items=[DocumentType.from_row(d) for d in page.items],
                total_count=page.total,
                page_info=PageInfo(
                    end_cursor=page.next_cursor, has_next_page=page.next_cursor is not None
                ),
            )

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
                session=session, claim_index=runtime.claim_index, document_in=document_in
            )
            return IngestDocumentPayload(
                document=DocumentType.from_row(stored.document), created=stored.created
            )

        return await info.context.run(ingest)
