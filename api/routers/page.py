"""The page for people at /app (static HTML, CSS and JavaScript over the JSON API)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from crosscheck import __version__

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_PATH = "/app/"
FAVICON_PATH = "/favicon.ico"
# An SVG, under the name browsers ask for by themselves (sent as image/svg+xml).
FAVICON = STATIC_DIR / "favicon.svg"

router = APIRouter(include_in_schema=False)


@router.get("/")
def root(request: Request) -> Response:
    """Browsers go to the page; API clients get where things are."""
    if "text/html" in request.headers.get("accept", ""):
        return RedirectResponse(PAGE_PATH, status_code=307)
    return JSONResponse(
        {
            "name": "crosscheck",
            "version": __version__,
            "page": PAGE_PATH,
            "docs": "/docs",
            "openapi": "/openapi.json",
            "graphql": "/graphql",
        }
    )


@router.get(FAVICON_PATH)
def favicon() -> FileResponse:
    """The site's icon: the page's, the docs' and GraphiQL's."""
    return FileResponse(FAVICON, media_type="image/svg+xml")


def mount_page(app: FastAPI) -> None:
    app.mount(PAGE_PATH.rstrip("/"), StaticFiles(directory=STATIC_DIR, html=True), name="page")
