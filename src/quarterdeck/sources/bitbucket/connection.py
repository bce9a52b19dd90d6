"""How one Bitbucket connection is read: what its pull requests, pipelines and deployments
readers share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quarterdeck.sources.bitbucket.api import timestamp
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.reading import Connection, RecordProblem


@dataclass(frozen=True)
class Reading:
    """How a connection is read: the client, the page size, whether pull requests' commits
    are, the service of each repository's deployments, and the connection."""

    client: HttpClient
    page_size: int
    commits: bool
    services: dict[str, str]
    connection: Connection

    @property
    def source(self) -> str:
        return self.connection.config.name

    def service(self, repository: str) -> str:
        """The service a repository's deployments deploy: as configured, else its slug."""
        slug = repository.split("/", 1)[1]
        return self.services.get(repository) or self.services.get(slug) or slug

    def problem(self, repository: str, resource: str, record_id: Any, time_key: str = "") -> Any:
        """Makes the problem of an item that cannot be stored: named by ``record_id(item)``
        (or "(no id)"), dated at its ``time_key`` when that can be read."""

        def made(item: Any, why: str) -> RecordProblem:
            try:
                name = record_id(item)
            except (KeyError, TypeError, ValueError, AttributeError):
                name = ""
            try:
                at = timestamp(item[time_key]) if time_key else None
            except (KeyError, TypeError, ValueError, AttributeError):
                at = None
            return RecordProblem(self.source, repository, resource, name, why, at)

        return made
