"""Rebuilding what links deployments, changes and incidents (docs/delivery-inputs.md,
"Linking"), after every delivery import and every git import.

1. Which deployments are production (``delivery.production_environments``).
2. The repository of each deployment row, and what each successful deployment shipped:
   the commits the source listed, else a walk of the commit graph from the previous
   successful deployment of the same service, environment and repository. Walks are kept
   (``deployment_walks``) and redone only for pairs of commits that changed, or that git
   did not fully know before.
3. Each change -> its first successful production deployment.
4. Each incident -> a deployment: explicit link, root-cause commit, else the latest
   successful production deployment of its service within the attribution window.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from quarterdeck.ingest.delivery_graph import CommitGraph
from quarterdeck.store import Warehouse
from quarterdeck.store.delivery_writes import (
    attribute_incidents,
    forget_walks,
    link_first_deployments,
    link_given_commits,
    mark_production,
)


def rebuild_links(warehouse: Warehouse, production_environments: tuple[str, ...], window_days: int) -> None:
    """Rebuild every link (inside the caller's transaction); ``window_days`` is the incident
    attribution window."""
    con = warehouse.con
    environments = sorted({e.strip().lower() for e in production_environments})
    mark_production(con, environments)
    _resolve_repositories(con)
    _walk_changed_pairs(warehouse)
    link_given_commits(con, "_deployment_chain")
    link_first_deployments(con)
    attribute_incidents(con, window_days)


def _resolve_repositories(con: duckdb.DuckDBPyConnection) -> None:
    """The chain of successful deployments per service, environment and repository (every
    production environment name counts as one), with the repository each row deployed:
    named, else a repository of the service that holds the commit, else any repository
    holding it."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _deployment_chain AS
        WITH named AS (
            SELECT d.*, r.repository_id AS named_id
            FROM deployments AS d LEFT JOIN repositories AS r ON r.name = d.repository
            WHERE d.result = 'success'
        ),
        service_repositories AS (
            SELECT DISTINCT p.service_id, r.repository_id
            FROM service_periods AS p, unnest(p.repositories) AS u(name)
            JOIN repositories AS r ON r.name = u.name
        ),
        holders AS (
            SELECT n.deployment_id, n.repository, c.repository_id,
                   EXISTS (SELECT 1 FROM service_repositories AS s
                           WHERE s.service_id = n.service AND s.repository_id = c.repository_id) AS of_service
            FROM named AS n JOIN commits AS c ON c.sha = n.commit_sha
            WHERE n.named_id IS NULL AND n.repository = ''
        ),
        chosen AS (
            SELECT deployment_id, repository, repository_id FROM holders
            QUALIFY row_number() OVER (PARTITION BY deployment_id, repository
                                       ORDER BY of_service DESC, repository_id) = 1
        )
        SELECT n.deployment_id, n.repository, n.service, n.environment, n.commit_sha, n.finished_at,
               n.shipped_commits, coalesce(n.named_id, c.repository_id) AS repository_id,
               lag(n.commit_sha) OVER chain AS previous_commit_sha
        FROM named AS n
        LEFT JOIN chosen AS c ON c.deployment_id = n.deployment_id AND c.repository = n.repository
        WHERE coalesce(n.named_id, c.repository_id) IS NOT NULL
        WINDOW chain AS (PARTITION BY n.service, CASE WHEN n.is_production THEN '' ELSE n.environment END,
                                      coalesce(n.named_id, c.repository_id)
                         ORDER BY n.finished_at, n.deployment_id)
        """
    )


def _walk_changed_pairs(warehouse: Warehouse) -> None:
    """Walk the graph for each deployment whose pair of commits is new, changed, or was
    walked before git knew both commits; forget walks of deployments gone or changed."""
    con = warehouse.con
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _stale_walks AS
        SELECT w.deployment_id, w.repository_id FROM deployment_walks AS w
        WHERE NOT w.complete OR NOT EXISTS (
            SELECT 1 FROM _deployment_chain AS c
            WHERE c.deployment_id = w.deployment_id AND c.repository_id = w.repository_id
              AND c.commit_sha = w.commit_sha AND c.shipped_commits IS NULL
              AND c.previous_commit_sha IS NOT DISTINCT FROM w.previous_commit_sha)
        """
    )
    forget_walks(con, "_stale_walks")
    pairs = con.execute(
        """
        SELECT c.repository_id, c.deployment_id, c.commit_sha, c.previous_commit_sha FROM _deployment_chain AS c
        WHERE c.shipped_commits IS NULL AND NOT EXISTS (
            SELECT 1 FROM deployment_walks AS w
            WHERE w.deployment_id = c.deployment_id AND w.repository_id = c.repository_id)
        ORDER BY c.repository_id
        """
    ).fetchall()
    by_repository: dict[int, list[tuple[str, str, str | None]]] = {}
    for repository_id, deployment_id, commit, previous in pairs:
        by_repository.setdefault(repository_id, []).append((deployment_id, commit, previous))
    for repository_id, walks in by_repository.items():
        _walk_repository(warehouse, repository_id, walks)


def _walk_repository(warehouse: Warehouse, repository_id: int, walks: list[tuple[str, str, str | None]]) -> None:
    graph = CommitGraph(
        warehouse.con.execute("SELECT sha, parents FROM commits WHERE repository_id = ?", [repository_id]).fetchall()
    )
    walked: dict[str, list[Any]] = {k: [] for k in ("deployment_id", "commit_sha", "previous_commit_sha", "complete")}
    shipped: dict[str, list[Any]] = {k: [] for k in ("deployment_id", "sha", "on_first_parent")}
    for deployment_id, commit, previous in walks:
        complete = commit in graph and (previous is None or previous in graph)
        for key, value in zip(walked, (deployment_id, commit, previous, complete), strict=True):
            walked[key].append(value)
        if not complete or previous is None:
            continue  # unknown to git, or a baseline: ships nothing measurable
        commits, line = graph.shipped(commit, previous)
        for sha in commits:
            shipped["deployment_id"].append(deployment_id)
            shipped["sha"].append(sha)
            shipped["on_first_parent"].append(sha in line)
    warehouse.insert_arrow("deployment_walks", pa.table(walked), {"repository_id": repository_id})
    warehouse.insert_arrow("deployment_commits", pa.table(shipped), {"repository_id": repository_id, "how": "graph"})
