"""What the dashboard's pages and its JSON share: the filters of a request, and how values read.

Filters are carried in the URL, so a link shows the same thing to whoever opens it:
``until`` (a day; the window is the ``months`` whole months ending with that day's month;
default: the last whole month the warehouse has data for) and one scope (default: the whole
organization): ``unit`` (an org unit and everything under it), ``team``, ``service`` or
``repository``, each by its id; the scope picker sends ``scope=KIND:ID`` for the same. A
value a user typed that is not understood is a 400 naming the parameter and what was
expected, never a silent default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException

from quarterdeck.core.formats import format_number, is_share

MIN_MONTHS, MAX_MONTHS, DEFAULT_MONTHS = 3, 36, 12
SCOPES = ("unit", "team", "service", "repository")
__all__ = ["Filters", "change_note", "format_value", "is_share", "read_filters", "scoped_query", "unit_note"]


@dataclass(frozen=True)
class Filters:
    until: date | None = None
    months: int = DEFAULT_MONTHS
    team: str | None = None
    service: str | None = None
    repository: str | None = None
    unit: str | None = None

    @property
    def scope(self) -> tuple[str, str | None]:
        """(kind, id): ("org", None), or the one of unit, team, service, repository given."""
        for kind in SCOPES:
            if getattr(self, kind):
                return kind, getattr(self, kind)
        return "org", None

    def query(self, **changes: Any) -> str:
        """These filters (with ``changes``) as a URL query string, for links."""
        values = {"until": self.until, "months": self.months, "unit": self.unit, "team": self.team,
                  "service": self.service, "repository": self.repository, **changes}  # fmt: skip
        shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v not in (None, "")}
        if shown.get("months") == DEFAULT_MONTHS:
            shown.pop("months")
        return urlencode(shown)


def scoped_query(filters: Filters, kind: str | None = None, ident: str | None = None) -> str:
    """The query string of ``filters`` with the scope replaced by ``kind``=``ident`` (None:
    the whole organization)."""
    cleared: dict[str, Any] = dict.fromkeys(SCOPES)
    if kind is not None:
        cleared[kind] = ident
    return filters.query(**cleared)


def read_filters(params: Any) -> Filters:
    """The filters of a request's query parameters (400 for a value not understood)."""
    until = params.get("until") or None
    months = params.get("months") or None
    scope = {kind: (params.get(kind) or "").strip() or None for kind in SCOPES}
    picked = _picked_scope(params.get("scope") or "")
    given = [kind for kind, value in scope.items() if value] + (["scope"] if picked else [])
    if len(given) > 1:
        raise HTTPException(400, f"{' and '.join(given)}: expected one scope at a time")
    if picked:
        scope[picked[0]] = picked[1]
    try:
        day = date.fromisoformat(until) if until else None
    except ValueError:
        raise HTTPException(400, f"until: expected a day as YYYY-MM-DD, got {until!r}") from None
    try:
        count = int(months) if months else DEFAULT_MONTHS
    except ValueError:
        raise HTTPException(400, f"months: expected a whole number, got {months!r}") from None
    if not MIN_MONTHS <= count <= MAX_MONTHS:
        raise HTTPException(400, f"months: expected {MIN_MONTHS} to {MAX_MONTHS}, got {count}")
    return Filters(day, count, **scope)


def _picked_scope(value: str) -> tuple[str, str] | None:
    """``KIND:ID`` of the scope picker (empty: the whole organization)."""
    if not value:
        return None
    kind, _, ident = value.partition(":")
    if kind not in SCOPES or not ident.strip():
        raise HTTPException(400, f"scope: expected KIND:ID with KIND one of {', '.join(SCOPES)}, got {value!r}")
    return kind, ident.strip()


def unit_note(unit: str) -> str:
    """The unit shown beside a value that ``format_value`` writes without one."""
    return "" if is_share(unit) or unit in ("hours", "minutes") else unit


def format_value(value: Any, unit: str) -> str:
    """A value as a person reads it: 99.92 %, 3.6 h, 1,204 people; "—" for none
    (``core.formats``, as the command line's tables print it)."""
    return format_number(value, unit)


def change_note(value: Any, previous: Any, good_direction: str) -> tuple[str, str]:
    """(text, tone) of the change from the month before: tone is better, worse or same."""
    if not isinstance(value, (int, float)) or not isinstance(previous, (int, float)):
        return "", "same"
    if value == previous:
        return "no change", "same"
    rising = value > previous
    arrow = "▲" if rising else "▼"
    if previous:
        text = f"{arrow} {abs(value - previous) / abs(previous) * 100:.0f} % on the month before"
    else:
        text = f"{arrow} from 0 the month before"
    if good_direction not in ("up", "down"):
        return text, "same"
    return text, "better" if rising == (good_direction == "up") else "worse"
