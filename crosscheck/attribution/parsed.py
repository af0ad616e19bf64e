"""Who a sentence says is speaking, read from its dependency parse and named entities."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from crosscheck.attribution.parsed_content import (
    Span,
    content_span,
    is_according,
    reported_span,
)
from crosscheck.attribution.parsed_speaker import (
    named_person,
    phrase_text,
    speaker_organization,
    speaker_phrase,
    without_honorific,
)
from crosscheck.attribution.parser import ParsedSentence, ParsedToken

SPEECH_VERBS = frozenset(
    "say tell add state claim deny announce report warn insist argue confirm reject dismiss"
    " explain note write estimate acknowledge admit allege assert contend maintain predict"
    " suggest testify concede caution stress tweet declare accuse refute".split()
)
DENIAL_VERBS = frozenset({"deny", "reject", "dismiss", "refute"})
# Verbs with an everyday sense besides speech ("added 12 flights", "maintains a fleet"): they
# count only when they report something.
_CONTENT_ONLY = frozenset(
    {"add", "maintain", "note", "state", "write", "suggest", "explain", "stress"}
)
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})

# The form of attribution the parse shows (not cues.Cue, what a stored attribution rests on)
SpeechForm = Literal["speech verb", "according to", "inverted speech verb"]


@dataclass(frozen=True)
class ParsedAttribution:
    """Who a sentence says is speaking: the subject as written, its person and body, the verb.

    ``speaker_text`` is lower-cased when it is a pronoun, for a caller to resolve; generic
    subjects ("officials") come with neither person nor organization. ``verb`` is a lemma, or
    "according to". The content offsets index the sentence's text.
    """

    speaker_text: str
    person: str | None
    organization: str | None
    verb: str
    form: SpeechForm
    content_start: int | None
    content_end: int | None
    denies: bool

    @property
    def is_pronoun(self) -> bool:
        return self.speaker_text in PRONOUNS


def find_attribution(sentence: ParsedSentence) -> ParsedAttribution | None:
    """The attribution of the sentence's outermost speech predicate, or None when it has none.

    The predicate nearest the root wins: in "X said Y had claimed Z", X speaks.
    """
    found = list(_attributions(sentence))
    if not found:
        return None
    return min(found, key=lambda item: (sentence.depth(item[0]), item[0].i))[1]


def _attributions(sentence: ParsedSentence) -> Iterator[tuple[ParsedToken, ParsedAttribution]]:
    """Each speech predicate of the sentence with the attribution it makes."""
    for token in sentence.tokens:
        if is_according(token):
            attribution = _according_to(sentence, token)
        elif token.lemma in SPEECH_VERBS and token.tag.startswith("VB"):
            attribution = _speech_verb(sentence, token)
        else:
            continue
        if attribution is not None:
            yield token, attribution


def _according_to(sentence: ParsedSentence, according: ParsedToken) -> ParsedAttribution | None:
    to = next((c for c in sentence.children(according) if c.text.lower() == "to"), None)
    source = to and next((c for c in sentence.children(to) if c.dep == "pobj"), None)
    if source is None:
        return None
    phrase = {t.i for t in sentence.subtree(according)}
    clause = [t for t in sentence.subtree(sentence.tokens[according.head]) if t.i not in phrase]
    # The content is the rest of the clause when the phrase opens or closes it.
    inside = bool(clause) and clause[0].i < according.i < clause[-1].i
    span = None if inside else content_span(sentence, clause)
    return _attribution(sentence, source, "according to", "according to", span)


def _speech_verb(sentence: ParsedSentence, verb: ParsedToken) -> ParsedAttribution | None:
    # Not a statement: "confirmed cases", "before adding", "declined to say", "a story
    # written", "radioed to report".
    if (
        verb.dep in {"amod", "pcomp", "xcomp", "csubj"}
        or (verb.dep == "acl" and verb.tag != "VBG")
        or (verb.dep == "advcl" and verb.tag == "VB")
    ):
        return None
    if any(c.dep == "neg" for c in sentence.children(verb)):
        return None  # "did not say whether", "would not confirm"
    content = reported_span(sentence, verb)
    if content is None and verb.lemma in _CONTENT_ONLY:
        return None
    subject = _subject(sentence, verb)
    if subject is None:
        return None
    inverted = subject.dep == "nsubj" and subject.head == verb.i and subject.i > verb.i
    form: SpeechForm = "inverted speech verb" if inverted else "speech verb"
    return _attribution(sentence, subject, verb.lemma, form, content)


def _subject(sentence: ParsedSentence, verb: ParsedToken) -> ParsedToken | None:
    """The head of who speaks through ``verb``: its subject, or one it shares."""
    children = sentence.children(verb)
    subjects = [c for c in children if c.dep in _SUBJECTS]
    # Two subjects: "A ferry capsized, killing 14, the coast guard said" (the near one speaks).
    subject = min(subjects, key=lambda c: abs(c.i - verb.i), default=None)
    if subject is not None and subject.dep == "nsubjpass":
        # "It was announced by the ministry": the agent speaks; with none, nobody is named.
        by = next((c for c in children if c.dep == "agent"), None)
        return by and next((c for c in sentence.children(by) if c.dep == "pobj"), None)
    if subject is not None and subject.tag in {"WP", "WDT"} and verb.dep == "relcl":
        subject = sentence.tokens[verb.head]  # "analysts who said": the analysts
    if subject is not None:
        negated = any(c.text.lower() == "no" for c in sentence.children(subject))
        return None if negated else subject  # "no document says"
    head = sentence.tokens[verb.head]
    if verb.dep == "acl":
        return head  # "a statement saying"
    if verb.dep == "advcl":
        return _own_subject(sentence, head)  # "..., saying"
    if verb.dep == "conj":
        # "X said A and denied B": the parse may hang "denied" on a verb inside A, so the
        # nearest speech verb above, through reported clauses, is whose subject it shares.
        for ancestor in _clause_ancestors(sentence, head):
            if ancestor.lemma in SPEECH_VERBS and (found := _own_subject(sentence, ancestor)):
                return found
        return _own_subject(sentence, head)
    if verb.dep == "parataxis":
        return _own_subject(sentence, sentence.root_of(verb))
    if verb.dep == "ROOT":  # a subject the parse lost: "At the school, the head, Dr X, said"
        named = [e for e in sentence.entities if e.label == "PERSON" and e.end <= verb.start]
        return sentence.tokens_of(named[-1])[-1] if named else None
    return None


def _own_subject(sentence: ParsedSentence, verb: ParsedToken) -> ParsedToken | None:
    return next((c for c in sentence.children(verb) if c.dep == "nsubj"), None)


def _clause_ancestors(sentence: ParsedSentence, token: ParsedToken) -> Iterator[ParsedToken]:
    """``token`` and the verbs above it, while each hangs on the next as a clause or conjunct."""
    yield token
    while token.dep in {"ccomp", "conj"}:
        token = sentence.tokens[token.head]
        yield token


def _attribution(
    sentence: ParsedSentence, head: ParsedToken, verb: str, form: SpeechForm, content: Span | None
) -> ParsedAttribution:
    """The attribution to the subject headed by ``head``."""
    content_start, content_end = content if content else (None, None)
    denies = verb in DENIAL_VERBS
    if head.tag == "PRP":
        pronoun = head.text.lower()
        return ParsedAttribution(
            pronoun, None, None, verb, form, content_start, content_end, denies
        )
    phrase = speaker_phrase(sentence, head)
    person = named_person(sentence, head, phrase)
    return ParsedAttribution(
        speaker_text=phrase_text(sentence, phrase),
        person=without_honorific(person.text) if person else None,
        organization=speaker_organization(sentence, head, phrase, person),
        verb=verb,
        form=form,
        content_start=content_start,
        content_end=content_end,
        denies=denies,
    )
