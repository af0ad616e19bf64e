"""Field types for request models that refuse what lax parsing would silently coerce.

Pydantic's lax mode reads JSON's ``false`` as the id 0, ``1.0`` or ``"1"`` as 1, and a number
as a time (seconds since 1970); a client that sent those made a mistake we should report.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, Strict

from crosscheck.database import MAX_ID
from crosscheck.textnorm import CONTROL_CHARACTERS, clean_text, visible_text

# A row id in a request body: a JSON integer, nothing else (a query string's ids stay lax).
StrictId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
# A count or size in a request body: a JSON integer, never a boolean, float or string.
StrictCount = Annotated[int, Strict()]


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _time_not_number(value: object) -> object:
    numeric = isinstance(value, str) and _NUMBER.fullmatch(value) is not None
    if isinstance(value, bool | int | float) or numeric:
        raise ValueError("must be an ISO 8601 date-time, not a number")
    return value


def representable_in_utc(value: datetime) -> datetime:
    """``value`` unchanged if it stays within years 1-9999 once moved to UTC (as it is stored
    and compared); 9999-12-31T23:59:59-14:00 does not."""
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError("is out of range once converted to UTC (years 1 to 9999)") from None
    return value


# A time in a request (body or query): ISO 8601 text (or a datetime, from GraphQL), never a
# number that lax parsing would read as seconds since 1970, and representable in UTC.
RequestTime = Annotated[
    datetime, BeforeValidator(_time_not_number), AfterValidator(representable_in_utc)
]


def _trimmed(value: str) -> str:
    return value.strip()


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


# Text is trimmed of surrounding whitespace *after* its length is checked, so the maxima the
# OpenAPI document states hold for what the client sent: use after StringConstraints.
Trimmed = AfterValidator(_trimmed)
NotBlank = AfterValidator(_not_blank)


def _printable(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters (such as NUL)")
    return value


# Text kept as sent (names and statements are cleaned instead: textnorm.clean_text).
Printable = AfterValidator(_printable)


def _shows_text_once_cleaned(value: str) -> str:
    visible_text(clean_text(value))
    return value


# A name that still shows something once cleaned (a lone ESC or an unassigned code point does
# not): refused here as a 422 naming the field, not later where the name is stored.
ShowsText = AfterValidator(_shows_text_once_cleaned)
