"""The one place Quarterdeck asks what time it is, so tests and reports can fix it."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

TODAY_ENV = "QUARTERDECK_TODAY"


def now() -> datetime:
    """The current instant, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC, or the date in ``QUARTERDECK_TODAY`` (YYYY-MM-DD) when set."""
    fixed = os.environ.get(TODAY_ENV)
    if fixed:
        return date.fromisoformat(fixed)
    return now().date()
