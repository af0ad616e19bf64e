"""The dependency parser's worker (spaCy in .venv-parser), and speakers read from its parses."""

from __future__ import annotations

import os
import signal
from typing import NamedTuple

import pytest

from crosscheck.attribution.parsed import ParsedAttribution, find_attribution
from crosscheck.attribution.parser import MAX_TEXTS, DependencyParser, default_parser

PARSER = default_parser()
if PARSER is None:
    pytest.skip(
        "no parser environment: .venv-parser/bin/python is missing (make install builds it; "
        "CROSSCHECK_PARSER_PYTHON names another for the service)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def parser() -> DependencyParser:
    assert PARSER is not None
    return PARSER


def attribution_of(parser: DependencyParser, sentence: str) -> ParsedAttribution | None:
    return find_attribution(parser.parse([sentence])[0])


def test_the_worker_parses_with_the_pinned_model(parser: DependencyParser) -> None:
    text = "Mara Quill, the bakery’s owner, said flour prices rose in Tessaly."
    [parsed] = parser.parse([text])
    assert parser.model == {"spacy": "2.3.9", "model": "en_core_web_sm", "version": "2.2.5"}
    assert all(text[t.start : t.end] == t.text for t in parsed.tokens)
    assert "bakery’s" in "".join(t.text for t in parsed.tokens)  # as written, not as parsed
    said = next(t for t in parsed.tokens if t.text == "said")
    assert said.dep == "ROOT" and said.lemma == "say"
    assert [t.text for t in parsed.children(said) if t.dep == "nsubj"] == ["Quill"]
    assert ("Mara Quill", "PERSON") in {(e.text, e.label) for e in parsed.entities}


class Expected(NamedTuple):
    person: str | None
    organization: str | None
    verb: str
    form: str
    speaker_text: str | None = None  # checked when given
    content: str | None = None  # likewise


SENTENCES = {
    "Edwin Marlowe of the Institute for Harbour Studies said the port would need dredging.": (
        Expected(
            "Edwin Marlowe",
            "Institute for Harbour Studies",
            "say",
            "speech verb",
            "Edwin Marlowe of the Institute for Harbour Studies",
            "the port would need dredging",
        )
    ),
    "Deputy mayor Lidia Varga, who has opposed the toll in the past, said the bridge would stay open.": (
        Expected("Lidia Varga", None, "say", "speech verb", "Deputy mayor Lidia Varga")
    ),
    "The Tessaly Interior Ministry said the border crossing would reopen on Monday.": Expected(
        None, "Tessaly Interior Ministry", "say", "speech verb"
    ),
    "Norland's Defence Ministry denied that its ships had entered the strait.": Expected(
        None,
        "Norland's Defence Ministry",
        "deny",
        "speech verb",
        content="its ships had entered the strait",
    ),
    "“We will not close the clinic,” said Oren Falk, a spokesman for the Velmar Health Trust.": (
        Expected(
            "Oren Falk",
            "Velmar Health Trust",
            "say",
            "inverted speech verb",
            content="We will not close the clinic",
        )
    ),
    "Twelve berths were closed for repairs, the Port Authority said.": Expected(
        None,
        "Port Authority",
        "say",
        "speech verb",
        content="Twelve berths were closed for repairs",
    ),
    "According to the Brannock Fire Service, two people were treated for burns.": Expected(
        None,
        "Brannock Fire Service",
        "according to",
        "according to",
        content="two people were treated for burns",
    ),
    "Officials said the bridge would reopen on Monday.": Expected(
        None, None, "say", "speech verb", "Officials"
    ),
    "She told reporters that the vote had been postponed.": Expected(
        None, None, "tell", "speech verb", "she", "the vote had been postponed"
    ),
    "Union leader Tomas Reyn told reporters the strike would continue until Friday.": Expected(
        "Tomas Reyn", None, "tell", "speech verb"
    ),
    "Analysts at Corvin Capital estimated that the merger would cost 3,000 jobs.": Expected(
        None, "Corvin Capital", "estimate", "speech verb", "Analysts at Corvin Capital"
    ),
    "The Velmar Herald reported, citing two officials, that the mine would close next spring.": (
        Expected(None, "Velmar Herald", "report", "speech verb", "The Velmar Herald")
    ),
    "“The line reopens tomorrow,” the rail operator said in a statement.": Expected(
        None, None, "say", "speech verb", "the rail operator", "The line reopens tomorrow"
    ),
    "Kasimir Duda, 61, a retired welder, told the Gazette he had seen smoke near the depot.": (
        Expected("Kasimir Duda", None, "tell", "speech verb")
    ),
    "Mr Pell said the council had not been consulted.": Expected(
        "Pell", None, "say", "speech verb", "Mr Pell"
    ),
    "The figures were confirmed by the Brannock Statistics Office.": Expected(
        None, "Brannock Statistics Office", "confirm", "speech verb"
    ),
    # The outermost speaker wins over a relay named after it.
    "Police said the suspect had been arrested, according to the Dunmore Gazette.": Expected(
        None, None, "say", "speech verb", "Police", "the suspect had been arrested"
    ),
}


@pytest.mark.parametrize("sentence", list(SENTENCES))
def test_speakers_read_from_the_parse(parser: DependencyParser, sentence: str) -> None:
    expected = SENTENCES[sentence]
    found = attribution_of(parser, sentence)
    assert found is not None
    assert (found.person, found.organization, found.verb, found.form) == expected[:4]
    assert found.denies == (found.verb == "deny")
    if expected.speaker_text is not None:
        assert found.speaker_text == expected.speaker_text
    if expected.content is not None:
        assert found.content_start is not None
        assert sentence[found.content_start : found.content_end] == expected.content


@pytest.mark.parametrize(
    "sentence",
    [
        "The airline added 12 flights to its winter schedule.",  # "add", with nothing reported
        "Ilse Brandt declined to say whether the plant would close.",
        "The ferry was late again on Tuesday.",
    ],
)
def test_no_speaker(parser: DependencyParser, sentence: str) -> None:
    assert attribution_of(parser, sentence) is None


def test_a_pronoun_is_left_for_the_caller(parser: DependencyParser) -> None:
    found = attribution_of(parser, "“It was not our decision,” he added.")
    assert found is not None and found.is_pronoun
    assert (found.speaker_text, found.person, found.organization) == ("he", None, None)


def test_a_dead_worker_is_restarted(parser: DependencyParser) -> None:
    own = DependencyParser(parser.interpreter)
    try:
        own.parse(["The first worker parses this."])
        first = own.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        [parsed] = own.parse(["A second worker parses this."])
        assert own.pid not in {None, first}
        assert parsed.tokens[1].text == "second"
    finally:
        own.close()


def test_more_texts_than_one_request_holds_are_sent_in_chunks(parser: DependencyParser) -> None:
    """600 texts: parse() splits them into requests of at most MAX_TEXTS, answers all in order."""
    texts = [f"Ship {n} docked." for n in range(MAX_TEXTS + 100)]
    parsed = parser.parse(texts)
    assert [p.text for p in parsed] == texts
    assert [p.tokens[1].text for p in parsed] == [str(n) for n in range(MAX_TEXTS + 100)]
