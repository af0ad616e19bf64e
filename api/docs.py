"""The API's documentation pages (Swagger UI at /docs, ReDoc at /redoc) and GraphiQL's page at
/graphql, with their JavaScript and CSS served by this server, so that they work offline.

Swagger UI's and ReDoc's files come with the ``fastapi-offline`` package (a Python dependency);
GraphiQL's, with React, from the npm registry: ``make install`` runs ``npm ci`` in
``api/graphiql/`` (versions and checksums pinned in its ``package-lock.json``).
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import logging
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from api.routers.page import FAVICON_PATH

log = logging.getLogger(__name__)

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
ASSETS_PATH = "/docs/assets"

SWAGGER_UI_DIR = Path(str(importlib.resources.files("fastapi_offline"))) / "static"
GRAPHIQL_DIR = Path(__file__).resolve().parent / "graphiql"
GRAPHIQL_MODULES = GRAPHIQL_DIR / "node_modules"
GRAPHIQL_TEMPLATE = GRAPHIQL_DIR / "graphiql.html"

SWAGGER_UI_ASSETS = {
    "swagger-ui-bundle.js": SWAGGER_UI_DIR / "swagger-ui-bundle.js",
    "swagger-ui.css": SWAGGER_UI_DIR / "swagger-ui.css",
    "redoc.standalone.js": SWAGGER_UI_DIR / "redoc.standalone.js",
}
# The files GraphiQL's page loads, by the names it asks for; nothing else of node_modules is served.
GRAPHIQL_ASSETS = {
    "react.production.min.js": GRAPHIQL_MODULES / "react/umd/react.production.min.js",
    "react-dom.production.min.js": GRAPHIQL_MODULES / "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": GRAPHIQL_MODULES / "graphiql/graphiql.min.js",
    "graphiql.min.css": GRAPHIQL_MODULES / "graphiql/graphiql.min.css",
    "plugin-explorer.umd.js": GRAPHIQL_MODULES / "@graphiql/plugin-explorer/dist/index.umd.js",
    "plugin-explorer.css": GRAPHIQL_MODULES / "@graphiql/plugin-explorer/dist/style.css",
}
ASSETS = {**SWAGGER_UI_ASSETS, **GRAPHIQL_ASSETS}

MISSING_GRAPHIQL = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>GraphiQL is not installed</title></head>
<body>
<h1>GraphiQL's files are not installed on this server</h1>
<p>Missing: {missing}.</p>
<p>Run <code>make install</code> (it runs <code>npm ci</code> in <code>api/graphiql/</code>) and
restart the server. The GraphQL API itself works: send queries to this address with POST.</p>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


def _root(request: Request) -> str:
    root_path: str = request.scope.get("root_path", "")
    return root_path.rstrip("/")


@router.get(DOCS_PATH)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``."""
    app: FastAPI = request.app
    root = _root(request)
    return get_swagger_ui_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{FAVICON_PATH}",
        swagger_ui_parameters=app.swagger_ui_parameters,
    )


@router.get(REDOC_PATH)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over ``/openapi.json``."""
    app: FastAPI = request.app
    root = _root(request)
    page = get_redoc_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - ReDoc",
        redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{FAVICON_PATH}",
        with_google_fonts=False,
    )
    # ReDoc always shows Redocly's logo from Redocly's CDN (hidden again when it fails to load):
    # the browser is told not to ask for images from anywhere else.
    page.headers["Content-Security-Policy"] = "img-src 'self' data:"
    return page


@router.get(f"{ASSETS_PATH}/{{name}}")
def asset(name: str) -> FileResponse:
    """One of the pages' JavaScript or CSS files."""
    path = ASSETS.get(name)
    if path is None or not path.is_file():
        raise HTTPException(404, f"no documentation asset named {name!r}")
    return FileResponse(path)


@functools.cache
def _graphiql_template() -> str:
    return GRAPHIQL_TEMPLATE.read_text(encoding="utf-8")


def graphiql_page(request: Request) -> HTMLResponse:
    """GraphiQL's page, loading its files from this server; a 503 that says how to install
    them where ``npm ci`` has not run."""
    missing = [name for name, path in GRAPHIQL_ASSETS.items() if not path.is_file()]
    if missing:
        log.warning("GraphiQL's files are missing (%s): run `make install`", ", ".join(missing))
        return HTMLResponse(
            MISSING_GRAPHIQL.format(missing=html.escape(", ".join(missing))), status_code=503
        )
    root = html.escape(_root(request))
    page = _graphiql_template().replace("{{ASSETS}}", f"{root}{ASSETS_PATH}")
    return HTMLResponse(page.replace("{{FAVICON}}", f"{root}{FAVICON_PATH}"))


def install_docs(app: FastAPI) -> None:
    """Serve /docs, /redoc and their files (the app is built with ``docs_url=None`` and
    ``redoc_url=None``, so that FastAPI's pages, which load from CDNs, are not served)."""
    app.include_router(router)
