"""What an attribution rests on, and how often that kind of attribution is right."""

from __future__ import annotations

import enum


class Cue(enum.StrEnum):
    """The textual evidence that gave a statement its source."""

    SPEECH_VERB = "speech verb"  # "X said ...", "... , X told reporters"
    ACCORDING_TO = "according to"  # "according to X, ..."
    DOCUMENT = "document"  # "X's report found ...", "figures released by X show ..."
    RELAYED = "relayed"  # "the paper reported, citing X, ..."
    PARSE = "parse"  # a speech predicate and its named subject, read from the dependency parse
    REFERENCE = "reference"  # "he said", "the ministry said": a speaker named earlier
    QUOTE_CONTINUES = "quote continues"  # a quoted sentence after its speaker's first one
    NARRATION = "narration"  # the publisher's own reporting, nobody quoted
    UNATTRIBUTED = "unattributed"  # quoted or attributed, but to nobody the text lets us name


# How often each cue's attribution was right on articles written apart from the ones the rules
# were built on (fixtures/articles-heldout, `python bench/attribution.py --by-cue`), smoothed as
# (right + 1) / (found + 2) because the counts are small. On the build articles every cue is
# right 93-100% of the time, which says more about the rules than about new text.
# Unattributed statements keep the publisher only as a fallback: no confidence in a speaker.
CONFIDENCE: dict[Cue, float] = {
    Cue.SPEECH_VERB: 0.91,  # 47 / 51
    Cue.ACCORDING_TO: 0.67,  # 1 / 1
    Cue.DOCUMENT: 0.5,  # 1 / 2
    Cue.RELAYED: 0.5,  # 1 / 2
    Cue.PARSE: 0.67,  # 1 / 1
    Cue.REFERENCE: 0.67,  # 1 / 1
    Cue.QUOTE_CONTINUES: 0.83,  # 4 / 4
    Cue.NARRATION: 0.53,  # 7 / 13: statements of somebody's the rules gave the publisher
    Cue.UNATTRIBUTED: 0.0,
}
