"""The words and shapes of attribution in news English."""

from __future__ import annotations

import re

DENIAL_VERBS = frozenset(
    {
        "denied",
        "denies",
        "dismissed",
        "dismisses",
        "rejected",
        "rejects",
        "refuted",
        "disputed",
        "disputes",
        "contested",
    }
)
SPEECH_VERBS = (
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "confirmed",
    "confirms",
    "warned",
    "warns",
    "estimated",
    "estimates",
    "reported",
    "reports",
    "announced",
    "announces",
    "claimed",
    "claims",
    "insisted",
    "insists",
    "noted",
    "notes",
    "argued",
    "argues",
    "explained",
    "revealed",
    "reveals",
    "acknowledged",
    "acknowledges",
    "assessed",
    "assesses",
    "believes",
    "emphasised",
    "emphasized",
    "stressed",
    "reiterated",
    "highlighted",
    "pointed out",
    "maintained",
    "maintains",
    "wrote",
    "writes",
    "admitted",
    "admits",
    "disclosed",
    "suggested",
    "suggests",
    "suggest",
    "indicated",
    "indicates",
    "alleged",
    "alleges",
    "called",
    "calls",
    "assessed",
    "concluded",
    "predicted",
    "forecast",
    "projected",
    "calculated",
    "counted",
    "asked",
    "asks",
    *sorted(DENIAL_VERBS),
)
PARTICIPLE_VERBS = ("warning", "saying", "adding", "noting", "stressing", "insisting", "arguing")
RELAY_VERBS = frozenset({"reported", "reports", "wrote", "writes"})
# Verbs after which the rest of the sentence is what was said, even without "that".
PLAIN_SAY_VERBS = frozenset(
    {"said", "says", "say", "told", "tells", "added", "adds", "stated", "states"}
)
# "X told The Wall Street Journal": the outlet relays X.
TELLING_VERBS = frozenset({"told", "tells"})
PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "organization"}

_VERB = "|".join(sorted((re.escape(v) for v in SPEECH_VERBS), key=len, reverse=True))
# A speaker: a name-like phrase (capitalised words, 's, of/for/the inside), or a pronoun,
# or "the agency" / "a ministry spokeswoman" style descriptions.
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|of|for|the|and|de|al|on)"
SPEAKER = (
    r"(?:(?:[Tt]he|[Aa]n?)\s+)?(?:[A-Z][\w.'’-]*|[a-z]+(?:\s+[a-z]+)?)(?:\s+"
    + _NAME_WORD
    + r"){0,8}"
)
QUOTE_OPEN = "\"“‘'"
QUOTE_CLOSE = "\"”’'"

# “...,” said X.  /  “...,” X said.  /  "...," X added, "..."
QUOTE_THEN_SPEAKER = re.compile(
    rf"^[{QUOTE_OPEN}](?P<content>.+?)[,.!?]?[{QUOTE_CLOSE}]\s*,?\s*"
    rf"(?:(?P<verb1>{_VERB})\s+(?P<speaker1>[^“\"]+?)|"
    rf"(?P<speaker2>[^“\",]+?)\s+(?P<verb2>{_VERB}))"
    rf"(?:,\s*(?P<rest>[“\"].*?))?\s*[.!]?$",
    re.DOTALL,
)
# X echoed this, warning that ...
SPEAKER_THEN_PARTICIPLE = re.compile(
    rf"^(?P<speaker>[^,]+?)\s+(?=[a-z])\w+(?:\s+\w+){{0,3}},\s*(?P<verb>{'|'.join(PARTICIPLE_VERBS)})"
    rf"\s+(?:that\s+)?(?P<content>.+)$",
    re.DOTALL,
)
# X said (that) ... / X told Reuters that ... / X dismissed the reports as ...
SPEAKER_THEN_CONTENT = re.compile(
    rf"^(?P<speaker>.+?)\s+(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+|also\s+)?(?P<verb>{_VERB})"
    rf"(?:\s+(?:on|in|at)\s+[A-Z]\w+(?:\s+\w+)?)?"
    rf"(?:\s+(?P<audience>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,4}}))?"
    rf"(?:,?\s+citing\s+(?P<cited>[^,]+?),)?"
    rf"(?:\s*,)?\s+(?P<that>that\s+)?(?P<content>.+)$",
    re.DOTALL,
)
# ..., X said.  /  ..., said X.
CONTENT_THEN_SPEAKER = re.compile(
    rf"^(?P<content>.+?),\s*(?:(?P<verb1>{_VERB})\s+(?P<speaker1>[^,]+?)|(?P<speaker2>[^,]+?)\s+(?P<verb2>{_VERB})"
    rf"(?:\s+(?P<audience>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,4}}))?)"
    rf"(?:,?\s+citing\s+(?P<cited>.+?))?(?:\s+(?:on|in|at|to)\b[^,]{{0,40}})?\s*[.!]?$",
    re.DOTALL,
)
# According to X, ...  /  ..., according to X.
ACCORDING_TO_FIRST = re.compile(
    r"^[Aa]ccording to (?P<speaker>[^,]+),\s*(?P<content>.+)$", re.DOTALL
)
ACCORDING_TO_LAST = re.compile(
    r"^(?P<content>.+?),?\s+according to (?P<speaker>[^,.]+)[.!]?$", re.DOTALL
)

# "WELLSPORT, May 6 – " at the head of a story.
DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,},\s+[A-Z][a-z]+\.?\s+\d{1,2}\s*[–—-]\s*")
PLACE_WORDS = frozenset(
    "states kingdom republic union nations emirates arabia africa america zealand korea island "
    "islands city county province region".split()
)
BOILERPLATE = re.compile(
    r"(newsletter|subscribe|sign up|listen to this article|first published|also read|"
    r"read more|telegram channel|follow us|don'?t miss|photo:|image:|click here|"
    r"all rights reserved|updated:|published:|\|)|^(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday),|^by\s+[A-Z]",
    re.IGNORECASE,
)
ROLE_WORDS = (
    "spokesperson",
    "spokeswoman",
    "spokesman",
    "official",
    "officials",
    "minister",
    "secretary",
    "director",
    "chief",
    "head",
    "president",
    "chairman",
    "chairwoman",
    "ambassador",
    "representative",
    "analyst",
    "analysts",
    "source",
    "sources",
    "executive",
    "officer",
    "general",
    "commander",
    "leader",
    "adviser",
    "advisor",
    "deputy",
    "governor",
    "mayor",
    "master",
    "manager",
    "inspector",
    "coordinator",
    "founder",
    "owner",
    "economist",
)
ORGANIZATION_WORDS = (
    "ministry",
    "council",
    "service",
    "agency",
    "department",
    "office",
    "union",
    "authority",
    "company",
    "commission",
    "committee",
    "government",
    "house",
    "police",
    "army",
    "forces",
    "bureau",
    "administration",
    "association",
    "group",
    "corporation",
    "board",
    "court",
    "parliament",
    "journal",
    "times",
    "post",
    "news",
    "herald",
    "ledger",
    "reuters",
    "nato",
    "intelligence",
    "military",
    "media",
    "officials",
    "utility",
    "regulator",
    "hospital",
    "pharma",
    "network",
    "chronicle",
    "gazette",
    "standard",
    "light",
    "power",
    "lines",
    "works",
    "alliance",
    "institute",
    "foundation",
    "bank",
    "fund",
    "party",
    "club",
    "university",
    "school",
    "center",
    "centre",
    "inc",
    "ltd",
    "corp",
    "co",
    "airlines",
    "motors",
    "energy",
    "mission",
    "guild",
    "federation",
    "embassy",
    "navy",
    "marshal",
    "sheriff",
    "team",
    "firm",
)
