"""Reading GitHub repositories incrementally: pull requests with their reviews, commits and
timeline events; review comments; issues; Actions runs and their jobs as CI runs and jobs;
deployments; releases. Each is a resource with its own cursor and summary row.

- **Units.** Each repository is read in six units, each one group of resources read
  together: pull requests with commits and events (``read_pulls``), review comments and
  issues (``read_issues``), Actions runs with their jobs (``read_runs``), deployments and
  releases (``read_deployments``).
- **A unit that fails** (an API error, an unexpected answer, a listing that pages in
  circles) stores nothing and keeps its cursors; the repository's other units are read.
- **Bad records** (a missing field, an unknown value) are reported with the repository and
  id; the rest is stored, and the cursor stops before the oldest record not stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from quarterdeck.sources.github import SOURCE
from quarterdeck.sources.github.common import Reading
from quarterdeck.sources.github.pulls import github_client
from quarterdeck.sources.github.read_deployments import read_deployments, read_releases
from quarterdeck.sources.github.read_issues import read_issues, read_review_comments
from quarterdeck.sources.github.read_pulls import PULL_RESOURCES, read_pull_requests
from quarterdeck.sources.github.read_runs import read_workflow_runs
from quarterdeck.sources.reading import Connection, Unit

UNITS = (
    (PULL_RESOURCES, read_pull_requests),
    (("pr_comments",), read_review_comments),
    (("issues",), read_issues),
    (("workflow_runs", "ci_jobs"), read_workflow_runs),
    (("deployments",), read_deployments),
    (("releases",), read_releases),
)


@contextmanager
def read_github(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured repository of one GitHub connection, six units per repository. The
    options (checked against the declaration): ``bug_labels`` (label names), ``services``
    (repository -> service of its deployments) and ``parallel_requests`` (pull requests whose
    details are asked for at once)."""
    config = connection.config
    options = {**SOURCE.defaults(), **config.options}
    services = {str(k): v for k, v in (options["services"] or {}).items()}
    with github_client(config.base_url or "", config.token(), on_wait=connection.context.on_wait) as client:
        reading = Reading(client, connection, list(options["bug_labels"]), services, options["parallel_requests"])
        yield (
            Unit(repository, resources, partial(read, reading, repository))
            for repository in config.scopes
            for resources, read in UNITS
        )
