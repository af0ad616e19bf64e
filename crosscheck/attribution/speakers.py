"""Who a speaker phrase stands for, remembering the people and bodies a document introduced."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosscheck.attribution.patterns import (
    CIVIC_NOUNS,
    COMPANY_NOUNS,
    NOUN_SYNONYMS,
    ORGANIZATION_WORDS,
    OUTLET_NAME_WORDS,
    OUTLET_NOUNS,
    ROLE_WORDS,
)

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
# "John Kirby, spokesperson for the US National Security Council"
_PERSON_WITH_ROLE = re.compile(
    r"^(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}),\s*(?:the\s+|a\s+|an\s+)?"
    r"(?P<role>[\w\s-]*?)\s*(?:for|of|at|with|from|to)\s+(?:the\s+)?(?P<org>.+)$"
)
_TITLE_THEN_PERSON = re.compile(
    r"^(?P<title>(?:(?:[A-Z][\w.'’-]*|and|of|for|the)\s+)*(?:"
    + "|".join(w.capitalize() for w in ROLE_WORDS)
    + "|"
    + "|".join(ROLE_WORDS)
    + r"|General|Secretary))\s+(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})$"
)


# "Alan Pryce, the authority's chief executive"
_PERSON_OF_BODY = re.compile(
    r"^(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}),\s*(?:the\s+)?(?P<org>[\w\s.&-]+?)['’]s\s+"
    r"(?P<role>[\w\s-]+)$"
)
# "company spokesman Raymond Osei"
_ROLE_THEN_PERSON = re.compile(
    r"^(?P<desc>[a-z][\w\s'’-]*?)\s+(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})$"
)
# "Mairead Flynn, who runs a shop"
_PERSON_WHO = re.compile(r"^(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}),\s*who(?:se)?\b")


# "Her neighbor, Luis Ortega" / "a resident, Jane Doe"
_DESCRIBED_PERSON = re.compile(
    r"^(?:his|her|their|a|an|one|another|local)\b[^,]*,\s*(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}),?$",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Sir|Dame)\.?\s+[A-Z]")


def _names_noun(name: str, noun: str) -> bool:
    """Whether a body's name contains the noun a description uses ('regulator' ~ 'Regulatory')."""
    stem = noun[:6] if len(noun) > 6 else noun
    return any(word == noun or (len(noun) > 6 and word.startswith(stem)) for word in name.split())


@dataclass(frozen=True)
class Speaker:
    """The source a statement is attributed to, and the person who spoke for it, if any."""

    source: str
    person: str | None = None
    is_person: bool = False


_LEADING_ADVERBIAL = re.compile(
    r"^(?:at|on|in|though|although|while|since|after|before|during|meanwhile|however|later|"
    r"earlier|speaking|separately|also|and|but|asked|pressed|seen|questioned|interviewed|"
    r"writing|responding|according)\b",
    re.IGNORECASE,
)
_REPORTS_FROM = re.compile(
    r"^(?:(?:two|three|four|several|senior|unnamed|anonymous|\d+)\s+)*"
    r"(?P<who>reports?|sources?|officials?|investigators?|intelligence|media|people|"
    r"statements?|filings?|releases?|documents?|detectives|staff|employees|workers|"
    r"spokespeople|figures|data|members|inspectors|engineers|officers|nurses|doctors|"
    r"scientists|diplomats|lawyers|managers|executives|insiders|auditors|experts|researchers|"
    r"employees|pilots|soldiers|guards|analysts)\s+"
    r"(?:familiar\s+with(?:\s+the\s+(?:matter|situation|talks|plans?|inquiry)\s+at)?|"
    r"from|in|at|of|with|close to|inside|within)\s+(?P<where>.+)$",
    re.IGNORECASE,
)
_UNNAMED_CIRCLE = re.compile(
    r"^(?:the\s+)?(?:matter|situation|talks|plans?|inquiry|investigation|case|negotiations|"
    r"deliberations|discussions)$",
    re.IGNORECASE,
)
# "a criminal group calling itself Black Lantern", "a coalition known as Clean Water Now"
_NAMED_AS = re.compile(r"\b(?:calling\s+(?:itself|themselves)|known\s+as|named)\s+(?P<name>.+)$")
_RANKS = frozenset(
    "deputy chief senior acting interim former assistant vice top head lead principal "
    "executive operating financial general managing associate".split()
)
_CORPORATE_ROLES = frozenset(
    "officer executive chief director president chairman chairwoman chair founder owner "
    "manager spokesperson spokeswoman spokesman".split()
)
# "chief operating officer Lena Marchetti", "Deputy health officer Dr. Miriam Oyelaran"
_DESC_ROLE_PERSON = re.compile(
    r"^(?P<desc>(?:[\w'’-]+\s+)*?)(?P<role>"
    + "|".join(ROLE_WORDS)
    + r")\s+(?:(?:Dr|Mr|Mrs|Ms|Prof|Captain|Capt|Sir|Dame)\.?\s+)?"
    r"(?P<person>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})$",
    re.IGNORECASE,
)
# "the group's chair, Bernard Kowalczyk, a retired teacher"
_BODY_ROLE_APPOSITIVE = re.compile(
    r"^(?:the\s+)?(?P<org>[\w\s-]+?)['’]s?\s+(?P<role>(?:[\w-]+\s+)?[\w-]+),\s*"
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<person>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})\b"
)
# "two county officials": people the text does not name, of no body it names
_UNNAMED_GROUP = re.compile(
    r"^(?:(?:an?\s+(?=unnamed|anonymous|senior))?(?:two|three|four|several|some|unnamed|"
    r"anonymous|senior|\d+)\s+)+"
    r"(?P<rest>(?:[a-z][\w-]*\s+){0,2}(?:officials?|sources?|people|investigators?|diplomats?|"
    r"officers?|insiders?|executives?|employees?|staff|residents|witnesses|engineers?|members?|"
    r"commanders?|inspectors?|doctors?|nurses))"
    r"(?:\s+(?:who|aboard)\b.*)?$"
)
# "The contractor, Fumitek Services": a body named after the noun that describes it
_NOUN_THEN_BODY = re.compile(
    r"^(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[a-z]+),\s*"
    r"(?P<name>[A-Z][\w'’&-]*(?:\s+(?:(?:of|for|and|the)\s+)?[A-Z][\w'’&-]*){0,4})$"
)
# "The mayor of San Telmo, Hector Pilau": a person holding an office of a place
_ROLE_OF_PLACE_PERSON = re.compile(
    r"^(?:[Tt]he\s+)?(?P<role>[a-z][\w-]*)\s+of\s+(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}),"
    r"\s*(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<person>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})$"
)
# "Calloway Halvorsen Partners, the engineering firm that ..."
_NAME_THEN_DESCRIPTION = re.compile(
    r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:(?:of|for|and|the)\s+)?[A-Z][\w'’&-]+){0,4}),\s+(?:the|a|an)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?P<noun>[a-z]+)\s+(?:that|which|whose|who|behind|based|in|of|for)\b"
)
# "Stefan Achterberg of the Progressive Alliance", wherever the text introduces him
_PERSON_OF_NAMED_BODY = re.compile(
    r"\b(?P<person>[A-Z][a-z]+\s+[A-Z][\w'’-]+)\s+(?:of|from)\s+"
    r"(?P<org>(?:the\s+)?[A-Z][\w'’&-]*(?:\s+(?:(?:of|for|and|the)\s+)*[A-Z][\w'’&-]*){0,5})"
)
# Words for the people an outlet's report cited: "the same people" / "the officers" later
_GROUP_WORDS = frozenset(
    "investigators people detectives officers inspectors engineers nurses doctors diplomats "
    "insiders employees staff workers members lawyers".split()
)
# "The report", "the audit": the document the text cited last
_DOCUMENT_BACK_REFERENCE = re.compile(
    r"^(?:the|that|this)\s+(?:same\s+)?(?:report|audit|study|survey|review|assessment|analysis|"
    r"filing|letter|memo|document|findings)$",
    re.IGNORECASE,
)
_LEADING_PREPOSITION = re.compile(r"^(?:For|In|At|On|To|From|By|With|Of)\s+")
# "the residents' group Clean Water Ashcombe", "the miner Brightvale"
_DESCRIBED_NAME = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w'’-]+\s+){0,2}?(?P<noun>[a-z]+)\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,4})"
)
# "Survivor Dalia Morcu, 34, said": a person, given with an age
_PERSON_WITH_AGE = re.compile(
    r"^(?:[\w-]+\s+){0,2}?(?P<person>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2}),\s*\d{1,3}\b"
)
# "Its chief executive, Graham Pellow": a person of the body in focus
_ITS_ROLE_PERSON = re.compile(
    r"^(?:Its|Their|its|their)\s+(?P<role>(?:[\w-]+\s+){0,2}[\w-]+),\s*"
    r"(?P<person>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})\b"
)
# "Jonah Prewitt of Halvard Capital"
_PERSON_OF_ORG = re.compile(
    r"^(?P<person>[A-Z][\w'-]+\s+[A-Z][\w'-]+)\s+(?:of|from|at)\s+(?P<org>[A-Z][\w'&-]*"
    r"(?:\s+[A-Z][\w'&-]*){0,5})$"
)
_DESCRIPTOR_NAMED_AS = re.compile(
    r"\b(?P<noun>[a-z]+)\s+(?:calling\s+(?:itself|themselves)|known\s+as|named)\s+[A-Z]"
)
# "the Northvale branch of the Nursing and Midwifery Union"
_PART_OF = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}(?:branch|chapter|wing|arm|local|division)\s+of\s+(?P<body>.+)$",
    re.IGNORECASE,
)
# "a spokesperson for the Ministry of Mines and Energy"
_ROLE_FOR_BODY = re.compile(
    r"^(?:(?:a|an|the|one|two|three|several|senior)\s+)*(?P<role>[a-z][\w-]*)\s+"
    r"(?:for|of|at|with|from)\s+(?:the\s+)?(?:(?:regional|national|state|federal|local|county|"
    r"city|provincial|municipal)\s+)?(?P<body>[A-Z].+)$"
)
# "three current Skyreach engineers": insiders of a named body
_INSIDERS = re.compile(
    r"^(?:(?:two|three|four|five|several|some|current|former|senior|unnamed|anonymous|\d+)\s+)+"
    r"(?P<org>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)\s+(?:employees|engineers|officials|staff|workers|"
    r"executives|managers|insiders|sources|people|members|pilots|nurses|doctors|teachers|"
    r"officers|investigators|scientists)$"
)
# "the head teacher, Dr Owen Pritchard": a role, then who holds it
_ROLE_THEN_NAMED = re.compile(
    r"^(?:the|a|an|its|their)\s+(?P<role>(?:[\w-]+\s+){0,2}[\w-]+),\s*"
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<person>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})\b"
)
# "the council's finance department": a part of a body speaks for the body
_UNIT_OF = re.compile(
    r"^(?P<org>[\w\s-]+?)'s\s+(?:[\w-]+\s+){0,2}(?:department|office|unit|team|division|"
    r"press office|legal team|board)$"
)
# "Jasmine Achebe, the branch secretary": a person speaking for the body just mentioned
_PERSON_THE_ROLE = re.compile(
    r"^(?P<person>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}),\s*(?:the|its|their)\s+"
    r"(?P<desc>(?:[a-z][\w'’-]*\s+){0,3})(?P<role>[a-z][\w-]*)$"
)
# Bodies named anywhere in a text: capitalised words ending in a word for an organisation.
_NAMED_BODY = re.compile(
    r"\b(?:[A-Z][\w'’&-]*\s+(?:(?:of|for|and|the|on)\s+)*){1,6}(?:"
    + "|".join(w.capitalize() for w in ORGANIZATION_WORDS if len(w) > 3)
    + r")\b"
)
_NAME_LOWERCASE_OK = frozenset(
    {
        "of",
        "for",
        "the",
        "and",
        "de",
        "to",
        "on",
        "at",
        "in",
        "al",
        "senior",
        "top",
        "two",
        "three",
        "several",
        "unnamed",
        "anonymous",
        "former",
        "deputy",
        "chief",
        "state",
        "federal",
        "national",
        "regional",
        "local",
        "county",
        "city",
    }
)


def _name_segment(phrase: str) -> str:
    """The part of a speaker phrase that names someone: leading adverbials and asides dropped."""
    segments = [s.strip() for s in phrase.split(",") if s.strip()]
    while len(segments) > 1 and _LEADING_ADVERBIAL.match(segments[0]):
        segments.pop(0)
    if not segments:
        return ""
    name = segments[0]
    # "John Kirby, spokesperson for the NSC" keeps its role; "Austin, speaking in Rome" does not.
    if len(segments) > 1 and (
        re.search(r"\b(?:for|of|at|to|with|from)\b|['’]s\s", segments[1])
        or segments[1].lower().startswith(("who ", "whose "))
        or (
            re.match(r"(?:the|its|their)\s", segments[1])
            and segments[1].split()[-1].lower() in ROLE_WORDS
        )
    ):
        first_word = segments[1].split()[0].lower()
        if (
            first_word in ROLE_WORDS
            or first_word in {"the", "a", "an", "who", "whose"}
            or segments[1][:1].isupper()
        ):
            name = f"{name}, {segments[1]}"
    return name


# "On Tuesday the inquiry", "Late on Friday the ministry": when, not who
_LEADING_WHEN = re.compile(
    r"^(?i:(?:late|early|earlier|later)\s+)?(?i:on|in|by|at)\s+(?:[A-Z]\w+|\d\w*)"
    r"(?:\s+\d{1,2})?,?\s+(?=\S)"
)
# "Regional broadcaster Radio Halvard", "the trade publication Food Industry Monitor"
_OUTLET_DESCRIPTION = re.compile(
    r"^(?:the\s+)?(?:[A-Za-z-]+\s+){0,2}?(?:broadcaster|newspaper|daily|publication|news\s+agency|"
    r"website|magazine|outlet|channel|station|tabloid|weekly|paper|news\s+site|television|radio|"
    r"TV)\s+(?=[A-Z])"
)
# "Rating agency Stanmore Ratings", "the consultancy Verant": what a body is, before its name
_BODY_DESCRIPTION = re.compile(
    r"^(?:the\s+|The\s+)?(?:[A-Za-z-]+\s+){0,2}?(?:agency|firm|company|group|consultancy|lender|"
    r"insurer|carrier|operator|watchdog|regulator|charity|contractor|developer|maker|"
    r"manufacturer|supplier|lab|laboratory|non-profit|nonprofit|think\s+tank)\s+(?=[A-Z])"
)


def _clean(phrase: str) -> str:
    phrase = " ".join(phrase.replace("\u2019", "'").split()).strip(' ,.;:"“”')
    phrase = _LEADING_WHEN.sub("", phrase)
    phrase = _OUTLET_DESCRIPTION.sub("", phrase)
    phrase = _BODY_DESCRIPTION.sub("", phrase)
    # "the provincial Vector Control Unit" is the Vector Control Unit the text named
    phrase = re.sub(
        r"^(?:the\s+)?(?:provincial|regional|national|state|federal|local|municipal|city|county|"
        r"district|state-owned|state-run)\s+(?=[A-Z])",
        "",
        phrase,
    )
    phrase = _name_segment(phrase)
    phrase = re.sub(r"\s+(?:later|also|again|earlier|previously|separately|too)$", "", phrase)
    # "the country's coast guard" is the coast guard
    phrase = re.sub(
        r"^(?:the\s+)?(?:country|city|state|nation|region|island|province|town)'s\s+",
        "",
        phrase,
        flags=re.IGNORECASE,
    )
    named = _NAMED_AS.search(phrase)
    if named:
        phrase = named.group("name")
    reports = _REPORTS_FROM.match(_ARTICLE.sub("", phrase))
    if reports:
        phrase = reports.group("where")
        if _UNNAMED_CIRCLE.match(phrase):  # "investigators familiar with the inquiry"
            return f"unnamed {reports.group('who').lower()}"
    part = _PART_OF.match(_ARTICLE.sub("", phrase))
    if part:
        phrase = part.group("body")
    phrase = re.sub(
        r"^(?:figures|data|documents|papers|records)\s+(?:circulated|published|released|compiled|"
        r"prepared|seen)\s+by\s+",
        "",
        phrase,
    )
    phrase = re.sub(
        r"(?<=\w)\s+(?:ahead of|before|after|during|earlier|last|on|in)\s+(?:the\s+)?[a-z][\w\s]*$",
        "",
        phrase,
    )
    unit = _UNIT_OF.match(_ARTICLE.sub("", phrase))
    if unit:
        phrase = unit.group("org")
    phrase = re.sub(
        r"'s\s+(?:plans?|thinking|inquiry|investigation|review|work|legal team|staff|team)$",
        "",
        phrase,
    )
    return _ARTICLE.sub("", phrase)


def _plausible_name(phrase: str) -> bool:
    """A speaker phrase reads as a name or title, not as a clause ('Nato had not previously')."""
    head = phrase.split(",")[0].split()
    if head and all(w.islower() for w in head) and head[-1] in ORGANIZATION_WORDS + ROLE_WORDS:
        return len(head) <= 4  # "the port authority", "company spokesman"
    if _DESC_ROLE_PERSON.match(phrase.split(",")[0]) and len(head) <= 8:
        return True  # "chief operating officer Lena Marchetti"
    if (
        2 <= len(head) <= 5
        and head[0][:1].isupper()
        and head[-1].lower() in ORGANIZATION_WORDS + ROLE_WORDS
    ):
        return True  # "Korvany's customs service", "Korvanian customs officials"
    return 0 < len(head) <= 9 and all(
        w[:1].isupper()
        or w[:1].isdigit()
        or w.lower() in _NAME_LOWERCASE_OK
        or w.lower() in ROLE_WORDS
        or w.lower() in ORGANIZATION_WORDS
        or w.endswith("'s")
        or w == "&"
        for w in head
    )


def _strip_roles(name: str) -> str:
    """'Russian Foreign Ministry spokeswoman' -> 'Russian Foreign Ministry'."""
    words = name.split()
    while words and words[-1].lower() in ROLE_WORDS:
        words.pop()
    while words and words[0].lower() in {"senior", "top", "two", "several", "unnamed", "anonymous"}:
        words.pop(0)
    return " ".join(words)


@dataclass
class SpeakerMemory:
    """The speakers of one document so far: full names, surnames, and what they speak for."""

    by_name: dict[str, Speaker] = field(default_factory=dict)
    last_person: Speaker | None = None
    last_organization: Speaker | None = None
    last: Speaker | None = None
    last_outlet: Speaker | None = None
    # "the spokesperson" -> whoever was introduced as one
    roles: dict[str, Speaker] = field(default_factory=dict)
    # an outlet -> the origin its report cited ("the Ledger reported, citing investigators")
    citations: dict[str, Speaker] = field(default_factory=dict)
    outlets: set[str] = field(default_factory=set)
    _UNNAMED_CIRCLE = re.compile(
        r"^(?:the\s+)?(?:matter|situation|talks|plans?|inquiry|investigation|case|negotiations|"
        r"deliberations|discussions)$",
        re.IGNORECASE,
    )
    # "a criminal group calling itself Black Lantern": "the group" -> Black Lantern
    descriptors: dict[str, Speaker] = field(default_factory=dict)
    # "Halden Analytical, an independent laboratory": where the text describes a body by a noun
    described: list[tuple[int, str, Speaker]] = field(default_factory=list)
    text: str = ""
    position: int = 0  # where the sentence being read starts in ``text``
    last_document: Speaker | None = None  # the author of the last report the text cited

    context: str = ""  # the sentence being read
    previous: str = ""  # the sentence before it
    people: list[Speaker] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)

    def mentioned(self, sentence: str) -> None:
        """A sentence with no attribution still brings its subject, if known, into focus."""
        subject = re.match(r"^(?:The\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,4})", sentence)
        if subject:
            known = self._known(subject.group(1).replace("\u2019", "'"))
            if known is not None:
                self.remember(known)

    def _body_by_words(self, words: list[str]) -> Speaker | None:
        """The latest body whose name holds every word ('customs' -> 'Korvany Customs Service')."""
        stems = [w.lower().replace("'s", "")[:5] for w in words]
        if not stems:
            return None
        for name, speaker in reversed(list(self.by_name.items())):
            name_words = name.replace("'s", "").split()
            if speaker.person is None and all(
                any(word.startswith(stem) for word in name_words) for stem in stems
            ):
                return speaker
        return None

    def _from_description(self, description: str, role: str) -> str:
        """The body a title describes: 'health officer' -> the health department, if known."""
        words = [
            w
            for w in description.replace("\u2019", "'").split()
            if w.lower() not in _RANKS and w.lower() not in {"the", "a", "an", "its", "their"}
        ]
        if words:
            body = self._body_by_words(words)
            if body is not None:
                return body.source
            if words[-1].lower() in ORGANIZATION_WORDS:
                referred = self._by_noun(words[-1].lower())
                if referred is not None:
                    return referred.source
        if role.lower() in _CORPORATE_ROLES and not words:
            company = self._by_noun("company")  # "chief operating officer X": the story's company
            if company is not None:
                return company.source
        return ""

    def learn_mentions(self, text: str) -> None:
        """Know the bodies a text names anywhere, so that "the unit" can refer back to one."""
        self.text = text
        for match in _NAMED_BODY.finditer(text):
            name = _ARTICLE.sub("", match.group(0).replace("\u2019", "'"))
            if len(name.split()) >= 2:
                self.by_name.setdefault(name.lower(), Speaker(source=name))
        for pattern in (_NAME_THEN_DESCRIPTION, _DESCRIBED_NAME):
            for match in pattern.finditer(text):
                noun = match.group("noun")
                name = _LEADING_PREPOSITION.sub("", match.group("name").replace("\u2019", "'"))
                if noun in COMPANY_NOUNS | set(ORGANIZATION_WORDS) and not _HONORIFIC.match(name):
                    body = self.by_name.setdefault(name.lower(), Speaker(source=name))
                    self.described.append((match.start(), noun, body))
        self.described.sort(key=lambda mention: mention[0])
        for match in _PERSON_OF_NAMED_BODY.finditer(text):
            person = match.group("person").replace("\u2019", "'")
            org = self._known(_ARTICLE.sub("", match.group("org").replace("\u2019", "'")))
            if org is not None and org.person is None and not _HONORIFIC.match(person):
                speaker = Speaker(source=org.source, person=person)
                for name in (person, person.split()[-1]):
                    self.by_name.setdefault(name.lower(), speaker)

    def reported(
        self, outlet: Speaker, origin: Speaker | None, cited_as: str | None = None
    ) -> None:
        """``outlet`` published a report citing ``origin`` (as "two officials at the trust")."""
        self.last_outlet = outlet
        self.outlets.add(outlet.source)
        if origin is not None:
            self.citations[outlet.source] = origin
            for word in (cited_as or "").lower().split():
                plural = word.endswith("s") and word.rstrip("s") in ROLE_WORDS
                if word in ROLE_WORDS or plural or word in _GROUP_WORDS:
                    self.roles[word] = origin  # "the officials said" later means them

    def origin_of(self, speaker: Speaker) -> Speaker | None:
        """The origin an outlet's report cited, when ``speaker`` is such an outlet."""
        return self.citations.get(speaker.source)

    def _remember_role(self, role: str, speaker: Speaker) -> None:
        role = role.lower().split()[-1] if role.strip() else ""
        if role in ROLE_WORDS:
            self.roles[role] = speaker

    def remember(self, speaker: Speaker, *names: str) -> Speaker:
        for name in names:
            if name:
                self.by_name[name.lower()] = speaker
        self.last = speaker
        if speaker.person is not None or speaker.is_person:
            self.last_person = speaker
            self.people = [p for p in self.people if p != speaker] + [speaker]
        else:
            self.last_organization = speaker
        return speaker

    def _person_for_pronoun(self, pronoun: str) -> Speaker | None:
        """The latest person the pronoun can stand for: one known as "she" is not "he"."""
        for person in reversed(self.people):
            known = self.genders.get(person.person or person.source)
            if known is None or known == pronoun:
                if known is None:
                    self.genders[person.person or person.source] = pronoun
                return person
        return self.last_person

    def _person_of(self, person: str, organization: str, role: str = "") -> Speaker:
        """A person speaking for ``organization``; the body itself is remembered on its own."""
        if organization:
            body = self.by_name.setdefault(organization.lower(), Speaker(source=organization))
            self.last_organization = body
        speaker = Speaker(source=organization or person, person=person)
        self._remember_role(role, speaker)
        return self.remember(speaker, person, person.split()[-1])

    def _known(self, name: str) -> Speaker | None:
        """A speaker met before under ``name``, or under a longer name it starts ('Halvorsen')."""
        lowered = name.lower()
        if lowered in self.by_name:
            return self.by_name[lowered]
        for known, speaker in self.by_name.items():
            if known.startswith(lowered + " ") and len(lowered) >= 4:
                return speaker
        if (len(lowered.split()) >= 2 and not name.islower()) or " and " in lowered:
            # "Mines and Energy" (from a minister's title) names "Ministry of Mines and Energy".
            for known, speaker in self.by_name.items():
                if f" {lowered}" in f" {known}" and speaker.person is None:
                    return speaker
        return None

    def _by_noun(self, noun: str) -> Speaker | None:
        """The body a bare noun refers back to: "the newspaper", "the company", "the unit"."""
        if noun in self.descriptors:
            return self.descriptors[noun]
        described_before = [
            body
            for start, described, body in self.described
            if start < self.position
            and (described == noun or described in NOUN_SYNONYMS.get(noun, ()))
        ]
        if described_before:  # the latest body the text described with this noun
            return described_before[-1]
        for match in _NAMED_BODY.finditer(self.context):
            named = _ARTICLE.sub("", match.group(0).replace("\u2019", "'"))
            if _names_noun(named.lower(), noun):  # "X's Foreign Ministry ..., a ministry official"
                return self._known(named) or Speaker(source=named)
        if noun in OUTLET_NOUNS:
            return self.last_outlet or self._latest_outlet_named()
        for name, speaker in reversed(list(self.by_name.items())):
            if any(_names_noun(name, n) for n in (noun, *NOUN_SYNONYMS.get(noun, ()))) and (
                speaker.person is None
            ):
                return speaker
        if noun in COMPANY_NOUNS:
            for sentence in (self.context, self.previous):  # a company just named comes first
                opening = " ".join(sentence.lower().replace("\u2019", "'").split()[:6])
                for name, speaker in self.by_name.items():
                    if (
                        speaker.person is None
                        and not speaker.is_person
                        and opening.removeprefix("the ").startswith(name)
                        and speaker.source not in self.outlets
                        and not set(name.split()) & (CIVIC_NOUNS | OUTLET_NAME_WORDS)
                    ):
                        return speaker
            companies = [
                speaker
                for speaker in self.by_name.values()
                if speaker.person is None
                and not speaker.is_person
                and speaker.source not in self.outlets
                and not set(speaker.source.lower().split()) & (CIVIC_NOUNS | OUTLET_NAME_WORDS)
            ]
            # The company a story is about is the one it names most often.
            if companies:
                return max(companies, key=lambda speaker: self._salience(speaker.source))
        return None

    def _latest_outlet_named(self) -> Speaker | None:
        """The news outlet the text named last before the sentence being read."""
        before = self.text[: self.position]
        outlets = [
            (before.rfind(speaker.source), speaker)
            for name, speaker in self.by_name.items()
            if speaker.person is None
            and (speaker.source in self.outlets or set(name.split()) & OUTLET_NAME_WORDS)
        ]
        named = [(at, speaker) for at, speaker in outlets if at >= 0]
        return max(named, key=lambda pair: pair[0])[1] if named else None

    def _salience(self, name: str) -> int:
        """How often the text names a body, by its full name or its first word."""
        first = name.split()[0]
        by_first = self.text.count(first) if len(first) >= 4 and first[:1].isupper() else 0
        return max(self.text.count(name), by_first)

    def _body(self, phrase: str) -> str:
        """An organisation phrase, resolved to a body met before where it refers back to one."""
        cleaned = _strip_roles(_clean(phrase))
        if not cleaned:
            return cleaned
        known = self._known(cleaned)
        if known is not None and known.person is None:
            return known.source
        noun = cleaned.lower().split()[-1]
        if cleaned.islower() and len(cleaned.split()) <= 2 and noun in ORGANIZATION_WORDS:
            referred = self._by_noun(noun)
            if referred is not None:
                return referred.source
        if not cleaned.islower() and any(w.islower() for w in cleaned.split()):
            described = self._body_by_words(cleaned.split())  # "Korvanian customs"
            if described is not None:
                return described.source
        return cleaned

    def resolve(self, phrase: str) -> Speaker | None:
        """The speaker ``phrase`` names, or None when it names nobody we can use."""
        described = _DESCRIBED_PERSON.match(" ".join(phrase.split()).strip(" ,.;:"))
        if described:
            person = described.group("person")
            speaker = Speaker(source=person, person=person, is_person=True)
            return self.remember(speaker, person, person.split()[-1])
        flat = " ".join(phrase.replace("\u2019", "'").split()).strip(" ,.;:")
        aged = _PERSON_WITH_AGE.match(flat)
        if aged:
            person = aged.group("person")
            return self.remember(
                Speaker(source=person, person=person, is_person=True), person, person.split()[-1]
            )
        noun_body = _NOUN_THEN_BODY.match(flat)
        if noun_body and noun_body.group("noun") in COMPANY_NOUNS | set(ORGANIZATION_WORDS):
            name = noun_body.group("name")
            return self.remember(self._known(name) or Speaker(source=name), name)
        office = _ROLE_OF_PLACE_PERSON.match(flat)
        if office and office.group("role") in ROLE_WORDS:
            person = office.group("person")
            speaker = Speaker(source=person, person=person, is_person=True)
            return self.remember(speaker, person, person.split()[-1])
        if self.last_document is not None and _DOCUMENT_BACK_REFERENCE.match(flat.split(",")[0]):
            return self.remember(self.last_document)  # "the report" of the body that wrote it
        its_role = _ITS_ROLE_PERSON.match(flat)
        if its_role and its_role.group("role").split()[-1].lower() in ROLE_WORDS:
            body = self.last_organization.source if self.last_organization else ""
            return self._person_of(its_role.group("person"), body, its_role.group("role"))
        of_org = _PERSON_OF_ORG.match(flat)
        if of_org and not {w.lower() for w in of_org.group("person").split()} & (
            set(ORGANIZATION_WORDS) | {"the", "a", "an"}
        ):
            return self._person_of(of_org.group("person"), self._body(of_org.group("org")))
        insiders = _INSIDERS.match(flat)
        if insiders:
            return self.remember(
                self._known(insiders.group("org"))
                or Speaker(source=self._body(insiders.group("org")))
            )
        segments = [part.strip() for part in flat.split(",")]
        while len(segments) > 1 and _LEADING_ADVERBIAL.match(segments[0]):
            segments.pop(0)
        role_named = _ROLE_THEN_NAMED.match(", ".join(segments))
        if role_named and role_named.group("role").split()[-1].lower() in ROLE_WORDS:
            named_here = [
                re.sub(r"^(?:At|In|On|For|From)\s+", "", m.group(0))
                for m in _NAMED_BODY.finditer(self.context)
            ]
            body = (
                _ARTICLE.sub("", named_here[0])
                if named_here
                else (self.last_organization.source if self.last_organization else "")
            )
            return self._person_of(role_named.group("person"), body, role_named.group("role"))
        appositive = _BODY_ROLE_APPOSITIVE.match(flat)
        if appositive and appositive.group("role").split()[-1].lower() in ROLE_WORDS:
            organization = self._body(appositive.group("org"))
            person = appositive.group("person")
            return self._person_of(person, organization, appositive.group("role"))
        unnamed = _UNNAMED_GROUP.match(" ".join(phrase.split()).strip(" ,.;:"))
        if unnamed:
            words = unnamed.group("rest").split()
            group_body = self._by_noun(words[0]) if words[0] in ORGANIZATION_WORDS else None
            if group_body is not None:
                return self.remember(group_body)  # "two ministry officials": the ministry
            name = f"unnamed {unnamed.group('rest')}"
            return self.remember(self._known(name) or Speaker(source=name), name)
        cleaned = _clean(phrase)
        if not cleaned:
            return None
        named = _DESCRIPTOR_NAMED_AS.search(" ".join(phrase.split()))
        if named:
            named_body = self._known(cleaned) or self.remember(Speaker(source=cleaned), cleaned)
            self.descriptors[named.group("noun").lower()] = named_body
            return self.remember(named_body)
        lowered = cleaned.lower()
        if lowered.startswith("unnamed "):  # sources the text does not name
            return self.remember(self._known(cleaned) or Speaker(source=cleaned), cleaned)
        if lowered in {"he", "she"}:
            return self._person_for_pronoun(lowered) or self.last
        if lowered in {"they", "it"}:
            return self.last_organization or self.last
        if cleaned.islower() and lowered.split()[-1] in self.roles:
            return self.remember(self.roles[lowered.split()[-1]])  # "the same officials"
        role_for = _ROLE_FOR_BODY.match(cleaned)
        if role_for and role_for.group("role") in ROLE_WORDS:
            body_name = self._body(role_for.group("body"))
            spoken_for = self._known(body_name) or Speaker(source=body_name)
            self._remember_role(role_for.group("role"), spoken_for)
            return self.remember(spoken_for, body_name)
        if lowered.split()[-1] in OUTLET_NOUNS | COMPANY_NOUNS and len(lowered.split()) <= 2:
            referred = self._by_noun(lowered.split()[-1])
            if referred is not None:
                return self.remember(referred)
        if not _plausible_name(cleaned):
            return None
        known = self._known(cleaned)
        if known is not None:
            return self.remember(known)
        the_role = _PERSON_THE_ROLE.match(cleaned)
        if the_role and the_role.group("role") in ROLE_WORDS:
            recent = self.last_organization.source if self.last_organization else ""
            person = the_role.group("person")
            role = the_role.group("role")
            return self._person_of(person, recent if the_role.group("desc") else "", role)
        if cleaned.islower() and lowered.split()[-1] in self.roles:
            return self.remember(self.roles[lowered.split()[-1]])
        if cleaned.islower() and lowered.split()[-1] in ROLE_WORDS:
            body_of_role = self._by_noun(lowered.split()[-1])  # "the minister" -> the ministry
            if body_of_role is not None:
                return self.remember(body_of_role)
        who = _PERSON_WHO.match(cleaned)
        if who and who.group("person").split()[-1].lower() not in ORGANIZATION_WORDS:
            person = who.group("person")
            speaker = Speaker(source=person, person=person, is_person=True)
            return self.remember(speaker, person, person.split()[-1])
        of_body = _PERSON_OF_BODY.match(cleaned)
        if of_body:
            organization = self._body(of_body.group("org"))
            person = of_body.group("person")
            return self._person_of(person, organization)
        with_role = _PERSON_WITH_ROLE.match(cleaned)
        if with_role:
            organization = self._body(with_role.group("org"))
            person = with_role.group("person")
            return self._person_of(person, organization, with_role.group("role"))
        titled = _TITLE_THEN_PERSON.match(cleaned)
        if titled:
            person = titled.group("person")
            body = _strip_roles(
                " ".join(w for w in titled.group("title").split() if w.lower() not in ROLE_WORDS)
            )
            if body and body.split()[-1].lower() in ORGANIZATION_WORDS:
                return self._person_of(person, body)
            speaker = Speaker(source=person, person=person, is_person=True)
            return self.remember(speaker, person, person.split()[-1])
        described_person = _DESC_ROLE_PERSON.match(cleaned)
        if described_person:
            role = described_person.group("role")
            described_body = self._from_description(described_person.group("desc"), role)
            return self._person_of(described_person.group("person"), described_body, role)
        role_of_body = _ROLE_THEN_PERSON.match(cleaned)
        if role_of_body:
            return self._person_of(
                role_of_body.group("person"), self._body(role_of_body.group("desc"))
            )
        body_words = _strip_roles(cleaned).split()
        # "the agency" describes a body met before; "Eastmouth Port Authority" names one.
        lowercase = all(w.islower() for w in body_words)
        if (
            lowercase
            and body_words
            and len(body_words) <= 2
            and body_words[-1] in ORGANIZATION_WORDS
        ):
            # "the agency", "ministry officials": the last body of that kind, else the last body.
            noun = body_words[-1]
            referred = self._by_noun(noun)
            if referred is not None:
                return self.remember(referred)
            bare = len(body_words) == 1  # "the agency"; "the shipping federation" is a new body
            if bare and self.last_organization is not None and noun not in {"officials", "sources"}:
                return self.remember(self.last_organization)
        if cleaned.islower() and (
            lowered.split()[0] in ROLE_WORDS or lowered.split()[-1] in ROLE_WORDS
        ):
            # "the spokesperson" is the last person; "the officials" whoever spoke last.
            earlier = (
                self.last
                if lowered.split()[-1] in {"officials", "sources", "analysts"}
                else self.last_person or self.last
            )
            if earlier is not None:
                return earlier
        name = _POSSESSIVE.sub("", cleaned)
        if not (name.islower() and name.split()[-1] in ROLE_WORDS) and " of " not in name:
            name = _strip_roles(name) or name  # "Foreign Ministry spokeswoman" -> the ministry
        if name.split()[0] in ORGANIZATION_WORDS and not name.islower():
            name = name[:1].upper() + name[1:]  # "office of the regional governor"
        last_word = name.split()[-1] if name else ""
        if name.islower() and (last_word in ORGANIZATION_WORDS or last_word in ROLE_WORDS):
            # A body or office met for the first time by description: "the port authority".
            name = " ".join(w[:1].upper() + w[1:] for w in name.split())
        if not name or not name[:1].isupper():
            return None
        if _HONORIFIC.match(name):
            speaker = Speaker(source=name, person=name, is_person=True)
            return self.remember(speaker, name, name.split()[-1])
        # A bare name is taken for a body: people are introduced with a role or an honorific.
        speaker = Speaker(source=name)
        return self.remember(speaker, name)
