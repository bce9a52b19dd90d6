"""Signing in to the dashboard and what each role may see.

With an access file (``config.access``), every page and every ``/api/v1/`` route but the
event endpoints (which have their own tokens) and the style sheet asks for a token: as
``Authorization: Bearer TOKEN`` from scripts, or as the password of HTTP Basic from a
browser (which asks for it: any user name). Without one, the dashboard is open, and
``serve`` only allows that on this machine (127.0.0.1, localhost, ::1).

What a role may see (``Sight``):

- **admin**: everything.
- **leader** of an org unit: that unit's total and the units and teams of its subtree (on
  the day the data reaches), and the services those teams own; breakdowns list only those.
  Not the whole organization's numbers, repositories, or data quality.
- **member** of a team: that team's aggregates only, and nothing about money.

Money (the Money area, ``web.money``, and every metric about money, ``metrics.money``) is
for admins and leaders: a leader sees their unit's, a member gets 403.

A scope outside what one may see is a 403 that says what the access covers; a page opened
without a scope shows one's own (``Sight.home``): the leader's unit, the member's team.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from quarterdeck.config.access import AccessList, Principal
from quarterdeck.store import Warehouse
from quarterdeck.web.units import org_on

OPEN_PREFIXES = ("/api/v1/events/", "/static/")
REALM = 'Basic realm="Quarterdeck", charset="UTF-8"'


@dataclass(frozen=True)
class Sight:
    """What one may see: every unit, team and service (``everything``), or these."""

    everything: bool
    teams: frozenset[str] = frozenset()  # units and teams
    services: frozenset[str] = frozenset()
    covers: str = "everything"  # in words, for the 403
    home: tuple[str, str] | None = None  # the scope a page without one shows
    money: bool = True  # the Money area and the metrics about money (admins and leaders)

    def allows(self, kind: str, ident: str | None) -> bool:
        if self.everything:
            return True
        if kind in ("unit", "team"):
            return ident in self.teams
        if kind == "service":
            return ident in self.services
        return False  # the whole organization, a repository


EVERYTHING = Sight(True)


class AccessMiddleware:
    """Asks for a token on every route but the open ones; the principal goes to
    ``request.state.principal`` (None without an access file)."""

    def __init__(self, app: ASGIApp, access: AccessList | None) -> None:
        self.app, self.access = app, access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.access is None or scope["path"].startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        principal = self.access.find(token_of(HTTPConnection(scope).headers.get("authorization")))
        if principal is None:
            await _unauthorized(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def token_of(authorization: str | None) -> str | None:
    """The token of ``Bearer TOKEN``, or the password of ``Basic base64(user:TOKEN)``."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value or None
    if scheme.lower() == "basic":
        try:
            pair = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return pair.partition(":")[2] or None
    return None


async def _unauthorized(scope: Scope, receive: Receive, send: Send) -> None:
    from starlette.responses import JSONResponse, PlainTextResponse

    message = "sign in with your Quarterdeck token (Authorization: Bearer TOKEN, or as the password when asked)"
    headers = {"WWW-Authenticate": REALM}
    if scope["path"].startswith("/api/"):
        response: Any = JSONResponse({"error": message}, status_code=401, headers=headers)
    else:
        response = PlainTextResponse(message, status_code=401, headers=headers)
    await response(scope, receive, send)


def principal_of(request: Any) -> Principal | None:
    return getattr(request.state, "principal", None)


def sight_of(warehouse: Warehouse, principal: Principal | None, today: date) -> Sight:
    """What ``principal`` may see (everything without an access file, or for an admin)."""
    if principal is None or principal.role == "admin":
        return EVERYTHING
    if principal.role == "member":
        team = principal.team or ""
        return Sight(False, frozenset({team}), frozenset(), f"the team {team}", ("team", team), money=False)
    unit = principal.unit or ""
    teams = frozenset(_subtree_teams(warehouse, unit, today))
    services = frozenset(_owned_services(warehouse, teams, today))
    home = ("unit" if len(teams) > 1 else "team", unit) if unit in teams else None  # a unit without units is a team
    return Sight(False, teams, services, f"the unit {unit}", home)


def _subtree_teams(warehouse: Warehouse, unit: str, today: date) -> list[str]:
    org = org_on(warehouse, today)
    if org is None or unit not in org.units:  # no organization imported, or no such unit then
        return []
    known = {r[0] for r in warehouse.con.execute("SELECT team_id FROM teams").fetchall()}
    return [u for u in org.subtree(unit) if u in known]


def _owned_services(warehouse: Warehouse, teams: frozenset[str], today: date) -> list[str]:
    if not teams:
        return []
    rows = warehouse.con.execute(
        "SELECT DISTINCT service_id FROM service_periods WHERE list_contains(?, owner_team_id) "
        "AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to > ?)",
        [sorted(teams), today, today],
    ).fetchall()
    return [r[0] for r in rows]


MONEY_REFUSED = "money figures are for admins and leaders (the access file, docs/dashboard.md)"


def require_money(sight: Sight) -> None:
    """403 unless ``sight`` may see money."""
    if not sight.money:
        raise HTTPException(403, f"{MONEY_REFUSED}; your access covers {sight.covers}")


def require(sight: Sight, kind: str, ident: str | None) -> None:
    """403 unless ``sight`` covers the scope ``kind``/``ident``."""
    if not sight.allows(kind, ident):
        what = "the whole organization" if ident is None else f"{kind} {ident}"
        raise HTTPException(403, f"your access covers {sight.covers}, not {what}")
