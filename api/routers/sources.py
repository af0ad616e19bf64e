"""REST: sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES, ErrorBody
from crosscheck.database import MAX_ID
from crosscheck.fields import Printable
from crosscheck.pagination import DEFAULT_LIMIT, PAGE_LIMIT_DOC, forward_page
from crosscheck.sources import service as source_service
from crosscheck.sources.models import SourceKind
from crosscheck.sources.schemas import SourceCreate, SourcePage, SourceRead

router = APIRouter(prefix="/v1/sources", tags=["sources"], responses=ERROR_RESPONSES)

SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="Source id")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="createSource",
    summary="Create a source",
    responses={409: {"model": ErrorBody, "description": "The name already names a source"}},
)
def create_source(source_in: SourceCreate, session: SessionDep) -> SourceRead:
    source = source_service.create(session=session, source_in=source_in)
    session.commit()
    return SourceRead.model_validate(source)


@router.get("", operation_id="listSources", summary="List sources")
def list_sources(
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, description=PAGE_LIMIT_DOC)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    kind: SourceKind | None = None,
    country: Annotated[str | None, Query(max_length=100), Printable] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Name or alias fragment"), Printable
    ] = None,
) -> SourcePage:
    request = forward_page(limit=limit, cursor=cursor, maximum=settings.max_page_size)
    page = source_service.list_page(session=session, page=request, kind=kind, country=country, q=q)
    return SourcePage(
        items=[SourceRead.model_validate(s) for s in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


@router.get("/{source_id:int}", operation_id="getSource", summary="Get a source")
def get_source(source_id: SourceId, session: SessionDep) -> SourceRead:
    return SourceRead.model_validate(source_service.get(session=session, source_id=source_id))
