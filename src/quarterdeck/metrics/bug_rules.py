"""Which tracker issues are critical bugs, and which of those were found in production.

The rules are the settings ``[bugs]`` (docs/configuration.md), applied each time a metric
runs, so a change takes effect without reading the trackers again. Every comparison is
without case: the metrics' SQL receives the lists in lower case.

- A **critical bug** is an issue the tracker's connector marked as a bug (Jira: its issue
  type; GitHub: a bug label) whose priority, by name or id, is one of
  ``critical_priorities``, or one of whose labels is one of ``critical_labels``.
- It was **found in production** when one of its labels is one of ``production_labels``,
  or a value of its found-in field (Jira: the source's ``found_in_field``, Environment by
  default) holds one of ``production_values`` as whole words ("Production, Chrome 118"
  holds "production"; "product" does not hold "prod").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.settings import (
    DEFAULT_CRITICAL_LABELS,
    DEFAULT_CRITICAL_PRIORITIES,
    DEFAULT_PRODUCTION_LABELS,
    DEFAULT_PRODUCTION_VALUES,
)

_NOT_A_WORD = re.compile(r"[^\w]+|_+")


@dataclass(frozen=True)
class BugRules:
    critical_priorities: tuple[str, ...] = DEFAULT_CRITICAL_PRIORITIES
    critical_labels: tuple[str, ...] = DEFAULT_CRITICAL_LABELS
    production_labels: tuple[str, ...] = DEFAULT_PRODUCTION_LABELS
    production_values: tuple[str, ...] = DEFAULT_PRODUCTION_VALUES

    @classmethod
    def of(cls, settings: Settings) -> BugRules:
        return cls(
            settings.critical_priorities,
            settings.critical_labels,
            settings.production_labels,
            settings.production_values,
        )

    def parameters(self) -> dict[str, Any]:
        """The metrics' ``$parameters``: the lists in lower case; the production values as
        words between spaces (`` found in production ``), as the SQL writes the field's text."""
        return {
            "critical_priorities": _lower(self.critical_priorities),
            "critical_labels": _lower(self.critical_labels),
            "production_labels": _lower(self.production_labels),
            "production_words": [w for w in (words(v) for v in self.production_values) if w.strip()],
        }


def words(text: str) -> str:
    """The text in lower case, its words between single spaces, with a space at each end: as
    ``critical_bugs.sql`` rewrites a found-in value before looking for these in it."""
    return " " + " ".join(_NOT_A_WORD.sub(" ", text.lower()).split()) + " "


def _lower(values: tuple[str, ...]) -> list[str]:
    return [v.strip().lower() for v in values]
