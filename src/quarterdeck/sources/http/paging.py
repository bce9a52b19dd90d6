"""How APIs hand out their results page by page.

A paginator looks at a response and says where the next page is: the ``Link`` header's
``rel="next"`` (GitHub, GitLab), an offset that grows by the page size until the total or a
``more`` flag says it is done (Jira's ``startAt``/``maxResults``/``total``, PagerDuty's
``offset``/``limit``/``more``), or a token the response carries (Jira's
``nextPageToken``, Opsgenie's ``paging.next``). Each returns the request for the next page
(a URL, or the same path with new parameters), or None after the last.

A :class:`ListingGuard` watches every listing the client reads, whatever its paging: a
next page asked for already, a page repeated, a page of items already read all stop the
listing (a ``Link`` loop, or a server that repeats a page, would otherwise end the listing
early, or never, with the items it skipped lost for good once the cursor moved past them).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from quarterdeck.sources.http.transport import HttpResponse

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

    @property
    def expects(self) -> str:
        return f"expected a JSON object with a list '{self.items}'"

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

    @property
    def expects(self) -> str:
        return f"expected a JSON object with '{self.key}' on every page but the last"

    def __call__(self, response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
        value: Any = response.json()
        for part in self.key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not value:
            return None
        return NextPage(url=str(value)) if self.as_url else NextPage(params={**params, self.param: value})


class PagingLoop(Exception):
    """A listing that goes round in circles: its message says how (the client names the
    source and the request)."""


_IDENTITIES = ("id", "sha", "key", "number", "uuid")


class ListingGuard:
    """What one listing has read so far, to stop it when the API's paging goes wrong:

    - a next page that was asked for already (a ``Link`` that points back, an offset or a
      token that does not move);
    - a page that is the same as an earlier one, byte for byte;
    - a page whose items were all read already in this listing (by their ``id``, ``sha``,
      ``key``, ``number`` or ``uuid``; items of a JSON list without any, by their whole
      content). A page that only
      overlaps the one before (an item updated while the listing was read moves the others
      down by one) is not a loop.

    Each check raises :class:`PagingLoop`: the caller must not store a listing that skipped
    items it never saw, nor move its cursor past them."""

    def __init__(self) -> None:
        self.requests: dict[str, int] = {}  # request -> page number (1 = the first)
        self.bodies: dict[bytes, int] = {}
        self.items: set[Any] = set()

    def asked(self, request: str) -> None:
        """Note the request of the next page, before it is sent."""
        if request in self.requests:
            raise PagingLoop(
                f"the next page it names is page {self.requests[request]} of this listing again "
                f"(page {len(self.requests)} links back to it)"
            )
        self.requests[request] = len(self.requests) + 1

    def read(self, response: HttpResponse) -> None:
        """Check a page just received."""
        page = len(self.requests)
        items = _page_items(response)
        digest = hashlib.blake2b(response.content, digest_size=16).digest()
        if digest in self.bodies and items != []:
            raise PagingLoop(f"page {page} repeats page {self.bodies[digest]} of this listing")
        self.bodies.setdefault(digest, page)
        if not items:
            return
        keys = [_identity(item) for item in items]
        if all(key in self.items for key in keys):
            raise PagingLoop(f"every item of page {page} was read already on an earlier page of this listing")
        self.items.update(keys)


def _page_items(response: HttpResponse) -> list[Any] | None:
    """The items of a page: a JSON list, or the lists of a JSON object whose objects carry an
    id (a list of something else, such as Jenkins' ``property``, may be the same on every
    page). None when the body is not JSON."""
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return [item for value in body.values() if _objects(value) for item in value]
    return None


def _objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and _identity(value[0])[0] != ""


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        for key in _IDENTITIES:
            value = item.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                return (key, value)
    return ("", json.dumps(item, sort_keys=True, default=str))
