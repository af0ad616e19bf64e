"""Posts as people paste them, made into text to match: signatures, links, handles, hashtags.

A pasted tweet ends with its signature ("— Name (@handle) Month D, YYYY"): the name stays (who
posted often names what the post is about), the handle and date go. Links and picture links go;
``@handles`` and ``#HashTags`` become their words ("#AustralianFires" -> "Australian Fires");
emoji and other symbols go. Chosen on the CheckThat! 2020 train tweets (bench/claim_matching.py).
"""

from __future__ import annotations

import html
import re

from crosscheck.stance.evidence import split_sentences
from crosscheck.textnorm import clean_text

# A post is matched whole; one longer than a tweet can be, sentence by sentence too.
TWEET_CHARS = 280
MIN_SENTENCE_CHARS = 20
MAX_SENTENCES = 8

_SIGNATURE = re.compile(
    r"\s*[\u2014\u2013]+\s*(?P<name>[^\u2014\u2013()]{1,80}?)\s*\(@\w{1,30}\)\s*"
    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?[\s\"'\u201d]*$"
)
_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
_MENTION_OR_TAG = re.compile(r"[@#](\w+)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Letters, digits, and the punctuation that carries meaning in a claim; the rest is decoration.
_DECORATION = re.compile(r"[^\w\s.,;:!?'\"()%$€£&/+-]")
_SPACES = re.compile(r"\s+")


def _words_of(match: re.Match[str]) -> str:
    return _CAMEL.sub(" ", match.group(1)).replace("_", " ")


def normalize_post(text: str) -> str:
    """The post's words to match on; the raw text stays what the answer shows."""
    text = html.unescape(clean_text(text))
    signature = _SIGNATURE.search(text)
    name = ""
    if signature is not None:
        text, name = text[: signature.start()], signature.group("name")
    text = _LINK.sub(" ", text)
    text = _MENTION_OR_TAG.sub(_words_of, text)
    text = _DECORATION.sub(" ", f"{text} {name}")
    return _SPACES.sub(" ", text).strip()


def query_texts(normalized: str) -> list[str]:
    """What is matched: the whole post, and for a long post each of its sentences as well
    (a long post often holds several claims)."""
    if len(normalized) <= TWEET_CHARS:
        return [normalized]
    sentences = [
        sentence.text
        for sentence in split_sentences(normalized)
        if len(sentence.text) >= MIN_SENTENCE_CHARS
    ]
    if len(sentences) < 2:
        return [normalized]
    return [normalized, *sentences[:MAX_SENTENCES]]
