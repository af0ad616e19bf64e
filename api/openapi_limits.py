"""Limits that depend on the settings, written into the OpenAPI document clients read."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from crosscheck.settings import Settings


def document_page_limits(app: FastAPI, settings: Settings) -> None:
    """Every page's ``limit`` parameter gets ``maximum: max_page_size`` in ``/openapi.json``.

    Routes are declared once for every app, the cap per app: so it is added once the document
    is first built.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "query" and parameter.get("name") == "limit":
                        parameter["schema"]["maximum"] = settings.max_page_size
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend it
