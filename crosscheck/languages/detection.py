"""Which language a text is in, and whether the configured models read it.

py3langid (a maintained fork of langid.py, its model inside the wheel, nothing downloaded) over
the languages below. A text is called unsupported only when the detector gives all supported
languages together under 2%: on 14,509 English dev sentences and headlines of three words or
more, that flagged only two, both French headlines; German, French, Italian, Portuguese, Dutch,
Polish and Turkish claims of four or five words were all flagged. Texts under three words are
not judged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Languages the detector chooses among (ISO 639-1): the most common in news and official
# statements, plus any the models are configured to read.
CANDIDATES = frozenset(
    (
        "en de fr es it pt nl ru uk pl tr ar zh ja ko sv da no fi cs ro hu el he fa hi id vi th "
        "bg sr hr sk sl lt lv et ca"
    ).split()
)
# Below this combined probability of the supported languages, a text is in another one.
UNSUPPORTED_BELOW = 0.02
MIN_WORDS = 3


@dataclass(frozen=True)
class DetectedLanguage:
    """An ISO 639-1 code and how sure the detector is (0..1)."""

    code: str
    confidence: float


def _identifier(languages: Iterable[str]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(identifier.nb_classes)
    identifier.set_languages(sorted((CANDIDATES | set(languages)) & known))
    return identifier


@dataclass(frozen=True)
class LanguageSupport:
    """The languages the configured encoder and stance judge read, and a detector for others."""

    languages: frozenset[str]
    _detector: list[Any] = field(default_factory=list, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def of(cls, codes: Iterable[str]) -> LanguageSupport:
        return cls(frozenset(code.strip().lower() for code in codes if code.strip()))

    def _ranked(self, text: str) -> list[tuple[str, float]]:
        with self._lock:  # the identifier is built once, on first use, and keeps no call state
            if not self._detector:
                self._detector.append(_identifier(self.languages))
            ranked: list[tuple[str, float]] = self._detector[0].rank(text)
        return ranked

    def unsupported(self, text: str) -> DetectedLanguage | None:
        """The language of ``text`` when it is confidently one the models do not read."""
        if len(text.split()) < MIN_WORDS:
            return None
        ranked = self._ranked(text)
        supported = sum(p for code, p in ranked if code in self.languages)
        if supported >= UNSUPPORTED_BELOW or not ranked:
            return None
        code, probability = ranked[0]
        return DetectedLanguage(code=str(code), confidence=round(float(probability), 3))


# The packaged all-MiniLM-L6-v2 and the stance judge trained from it read English.
ENGLISH_ONLY = LanguageSupport.of(["en"])
