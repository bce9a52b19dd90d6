"""The proficiency scale of the skills inventory (docs/sources/skills.md): 1 (beginner) to
5 (expert), written as a number or a word. Shared by the inventory's reader and the plan's
talent needs, so both read ``advanced`` as 4."""

from __future__ import annotations

import re

#: The words a level may be written as, and the level each means.
LEVEL_WORDS = {
    "beginner": 1,
    "novice": 1,
    "basic": 2,
    "elementary": 2,
    "intermediate": 3,
    "proficient": 3,
    "advanced": 4,
    "expert": 5,
}
LOWEST, HIGHEST = 1, 5
EXPECTED = "a level from 1 to 5 or one of beginner, basic, intermediate, advanced, expert"


def skill_level(value: object) -> int:
    """A proficiency level: a whole number 1-5 or a word of LEVEL_WORDS (any case); else
    ``ValueError(EXPECTED)``."""
    if isinstance(value, bool):
        raise ValueError(EXPECTED)
    if isinstance(value, int):
        if LOWEST <= value <= HIGHEST:
            return value
        raise ValueError(EXPECTED)
    word = str(value).strip().lower()
    if word in LEVEL_WORDS:
        return LEVEL_WORDS[word]
    if re.fullmatch(r"[1-5](\.0+)?", word):
        return int(float(word))
    raise ValueError(EXPECTED)
