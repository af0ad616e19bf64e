"""The speaker's subject phrase as written, the person it names and the body it speaks for."""

from __future__ import annotations

import re

from crosscheck.attribution.parser import ParsedEntity, ParsedSentence, ParsedToken

_ORG_LABELS = ("ORG", "GPE", "NORP")
# The tagger counts these into a PERSON ("Ms Adebanjo"); the name is what follows.
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Cllr|Councillor)\.?\s+(?=\S)")


def speaker_phrase(sentence: ParsedSentence, head: ParsedToken) -> list[ParsedToken]:
    """The subject phrase: ``head``'s subtree less relative clauses, "citing ..." and edge
    punctuation."""
    kept = sentence.subtree(head, skip={"relcl"})
    for relay in [t for t in kept if t.dep == "acl" and t.lemma == "cite"]:
        cited = {t.i for t in sentence.subtree(relay)}
        kept = [t for t in kept if t.i not in cited]
    gaps = {t.i for t in sentence.subtree(head)} - {t.i for t in kept}
    # Commas that framed a dropped clause go with it: "McConnell, who ..., said".
    kept = [t for t in kept if not (t.dep == "punct" and {t.i - 1, t.i + 1} & gaps)]
    while kept and kept[-1].is_punct:
        kept.pop()
    while kept and kept[0].is_punct:
        kept.pop(0)
    if not kept:
        return [head]
    # A title the parse cut off as a root of its own: "Deputy health officer | Dr. X said".
    before = sentence.tokens[: kept[0].i]
    root = sentence.root_of(head)
    if before and all(sentence.root_of(t) != root and not t.is_punct for t in before):
        return [*before, *kept]
    return kept


def phrase_text(sentence: ParsedSentence, tokens: list[ParsedToken]) -> str:
    """The tokens as written; runs of adjacent tokens are joined by one space across a gap."""
    runs: list[str] = []
    first = previous = tokens[0]
    for token in tokens[1:]:
        if token.i != previous.i + 1:
            runs.append(sentence.text[first.start : previous.end])
            first = token
        previous = token
    runs.append(sentence.text[first.start : previous.end])
    return " ".join(runs)


def named_person(
    sentence: ParsedSentence, head: ParsedToken, phrase: list[ParsedToken]
) -> ParsedEntity | None:
    """The person the subject names: the head's own name, or one set beside it (apposition)."""
    own = {t.i for t in sentence.subtree(head, skip={"prep", "relcl", "acl"})}
    at_head_first = sorted(_entities_over(sentence, phrase), key=lambda e: not _covers(e, head))
    for entity in at_head_first:
        last = sentence.tokens_of(entity)[-1]
        if (
            entity.label == "PERSON"
            and last.i in own
            and last.tag.startswith("NNP")
            and (last.dep != "amod" or last.i == head.i)  # not "a Lestrian driver"
        ):
            return entity
    return _titled_name(sentence, head)


def without_honorific(name: str) -> str:
    honorific = _HONORIFIC.match(name)
    return name[honorific.end() :] if honorific else name


def speaker_organization(
    sentence: ParsedSentence,
    head: ParsedToken,
    phrase: list[ParsedToken],
    person: ParsedEntity | None,
) -> str | None:
    """The body the speaker is or speaks for: an ORG, GPE or NORP named in the subject."""
    if person is not None:  # "a driver hauling wheat to Vashti": Vashti is not his employer
        described = {t.i for t in sentence.subtree(head, skip={"acl"})}
        phrase = [t for t in phrase if t.i in described]
    candidates = [
        e
        for e in _entities_over(sentence, phrase)
        if e.label in _ORG_LABELS and not (person and e.start < person.end and person.start < e.end)
    ]
    if not candidates:
        return None
    possessor = _possessor(sentence, head)
    at_head = next((e for e in candidates if _covers(e, head)), None)
    if at_head is not None:  # "Korvany's" + "Interior Ministry"
        start = possessor.start if possessor and possessor.start < at_head.start else at_head.start
        return _without_article(sentence.text[start : at_head.end])
    owned = possessor is not None and any(_covers(e, possessor) for e in candidates)
    if possessor is not None and owned and person is None and head.tag.startswith("NNP"):
        return _without_article(sentence.text[possessor.start : head.end])  # "Lestria's Army"
    chosen = min(candidates, key=lambda e: (_ORG_LABELS.index(e.label), e.start))
    return _without_article(chosen.text)


def _titled_name(sentence: ParsedSentence, head: ParsedToken) -> ParsedEntity | None:
    """A name the tagger missed or called an organization, after a title: "chief operating
    officer Lena Marchetti", "Ms Marchbank"."""
    if not head.tag.startswith("NNP"):
        return None
    name = [head]
    compounds = [c for c in sentence.children(head) if c.dep == "compound" and c.i < head.i]
    for token in reversed(compounds):
        if token.i != name[0].i - 1 or not token.tag.startswith("NNP"):
            break
        name.insert(0, token)
    if _HONORIFIC.match(sentence.text, name[0].start) and len(name) > 1:
        name = name[1:]
    elif len(name) < 2 or not any(c.tag in {"NN", "NNS"} and c.text.islower() for c in compounds):
        return None
    start, end = name[0].start, name[-1].end
    return ParsedEntity(sentence.text[start:end], "PERSON", start, end)


def _possessor(sentence: ParsedSentence, head: ParsedToken) -> ParsedToken | None:
    """The first token of the proper-noun possessor of ``head`` ("Lestria" in "Lestria's")."""
    owner = next((c for c in sentence.children(head) if c.dep == "poss"), None)
    if owner is None or not owner.tag.startswith("NNP"):
        return None
    return sentence.subtree(owner)[0]


def _entities_over(sentence: ParsedSentence, tokens: list[ParsedToken]) -> list[ParsedEntity]:
    starts = {t.start for t in tokens}
    return [e for e in sentence.entities if any(e.start <= s < e.end for s in starts)]


def _covers(entity: ParsedEntity, token: ParsedToken) -> bool:
    return entity.start <= token.start < entity.end


def _without_article(name: str) -> str:
    for article in ("the ", "The "):
        if name.startswith(article):
            return name[len(article) :]
    return name
