from __future__ import annotations

import base64

import pytest

from crosscheck.errors import InvalidInputError
from crosscheck.pagination import (
    MAX_LIMIT,
    PageRequest,
    PageSizeError,
    check_limit,
    decode_cursor,
    encode_cursor,
    forward_page,
    window,
)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("last_id", [0, 1, 5, 42, 1_000_000, 2**63 - 1])
def test_cursor_round_trips(last_id: int) -> None:
    cursor = encode_cursor(last_id)
    assert decode_cursor(cursor) == last_id


def test_cursor_is_opaque_url_safe_and_unpadded() -> None:
    cursor = encode_cursor(5)
    assert cursor == "aWQ6NQ"
    assert "=" not in encode_cursor(12345)
    assert "5" not in cursor


def test_padded_cursor_is_also_accepted() -> None:
    assert decode_cursor(_b64("id:5")) == 5


@pytest.mark.parametrize("cursor", [None, ""])
def test_missing_cursor_is_the_first_page(cursor: str | None) -> None:
    assert decode_cursor(cursor) == 0


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "%%%%",
        "a",
        _b64("x:1"),
        _b64("id:abc"),
        _b64("id:-1"),
        _b64("id:-3"),
        _b64("id:"),
        _b64("id"),
        _b64("5"),
        base64.urlsafe_b64encode(b"\xff\xfe:1").decode(),
    ],
)
def test_garbage_cursor_is_invalid_input_on_cursor_field(cursor: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        decode_cursor(cursor)
    assert caught.value.field == "cursor"
    assert caught.value.code == "invalid_input"
    assert caught.value.status_code == 422


def test_garbage_cursor_error_names_the_given_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        decode_cursor("!!!", field="after")
    assert caught.value.field == "after"


@pytest.mark.parametrize("limit", [1, 50, MAX_LIMIT])
def test_limit_within_bounds_is_returned(limit: int) -> None:
    assert check_limit(limit) == limit


@pytest.mark.parametrize("limit", [-1, 0, MAX_LIMIT + 1, 10_000])
def test_limit_out_of_bounds_is_invalid_input(limit: int) -> None:
    with pytest.raises(InvalidInputError, match=f"between 1 and {MAX_LIMIT}") as caught:
        check_limit(limit)
    assert caught.value.field == "limit"


def test_limit_error_names_the_given_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_limit(0, field="first")
    assert caught.value.field == "first"


@pytest.mark.parametrize(
    "raw", ["id:99999999999999999999999", "id: 7", "id:1_000", "id:+4", "id:007"]
)
def test_cursors_this_service_never_issues_are_refused(raw: str) -> None:
    cursor = base64.urlsafe_b64encode(raw.encode()).decode()
    with pytest.raises(InvalidInputError):
        decode_cursor(cursor)


def test_window_reads_relay_arguments() -> None:
    assert window(first=None, after=None, last=None, before=None) == PageRequest()
    assert window(first=3, after=encode_cursor(7), last=None, before=None) == PageRequest(
        size=3, after=7
    )
    assert window(first=None, after=None, last=2, before=encode_cursor(9)) == PageRequest(
        size=2, before=9, from_end=True
    )


@pytest.mark.parametrize(("argument", "value"), [("first", 11), ("last", 11)])
def test_window_over_the_cap_names_the_argument(argument: str, value: int) -> None:
    arguments: dict[str, int | None] = {"first": None, "last": None}
    arguments[argument] = value
    with pytest.raises(PageSizeError) as caught:
        window(after=None, before=None, maximum=10, **arguments)
    assert caught.value.field == argument and caught.value.code == "page_size_exceeded"


def test_window_refuses_first_and_last_together_and_foreign_cursors() -> None:
    with pytest.raises(InvalidInputError) as both:
        window(first=1, after=None, last=1, before=None)
    assert both.value.field == "last"
    with pytest.raises(InvalidInputError) as bad:
        window(first=None, after=None, last=None, before="!!!")
    assert bad.value.field == "before"


def test_forward_page_is_rest_limit_and_cursor() -> None:
    assert forward_page(limit=5, cursor=None) == PageRequest(size=5)
    assert forward_page(limit=5, cursor=encode_cursor(3)) == PageRequest(size=5, after=3)
    with pytest.raises(PageSizeError):
        forward_page(limit=6, cursor=None, maximum=5)
