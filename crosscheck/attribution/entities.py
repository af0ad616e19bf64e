"""Speakers as entities: one source name per speaker, with titles and asides moved off the name.

An extracted speaker phrase may carry a title ("Senate Majority Leader Mitch McConnell"), an
affiliation ("Edward Alden of the Council on Foreign Relations") or a clause ("..., who has
opposed tariffs"). The name stored as a source is the speaker's own; the phrase as written is
kept as an alias so that later mentions find the same source. A phrase that cannot be a name
(too long, or holding sentence punctuation) is refused: the statement is then unattributed.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass

from prometheus_client import Counter

from crosscheck.attribution.patterns import ORGANIZATION_WORDS
from crosscheck.textnorm import has_visible_characters

logger = logging.getLogger(__name__)

# "Deputy Secretary of State for Trade Policy Amira Osei" is about as long as a speaker runs.
MAX_NAME_CHARS = 100
MAX_NAME_WORDS = 10

REFUSED_SPEAKERS = Counter(
    "crosscheck_attribution_refused_speakers",
    "Extracted speaker phrases refused as names (the statement is stored unattributed)",
    ["reason"],
)


class Refusal(enum.StrEnum):
    """Why a speaker phrase is not taken for a name."""

    TOO_LONG = "too long for a name"
    NOT_A_NAME = "holds sentence punctuation"


@dataclass(frozen=True)
class SpeakerEntity:
    """The source a statement is stored under, the person who voiced it, and other names."""

    source: str
    person: str | None
    aliases: tuple[str, ...] = ()


# Words of titles and offices that stand before a person's name.
_TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary senator sen. sen rep. rep representative governor
    gov. gov mayor judge justice chief executive officer leader majority minority senate house
    speaker general gen. colonel col. captain capt. lieutenant lt. admiral sergeant sgt. major
    dr. dr professor prof. mr. mr mrs. mrs ms. ms deputy assistant under state foreign defense
    defence interior finance trade policy health justice home economy ambassador commissioner
    director chairman chairwoman chair ceo cfo coo spokesman spokeswoman spokesperson attorney
    police commander sheriff inspector chancellor premier president-elect former acting
    interim senior associate principal lead head managing founder co-founder of for the and
    operating financial technology information communications press technical medical legal
    public affairs
    u.s. us federal national regional state-level white
    """.split()
)
_NAME_WORD = re.compile(r"^[A-Z][\w.'’-]*$")
# ", who ...", ", an Iowa Republican", ", 54,": asides after a name
_ASIDE = re.compile(r",\s*(?:who|whose|which|an?|the|\d+|aged|himself|herself)\b.*$")
_PERSON_AT_BODY = re.compile(
    r"^(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})\s+(?:of|at|from|with)\s+"
    r"(?:the\s+)?(?P<body>[A-Z].*)$"
)
_SENTENCE_PUNCTUATION = re.compile(r"[\"“”;:?!…]|\s['‘]|['’]\s*$|\.\s+[a-z]")


def _refused(phrase: str, reason: Refusal) -> Refusal:
    REFUSED_SPEAKERS.labels(reason=reason.name.lower()).inc()
    logger.info("speaker phrase refused (%s): %.120s", reason.value, phrase)
    return reason


def _personal_name(phrase: str) -> str | None:
    """The person a titled phrase names ('Secretary of State John Kerry' -> 'John Kerry')."""
    words = phrase.split()
    if len(words) < 3 or words[0].lower() not in _TITLE_WORDS:
        return None
    while len(words) > 2 and words[0].lower() in _TITLE_WORDS:
        words.pop(0)
    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if any(w.lower() in _TITLE_WORDS or w.lower() in ORGANIZATION_WORDS for w in words):
        return None
    return " ".join(words)


def _names_a_body(words: str) -> bool:
    """'Royal Bank', 'Federal Reserve': words that name an organisation or office, not a person."""
    return any(w.lower() in ORGANIZATION_WORDS or w.lower() in _TITLE_WORDS for w in words.split())


def _voice(person: str) -> str:
    """The name of whoever spoke: 'ministry spokesman Pavel Drozdan' -> 'Pavel Drozdan'."""
    words = person.split()
    start = len(words)
    while (
        start > 0
        and _NAME_WORD.match(words[start - 1])
        and words[start - 1].lower() not in (_TITLE_WORDS)
    ):
        start -= 1
    named = words[start:]
    return " ".join(named) if 2 <= len(named) <= 4 and start > 0 else person


def _plain(name: str) -> str:
    return " ".join(name.split()).strip(" ,.;:")


def speaker_entity(source: str, person: str | None) -> SpeakerEntity | Refusal:
    """The entity behind an extracted (source, person) pair, or why the phrase was refused."""
    written = _plain(source)
    name = _plain(_ASIDE.sub("", written)) or written
    spoken = _plain(_ASIDE.sub("", person)) if person else None
    for phrase in (name, spoken or ""):
        if len(phrase) > MAX_NAME_CHARS or len(phrase.split()) > MAX_NAME_WORDS:
            return _refused(written, Refusal.TOO_LONG)
        if _SENTENCE_PUNCTUATION.search(phrase) or (phrase and not has_visible_characters(phrase)):
            return _refused(written, Refusal.NOT_A_NAME)
    speaks_for_self = spoken is None or spoken == name
    affiliated = _PERSON_AT_BODY.match(name)
    if speaks_for_self and affiliated and not _names_a_body(affiliated.group("person")):
        name = spoken = affiliated.group("person")  # "Edward Alden of the Council on ..."
    titled = _personal_name(name)
    if titled is not None and speaks_for_self:
        name = spoken = titled
    elif spoken is not None:
        spoken = _voice(spoken)
    aliases = (before,) if (before := _plain(_ASIDE.sub("", written))) != name else ()
    return SpeakerEntity(source=name, person=spoken, aliases=aliases)
