"""The page in a real browser: Debian's chromium, headless, driven by Playwright, against a real
server process with the demo loaded. Screenshots go to test-artifacts/ (paths printed)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crosscheck.claims.models import Claim, ClaimReview
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import load_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
QUERY = "North Korean soldiers are in Russia"
# A demo claim that the server fixture stores a fact-checker's review of.
REVIEWED = (
    "At least 3,000 North Korean troops travelled by ship to the Russian Pacific port city of "
    "Vladivostok."
)
REVIEW = {
    "reviewer": "Harbour Fact Desk",
    "rating": "Accurate",
    "url": "https://factdesk.example.org/checks/vladivostok-troops",
    "reviewed_at": datetime(2024, 10, 25, 12, tzinfo=UTC),
}
# The fact-check's headline, stored as the reviewed claim's title.
HEADLINE = "Did 3,000 North Korean troops sail to Vladivostok?"
TIMEOUT_MS = 60_000

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no browser at {CHROMIUM}: `make browser` installs Debian's chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # The first verification in a fresh server process takes a few seconds on 2 cores.
    playwright_api.expect.set_options(timeout=TIMEOUT_MS)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, encoder: SentenceTransformerEncoder
) -> Iterator[str]:
    """``crosscheck serve`` in its own process on a free port, the demo loaded beforehand and
    one of its claims given a fact-checker's review (``REVIEW``) and headline (``HEADLINE``)."""
    folder = tmp_path_factory.mktemp("page")
    database_url = f"sqlite:///{folder / 'page.db'}"
    upgrade(database_url)
    runtime = Runtime(
        Settings(database_url=database_url, index_dir=folder / "index"), encoder=encoder
    )
    runtime.start(load_judge=False)
    load_demo(runtime)
    with runtime.session_factory() as session:
        claim = session.scalars(select(Claim).where(Claim.text == REVIEWED)).one()
        claim.title = HEADLINE
        session.add(ClaimReview(claim_id=claim.id, **REVIEW))
        session.commit()
    runtime.close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": database_url,
        "CROSSCHECK_INDEX_DIR": str(folder / "index"),
        "CROSSCHECK_LOG_LEVEL": "WARNING",
    }
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while not _ready(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"server did not become ready:\n{(folder / 'server.log').read_text()}"
                )
            time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _phone_page(browser: Any) -> Any:
    """A new page in a phone-sized, touch browser context."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def _screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


@pytest.mark.xfail(
    strict=True,
    reason='the shipped judge reads many statement pairs as "discusses": the NIS statements '
    "this walk-through opens are not all on the corroborating side",
)
def test_check_a_claim_see_sources_and_a_timeline(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/")
    assert page.url == f"{server}/app/"

    page.get_by_label("Claim to check").fill(QUERY)
    page.get_by_role("button", name="Check the claim").focus()
    page.keyboard.press("Enter")  # operable from the keyboard

    expect(page.locator("#verdict")).to_have_text("contested")
    expect(page.get_by_role("status")).to_contain_text("Verdict: contested")
    corroborating, contradicting = page.locator("#corroborating"), page.locator("#contradicting")
    # (The US NSC's place on this side is pinned, as a known failure, by the REST test.)
    expect(
        corroborating.get_by_role("article", name="South Korea National Intelligence Service")
    ).to_be_visible()
    expect(
        contradicting.get_by_role("article", name="Russian Ministry of Foreign Affairs")
    ).to_be_visible()
    # The US's early "no indication" is absence of evidence, not a denial: not contradicting.
    expect(contradicting.get_by_role("article", name="US National Security Council")).to_have_count(
        0
    )
    # Each statement with its reasons, date and link.
    nis = corroborating.get_by_role("article", name="South Korea National Intelligence Service")
    expect(nis.locator(".reasons li").first).to_be_visible()
    expect(nis.locator('time[datetime^="2024-10-"]').first).to_be_visible()
    expect(nis.locator('a[href^="https://example.org/nis/"]').first).to_be_visible()
    _screenshot(page, "page-verdict-desktop.png")

    early = nis.get_by_role("button", name="special operations soldiers", exact=False)
    early.click()
    timeline = page.locator("#timeline")
    expect(timeline).to_be_visible()
    entries = timeline.locator("#timeline-list > li")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("superseded")
    expect(entries.nth(0)).to_contain_text("1,500 North Korean special operations soldiers")
    expect(entries.nth(1)).to_contain_text("current")
    expect(entries.nth(1)).to_contain_text("a further 1,500 troops")
    expect(page.locator("#timeline-heading")).to_be_focused()
    path = _screenshot(page, "page-timeline-desktop.png")
    assert path.stat().st_size > 10_000

    page.get_by_role("button", name="Back to the results").click()
    expect(timeline).to_be_hidden()
    expect(early).to_be_focused()
    page.close()


def test_readable_on_a_phone_and_linkable(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = _phone_page(browser)
    page.goto(f"{server}/app/?q={QUERY.replace(' ', '+')}&as_of=2024-10-17")
    expect(page.locator("#verdict")).to_have_text("unverified")
    expect(page.locator("#summary")).to_contain_text("as of")
    expect(page.get_by_label("Claim to check")).to_have_value(QUERY)
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the page scrolls sideways on a phone"
    width = page.get_by_role("button", name="Check the claim").bounding_box()["width"]
    assert width > 300  # the button spans the narrow screen: easy to tap
    _screenshot(page, "page-phone.png")

    # A stored claim's ClaimReview links here: ?claim=ID opens its verdict.
    with urllib.request.urlopen(f"{server}/v1/claims?q=further+1%2C500") as response:
        claim_id = __import__("json").load(response)["items"][0]["id"]
    page.goto(f"{server}/app/?claim={claim_id}")
    expect(page.locator("#verdict")).not_to_be_empty()
    expect(page.get_by_label("Claim to check")).to_have_value(
        "At least 1,500 North Korean special forces soldiers are training in Russia, "
        "and a further 1,500 troops have also entered Russia recently."
    )
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits
    _screenshot(page, "page-claim-phone.png")
    page.context.close()


@pytest.mark.parametrize(
    ("claim", "verdict", "side", "source"),
    [
        (
            "Tap water in Riverton is safe to drink",
            "corroborated",
            "#corroborating",
            "Riverton Municipal Water Utility",
        ),
        pytest.param(
            "Twelve people needed hospital treatment after the Halvorsen leak",
            "corroborated",
            "#corroborating",
            "St. Brigid Regional Hospital",
            marks=pytest.mark.xfail(
                strict=True, reason='the shipped judge reads many statement pairs as "discusses"'
            ),
        ),
        (
            "Only 500 North Korean troops are in Russia",
            "contradicted",
            "#contradicting",
            "South Korea National Intelligence Service",
        ),
    ],
)
def test_the_journalists_cases_on_the_page(
    browser: Any, server: str, claim: str, verdict: str, side: str, source: str
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/app/?q={urllib.parse.quote_plus(claim)}")
    expect(page.locator("#verdict")).to_have_text(verdict)
    expect(page.locator(side).get_by_role("article", name=source).first).to_be_visible()
    expect(page.locator("#notices")).to_be_hidden()
    page.close()


def test_an_unsupported_language_is_said_on_the_page(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/app/?q=Nordkoreanische+Soldaten+sind+in+Russland")
    expect(page.locator("#verdict")).to_have_text("unverified")
    expect(page.locator("#notices")).to_be_visible()
    expect(page.locator("#notices")).to_contain_text("language (de)")
    _screenshot(page, "page-unsupported-language.png")
    page.close()


def test_checked_before_lists_the_stored_claims_a_post_matches(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/app/")
    # The mode is chosen from the keyboard: arrow keys move between the radio buttons.
    page.get_by_role("radio", name="Check a claim").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Checked before?", exact=False)).to_be_checked()
    expect(page.get_by_label("As of (optional)")).to_be_hidden()  # verification only
    post = page.get_by_label("Post to look up")
    post.fill(
        "Thousands of North Korean special forces soldiers are already in Russia, training "
        "for the war!! https://t.co/Xy12abCD #NorthKorea #Ukraine"
    )
    page.get_by_role("button", name="Find earlier checks").focus()
    page.keyboard.press("Enter")

    matches = page.locator("#matches")
    expect(matches).to_be_visible()
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#matches-summary")).to_contain_text("stored claims match, best first")
    expect(page.get_by_role("status")).to_contain_text("stored claims match")
    # The link went, the hashtags were read as words.
    query = page.locator("#matches-query")
    expect(query).to_contain_text("North Korea Ukraine")
    expect(query).not_to_contain_text("t.co")
    best = matches.get_by_role("listitem").filter(has_text="1,500 North Korean special")
    expect(best.first).to_be_visible()
    top = matches.locator("#matches-list > li").first
    expect(top).to_contain_text("South Korea National Intelligence Service")
    expect(top.locator('time[datetime^="2024-10-"]')).to_be_visible()
    expect(top).to_contain_text("score 0.")
    expect(top.locator('a[href^="https://example.org/nis/"]')).to_be_visible()
    assert page.url.startswith(f"{server}/app/?search=Thousands")
    _screenshot(page, "page-search-desktop.png")

    # Back to verification: the matches go, the date field comes back.
    page.get_by_role("radio", name="Check a claim").check()
    expect(matches).to_be_hidden()
    expect(page.get_by_label("As of (optional)")).to_be_visible()
    expect(page.get_by_role("button", name="Check the claim")).to_be_visible()
    page.close()


def test_checked_before_shows_a_fact_checkers_rating_on_a_phone(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = _phone_page(browser)
    post = (
        "3000 North Korean troops shipped to Vladivostok 🚢 "
        "pic.twitter.com/AbC123 — Daily Wire Watch (@wirewatch) October 24, 2024"
    )
    page.goto(f"{server}/app/?search={urllib.parse.quote_plus(post)}")
    expect(page.get_by_role("radio", name="Checked before?", exact=False)).to_be_checked()
    expect(page.get_by_label("Post to look up")).to_have_value(post)
    reviewed = page.locator("#matches-list > li").filter(has_text=REVIEWED)
    expect(reviewed).to_have_count(1)
    expect(reviewed).to_have_class("match reviewed")
    expect(reviewed.locator(".tag.rated")).to_have_text("Fact-checked")
    expect(reviewed.locator(".match-title")).to_have_text(HEADLINE)
    ratings = reviewed.get_by_role("list", name="Fact-checkers' ratings")
    expect(ratings).to_contain_text(f"Rated {REVIEW['rating']} by {REVIEW['reviewer']}")
    expect(ratings.get_by_role("link", name=str(REVIEW["reviewer"]))).to_have_attribute(
        "href", str(REVIEW["url"])
    )
    expect(ratings.locator('time[datetime^="2024-10-25"]')).to_be_visible()
    expect(page.locator("#matches-summary")).to_contain_text("1 is fact-checked")
    # Only that claim has a review: no other match is marked.
    expect(page.locator("#matches-list > li.reviewed")).to_have_count(1)
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the matches scroll sideways on a phone"
    _screenshot(page, "page-search-rating-phone.png")

    # A match opens its verification.
    reviewed.get_by_role("link", name="weigh the evidence").click()
    expect(page.locator("#verdict")).not_to_be_empty()
    expect(page.get_by_label("Claim to check")).to_have_value(REVIEWED)
    page.context.close()


def test_checked_before_says_when_nothing_matches_and_shows_errors(
    browser: Any, server: str
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/app/")
    page.get_by_role("radio", name="Checked before?", exact=False).check()
    page.get_by_role("button", name="Find earlier checks").click()
    expect(page.get_by_role("status")).to_have_text("Paste a post to look up.")
    expect(page.get_by_label("Post to look up")).to_be_focused()

    # Over the API's length limit (the text box stops typing at it; a link does not).
    page.goto(f"{server}/app/?search={'x' * 5001}")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Could not search:")
    expect(status).to_have_class("status error")
    expect(page.locator("#matches")).to_be_hidden()

    # Hybrid retrieval always finds the nearest in meaning; an empty index answers nothing.
    empty = {
        "query": {"text": "anything", "normalized": "anything", "parts": ["anything"]},
        "retrieval": "hybrid",
        "items": [],
    }
    page.route("**/v1/search", lambda route: route.fulfill(json=empty))
    page.get_by_label("Post to look up").fill("anything")
    page.get_by_role("button", name="Find earlier checks").click()
    expect(page.locator("#matches-summary")).to_have_text("No stored claim matches this text.")
    expect(page.locator("#matches-list > li")).to_have_count(0)
    expect(page.locator("#matches-query")).to_be_hidden()
    page.close()


@pytest.fixture(scope="module")
def offline_browser(browser: Any) -> Iterator[Any]:
    """Chromium with no network beyond this machine: every name but 127.0.0.1 resolves nowhere,
    and every request not for 127.0.0.1 goes to a proxy where nothing listens."""
    offline = [
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--proxy-server=http://127.0.0.1:{_free_port()}",
        "--proxy-bypass-list=127.0.0.1",
    ]
    # A second browser of the same Playwright driver (one driver per thread).
    launched = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *offline]
    )
    yield launched
    launched.close()


def _offline_page(browser: Any, server: str) -> tuple[Any, list[str]]:
    """A page, and the list it fills with every address outside ``server`` it sends a request
    to (not those that the page's Content-Security-Policy stops before they leave)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []
    here = urllib.parse.urlsplit(server).netloc

    def sent(request: Any) -> None:
        address = urllib.parse.urlsplit(request.url)
        if address.scheme not in {"data", "blob"} and address.netloc != here:
            outside.append(request.url)

    def failed(request: Any) -> None:
        if request.failure == "csp" and request.url in outside:
            outside.remove(request.url)

    page.on("request", sent)
    page.on("requestfailed", failed)
    return page, outside


def test_graphiql_works_offline(offline_browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page, outside = _offline_page(offline_browser, server)
    query = "{ sources(first: 2) { totalCount } }"
    page.goto(f"{server}/graphql?q={urllib.parse.quote(query)}")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    expect(editor).to_be_visible()
    expect(editor).to_contain_text("totalCount")
    page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
    expect(page.locator(".graphiql-response")).to_contain_text('"totalCount":')
    _screenshot(page, "graphiql-offline.png")
    assert outside == []
    page.close()


def test_swagger_ui_and_redoc_work_offline(offline_browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    with urllib.request.urlopen(f"{server}/openapi.json") as response:
        paths = json.load(response)["paths"]
    operations = sum(len(item) for item in paths.values())

    page, outside = _offline_page(offline_browser, server)
    page.goto(f"{server}/docs")
    # Swagger UI names each operation's block after its tag and operation id.
    expect(page.locator("#operations-verify-verifyClaim")).to_be_visible()
    expect(page.locator(".opblock")).to_have_count(operations)
    _screenshot(page, "swagger-ui-offline.png")

    page.goto(f"{server}/redoc")
    verify = page.locator('h2:has(a[href="#tag/verify/operation/verifyClaim"])')
    expect(verify).to_contain_text("Which stored claims corroborate or contradict a statement")
    assert outside == []
    page.close()
