"""How APIs hand out their results page by page.

A paginator looks at a response and says where the next page is: the ``Link`` header's
``rel="next"`` (GitHub, GitLab), an offset that grows by the page size until the total or a
``more`` flag says it is done (Jira's ``startAt``/``maxResults``/``total``, PagerDuty's
``offset``/``limit``/``more``), or a token the response carries (Jira's
``nextPageToken``, Opsgenie's ``paging.next``). Each returns the request for the next page
(a URL, or the same path with new parameters), or None after the last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from quarterdeck.connectors.http.transport import HttpResponse

_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([^",;]+)"?')


@dataclass(frozen=True)
class NextPage:
    """The next request: an absolute URL (from a header), or parameters for the same path."""

    url: str | None = None
    params: dict[str, Any] | None = None


def link_header(response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
    """The ``rel="next"`` URL of the Link header."""
    for url, rel in _LINK.findall(response.headers.get("link", "")):
        if "next" in rel.split():
            return NextPage(url=url)
    return None


@dataclass(frozen=True)
class Offset:
    """Offset paging: ``start`` grows by the number of items received, until ``total`` is
    reached, ``more`` is false, or a page comes back empty."""

    start: str = "startAt"
    items: str = "issues"
    total: str | None = "total"
    more: str | None = None

    def __call__(self, response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
        body = response.json()
        received = len(body.get(self.items) or [])
        position = int(params.get(self.start, 0)) + received
        if received == 0:
            return None
        if self.more is not None and not body.get(self.more):
            return None
        if self.total is not None and body.get(self.total) is not None and position >= int(body[self.total]):
            return None
        return NextPage(params={**params, self.start: position})


@dataclass(frozen=True)
class Token:
    """Token paging: the response's ``key`` (a dotted path) holds the next page's token,
    passed as ``param``; absent or empty on the last page. With ``as_url`` the token is the
    next page's URL itself."""

    key: str = "nextPageToken"
    param: str = "nextPageToken"
    as_url: bool = False

    def __call__(self, response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
        value: Any = response.json()
        for part in self.key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not value:
            return None
        return NextPage(url=str(value)) if self.as_url else NextPage(params={**params, self.param: value})
