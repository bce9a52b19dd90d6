"""Reading Jira: issues with their changelog, statuses, issue types, boards and sprints.

Jira Cloud and Jira Data Center answer the same questions at different addresses:

- **Issues.** Cloud: ``GET /rest/api/3/search/jql`` paged by token (``nextPageToken`` until
  ``isLast``); Data Center: ``GET /rest/api/2/search`` paged by offset (``startAt``,
  ``maxResults``, ``total``). Both with ``fields=*all&expand=changelog``.
- **Changelogs** embedded in search results can be cut short (fewer ``histories`` than
  ``changelog.total``); the rest is read from ``/rest/api/3/issue/{id}/changelog`` (Cloud,
  paged) or ``/rest/api/2/issue/{key}?expand=changelog`` (Data Center).
- **Boards and sprints** come from the Agile API (``/rest/agile/1.0``), the same on both.

Cloud authenticates with HTTP basic ``email:API token``, Data Center with a personal access
token as ``Authorization: Bearer``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import NextPage, Offset, Token
from quarterdeck.sources.http.transport import HttpResponse

PAGE_SIZE = 100  # issues per search page (Jira's ceiling with all fields)
AGILE_PAGE_SIZE = 50  # boards or sprints per page (the Agile API's ceiling)
PERMISSION = (
    "the token in JIRA_TOKEN needs the 'Browse projects' permission on each project and access to its boards "
    "(Jira Cloud: an API token of the account whose e-mail is in JIRA_EMAIL; Data Center: a personal access token)"
)


@dataclass(frozen=True)
class OffsetUntilLast:
    """Offset paging that also honours ``isLast`` (the Agile API, the Cloud changelog and
    Data Center search all send it; some omit ``total``)."""

    items: str

    def __call__(self, response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
        if response.json().get("isLast") is True:
            return None
        return Offset(start="startAt", items=self.items, total="total")(response, params)


def next_token(response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
    """Cloud search: the next page's token, until ``isLast``."""
    if response.json().get("isLast") is True:
        return None
    return Token()(response, params)


def jira_client(base_url: str, cloud: bool, token: str | None, email: str | None, **options: Any) -> HttpClient:
    """A client for one Jira site; without a token it reads anonymously (public sites)."""
    headers = {}
    if token and cloud:
        pair = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {pair}"
    elif token:
        headers["Authorization"] = f"Bearer {token}"
    return HttpClient("Jira", base_url, headers=headers, permission_hint=PERMISSION, **options)


class JiraApi:
    """The requests of one flavour of Jira (Cloud or Data Center) through one client."""

    def __init__(self, client: HttpClient, cloud: bool):
        self.client = client
        self.cloud = cloud
        self.rest = "rest/api/3" if cloud else "rest/api/2"

    def issues(self, jql: str) -> Iterator[dict[str, Any]]:
        """The issues a JQL query finds, with all fields and the embedded changelog."""
        params: dict[str, Any] = {"jql": jql, "fields": "*all", "expand": "changelog", "maxResults": PAGE_SIZE}
        if self.cloud:
            pages = self.client.pages(f"{self.rest}/search/jql", params, next_token)
        else:
            pages = self.client.pages(f"{self.rest}/search", {**params, "startAt": 0}, OffsetUntilLast("issues"))
        for page in pages:
            issues = self.client.items(page, "issues")
            yield from issues

    def full_changelog(self, issue: dict[str, Any]) -> list[dict[str, Any]]:
        """Every history entry of an issue, oldest first, when its embedded changelog was cut."""
        if self.cloud:
            path, params = f"{self.rest}/issue/{issue['id']}/changelog", {"startAt": 0, "maxResults": PAGE_SIZE}
            histories = []
            for page in self.client.pages(path, params, OffsetUntilLast("values")):
                histories.extend(self.client.items(page, "values"))
            return histories
        body = self.client.body(self.client.get(f"{self.rest}/issue/{issue['key']}", {"expand": "changelog"}), dict)
        return (body.get("changelog") or {}).get("histories") or []

    def statuses(self) -> list[dict[str, Any]]:
        return self.client.body(self.client.get(f"{self.rest}/status"), list)

    def issue_types(self) -> list[dict[str, Any]]:
        return self.client.body(self.client.get(f"{self.rest}/issuetype"), list)

    def time_zone(self) -> str | None:
        """The time zone of the token's account: Jira reads the times in JQL in it."""
        zone = self.client.body(self.client.get(f"{self.rest}/myself"), dict).get("timeZone")
        return zone if isinstance(zone, str) and zone else None

    def boards(self, project: str) -> Iterator[dict[str, Any]]:
        params = {"projectKeyOrId": project, "startAt": 0, "maxResults": AGILE_PAGE_SIZE}
        for page in self.client.pages("rest/agile/1.0/board", params, OffsetUntilLast("values")):
            yield from self.client.items(page, "values")

    def sprints(self, board_id: Any) -> Iterator[dict[str, Any]]:
        params = {"startAt": 0, "maxResults": AGILE_PAGE_SIZE}
        for page in self.client.pages(f"rest/agile/1.0/board/{board_id}/sprint", params, OffsetUntilLast("values")):
            yield from self.client.items(page, "values")


def changelog_cut_short(issue: Any) -> bool:
    """Whether an issue's embedded changelog holds fewer entries than the issue has."""
    if not isinstance(issue, dict) or "id" not in issue or "key" not in issue:
        return False
    changelog = issue.get("changelog")
    if not isinstance(changelog, dict) or not isinstance(changelog.get("total"), int):
        return False
    return len(changelog.get("histories") or []) < changelog["total"]


def issue_jql(project: str, extra: str | None, start: datetime | None, zone: str | None) -> str:
    """``project = "KEY" [AND (extra)] [AND updated >= "yyyy-MM-dd HH:mm"] ORDER BY updated ASC``.

    JQL times have minute precision and are read in the account's time zone, so ``start`` is
    shown in ``zone`` and rounded down to the minute; the caller has moved it back by a
    safety margin already. Without a known zone, the time is shown in UTC moved back 14 hours
    more (the widest offset there is), so nothing is missed, at the cost of reading again."""
    clauses = [f'project = "{project}"']
    if extra:
        clauses.append(f"({extra})")
    if start is not None:
        clauses.append(f'updated >= "{jql_time(start, zone)}"')
    return " AND ".join(clauses) + " ORDER BY updated ASC"


def jql_time(moment: datetime, zone: str | None) -> str:
    try:
        local = moment.astimezone(ZoneInfo(zone)) if zone else None
    except (ZoneInfoNotFoundError, ValueError):
        local = None
    if local is None:
        local = moment.astimezone(UTC) - timedelta(hours=14)
    return local.strftime("%Y-%m-%d %H:%M")
