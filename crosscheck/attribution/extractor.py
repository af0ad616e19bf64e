"""Statements of a document, each attributed to who asserted it (not the outlet that printed it)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from crosscheck.attribution.patterns import (
    ACCORDING_TO_FIRST,
    ACCORDING_TO_LAST,
    BOILERPLATE,
    CONTENT_THEN_SPEAKER,
    DATELINE,
    DENIAL_VERBS,
    PLAIN_SAY_VERBS,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    QUOTE_THEN_SPEAKER,
    SPEAKER_THEN_CONTENT,
    SPEAKER_THEN_PARTICIPLE,
    TELLING_VERBS,
)
from crosscheck.attribution.speakers import Speaker, SpeakerMemory
from crosscheck.stance.evidence import Sentence, split_sentences

MIN_WORDS = 5
_CITING = re.compile(r",?\s*citing\s+(?P<origin>[^,]+?)\s*,?\s*$")


class Polarity(enum.StrEnum):
    ASSERTS = "asserts"
    DENIES = "denies"


@dataclass(frozen=True)
class ExtractedStatement:
    """One checkable statement: its content, where it stands, who asserted it, who relayed it."""

    text: str
    start: int
    end: int
    source: str
    person: str | None
    polarity: Polarity
    relayed_by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Match:
    speaker_phrase: str
    content: str
    verb: str
    cited: str | None = None
    told: str | None = None


_QUOTE_MARK = re.compile(r"[\"“”]|(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")


def _tidy(content: str) -> str:
    """Content as a sentence of its own: quote marks dropped (apostrophes kept), capitalised."""
    text = _QUOTE_MARK.sub("", content.strip())
    text = " ".join(text.split()).rstrip(",;: ")
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def _candidates(sentence: str) -> list[_Match]:
    """Readings of ``sentence`` as attributed speech, most specific first."""
    found: list[_Match] = []
    match = QUOTE_THEN_SPEAKER.match(sentence)
    if match:
        content = match.group("content")
        rest = match.group("rest") or ""
        if rest[:1] in QUOTE_OPEN:
            content = f"{content} {rest}"
        speaker = match.group("speaker1") or match.group("speaker2")
        found.append(_Match(speaker, content, match.group("verb1") or match.group("verb2")))
    for pattern in (ACCORDING_TO_FIRST, ACCORDING_TO_LAST):
        match = pattern.match(sentence)
        if match:
            found.append(_Match(match.group("speaker"), match.group("content"), "according to"))
    match = CONTENT_THEN_SPEAKER.match(sentence)
    if match and len(match.group("content").split()) >= 3:
        speaker = match.group("speaker1") or match.group("speaker2")
        verb = match.group("verb1") or match.group("verb2")
        audience = match.group("audience")
        relay = audience if verb.lower() in TELLING_VERBS else None
        found.append(_Match(speaker, match.group("content"), verb, match.group("cited"), relay))
    match = SPEAKER_THEN_CONTENT.match(sentence)
    if match:
        verb = match.group("verb")
        relay = match.group("audience") if verb.lower() in TELLING_VERBS else None
        said = match.group("that") or verb.lower() in PLAIN_SAY_VERBS or match.group("cited")
        # "Austin highlighted the risks" needs its verb; "Kirby said the troops..." does not.
        content = match.group("content") if said else sentence
        found.append(_Match(match.group("speaker"), content, verb, match.group("cited"), relay))
    match = SPEAKER_THEN_PARTICIPLE.match(sentence)
    if match:
        found.append(_Match(match.group("speaker"), match.group("content"), match.group("verb")))
    return found


def _clean_outlet(name: str) -> str:
    return re.sub(r"^[Tt]he\s+", "", name.strip(" .,"))


def _may_hold_a_statement(sentence: str) -> bool:
    """Not a heading, byline or prompt: a sentence that ends like one and is no boilerplate."""
    stripped = sentence.rstrip()
    ends_like_sentence = stripped[-1:] in ".!?" or stripped[-1:] in QUOTE_CLOSE
    return (
        ends_like_sentence
        and len(stripped.split()) >= MIN_WORDS
        and not BOILERPLATE.search(stripped)
    )


_OPINION = re.compile(
    r"\b(?:should|must|ought to|deserve[sd]?|sad|heartbreaking|tragic|dark day|thoughts are with|"
    r"feared|hope|shame|disgrace|outrage(?:ous)?|wonderful|terrible)\b",
    re.IGNORECASE,
)


def is_checkable(content: str) -> bool:
    """Whether asserted content could be checked: not a question, advice or a bare opinion."""
    if len(content.split()) < MIN_WORDS - 1 or content.rstrip(".").endswith("?"):
        return False
    has_fact_anchor = bool(re.search(r"\d", content))
    return has_fact_anchor or not _OPINION.search(content)


def _quoted_only(sentence: str) -> bool:
    stripped = sentence.strip()
    return stripped[:1] in QUOTE_OPEN and stripped.rstrip(".")[-1:] in QUOTE_CLOSE


def _lines(text: str) -> list[Sentence]:
    """Sentences of every line (paragraph) of ``text``, with offsets into ``text``."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        for sentence in split_sentences(line):
            sentences.append(
                Sentence(sentence.text, offset + sentence.start, offset + sentence.end)
            )
        offset += len(line)
    return sentences


def extract_statements(text: str, publisher: str) -> list[ExtractedStatement]:
    """Checkable statements of ``text``; unattributed ones are the publisher's own.

    Two passes: the first learns who the document introduces, so that a body named only later
    ("two ministry officials" before "the Ministry of Transport") still resolves.
    """
    first = SpeakerMemory()
    _extract(text, publisher, first)
    return _extract(text, publisher, SpeakerMemory(by_name=dict(first.by_name)))


def _extract(text: str, publisher: str, memory: SpeakerMemory) -> list[ExtractedStatement]:
    statements: list[ExtractedStatement] = []
    previous_quote_speaker: Speaker | None = None
    for line_sentence in _lines(text):
        dateline = DATELINE.match(line_sentence.text)
        cut = dateline.end() if dateline else 0
        sentence = Sentence(line_sentence.text[cut:], line_sentence.start + cut, line_sentence.end)
        if not _may_hold_a_statement(sentence.text):
            previous_quote_speaker = None
            continue
        speaker: Speaker | None = None
        found: _Match | None = None
        for candidate in _candidates(sentence.text):
            speaker = memory.resolve(candidate.speaker_phrase)
            if speaker is not None:
                found = candidate
                break
        relayed: list[str] = []
        polarity = Polarity.ASSERTS
        content = sentence.text
        if found is not None and speaker is not None:
            denial = found.verb.lower() in DENIAL_VERBS
            polarity = Polarity.DENIES if denial else Polarity.ASSERTS
            # "X dismissed the reports as propaganda" loses its sense without the verb.
            content = sentence.text if denial else found.content
            if found.told:
                relayed = [_clean_outlet(found.told)]
            if found.cited:
                origin = memory.resolve(found.cited)
                if origin is not None:
                    relayed = [speaker.source]
                    speaker = origin
        quoted = sentence.text.lstrip()[:1] in QUOTE_OPEN
        if speaker is None and _quoted_only(sentence.text) and previous_quote_speaker is not None:
            speaker = previous_quote_speaker  # a quote that goes on from the last speaker
        previous_quote_speaker = speaker if quoted or found else None
        tidy = _tidy(content)
        if not is_checkable(tidy) or (
            found is not None and found.verb.lower() in {"asked", "asks"}
        ):
            continue
        statements.append(
            ExtractedStatement(
                text=tidy,
                start=sentence.start,
                end=sentence.end,
                source=speaker.source if speaker else publisher,
                person=speaker.person if speaker else None,
                polarity=polarity,
                relayed_by=relayed,
            )
        )
    return statements
