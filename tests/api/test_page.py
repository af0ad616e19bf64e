"""The page for people is served by the app; the JSON API stays as it was."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

from api.routers.page import STATIC_DIR


def test_browsers_are_sent_to_the_page_and_api_clients_get_json(client: TestClient) -> None:
    page = client.get(
        "/", headers={"accept": "text/html,application/xhtml+xml"}, follow_redirects=False
    )
    assert page.status_code == 307 and page.headers["location"] == "/app/"
    index = client.get("/")
    assert index.status_code == 200 and index.json()["page"] == "/app/"
    html = client.get("/app/")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert client.get("/app", follow_redirects=True).url.path == "/app/"
    for asset, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        response = client.get(f"/app/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    missing = client.get("/app/nothing.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.post("/v1/verify", json={}).status_code == 422  # the API is unchanged


def test_the_markup_is_accessible_and_readable_on_a_phone() -> None:
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    for landmark in ("<header", "<main", "<footer", 'role="search"'):
        assert landmark in html
    # Every form control has a label pointing at it.
    controls = re.findall(r'<(?:textarea|input)[^>]*\bid="([^"]+)"', html)
    assert controls and all(f'<label for="{control}">' in html for control in controls)
    assert 'aria-live="polite"' in html
    # The two modes (verify, checked before?) are radio buttons under one legend.
    modes = re.search(r'<fieldset class="modes">(.*?)</fieldset>', html, re.DOTALL)
    assert modes and "<legend>" in modes.group(1)
    assert re.findall(r'type="radio" value="(\w+)"', modes.group(1)) == ["verify", "search"]
    assert "@media" in (STATIC_DIR / "app.css").read_text(encoding="utf-8")


def test_the_script_never_writes_data_as_markup() -> None:
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script and "safeUrl" in script


def test_the_page_ships_with_the_package() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    package_data = tomllib.loads(pyproject)["tool"]["setuptools"]["package-data"]["api"]
    assert {"static/*", "graphiql/graphiql.html"} <= set(package_data)
