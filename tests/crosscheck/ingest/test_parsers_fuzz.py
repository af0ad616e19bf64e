"""Fuzz targets for the readers of untrusted input: an NDJSON line of a bulk load and a
ClaimReview JSON-LD document (or HTML page). Whatever the bytes, a reader answers with rows or
problems, never an exception, and in bounded work; the inputs that once broke them are seeds."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crosscheck.ingest.rows import Row, jsonl_row
from crosscheck.reviews.jsonld import Found, claim_reviews_in_text

DEEP = "[" * 50_000 + "]" * 50_000
EXPANDING = json.dumps(
    {
        "@graph": [
            {"@type": "ClaimReview", "claimReviewed": "x", "about": {"@id": "n0"}},
            *(
                {"@id": f"n{i}", "@type": "Thing", "a": [{"@id": f"n{i + 1}"}] * 30}
                for i in range(8)
            ),
        ]
    }
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | json_values.map(lambda value: json.dumps(value).encode()))
@example(DEEP.encode())
@example(b"{}")
@example(b'{"text": "\x00", "source": "\xff"}')
@example(b'{"text": "' + b"x" * 1_000_000 + b'"}')
@example(b"\xef\xbb\xbf{}")
def test_an_ndjson_line_is_a_row_or_nothing(raw: bytes) -> None:
    row = jsonl_row(1, raw)
    assert row is None or isinstance(row, Row)
    if row is not None:
        assert (row.data is None) != (row.error is None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=300) | json_values.map(json.dumps),
    st.booleans(),
)
@example(DEEP, False)
@example(f'<script type="application/ld+json">{DEEP}</script>', True)
@example(EXPANDING, False)
@example('{"@type": "ClaimReview", "itemReviewed": {"@id": "a"}, "@id": "a"}', False)
@example("<script type='application/ld+json'>{", True)
def test_a_claimreview_document_gives_reviews_or_problems(text: str, html: bool) -> None:
    found = claim_reviews_in_text(text, html=html)
    assert all(isinstance(item, Found) for item in found)  # an empty array holds none
    assert all((item.node is None) != (item.error is None) for item in found)
