"""Finding schema.org ClaimReview objects in JSON-LD, as fact-checkers publish it.

A file may hold one ClaimReview, an array of them, an ``@graph`` of nodes (the page, the
organisation, the reviews), or reviews nested in other nodes (a ``WebPage``'s ``mainEntity``);
an HTML page holds JSON-LD in ``<script type="application/ld+json">`` elements. Nodes that refer
to others by ``{"@id": ...}`` are resolved within the document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

CLAIM_REVIEW = "ClaimReview"
# Nesting deeper than this is not followed (and breaks @id reference cycles).
MAX_DEPTH = 20
# Values one review may expand to once its @id references are resolved: a node referring twice
# to a node that refers twice to another, twenty deep, would otherwise grow to a million.
MAX_EXPANDED_VALUES = 20_000


class ExpansionTooLargeError(ValueError):
    """A review whose references expand past ``MAX_EXPANDED_VALUES`` values."""


@dataclass
class _Budget:
    remaining: int = MAX_EXPANDED_VALUES

    def spend(self) -> None:
        self.remaining -= 1
        if self.remaining < 0:
            raise ExpansionTooLargeError(
                f"its @id references expand past {MAX_EXPANDED_VALUES:,} values"
            )


@dataclass(frozen=True)
class Found:
    """A ClaimReview node (resolved), or why a part of the document holds none."""

    node: dict[str, Any] | None = None
    error: str | None = None


def type_names(node: dict[str, Any]) -> set[str]:
    """The node's ``@type`` names without vocabulary prefixes (``schema:Claim`` -> ``Claim``)."""
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return {name.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for name in names if isinstance(name, str)}


def _collect_ids(value: Any, ids: dict[str, dict[str, Any]], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        if isinstance(value.get("@id"), str) and len(value) > 1:
            ids.setdefault(value["@id"], value)
        for item in value.values():
            _collect_ids(item, ids, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _collect_ids(item, ids, depth + 1)


def _resolved(value: Any, ids: dict[str, dict[str, Any]], budget: _Budget, depth: int = 0) -> Any:
    """``value`` with bare ``{"@id": ...}`` references replaced by the nodes they name."""
    budget.spend()
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, dict):
        if set(value) == {"@id"} and value["@id"] in ids:
            return _resolved(ids[value["@id"]], ids, budget, depth + 1)
        return {key: _resolved(item, ids, budget, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, ids, budget, depth + 1) for item in value]
    return value


def _found(review: dict[str, Any], ids: dict[str, dict[str, Any]]) -> Found:
    try:
        return Found(node=_resolved(review, ids, _Budget()))
    except ExpansionTooLargeError as exc:
        return Found(error=f"a ClaimReview not read: {exc}")


def _reviews_within(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        if CLAIM_REVIEW in type_names(value):
            yield value
            return
        for item in value.values():
            yield from _reviews_within(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _reviews_within(item, depth + 1)


def claim_reviews(document: Any) -> list[Found]:
    """Every ClaimReview in a parsed JSON-LD document, in document order.

    In a top-level array each item must hold a review (an item that holds none is reported);
    in an ``@graph`` the other nodes describe the page and are passed over. A document with no
    review at all is reported as one problem.
    """
    ids: dict[str, dict[str, Any]] = {}
    _collect_ids(document, ids)
    found: list[Found] = []
    if isinstance(document, list):
        for position, item in enumerate(document, start=1):
            reviews = list(_reviews_within(item))
            if not reviews:
                found.append(Found(error=f"item {position} is not a ClaimReview"))
            found.extend(_found(review, ids) for review in reviews)
        return found
    found = [_found(review, ids) for review in _reviews_within(document)]
    return found or [Found(error="no ClaimReview in this document")]


class _JsonLdScripts(HTMLParser):
    """Collects the text of ``<script type="application/ld+json">`` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = dict(attrs).get("type") or ""
        if tag == "script" and kind.split(";")[0].strip().lower() == "application/ld+json":
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def json_ld_in_html(html: str) -> list[str]:
    """The JSON-LD texts embedded in an HTML page, in page order."""
    parser = _JsonLdScripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


def claim_reviews_in_text(text: str, *, html: bool) -> list[Found]:
    """Every ClaimReview in a JSON-LD text, or in the JSON-LD scripts of an HTML page.

    Pages carry other JSON-LD too (breadcrumbs, the organisation): scripts without a review are
    passed over, and only a page with no review anywhere is reported.
    """
    if not html:
        return _parsed(text, where="")
    found: list[Found] = []
    for number, script in enumerate(json_ld_in_html(text), start=1):
        found.extend(
            item
            for item in _parsed(script, where=f"script {number}: ")
            if item.node is not None or item.error is None or "not valid JSON" in item.error
        )
    return found or [Found(error="no ClaimReview in this page")]


def _parsed(text: str, *, where: str) -> list[Found]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return [Found(error=f"{where}not valid JSON: {exc.msg} at line {exc.lineno}")]
    except RecursionError:
        return [Found(error=f"{where}not valid JSON: nested too deeply")]
    return claim_reviews(document)
