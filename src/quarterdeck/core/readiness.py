"""How soon a successor could take a role (docs/sources/succession.md): three steps, the
common succession-planning scale. Shared by the succession file's reader, the findings and
the simulator, so that all read ``1-2y`` as ``1-2 years``."""

from __future__ import annotations

import re

READY_NOW, ONE_TO_TWO, THREE_PLUS = "ready now", "1-2 years", "3+ years"
#: The steps, soonest first.
READINESS = (READY_NOW, ONE_TO_TWO, THREE_PLUS)
EXPECTED = "a readiness: ready now, 1-2 years or 3+ years (also now, 1-2y, 3+y)"

_WORDS = {
    READY_NOW: ("ready now", "now", "ready", "ready-now", "ready_now", "0", "0 years"),
    ONE_TO_TWO: ("1-2 years", "1-2y", "1-2", "1-2 yrs", "ready in 1-2 years", "within 2 years", "1 to 2 years"),
    THREE_PLUS: ("3+ years", "3+y", "3+", "3+ yrs", "ready in 3+ years", "3 years or more", "long term"),
}
_BY_WORD = {word: step for step, words in _WORDS.items() for word in words}


def readiness(value: object) -> str:
    """A readiness step of READINESS from any of its spellings (any case, spaces squeezed);
    else ``ValueError(EXPECTED)``."""
    word = re.sub(r"\s+", " ", str(value).strip().lower())
    word = re.sub(r"\s*-\s*", "-", word)
    if word in _BY_WORD:
        return _BY_WORD[word]
    raise ValueError(EXPECTED)
