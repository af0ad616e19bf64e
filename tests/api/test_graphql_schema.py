"""The committed schema.graphql is the live schema (the command that writes it: tests/cli)."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import build_schema, parse, validate

from api.graphql.schema import printed_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schema.graphql"


def test_committed_schema_matches_the_live_schema() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed_schema(), (
        "schema.graphql differs from the GraphQL schema the code serves. Review the change, "
        "then regenerate it with `make schema` "
        "(or `crosscheck graphql-schema --output schema.graphql`) and commit it."
    )


def test_committed_schema_is_valid_sdl_with_relay_connections() -> None:
    parsed = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    connection = parsed.get_type("ClaimConnection")
    assert connection is not None
    assert set(connection.fields) == {"edges", "pageInfo", "totalCount"}  # type: ignore[attr-defined]
    page_info = parsed.get_type("PageInfo")
    assert set(page_info.fields) == {  # type: ignore[union-attr]
        "hasNextPage",
        "hasPreviousPage",
        "startCursor",
        "endCursor",
    }


def test_readme_graphql_examples_are_valid_against_the_schema() -> None:
    schema = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```graphql\n(.*?)```", readme, re.DOTALL)
    examples += re.findall(r"'(subscription \{.*\})'", readme)
    examples += [
        q.replace('\\"', '"') for q in re.findall(r'"query":\s*"(.*?)"\}', readme, re.DOTALL)
    ]
    assert len(examples) >= 3
    for example in examples:
        assert validate(schema, parse(example)) == [], example
