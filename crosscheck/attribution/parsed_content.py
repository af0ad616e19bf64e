"""Where the content a speech verb reports lies in its sentence, read from the parse."""

from __future__ import annotations

import re

from crosscheck.attribution.parser import ParsedSentence, ParsedToken

Span = tuple[int, int]

_CLOSING_QUOTE = re.compile(r'[.,!?]?[”"]')
_CLOSING_BRACKET = re.compile(r"\)")
_QUOTE_PAIRS = {"“": "”", '"': '"'}


def reported_span(sentence: ParsedSentence, verb: ParsedToken) -> Span | None:
    """Character span of what ``verb`` reports: its clauses, or the clause it hangs on."""
    children = sentence.children(verb)
    clauses = [c for c in children if c.dep == "ccomp"] or _that_clauses(sentence, verb)
    subjects = [c for c in children if c.dep == "nsubj"]
    if not clauses and len(subjects) > 1:
        # "A ferry capsized, killing 14, the coast guard said" with two subjects: the far one.
        clauses = [max(subjects, key=lambda c: abs(c.i - verb.i))]
    if clauses:
        tokens = sorted((t for c in clauses for t in sentence.subtree(c)), key=lambda t: t.i)
        return content_span(sentence, _stranded(sentence, verb, tokens) + tokens)
    if verb.dep == "parataxis":
        head = sentence.root_of(verb)
    elif verb.dep in {"ccomp", "advcl"} and verb.tag != "VBG":
        head = sentence.tokens[verb.head]
        if _introduced(sentence, verb, subjects):
            return None
    else:
        return _before_final_speaker(sentence, verb, subjects)
    # "'We will appeal,' the lawyer said": the content governs "said" in some parses.
    excluded = {t.i for t in sentence.subtree(verb)}
    before = [t for t in sentence.subtree(head) if t.i not in excluded and t.i < verb.i]
    return content_span(sentence, before)


def content_span(sentence: ParsedSentence, tokens: list[ParsedToken]) -> Span | None:
    """The span of ``tokens`` less any "according to" phrase, edge punctuation and "that";
    a quotation is taken whole, to its closing mark, however its parse was split."""
    span = _trimmed_span(_without_according(sentence, tokens))
    if span is None:
        return None
    start, end = span
    text = sentence.text
    opening = text[:start].rstrip()[-1:]
    if opening in _QUOTE_PAIRS:
        close_at = text.find(_QUOTE_PAIRS[opening], start)
        if close_at > end:
            end = start + len(text[start:close_at].rstrip(" ,"))
    content = text[start:end]
    if content.count("(") > content.count(")"):
        closing = _CLOSING_BRACKET.match(text, end)
        end = closing.end() if closing else end
    if content.count("“") > content.count("”") or content.count('"') % 2 == 1:
        closing = _CLOSING_QUOTE.match(text, end)  # often the verb's token, not the clause's
        end = closing.end() if closing else end
    return start, end


def is_according(token: ParsedToken) -> bool:
    return token.dep == "prep" and token.text.lower() == "according"


def _before_final_speaker(
    sentence: ParsedSentence, verb: ParsedToken, subjects: list[ParsedToken]
) -> Span | None:
    """The content of "<content>, the engineer added." however it was parsed."""
    subject = next((s for s in subjects if s.i < verb.i), None)
    if subject is None or not all(t.is_punct for t in sentence.tokens[verb.i + 1 :]):
        return None
    opening = sentence.subtree(subject)[0].i
    if opening < 2 or sentence.tokens[opening - 1].text != ",":
        return None
    return content_span(sentence, list(sentence.tokens[: opening - 1]))


def _that_clauses(sentence: ParsedSentence, verb: ParsedToken) -> list[ParsedToken]:
    """A "that" clause the parse hung lower down: "said in a statement that ..."."""
    for token in sentence.subtree(verb):
        if token.i > verb.i and token.dep == "mark" and _is_that(token):
            return [sentence.tokens[token.head]]
    return []


def _stranded(
    sentence: ParsedSentence, verb: ParsedToken, tokens: list[ParsedToken]
) -> list[ParsedToken]:
    """Tokens before content that leads the sentence, parsed as a root of their own."""
    if not tokens or tokens[-1].i > verb.i:
        return []
    root = sentence.root_of(verb)
    before = sentence.tokens[: tokens[0].i]
    if any(sentence.root_of(t) == root for t in before if not t.is_punct):
        return []
    return list(before)


def _introduced(sentence: ParsedSentence, verb: ParsedToken, subjects: list[ParsedToken]) -> bool:
    """Whether "after", "because" and the like open the clause: "after the lender said"."""
    opening = min((sentence.subtree(s)[0].i for s in subjects), default=verb.i)
    return any(c.dep == "mark" and c.i == opening - 1 for c in sentence.children(verb))


def _without_according(sentence: ParsedSentence, tokens: list[ParsedToken]) -> list[ParsedToken]:
    """``tokens`` less any "according to ..." phrase: that names a source, not content."""
    dropped = {t.i for a in tokens if is_according(a) for t in sentence.subtree(a)}
    return [t for t in tokens if t.i not in dropped]


def _is_that(token: ParsedToken) -> bool:
    """A "that" which opens a reported clause, however it was parsed ("That man" is DT)."""
    return token.text.lower() == "that" and (token.tag == "IN" or token.dep == "mark")


def _trimmed_span(tokens: list[ParsedToken]) -> Span | None:
    start, end = 0, len(tokens)
    while start < end and (tokens[start].is_punct or _is_that(tokens[start])):
        start += 1
    while end > start and tokens[end - 1].is_punct:
        end -= 1
    if start == end:
        return None
    return tokens[start].start, tokens[end - 1].end
