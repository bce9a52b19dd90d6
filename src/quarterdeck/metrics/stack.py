"""The tech-stack views (docs/tech-stack.md): each is a catalog metric run on the inventory
read at HEAD, so ``quarterdeck stack``, the ``/stack`` page and ``metrics show`` give the
same numbers; plus the inventory's own rows (dependencies, unreadable files) and a summary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quarterdeck.config.standards import Standards, default_standards_path, load_standards
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.catalog import get_metric
from quarterdeck.metrics.query import MetricQuery, MetricResult, run_metric
from quarterdeck.store import Warehouse

#: What each ``quarterdeck stack`` view runs.
VIEWS = {
    "languages": "stack_language_spread",
    "frameworks": "stack_framework_spread",
    "sprawl": "stack_version_sprawl",
    "licences": "stack_licence_mix",
    "standards": "stack_off_standard",
}
DEPENDENCY_COLUMNS = (
    "repository", "ecosystem", "manifest", "name", "declared", "resolved", "scope", "lock_file", "licence",
    "licence_source",
)  # fmt: skip


def standards_from(warehouse_path: Path, given: Path | None) -> Standards:
    """The standards file given, else ``standards.yaml`` next to the warehouse; an error
    naming where it was looked for when there is none."""
    path = given or default_standards_path(warehouse_path)
    if given is None and not path.exists():
        raise ConfigError(
            f"{path}: no standards file; write the organization's standard stack there or give "
            "--standards FILE (docs/tech-stack.md)"
        )
    return load_standards(path)


def run_view(warehouse: Warehouse, view: str, query: MetricQuery) -> MetricResult:
    return run_metric(warehouse, get_metric(VIEWS[view]), query)


def _repository_filter(query: MetricQuery, alias: str = "r") -> tuple[str, list[Any]]:
    if not query.repositories:
        return "", []
    return f" AND list_contains(?, {alias}.name)", [list(query.repositories)]


def dependencies(warehouse: Warehouse, query: MetricQuery, visible: list[str] | None = None) -> list[tuple]:
    """Every dependency of the inventory (``visible``: only these repositories' ones)."""
    where, params = _repository_filter(query)
    if visible is not None:
        where += " AND list_contains(?, r.name)"
        params.append(visible)
    return warehouse.con.execute(
        "SELECT r.name, d.ecosystem, d.manifest, d.name, d.declared, d.resolved, d.scope, d.lock_file, "
        "coalesce(d.licence, 'unknown'), d.licence_source FROM stack_dependencies d "
        f"JOIN repositories r USING (repository_id) WHERE true{where} ORDER BY ALL",
        params,
    ).fetchall()


def unreadable(warehouse: Warehouse, visible: list[str] | None = None) -> list[tuple]:
    """Files the inventory could not read: (repository, path, reason)."""
    where, params = ("", []) if visible is None else (" WHERE list_contains(?, r.name)", [visible])
    return warehouse.con.execute(
        "SELECT r.name, u.path, u.reason FROM stack_unreadable u JOIN repositories r USING (repository_id)"
        f"{where} ORDER BY ALL",
        params,
    ).fetchall()


@dataclass(frozen=True)
class StackSummary:
    """The inventory in one line: what the demo prints and the page's headline."""

    repositories: int
    languages: int
    top_language: str | None
    frameworks: int
    dependencies: int
    sprawling: int  # dependencies in use at more than one version
    copyleft: int  # dependencies under a strong or weak copyleft licence
    unknown_licences: int
    unreadable: int

    def line(self) -> str:
        top = f" (most lines: {self.top_language})" if self.top_language else ""
        return (
            f"{self.repositories} repositories, {self.languages} languages{top}, {self.frameworks} frameworks, "
            f"{self.dependencies} dependencies ({self.sprawling} at several versions, {self.copyleft} copyleft, "
            f"{self.unknown_licences} of unknown licence), {self.unreadable} unreadable manifests"
        )


def summary(warehouse: Warehouse, query: MetricQuery) -> StackSummary:
    """The summary of the repositories ``query`` covers, from the same metrics."""
    org = replace(query, by="org")
    languages = run_view(warehouse, "languages", org).rows
    frameworks = run_view(warehouse, "frameworks", org).rows
    sprawl = run_view(warehouse, "sprawl", query)
    licences = run_view(warehouse, "licences", org)
    count = {c: i for i, c in enumerate(sprawl.columns)}
    mix = {c: i for i, c in enumerate(licences.columns)}
    scoped = run_view(warehouse, "languages", replace(query, by="repository")).rows
    visible = sorted({row[0] for row in scoped})
    return StackSummary(
        repositories=len(visible),
        languages=len(languages),
        top_language=languages[0][1] if languages else None,
        frameworks=len(frameworks),
        dependencies=sum(r[mix["dependencies"]] for r in licences.rows),
        sprawling=sum(1 for r in sprawl.rows if r[count["versions"]] > 1),
        copyleft=sum(r[mix["dependencies"]] for r in licences.rows if r[mix["copyleft"]] in ("strong", "weak")),
        unknown_licences=sum(r[mix["dependencies"]] for r in licences.rows if r[mix["copyleft"]] == "unknown"),
        unreadable=len(unreadable(warehouse, visible if query.owner_unit or query.repositories else None)),
    )
