"""Who a git author is: one identity per e-mail address (after .mailmap), bots flagged.

The same e-mail address in several repositories is one identity. Addresses are compared
without regard to case. A commit with no e-mail address gets an identity from its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def identity_id(name: str, email: str) -> str:
    """The stable key of the identity behind a (name, e-mail) pair, after .mailmap."""
    email = email.strip().lower()
    if email:
        return "git:" + email
    return "git-name:" + name.strip()


@dataclass(frozen=True)
class BotRules:
    """Regular expressions matched, ignoring case, against ``"name <email>"``."""

    patterns: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", [re.compile(p, re.IGNORECASE) for p in self.patterns])

    def match(self, name: str, email: str) -> str | None:
        """The first pattern that flags this identity as a bot, or None."""
        text = f"{name} <{email}>"
        for pattern, compiled in zip(self.patterns, self._compiled, strict=True):  # type: ignore[attr-defined]
            if compiled.search(text):
                return pattern
        return None

    def classify(self, people: Iterable[tuple[str, str, str]]) -> dict[str, str | None]:
        """identity id -> matching pattern (None for humans) for (id, name, email) triples."""
        return {key: self.match(name, email) for key, name, email in people}
