"""What the delivery data left out, and why: nothing is dropped silently.

Each check is one SQL query over the warehouse returning rows of (kind, source, line,
record, problem). ``quarterdeck data-quality`` prints them; the dashboard will too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quarterdeck.store import Warehouse

COLUMNS = ("check", "kind", "source", "line", "record", "problem")


@dataclass(frozen=True)
class Check:
    name: str
    meaning: str
    sql: str


CHECKS: tuple[Check, ...] = (
    Check(
        "source_records",
        "records an API source sent that could not be stored (a field missing, an unknown value): "
        "the next sync of that source reads them again",
        "SELECT resource, source || ' ' || scope, NULL, record_id, problem FROM source_problems "
        "ORDER BY source, scope, resource, record_id",
    ),
    Check(
        "rejected_rows",
        "rows an import or event could not take: they are not in any metric",
        "SELECT kind, source, source_line, record_id, coalesce('field ' || field || ': ', '') || problem "
        "FROM delivery_import_problems WHERE outcome = 'rejected' ORDER BY loaded_at, source, source_line",
    ),
    Check(
        "duplicates",
        "a key given twice in one import: the later row was kept",
        "SELECT kind, source, source_line, record_id, problem FROM delivery_import_problems "
        "WHERE outcome = 'duplicate' ORDER BY loaded_at, source, record_id",
    ),
    Check(
        "negative_lead_times",
        "changes authored after the deployment that shipped them finished (clock errors): left out of lead time",
        """
        SELECT 'changes', r.name, NULL, c.sha,
               'authored ' || CAST(k.author_time AS VARCHAR) || ', after deployment ' || c.deployment_id
               || ' finished ' || CAST(c.deployed_at AS VARCHAR)
        FROM change_deployments AS c
        JOIN commits AS k ON k.repository_id = c.repository_id AND k.sha = c.sha
        JOIN repositories AS r ON r.repository_id = c.repository_id
        WHERE k.author_time > c.deployed_at AND NOT k.is_merge
        ORDER BY r.name, c.sha
        """,
    ),
    Check(
        "deployment_commits_unknown_to_git",
        "successful deployments whose commit is in no ingested repository: they count as deployments, "
        "but ship no changes (no lead time)",
        """
        SELECT 'deployments', d.source, d.source_record, d.deployment_id,
               'commit ' || d.commit_sha || CASE WHEN d.repository <> '' THEN ' (repository ' || d.repository || ')'
               ELSE '' END || ' is not in the ingested git history: run quarterdeck ingest git on its repository'
        FROM deployments AS d
        WHERE d.result = 'success' AND d.shipped_commits IS NULL
          AND NOT EXISTS (SELECT 1 FROM deployment_walks AS w
                          WHERE w.deployment_id = d.deployment_id AND w.complete)
          AND NOT EXISTS (SELECT 1 FROM commits AS c WHERE c.sha = d.commit_sha)
        ORDER BY d.finished_at, d.deployment_id
        """,
    ),
    Check(
        "incidents_without_service",
        "incidents that name no service: counted org-wide, never for a team, and attributed to no deployment "
        "unless they name one",
        "SELECT 'incidents', source, source_record, incident_id, 'no service' FROM incidents "
        "WHERE service IS NULL ORDER BY created_at, incident_id",
    ),
    Check(
        "unknown_deployment_links",
        "incidents whose deployment_id names no imported deployment: attributed by the other rules instead",
        "SELECT 'incidents', source, source_record, incident_id, 'deployment_id ' || deployment_id || ' is unknown' "
        "FROM incidents AS i WHERE deployment_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM deployments AS d WHERE d.deployment_id = i.deployment_id) "
        "ORDER BY created_at, incident_id",
    ),
    Check(
        "unlinked_incidents",
        "incidents attributed to no deployment: no link, no known root cause, and no successful production "
        "deployment of their service in the attribution window before them (not in change failure rate)",
        "SELECT 'incidents', source, source_record, incident_id, "
        "'created ' || CAST(created_at AS VARCHAR) || coalesce(' on service ' || service, ' with no service') "
        "FROM incidents AS i WHERE NOT EXISTS (SELECT 1 FROM incident_deployments AS l "
        "WHERE l.incident_id = i.incident_id) ORDER BY created_at, incident_id",
    ),
)


def check_names() -> tuple[str, ...]:
    return tuple(c.name for c in CHECKS)


def run_checks(warehouse: Warehouse, only: str | None = None) -> list[tuple[Check, list[tuple[Any, ...]]]]:
    """Each check with its rows (all of them)."""
    return [(c, warehouse.con.execute(c.sql).fetchall()) for c in CHECKS if only in (None, c.name)]
