"""The parser's second reading of what the rules left to the publisher."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from crosscheck.attribution.cues import Cue
from crosscheck.attribution.extractor import extract_statements
from crosscheck.attribution.parser import (
    DependencyParser,
    ParsedSentence,
    ParserUnavailableError,
    default_parser,
)
from crosscheck.attribution.second_reading import read_statements

PARSER = default_parser()

TEXT = (
    "Northwind Wire\n"
    "A merger could be announced as early as next week, said a person familiar with the talks.\n"
    "The Harbour Authority said 40 ships were waiting outside the port on Monday.\n"
    "About 12 berths were closed for repairs, the authority said later on Monday.\n"
    "Councillor Ines Hallam (Independent, Dock Ward) said residents heard the siren at 2 a.m.\n"
    "Prices rose 4% in March.\n"
)


@pytest.fixture(scope="module")
def parser() -> DependencyParser:
    if PARSER is None:
        pytest.skip("no parser environment: .venv-parser/bin/python is missing (make install)")
    return PARSER


def test_the_parse_names_speakers_the_rules_missed(parser: DependencyParser) -> None:
    rules = {s.text[:12]: s for s in extract_statements(TEXT, "Northwind Wire")}
    read = {s.text[:12]: s for s in read_statements(TEXT, "Northwind Wire", parser)}
    assert rules["A merger cou"].cue is Cue.NARRATION
    assert read["A merger cou"].source == "unnamed person familiar with the talks"
    assert read["A merger cou"].cue is Cue.PARSE
    assert read["Residents he"].source == "Ines Hallam"
    assert read["Prices rose "].source == "Northwind Wire"  # narration stays the publisher's
    assert read["Prices rose "].cue is Cue.NARRATION
    assert read["40 ships wer"] == rules["40 ships wer"]  # what the rules placed is kept


class _GoneParser(DependencyParser):
    def parse(self, texts: Sequence[str]) -> list[ParsedSentence]:
        raise ParserUnavailableError("the worker is gone")


def test_a_parser_that_fails_leaves_the_rules_reading(tmp_path: Path) -> None:
    gone = _GoneParser(tmp_path / "no-python")
    assert read_statements(TEXT, "Northwind Wire", gone) == extract_statements(
        TEXT, "Northwind Wire"
    )
