"""Talking to GitLab: the client (token in ``PRIVATE-TOKEN``), the projects a source reads,
GitLab's paging, and its times.

A project is named by its full path (``group/subgroup/name``); the API takes it URL-encoded
as the project id (``projects/group%2Fsubgroup%2Fname/...``), so no lookup of numeric ids
is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.gitlab import DEFAULT_BASE_URL, PROJECT_PATH
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import NextPage, link_header
from quarterdeck.sources.http.transport import HttpResponse, with_param

PERMISSION = (
    "the token in GITLAB_TOKEN needs the 'read_api' scope (a personal, group or project access token) "
    "and at least Reporter access to the project"
)


@dataclass(frozen=True)
class Project:
    """One configured project: its full path, the service its deployments deploy, and the
    environments that count as production for it (empty: the warehouse-wide list)."""

    path: str
    service: str
    production_environments: tuple[str, ...] = ()

    @property
    def api_id(self) -> str:
        """The project id as the API takes it: the URL-encoded full path."""
        return quote(self.path, safe="")

    @property
    def name(self) -> str:
        """The repository's name (the last path segment), as git repositories are named."""
        return self.path.rsplit("/", 1)[-1]


def project_of(entry: Any, where: str) -> Project:
    """A ``projects:`` entry: ``group/name``, or ``{project: group/sub/name, service: api,
    production_environments: [live]}``."""
    if isinstance(entry, str):
        entry = {"project": entry}
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: a project must be GROUP/NAME or a mapping with 'project:', not {entry!r}")
    unknown = sorted(set(entry) - {"project", "service", "production_environments"})
    if unknown:
        keys = "project, service, production_environments"
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} in a project (expected {keys})")
    path = entry.get("project")
    if not isinstance(path, str) or not PROJECT_PATH.match(path):
        raise ConfigError(f"{where}: a project must be its full path GROUP/NAME (or GROUP/SUB/NAME), not {path!r}")
    service = entry.get("service") or path.rsplit("/", 1)[-1]
    environments = entry.get("production_environments") or []
    if not isinstance(service, str) or not isinstance(environments, list):
        raise ConfigError(f"{where}: {path}: 'service' must be a name and 'production_environments' a list")
    return Project(path, service, tuple(str(e).strip().lower() for e in environments))


def api_base(base_url: str | None) -> str:
    """The API's address: ``<base_url>/api/v4`` (a base URL already ending in /api/v4 is kept)."""
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    return base if base.endswith("/api/v4") else f"{base}/api/v4"


def gitlab_client(base_url: str | None, token: str | None, **options: Any) -> HttpClient:
    headers = {"PRIVATE-TOKEN": token} if token else {}
    return HttpClient("GitLab", api_base(base_url), headers=headers, permission_hint=PERMISSION, **options)


def next_page(response: HttpResponse, params: dict[str, Any]) -> NextPage | None:
    """GitLab's next page: the Link header's ``rel="next"``, else the ``X-Next-Page`` header
    (GitLab leaves out Link on some self-managed set-ups behind proxies)."""
    following = link_header(response, params)
    if following is not None:
        return following
    page = response.headers.get("x-next-page", "").strip()
    if not page:
        return None
    return NextPage(url=with_param(response.url, "page", page))


def timestamp(value: str | None) -> datetime | None:
    """GitLab's ISO 8601 times (``2019-06-28T14:32:05.270Z``, ``2022-07-26T09:38:27.000+00:00``)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def api_time(value: datetime) -> str:
    """A time as GitLab's ``updated_after`` takes it."""
    return value.isoformat()
