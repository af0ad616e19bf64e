"""What a denial, or a statement of absent evidence, is about: the words it scopes over.

"Russia denies that any North Korean troops are in Russia" denies the clause after "denies
that"; "suggestions of a threat to residents are false" denies the threat, not the safety of the
water; "there is no indication so far that X" says nothing either way about X. The rules that
overrule the classifier act only when that scoped content is about what the claim asserts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTENT = r"(?P<content>[^.;!?]+)"
_REPORT_NOUN = r"(?:reports?|claims?|allegations?|suggestions?|rumou?rs?|accounts?|assertions?)"
_FALSE = (
    r"(?:false|untrue|not true|baseless|groundless|fabricated|fake|unfounded|nonsense|lies|"
    r"propaganda|a lie|a hoax|a fabrication|disinformation|misinformation|a provocation)"
)
_DENIALS = (
    re.compile(
        r"\b(?P<cue>den(?:y|ies|ied|ying))\b(?:\s+(?:\w+ly|strongly|flatly|again))?\s+"
        rf"(?:(?:that|any|all)\s+|(?:the\s+)?{_REPORT_NOUN}\s+(?:that|of)\s+)?{_CONTENT}",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<cue>dismiss(?:ed|es|ing)?|reject(?:ed|s|ing)?|refut(?:ed|es|e|ing)|"
        r"rebut(?:ted|s)?|debunk(?:ed|s)?)\s+(?:the\s+|as\s+\w+\s+)?"
        rf"{_REPORT_NOUN}\s+(?:that|of|about)\s+(?P<content>[^.;!?]+?)"
        r"(?:\s+as\s+[^.;!?]+)?(?=[.;!?]|$)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?P<content>\b{_REPORT_NOUN}\s+(?:that|of|about)\s+[^.;!?]+?)\s+"
        rf"(?:is|are|was|were)\s+(?:\w+ly\s+|all\s+|simply\s+)?(?P<cue>{_FALSE})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\bit\s+(?:is|was)\s+(?P<cue>{_FALSE})\s+that\s+{_CONTENT}",
        re.IGNORECASE,
    ),
)
_ABSENCES = (
    re.compile(
        r"\b(?P<cue>no\s+(?:\w+\s+)?(?:indication|evidence|sign|signs|proof|confirmation))\b"
        rf"(?:\s+\w+){{0,3}}?\s+(?:that|of)\s+{_CONTENT}",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<cue>(?:could\s+not|cannot|can't|couldn't|unable\s+to|did\s+not|declined\s+to|"
        r"would\s+not)\s+(?:immediately\s+|independently\s+)?(?:confirm|verify|corroborate))\b"
        rf"\s*(?:that\s+|whether\s+|{_REPORT_NOUN}\s+(?:that|of)\s+)?{_CONTENT}",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<cue>(?:has|have|had)\s+not\s+been\s+(?:independently\s+)?(?:confirmed|verified))"
        rf"\s+that\s+{_CONTENT}",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<cue>not\s+aware\s+of)\s+(?:any\s+)?(?:\w+\s+)?(?:that|of)?\s*" + _CONTENT,
        re.IGNORECASE,
    ),
)
_LEADING_REPORT = re.compile(rf"^(?:the\s+)?{_REPORT_NOUN}\s+(?:that|of|about)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Scoped:
    """A cue (the denying or hedging words) and the content it scopes over."""

    cue: str
    content: str


def _found(patterns: tuple[re.Pattern[str], ...], text: str) -> list[Scoped]:
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            content = _LEADING_REPORT.sub("", match.group("content").strip(" ,"))
            if len(content.split()) >= 2:
                found.append(Scoped(cue=" ".join(match.group("cue").split()), content=content))
    return found


def denied_content(text: str) -> list[Scoped]:
    """What ``text`` denies or calls false, with the words that deny it."""
    return _found(_DENIALS, text)


def unconfirmed_content(text: str) -> list[Scoped]:
    """What ``text`` says there is no evidence for, or cannot be confirmed, with those words."""
    return _found(_ABSENCES, text)
