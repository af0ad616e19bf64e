"""Scalars whose parsing is stricter than strawberry's: what the REST models refuse, they refuse."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import dateutil.parser  # type: ignore[import-untyped]  # strawberry's own DateTime parser
from strawberry.schema.types.base_scalars import DateTimeDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition

from crosscheck.fields import representable_in_utc


def _parse_datetime(text: str) -> datetime:
    return representable_in_utc(dateutil.parser.isoparse(text))


# The same name and description: the schema's SDL is unchanged, its parsing range-checked.
DATETIME: ScalarDefinition = dataclasses.replace(
    DateTimeDefinition, parse_value=wrap_parser(_parse_datetime, "DateTime")
)
SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime: DATETIME}
