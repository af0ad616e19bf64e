"""The page for people at /app (static HTML, CSS and JavaScript over the JSON API)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from crosscheck import __version__

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_PATH = "/app/"

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


def mount_page(app: FastAPI) -> None:
    app.mount(PAGE_PATH.rstrip("/"), StaticFiles(directory=STATIC_DIR, html=True), name="page")
