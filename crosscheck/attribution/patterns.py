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
        "ruled out",
        "rules out",
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
    "urged",
    "urges",
    "appealed",
    "pleaded",
    "conceded",
    "concedes",
    "countered",
    "responded",
    "replied",
    "accused",
    "accuses",
    "blamed",
    "blames",
    "attributed",
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
    rf"(?P<speaker2>[^“\",]+?)\s+(?P<verb2>{_VERB})(?:\s+(?P<audience>[^“\",]{{1,60}}?))?)"
    rf"(?:,\s*(?P<rest>[“\"].*?))?\s*[.!]?$",
    re.DOTALL,
)
# A live blog's or list's quote signed after a dash: '"...," — Jane Roe, harbour master'
QUOTE_THEN_DASH_SPEAKER = re.compile(
    rf"^[{QUOTE_OPEN}](?P<content>.+?)[{QUOTE_CLOSE}]\s*[—–]\s*(?P<speaker>[A-Z][^{QUOTE_OPEN}—–]{{1,150}}?)"
    r"\s*\.?$",
    re.DOTALL,
)
# X echoed this, warning that ...
SPEAKER_THEN_PARTICIPLE = re.compile(
    rf"^(?P<speaker>[^,]+?)\s+(?=[a-z])\w+(?:\s+\w+){{0,3}},\s*(?P<verb>{'|'.join(PARTICIPLE_VERBS)})"
    rf"\s+(?:that\s+)?(?P<content>.+)$",
    re.DOTALL,
)
# Whom a statement was told: an outlet ("told Reuters") or a generic audience ("told reporters").
_AUDIENCE = (
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}"
    r"|(?:the\s+)?(?:paper|newspaper|reporters|journalists|broadcaster|agency|station|magazine)\b"
)
# X said (that) ... / X told Reuters that ... / X dismissed the reports as ...
SPEAKER_THEN_CONTENT = re.compile(
    rf"^(?P<speaker>.+?)(?:,\s*citing\s+(?P<cited_first>[^,]+),)?"
    rf"\s+(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+|also\s+)?(?P<verb>{_VERB})"
    rf"(?:\s+(?:(?:late|early|earlier|later)\s+)?(?:on|in|at)\s+[A-Z]\w+(?:\s+\w+)?"
    rf"|\s+(?:last|this|earlier|late|early)\s+\w+)?"
    rf"(?:\s+(?P<audience>{_AUDIENCE}))?"
    rf"(?:,?\s+citing\s+(?P<cited>[^,]+?),)?"
    rf"(?:\s*,)?\s+(?P<that>that\s+)?(?P<content>.+)$",
    re.DOTALL,
)
# X put the number of cancelled operations at more than 400 / X has put the figure at ...
PUT_FIGURE_AT = re.compile(
    r"^(?P<speaker>.+?)\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|\w+ly\s+)?puts?\s+"
    r"(?P<content>(?:the|its|their|his|her)\s+(?:[\w-]+\s+){0,10}?(?:[\w-]+)\s*,?\s+"
    r"(?:at|lower|higher|closer|nearer|as high as|as low as)\b.*)$",
    re.DOTALL,
)
# The port authority's own daily bulletin listed 17 ships ...: the body's own account.
BODY_DOCUMENT_SAYS = re.compile(
    r"^(?P<speaker>(?:[Tt]he\s+)?[\w\s]+?)['’]s?\s+(?:own\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:bulletin|statement|report|figures|data|records|filing|website|letter|memo|release|"
    r"presentation|tally|count|accounts|survey|audit|log|readings|measurements|estimates?|"
    r"projections?|forecasts?|tests?|results|findings|analysis|review|study|notice|minutes)"
    r"(?:\s*,[^,]{1,80},)?\s+(?:\w+\s+)?"
    r"(?:listed|showed|shows|said|says|put|recorded|records|counted|stated|found|finds|estimated|"
    r"reported|gave|lists|concluded|suggested|indicated|revealed)\b",
    re.DOTALL,
)
# ..., X said.  /  ..., said X.
CONTENT_THEN_SPEAKER = re.compile(
    rf"^(?P<content>.+?),(?!\d)\s*(?:(?P<verb1>{_VERB})\s+(?P<speaker1>[^,]+?(?:,\s*[^,]+?){{0,3}})|"
    rf"(?P<speaker2>[^,]+?)\s+(?P<verb2>{_VERB})"
    rf"(?:\s+(?P<audience>{_AUDIENCE}))?)"
    rf"(?:,?\s+citing\s+(?P<cited>.+?))?(?:\s+(?:on|in|at|to)\b[^,]{{0,40}})?\s*[.!]?$",
    re.DOTALL,
)
# According to X, ...  /  ..., according to X.
ACCORDING_TO_FIRST = re.compile(
    r"^[Aa]ccording to (?P<speaker>[^,]+),(?:\s*citing\s+(?P<cited>[^,]+),)?\s*(?P<content>.+)$",
    re.DOTALL,
)
# "Data from Orbital Debris Watch, a volunteer network, showed ..." / "A survey of 1,100 parents
# carried out by the Parents' Forum found ..." / "A council workforce survey ... found ...".
FINDINGS_OF = re.compile(
    r"^(?:(?:Data|Figures|Records|Images|Footage|Analysis|Tracking|Statistics|Numbers|Results)"
    r"\s+(?:from\s+[\w\s-]{1,40}?\s+(?=(?:analy[sz]ed|compiled|gathered|collected|processed)\s))?"
    r"(?:compiled\s+|published\s+|released\s+|gathered\s+|analy[sz]ed\s+|collected\s+|"
    r"processed\s+)?(?:from|by|of)\s+"
    r"|(?:A|An|The)\s+(?:[\w,-]+\s+){0,6}?(?:carried\s+out|conducted|commissioned|published|"
    r"compiled|run)\s+by\s+)"
    r"(?P<speaker>[^,]+?)(?:,[^,]*,)?\s+(?:\w+ly\s+)?(?:showed|shows|found|finds|suggested|"
    r"suggests|indicated|indicates|revealed|listed|put|placed|concluded|recorded)\b"
    r"|^(?:A|An)\s+(?P<body>[a-z]+)\s+(?:[\w-]+\s+){0,2}(?:survey|report|review|audit|study|"
    r"analysis|poll)\b(?:\s+\w+){0,4}?\s+(?:found|showed|shows|concluded|put)\b",
    re.DOTALL,
)
_FINDING_VERBS = (
    r"(?:found|finds|showed|shows|concluded|suggested|suggests|indicated|indicates|revealed|"
    r"listed|lists|put|recorded|estimated|said|says|stated|warned|described)"
)
_DOCUMENT_KINDS = (
    r"(?:report|audit|review|study|survey|analysis|investigation|inspection|assessment|poll|"
    r"census|notice|statement|bulletin|filing|letter|memo|release|update|figures|data|tally|"
    r"readings|records|findings|results|tests?|minutes|presentation|submission|press release)"
)
# "A 2021 audit by the dam safety inspectorate found ...": the auditor's finding.
DOCUMENT_BY = re.compile(
    rf"^(?:A|An|The)\s+(?:[\w'’-]+\s+){{0,3}}?{_DOCUMENT_KINDS}\s+by\s+(?P<speaker>[^,]+?)"
    rf"(?:\s*,[^,]{{1,80}},)?\s+(?:\w+ly\s+|also\s+|has\s+|had\s+)?{_FINDING_VERBS}\b",
    re.DOTALL,
)
# "Its interim report, published on Monday, found ..." / "A recall notice published on its
# website listed ...": the document of the body the text is speaking of.
OWN_DOCUMENT = re.compile(
    rf"^(?:(?:Its|Their)\s+(?:[\w'’-]+\s+){{0,3}}?{_DOCUMENT_KINDS}(?:\s*,[^,]{{1,80}},)?"
    rf"\s+(?:\w+ly\s+|also\s+|has\s+|had\s+)?{_FINDING_VERBS}\b"
    rf"|(?:A|An|The)\s+(?:[\w'’-]+\s+){{0,2}}?{_DOCUMENT_KINDS}\s+(?:published|posted|issued|"
    rf"released|filed)\s+(?:on|in|to)\s+(?:its|their)\s)",
    re.DOTALL,
)
# "Lawyers filed a petition on Friday, and a court clerk confirmed that a hearing was set": two
# statements, each with its own speaker.
SECOND_CLAUSE_SPEAKS = re.compile(
    rf"^(?P<first>.{{30,}}?)(?:,\s+(?:and|but|while)|,?\s+after)\s+(?P<second>(?:(?:a|an|the)\s+)?"
    rf"(?:[\w'’-]+\s+){{1,5}}?(?:(?:{_VERB})\s+that|said|says)\s+.+)$",
    re.DOTALL,
)
# "Stanmore Ratings placed the bank's rating on review, citing ...": the subject gives its reason
SUBJECT_CITING = re.compile(
    r"^(?P<speaker>[^,]{3,60}?)\s+(?:has\s+|had\s+|have\s+)?(?:also\s+)?[a-z]+ed\b[^,]{0,120},"
    r"\s*citing\b",
    re.DOTALL,
)
# "The ballot will close on 5 December, the association said, and any walkout could ..."
MID_SENTENCE = re.compile(
    rf"^(?P<content>.+?),(?!\d)\s*(?P<speaker>(?:[^,\s]+\s+){{0,5}}?[^,\s]+)\s+(?P<verb>{_VERB}),\s*"
    r"(?P<rest>(?:and|but|none|some|most|all|which|who|although|though|while)\b.+)$",
    re.DOTALL,
)
# The death toll was confirmed by the regional governor's office ...
PASSIVE_BY = re.compile(
    r"^(?P<content>.+?)\s+(?:was|were|has\s+been|have\s+been|had\s+been)\s+"
    r"(?P<verb>confirmed|reported|announced|disclosed|estimated|given|put|denied|disputed|"
    r"advised|told|informed|warned|ordered|instructed)\s+"
    r"by\s+(?P<speaker>[^,]+?)(?:\s+to\s+.*|,.*)?[.!]?$",
    re.DOTALL,
)
# "The manifest, released by Lindqvist Island Lines on Sunday, listed ...": the releaser's
RELEASED_BY = re.compile(
    r"^(?P<content>.+?),\s+(?:released|published|issued|compiled|filed|provided)\s+by\s+"
    r"(?P<speaker>[^,]+?)(?:\s+(?:on|in|at|late|early|last)\b[^,]*)?,",
    re.DOTALL,
)
# "The national weather service had issued a gale warning ...": the body's own act
BODY_ISSUED = re.compile(
    r"^(?P<speaker>(?:[Tt]he\s+)?[\w'’\s-]{2,60}?)\s+(?:has\s+|had\s+|have\s+)?"
    r"(?:issued|published|released|recorded|registered|logged|declared)\s",
)
ACCORDING_TO_LAST = re.compile(
    r"^(?P<content>.+?),?\s+according to (?P<speaker>[^,.]+)[.!]?$", re.DOTALL
)
# "Turnout was 61 per cent, according to the commission, the lowest since 1998."
ACCORDING_TO_MID = re.compile(
    r"^(?P<content>.+?),\s+according to (?P<speaker>(?:\S+\s+){0,5}?\S+),\s+(?P<rest>.+)$",
    re.DOTALL,
)

# "WELLSPORT, May 6 – " at the head of a story.
DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,}(?:,\s+[A-Z][a-z]+\.?(?:\s+\d{1,2})?)?(?:\s+\([A-Za-z .]+\))?"
    r"\s*[–—-]{1,2}\s*"
)
# A list item's mark or a live blog's time stamp before the item: "• ", "- ", "14:05 – "
LIST_MARK = re.compile(
    r"^(?:[•·▪◦‣*]|[-–—](?=\s)|\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[–—-]|\d{1,2}\s*[ap]\.?m\.?\s*[–—-])\s*"
)
PLACE_WORDS = frozenset(
    "states kingdom republic union nations emirates arabia africa america zealand korea island "
    "islands city county province region".split()
)
BOILERPLATE = re.compile(
    r"(newsletter|subscribe|sign up|listen to this article|first published|also read|"
    r"read more|telegram channel|follow us|don'?t miss|photo:|image:|click here|catch all the|"
    r"market updates|download the app|share this article|advertisement|copyright|photo[:/]|"
    r"all rights reserved|updated:|published:|\|)|^(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday),|^by\s+[A-Z]",
    re.IGNORECASE,
)
# "according to a notice filed with the ministry": a document, whose author is the subject.
DOCUMENT_NOUNS = frozenset(
    "notice filing statement report presentation release letter memo document submission "
    "complaint application petition motion disclosure".split()
)
# Sentences that only say someone would not speak assert nothing to check.
NO_COMMENT = re.compile(
    r"\b(?:declined|refused)\s+to\s+(?:comment|say|confirm|elaborate|give|discuss)|"
    r"did\s+not\s+(?:respond|reply|return|immediately\s+respond|confirm\s+the\s+report)|"
    r"could\s+not\s+(?:be\s+reached|immediately\s+be\s+reached)|"
    r"(?:was|were)\s+not\s+available\s+for\s+comment|no\s+comment",
    re.IGNORECASE,
)
# The subject of a plain sentence: "The union has scheduled ...".
SUBJECT = re.compile(
    r"^(?P<subject>(?:[Tt]he\s+)?[A-Z]?[\w'’-]+(?:\s+[\w'’-]+){0,5}?)\s+"
    r"(?:has|have|had|is|are|was|were|will|would|plans?|\w+ed)\b"
)
CAPTION = re.compile(r"\((?:[A-Z][\w .]*\s)?(?:Photo|Image|Picture)\s*/[^)]*\)|^(?:Photo|Image):")
# A bare noun may refer to a body named with a different word ("the force": the police).
NOUN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "force": ("police", "constabulary"),
    "carrier": ("air", "airline", "airlines", "airways", "lines"),
    "airline": ("air", "airlines", "airways"),
    "regulator": ("authority", "commission", "agency", "commissioner"),
    "government": ("ministry",),
    "coastguard": ("guard",),
    "lab": ("laboratory", "labs"),
    "laboratory": ("lab", "labs"),
}
# "the newspaper" refers back to the last outlet the document named.
OUTLET_NOUNS = frozenset(
    {
        "newspaper",
        "paper",
        "daily",
        "broadcaster",
        "outlet",
        "magazine",
        "website",
        "channel",
        "station",
        "publication",
        "tabloid",
        "weekly",
    }
)
# Words in the names of news outlets ("The Evening Courier").
OUTLET_NAME_WORDS = frozenset(
    "journal times post news herald ledger chronicle gazette standard reuters courier observer "
    "examiner sentinel tribune press telegraph guardian mail express review wire bulletin "
    "dispatch record star globe inquirer register monitor".split()
)
# "the company" refers back to the last body that is not a public or civic one.
COMPANY_NOUNS = frozenset(
    {
        "company",
        "firm",
        "carrier",
        "airline",
        "operator",
        "manufacturer",
        "maker",
        "contractor",
        "miner",
        "insurer",
        "lender",
        "retailer",
        "developer",
        "supplier",
        "vendor",
        "producer",
        "group",
        "utility",
        "company's",
    }
)
CIVIC_NOUNS = frozenset(
    {
        "ministry",
        "agency",
        "department",
        "union",
        "alliance",
        "council",
        "authority",
        "board",
        "office",
        "service",
        "commission",
        "committee",
        "police",
        "court",
        "government",
        "association",
        "trust",
        "unit",
        "parliament",
        "federation",
        "guild",
        "embassy",
        "army",
        "navy",
        "forces",
        "coalition",
        "regulator",
        "inspectorate",
        "commissioner",
        "school",
        "university",
        "college",
        "hospital",
        "church",
        "institute",
        "center",
        "centre",
        "foundation",
        "club",
        "party",
        "network",
        "cooperative",
    }
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
    "member",
    "secretary-general",
    "chairperson",
    "lawyer",
    "attorney",
    "prosecutor",
    "negotiator",
    "organiser",
    "organizer",
    "chair",
    "captain",
    "researcher",
    "scientist",
    "engineer",
    "professor",
    "partner",
    "teacher",
    "headteacher",
    "principal",
    "clerk",
    "registrar",
    "judge",
    "doctor",
    "nurse",
    "physician",
    "surgeon",
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
    "trust",
    "unit",
    "labs",
    "coalition",
    "inspectorate",
    "commissioner",
    "systems",
    "carrier",
    "airline",
    "contractor",
    "operator",
    "manufacturer",
    "cooperative",
    "co-op",
    "broadcaster",
    "customs",
    "guard",
    "partners",
    "holdings",
    "capital",
    "securities",
    "consortium",
    "inquiry",
    "directorate",
    "force",
    "academy",
    "network",
    "forum",
    "watch",
    "lab",
    "laboratory",
)
