"""Statements of a document, each attributed to who asserted it (not the outlet that printed it)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace

from crosscheck.attribution.cues import CONFIDENCE, Cue
from crosscheck.attribution.entities import Refusal, speaker_entity
from crosscheck.attribution.patterns import (
    ACCORDING_TO_FIRST,
    ACCORDING_TO_LAST,
    ACCORDING_TO_MID,
    BODY_DOCUMENT_SAYS,
    BODY_ISSUED,
    BOILERPLATE,
    CAPTION,
    CONTENT_THEN_SPEAKER,
    DATELINE,
    DENIAL_VERBS,
    DOCUMENT_BY,
    DOCUMENT_NOUNS,
    FINDINGS_OF,
    LIST_MARK,
    MID_SENTENCE,
    NO_COMMENT,
    OWN_DOCUMENT,
    PASSIVE_BY,
    PLAIN_SAY_VERBS,
    PUT_FIGURE_AT,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    QUOTE_THEN_DASH_SPEAKER,
    QUOTE_THEN_SPEAKER,
    RELAY_VERBS,
    RELEASED_BY,
    SECOND_CLAUSE_SPEAKS,
    SPEAKER_THEN_CONTENT,
    SPEAKER_THEN_PARTICIPLE,
    SUBJECT,
    SUBJECT_CITING,
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
    cue: Cue = Cue.NARRATION
    aliases: tuple[str, ...] = ()  # other names of the source, as the text wrote them

    @property
    def attributed(self) -> bool:
        """False when the publisher stands in for a speaker the text did not let us name."""
        return self.cue is not Cue.UNATTRIBUTED

    @property
    def confidence(self) -> float:
        """How often an attribution resting on this cue is right (see ``cues.CONFIDENCE``)."""
        return CONFIDENCE[self.cue]


@dataclass(frozen=True)
class _Match:
    speaker_phrase: str
    content: str
    verb: str
    cited: str | None = None
    told: str | None = None
    document: bool = False  # the speaker is the author of a report, audit or notice


_QUOTE_MARK = re.compile(r"[\"“”]|(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")


def tidy(content: str) -> str:
    """Content as a sentence of its own: quote marks dropped (apostrophes kept), capitalised."""
    text = _QUOTE_MARK.sub("", content.strip())
    text = " ".join(text.split()).rstrip(",;: ")
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def _candidates(sentence: str) -> list[_Match]:
    """Readings of ``sentence`` as attributed speech, most specific first."""
    found: list[_Match] = []
    match = QUOTE_THEN_DASH_SPEAKER.match(sentence)
    if match:
        found.append(_Match(match.group("speaker"), match.group("content"), "said"))
    match = QUOTE_THEN_SPEAKER.match(sentence)
    if match:
        content = match.group("content")
        rest = match.group("rest") or ""
        if rest[:1] in QUOTE_OPEN:
            content = f"{content} {rest}"
        speaker = match.group("speaker1") or match.group("speaker2")
        verb = match.group("verb1") or match.group("verb2")
        audience = match.group("audience") if verb.lower() in TELLING_VERBS else None
        found.append(_Match(speaker, content, verb, told=audience))
    # "according to its filing" / "according to a notice filed with the ministry": the
    # document's author is the sentence's subject, if no other reading names someone.
    by_subject: list[_Match] = []
    for pattern in (ACCORDING_TO_FIRST, ACCORDING_TO_LAST):
        match = pattern.match(sentence)
        if match:
            cited = match.groupdict().get("cited")
            reading = _Match(match.group("speaker"), match.group("content"), "according to", cited)
            if _owned_document(match.group("speaker")):
                subject = SUBJECT.match(_LEADING_PHRASE.sub("", match.group("content")))
                if subject:
                    by_subject.append(_Match(subject.group("subject"), reading.content, "put"))
            else:
                found.append(reading)
    match = ACCORDING_TO_MID.match(sentence)
    if match and not _owned_document(match.group("speaker")):
        content = f"{match.group('content')}, {match.group('rest')}"
        found.append(_Match(match.group("speaker"), content, "according to"))
    match = CONTENT_THEN_SPEAKER.match(sentence)
    # "..., denied the report": a verb that takes an object does not invert with its speaker
    inverted_object = match is not None and (match.group("verb1") or "").lower() in _TAKES_OBJECT
    if match and len(match.group("content").split()) >= 3 and not inverted_object:
        speaker = match.group("speaker1") or match.group("speaker2")
        verb = match.group("verb1") or match.group("verb2")
        audience = match.group("audience")
        relay = audience if verb.lower() in TELLING_VERBS else None
        found.append(_Match(speaker, match.group("content"), verb, match.group("cited"), relay))
    match = SPEAKER_THEN_CONTENT.match(sentence)
    if match:
        verb = match.group("verb")
        relay = match.group("audience") if verb.lower() in TELLING_VERBS else None
        cited = match.group("cited") or match.group("cited_first")
        said = match.group("that") or verb.lower() in PLAIN_SAY_VERBS or cited
        # "Austin highlighted the risks" needs its verb; "Kirby said the troops..." does not.
        content = match.group("content") if said else sentence
        found.append(_Match(match.group("speaker"), content, verb, cited, relay))
    for pattern in (PUT_FIGURE_AT, BODY_DOCUMENT_SAYS, RELEASED_BY, BODY_ISSUED, DOCUMENT_BY):
        match = pattern.match(sentence)
        if match:
            is_document = pattern in (BODY_DOCUMENT_SAYS, DOCUMENT_BY)
            found.append(_Match(match.group("speaker"), sentence, "put", document=is_document))
    if OWN_DOCUMENT.match(sentence):
        found.append(_Match("it", sentence, "put", document=True))
    match = PASSIVE_BY.match(sentence)
    if match:
        found.append(_Match(match.group("speaker"), sentence, match.group("verb")))
    match = FINDINGS_OF.match(sentence)
    if match:
        speaker_phrase = match.group("speaker") or match.group("body")
        found.append(_Match(speaker_phrase, sentence, "put", document=True))
    match = MID_SENTENCE.match(sentence)
    if match:
        rest = match.group("rest")
        joined = rest if re.match(r"(?:and|but)\b", rest) else f"and {rest}"
        content = f"{match.group('content')}, {joined}"
        found.append(_Match(match.group("speaker"), content, match.group("verb")))
    match = SPEAKER_THEN_PARTICIPLE.match(sentence)
    if match:
        found.append(_Match(match.group("speaker"), match.group("content"), match.group("verb")))
    match = SUBJECT_CITING.match(sentence)
    if match:
        found.append(_Match(match.group("speaker"), sentence, "put"))
    # "ballots were later rejected": a passive verb has no speaker
    return [m for m in found + by_subject if not _PASSIVE_TAIL.search(m.speaker_phrase)]


_TAKES_OBJECT = DENIAL_VERBS | {"blamed", "blames", "attributed", "accused", "accuses", "called"}
_PASSIVE_TAIL = re.compile(r"\b(?:was|were|been|be|being|is|are)(?:\s+\w+ly|\s+later|\s+also)?$")


_LEADING_PHRASE = re.compile(
    r"^(?:At|In|On|By|Since|After|Before|During|Last|This|Earlier|Later)\b[^,]{0,40},\s+"
)


def _owned_document(phrase: str) -> bool:
    """'its latest filing', 'a notice filed with the ministry': a document with no named author."""
    words = phrase.strip().lower().split()
    if {"from", "by", "of"} & set(words):
        return False  # "a statement from the unit" names its author
    return bool(words) and (
        (words[0] in {"its", "their"} and any(w in DOCUMENT_NOUNS for w in words[:4]))
        or (words[0] in {"a", "an"} and any(w in DOCUMENT_NOUNS for w in words[1:3]))
    )


_REFERRING = re.compile(r"^(?:he|she|they|it|the\s+[a-z][\w\s'’-]*|its\s+[a-z][\w\s'’-]*)$")


def _cue_of(found: _Match, relayed: bool) -> Cue:
    """The cue of an attribution the rules found."""
    phrase = " ".join(found.speaker_phrase.split()).strip(" ,.;:")
    if relayed:
        return Cue.RELAYED
    if found.verb.lower() == "according to":
        return Cue.ACCORDING_TO
    if found.document or found.verb == "put":
        return Cue.DOCUMENT
    if _REFERRING.match(phrase):
        return Cue.REFERENCE
    return Cue.SPEECH_VERB


def _as_entity(statement: ExtractedStatement, publisher: str) -> ExtractedStatement:
    """The statement under its speaker's own name, or unattributed when that is no name."""
    if not statement.attributed or statement.cue is Cue.NARRATION:
        return statement
    outlets = [o for o in statement.relayed_by if not isinstance(speaker_entity(o, None), Refusal)]
    entity = speaker_entity(statement.source, statement.person)
    if isinstance(entity, Refusal):
        return replace(
            statement, source=publisher, person=None, relayed_by=outlets, cue=Cue.UNATTRIBUTED
        )
    return replace(
        statement,
        source=entity.source,
        person=entity.person,
        relayed_by=outlets,
        aliases=entity.aliases,
    )


def _inner_attribution(content: str, memory: SpeakerMemory) -> tuple[Speaker, str] | None:
    """The speaker and content of attributed speech inside relayed content, if any."""
    for inner in _candidates(content):
        if inner.verb.lower() in RELAY_VERBS:
            continue
        speaker = memory.resolve(inner.speaker_phrase)
        if speaker is not None:
            return speaker, inner.content
    return None


def _clean_outlet(name: str) -> str:
    return re.sub(r"^[Tt]he\s+", "", name.strip(" .,"))


def _may_hold_a_statement(sentence: str) -> bool:
    """Not a heading, byline or prompt: a sentence that ends like one and is no boilerplate."""
    stripped = sentence.rstrip()
    ends_like_sentence = (
        stripped[-1:] in ".!?"
        or stripped[-1:] in QUOTE_CLOSE
        or QUOTE_THEN_DASH_SPEAKER.match(stripped) is not None
    )
    shortest = 3 if _DENIAL.search(stripped) else MIN_WORDS
    return (
        ends_like_sentence
        and len(stripped.split()) >= shortest
        and not BOILERPLATE.search(stripped)
    )


_OPINION = re.compile(
    r"\b(?:should|must|ought to|deserve[sd]?|sad|heartbreaking|tragic|dark day|thoughts are with|"
    r"feared|hope|shame|disgrace|outrage(?:ous)?|wonderful|terrible|disaster waiting|insult|"
    r"nightmare|unacceptable|ridiculous|absurd|appalling|shameful|scandal(?:ous)?|soft targets?|"
    r"gambled|hard to \w+|waiting to happen|add up|(?:un)?convinced|first priority|"
    r"in good conscience|questions (?:are|were|remain)|the only thing|most thoroughly|sorry|"
    r"worrying)\b",
    re.IGNORECASE,
)
# Feelings and promises in the first person, and predictions: nothing to check yet.
_FIRST_PERSON_STANCE = re.compile(
    r"^(?:I|We)\s+(?:\w+ly\s+)?(?:think|thought|feel|felt|believe|hope|fear|know how|regret|"
    r"are sorry|am sorry|are not against|are against|will not|won't|are (?:not )?going to|"
    r"am (?:not )?going to|keep thinking|want)\b|\b(?:is|are|'s|'re) (?:not )?going to\b|"
    r"\bwe\s+(?:intend|plan|want|will|need)\b|^I\s+(?:cannot|can't|understand|won't)\b|"
    r"^(?:Nobody|No one|Anyone|Everyone|Everybody)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(r"\b(?:" + "|".join(sorted(DENIAL_VERBS)) + r")\b", re.IGNORECASE)
# Verbs of appeal: "X urged riders to stay calm" asks for something, it asserts nothing.
APPEAL_VERBS = frozenset({"asked", "asks", "urged", "urges", "appealed", "pleaded", "begged"})
_APPEAL = re.compile(
    r"\b(?:urged|urges|urge|appealed|pleaded|begged|called on|calls on|call on)\b|^If\s"
)
# What makes a narrative sentence checkable: a figure, a name, or a date.
_FACT_ANCHOR = re.compile(
    r"\d|(?<=\s)[A-Z][a-z]|\b(?:yesterday|today|tonight|last|next|this)\s+(?:week|month|year|"
    r"night|morning)\b|\b(?:has|had|was|were|did|\w{3,}ed)\b"
)


def is_checkable(content: str, *, attributed: bool = True) -> bool:
    """Whether content could be checked: not a question, appeal, feeling or bare opinion.

    A sentence nobody is quoted for must also carry a figure, a name, a date or an event in the
    past: present-tense colour ("Pressure is building") is the writer's, not a checkable fact.
    """
    shortest = 3 if _DENIAL.search(content) else MIN_WORDS - 1  # "The club disputes that."
    if len(content.split()) < shortest or content.rstrip(".").endswith("?"):
        return False
    if _FIRST_PERSON_STANCE.search(content) and not re.search(r"\d", content):
        return False
    if _APPEAL.search(content) or NO_COMMENT.search(content):
        return False
    if not attributed and not _FACT_ANCHOR.search(content):
        return False
    has_figure = bool(re.search(r"\d", content))
    return has_figure or not _OPINION.search(content)


def _opens_quote(sentence: str) -> bool:
    """A sentence that is a quote (or starts one that runs on): it goes on from a speaker."""
    return sentence.strip()[:1] in QUOTE_OPEN


def _clauses(sentence: Sentence) -> list[Sentence]:
    """The sentence, or its two clauses when the second names a speaker of its own."""
    match = SECOND_CLAUSE_SPEAKS.match(sentence.text)
    if match is None or _opens_quote(sentence.text):
        return [sentence]
    first_end = sentence.start + match.end("first")
    second_start = sentence.start + match.start("second")
    return [
        Sentence(match.group("first") + ".", sentence.start, first_end),
        Sentence(match.group("second"), second_start, sentence.end),
    ]


def _lines(text: str) -> list[Sentence]:
    """Sentences (or clauses) of every line (paragraph) of ``text``, with offsets into it."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if CAPTION.search(line):  # a photo caption and its credit
            offset += len(line)
            continue
        for sentence in split_sentences(line):
            located = Sentence(sentence.text, offset + sentence.start, offset + sentence.end)
            sentences.extend(_clauses(located))
        offset += len(line)
    return sentences


# An interview printed as questions and answers: "Q: ..." then "A: ..."
_QUESTION_LINE = re.compile(r"^\s*Q\s*[:.]\s", re.MULTILINE)
_ANSWER = re.compile(r"^A\s*[:.]\s+")
# Who answers: the person the introduction opens a sentence with ("Jane Roe has run ...")
_INTRODUCED = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<person>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2})"
    r"(?:,[^,\n]{3,80},)?\s+(?:has|had|is|was|runs|ran|leads|led|took|became|spoke|joined)\b",
    re.MULTILINE,
)


def _interviewee(text: str) -> Speaker | None:
    """The person whose answers a question-and-answer interview prints, if it is one."""
    first_question = _QUESTION_LINE.search(text)
    if first_question is None:
        return None
    introduced = _INTRODUCED.search(text, 0, first_question.start())
    if introduced is None:
        return None
    person = introduced.group("person")
    return Speaker(source=person, person=person, is_person=True)


def extract_statements(text: str, publisher: str) -> list[ExtractedStatement]:
    """Checkable statements of ``text``; unattributed ones are the publisher's own.

    Two passes: the first learns who the document introduces, so that a body named only later
    ("two ministry officials" before "the Ministry of Transport") still resolves.
    """
    first = SpeakerMemory()
    first.learn_mentions(text)
    _extract(text, publisher, first)
    second = SpeakerMemory(by_name=dict(first.by_name), text=text, described=first.described)
    return [_as_entity(statement, publisher) for statement in _extract(text, publisher, second)]


def _extract(text: str, publisher: str, memory: SpeakerMemory) -> list[ExtractedStatement]:
    statements: list[ExtractedStatement] = []
    previous_quote_speaker: Speaker | None = None
    interviewee = _interviewee(text)
    answering = False  # inside an interview's answer: its sentences are the interviewee's
    for line_sentence in _lines(text):
        dateline = DATELINE.match(line_sentence.text) or LIST_MARK.match(line_sentence.text)
        answer = _ANSWER.match(line_sentence.text) if interviewee is not None else None
        if interviewee is not None and (answer or _QUESTION_LINE.match(line_sentence.text)):
            answering = answer is not None
        cut = answer.end() if answer else dateline.end() if dateline else 0
        sentence = Sentence(line_sentence.text[cut:], line_sentence.start + cut, line_sentence.end)
        if not _may_hold_a_statement(sentence.text):
            previous_quote_speaker = None
            continue
        speaker: Speaker | None = None
        found: _Match | None = None
        memory.previous, memory.context = memory.context, sentence.text
        memory.position = sentence.start
        for candidate in _candidates(sentence.text):
            speaker = memory.resolve(candidate.speaker_phrase)
            if speaker is not None:
                found = candidate
                break
        relayed: list[str] = []
        polarity = Polarity.ASSERTS
        content = sentence.text
        cue = Cue.NARRATION
        if found is not None and speaker is not None:
            if found.document:
                memory.last_document = speaker
            denial = found.verb.lower() in DENIAL_VERBS
            polarity = Polarity.DENIES if denial else Polarity.ASSERTS
            # "X dismissed the reports as propaganda" loses its sense without the verb.
            content = sentence.text if denial else found.content
            outlet = _clean_outlet(found.told or "")
            if outlet[:1].isupper():  # "told Reuters", not "told reporters"
                relayed = [outlet]
                memory.outlets.add(outlet)
            origin = memory.resolve(found.cited) if found.cited else None
            relays = found.verb.lower() in RELAY_VERBS
            if relays and origin is None:
                # "Officials said X, the newspaper reported": the origin is inside the content.
                inner = _inner_attribution(found.content, memory)
                if inner is not None:
                    origin, content = inner
            if relays or origin is not None:
                memory.reported(speaker, origin, found.cited)
            elif memory.origin_of(speaker) is not None:
                origin = memory.origin_of(speaker)  # "according to the newspaper": its sources
            if origin is not None:
                relayed = [speaker.source]
                speaker = origin
            cue = _cue_of(found, relayed=origin is not None)
        if found is None:
            memory.mentioned(sentence.text)  # "Marchetti declined to say...": she is in focus
        quoted = sentence.text.lstrip()[:1] in QUOTE_OPEN
        if speaker is None and answering and interviewee is not None:
            speaker, cue = interviewee, Cue.INTERVIEW
        elif speaker is None and _opens_quote(sentence.text) and previous_quote_speaker is not None:
            speaker = previous_quote_speaker  # a quote that goes on from the last speaker
            cue = Cue.QUOTE_CONTINUES
        elif speaker is None and quoted:
            cue = Cue.UNATTRIBUTED  # somebody's words, but the text does not say whose
        previous_quote_speaker = speaker if quoted or found else None
        tidied = tidy(content)
        if not is_checkable(tidied, attributed=speaker is not None) or (
            found is not None and found.verb.lower() in APPEAL_VERBS
        ):
            continue
        statements.append(
            ExtractedStatement(
                text=tidied,
                start=sentence.start,
                end=sentence.end,
                source=speaker.source if speaker else publisher,
                person=speaker.person if speaker else None,
                polarity=polarity,
                relayed_by=relayed,
                cue=cue,
            )
        )
    return statements
