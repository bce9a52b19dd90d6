"""Reading a warehouse in tests: the tables a git ingest writes, and a read-only query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb

K = TypeVar("K")

#: Tables holding ingested git data.
GIT_TABLES = (
    "repositories",
    "commits",
    "commit_files",
    "identities",
    "git_refs",
    "repository_files",
    "git_missing_blobs",
)
#: Tables holding the organization (imports, and what is derived from them and from git).
ORG_TABLES = (
    "org_imports",
    "people_snapshots",
    "team_snapshots",
    "service_snapshots",
    "catalog_users",
    "codeowners_rules",
    "identity_mappings",
    "people",
    "person_emails",
    "person_periods",
    "teams",
    "team_periods",
    "team_aliases",
    "services",
    "service_periods",
    "identity_links",
    "file_owners",
)
#: Tables holding deployments, incidents, CI runs, availability and SLOs, and their links.
DELIVERY_TABLES = (
    "deployments",
    "incidents",
    "ci_runs",
    "availability_windows",
    "slos",
    "delivery_import_problems",
    "deployment_walks",
    "deployment_commits",
    "change_deployments",
    "incident_deployments",
)
#: Tables holding what API connectors read, and how far they have read.
SOURCE_TABLES = (
    "pull_requests",
    "pr_reviews",
    "source_cursors",
    "pr_commits",
    "pr_events",
    "pr_comments",
    "ci_jobs",
    "issues",
    "issue_transitions",
    "issue_statuses",
    "sprints",
    "releases",
    "incident_events",
    "source_problems",
    "source_accounts",
)
#: Tables holding money: budgets, tool spend, company finance, exchange rates, open positions.
MONEY_TABLES = (
    "budget_lines", "tool_spend", "company_finance", "currency_rates", "positions", "cloud_costs",
    "cloud_allocation_rules", "investment_categories", "investment_rules", "investment_objectives",
    "capitalization_policy", "capitalization_phases",
)  # fmt: skip
#: Tables holding what plans read besides the organization: the skills inventory.
PLAN_TABLES = ("skills",)
#: Tables of the people programs (issue 18): the career ladder, assessments, succession, hiring,
#: surveys (team aggregates: no respondent id is stored).
PEOPLE_TABLES = (
    "ladders", "assessments", "successors", "hiring_stages",
    "surveys", "survey_questions", "survey_team_responses", "survey_scores", "survey_comments",
)  # fmt: skip
#: Targets' monthly red/amber/green history (issue 19, `quarterdeck targets record`).
TARGET_TABLES = ("target_history",)
#: Tables of the tech-stack inventory (issue 19), read at HEAD during a git ingest.
STACK_TABLES = (
    "stack_repositories", "stack_languages", "stack_dependencies", "stack_frameworks",
    "stack_files", "stack_licences", "stack_unreadable",
)  # fmt: skip
#: Every table holding data (everything but the run ledger and the schema table).
DATA_TABLES = (
    *GIT_TABLES, *ORG_TABLES, *DELIVERY_TABLES, *SOURCE_TABLES, *MONEY_TABLES, *PLAN_TABLES, *PEOPLE_TABLES,
    *TARGET_TABLES, *STACK_TABLES,
)  # fmt: skip
ALL_TABLES = (*DATA_TABLES, "ingestion_runs")


def query(db: Path, sql: str, params: Sequence[Any] | None = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` on the warehouse file ``db``, opened read-only, times in UTC."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, list(params or [])).fetchall()
    finally:
        con.close()


def query_each(db: Path, queries: Mapping[K, str]) -> dict[K, list[tuple[Any, ...]]]:
    """The rows of each of several queries, as :func:`query` reads them (read-only, times in
    UTC), on one connection: opening the file once instead of once a query."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        con.close()
