"""Building the due-diligence report from the warehouse and the HEAD scans.

The activity trend, the bus factor, code age and hotspots are the catalog's metrics
(``run_metric``), so each number equals what ``quarterdeck metrics show`` gives for the same
window; the rest is read by ``diligence_facts``. The report never writes a table.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from quarterdeck.core.clock import today
from quarterdeck.core.head_scan import HeadScan
from quarterdeck.metrics import MetricQuery, get_metric, run_metric
from quarterdeck.metrics.data_end import data_end
from quarterdeck.reports import diligence_facts as facts
from quarterdeck.reports.diligence_flags import grade, summarize
from quarterdeck.reports.diligence_inventory import add_inventory, inventory_languages
from quarterdeck.reports.diligence_model import DiligenceReport, QuarterActivity, RepositoryFacts, SecretFinding
from quarterdeck.store import Warehouse

DELIVERY_METRICS = ("deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore")


def build_report(warehouse: Warehouse, scans: list[HeadScan], base: MetricQuery, title: str) -> DiligenceReport:
    """The whole report: facts, red flags graded by rule, and the summary written from them."""
    ends = data_end(warehouse, today(), base.timezone)
    base = replace(base, until=ends)
    repositories = facts.repository_facts(warehouse)
    by_path = {s.repository_path: s for s in scans}
    paths = dict(warehouse.con.execute("SELECT name, path FROM repositories").fetchall())
    for repo in repositories:
        add_scan(repo, by_path.get(paths[repo.name]))
    add_inventory(warehouse, repositories, base)
    add_bus_factors(warehouse, base, repositories)
    left, how = facts.departed_identities(warehouse, ends)
    shares = facts.changed_line_shares(warehouse, left)
    for repo in repositories:
        repo.departed_share = shares.get(repo.name)
    departed = {**how, "authors": len(left), "share_of_changed_lines": shares.get("", 0.0)}
    report = DiligenceReport(
        title=title,
        data_ends=ends,
        repositories=repositories,
        languages=inventory_languages(warehouse) or facts.languages(warehouse),
        quarters=activity(warehouse, base),
        contributors=facts.people_count(warehouse),
        top_authors=facts.top_author_shares(warehouse),
        departed=departed,
        code_age=code_age(warehouse, base),
        hotspots=hotspots(warehouse, base),
        secrets=secret_findings(repositories, by_path, paths),
        delivery=delivery(warehouse, base),
    )
    report.red_flags = grade(report)
    report.summary = summarize(report)
    report.notes = notes(report)
    return report


def add_scan(repo: RepositoryFacts, scan: HeadScan | None) -> None:
    if scan is None:
        return
    repo.licence, repo.licence_file = scan.licence, scan.licence_file
    repo.manifests, repo.lock_files = dict(scan.manifests), list(scan.lock_files)


def add_bus_factors(warehouse: Warehouse, base: MetricQuery, repositories: list[RepositoryFacts]) -> None:
    """``bus_factor`` over its default 12 months, and over the whole history."""
    metric = get_metric("bus_factor")
    first = facts.first_commit_day(warehouse)
    recent = rows_by_repository(run_metric(warehouse, metric, base))
    whole = rows_by_repository(run_metric(warehouse, metric, replace(base, since=first))) if first else {}
    for repo in repositories:
        repo.bus_factor_12m = recent.get(repo.name, {}).get("bus_factor")
        repo.bus_factor_all = whole.get(repo.name, {}).get("bus_factor")
        repo.top_author_share_all = whole.get(repo.name, {}).get("top_author_share")


def rows_by_repository(result: Any) -> dict[str, dict[str, Any]]:
    return {row[0]: dict(zip(result.columns, row, strict=True)) for row in result.rows}


def activity(warehouse: Warehouse, base: MetricQuery) -> list[QuarterActivity]:
    """Commits and active contributors per quarter, the whole history (``active_contributors``
    with ``--grain quarter``); the quarter the data ends in is marked partial."""
    first = facts.first_commit_day(warehouse)
    if first is None or base.until is None:
        return []
    result = run_metric(warehouse, get_metric("active_contributors"), replace(base, since=first, grain="quarter"))
    rows = []
    for row in result.rows:
        values = dict(zip(result.columns, row, strict=True))
        start: date = values["period_start"]
        label = f"{start.year}Q{(start.month - 1) // 3 + 1}"
        partial = base.until < quarter_end(start)
        rows.append(QuarterActivity(label, start, int(values["commits"]), int(values["active_contributors"]), partial))
    return rows


def quarter_end(start: date) -> date:
    """The last day of the quarter that starts on ``start``."""
    month = start.month + 3
    following = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def code_age(warehouse: Warehouse, base: MetricQuery) -> list[tuple[str, int, float]]:
    """Lines by age band over every repository (``code_age`` at the end of the data)."""
    result = run_metric(warehouse, get_metric("code_age"), replace(base, since=None))
    totals: dict[str, int] = {}
    for row in result.rows:
        values = dict(zip(result.columns, row, strict=True))
        totals[values["age_band"]] = totals.get(values["age_band"], 0) + int(values["lines"] or 0)
    everything = sum(totals.values())
    return [(band, lines, round(lines / everything, 4) if everything else 0.0) for band, lines in totals.items()]


def hotspots(warehouse: Warehouse, base: MetricQuery) -> list[dict[str, Any]]:
    result = run_metric(warehouse, get_metric("hotspots"), replace(base, limit=10))
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def secret_findings(
    repositories: list[RepositoryFacts], scans: dict[str, HeadScan], paths: dict[str, str]
) -> list[SecretFinding]:
    found = []
    for repo in repositories:
        scan = scans.get(paths[repo.name])
        for kind, count in (scan.secrets if scan else {}).items():
            found.append(
                SecretFinding(
                    repo.name, kind, count.title or kind, count.matches, count.files, sorted(count.paths), count.grade
                )
            )
    return found


def delivery(warehouse: Warehouse, base: MetricQuery) -> list[dict[str, Any]] | None:
    """DORA metrics over the last 90 days when deployments are in the warehouse, else None."""
    if not warehouse.value("SELECT count(*) FROM deployments"):
        return None
    assert base.until is not None
    window = replace(base, since=date.fromordinal(base.until.toordinal() - 89), grain="window")
    shown = []
    for name in DELIVERY_METRICS:
        metric = get_metric(name)
        result = run_metric(warehouse, metric, window)
        values = [dict(zip(result.columns, r, strict=True)).get(metric.value) for r in result.rows]
        value = next((v for v in values if v is not None), None)
        shown.append({"metric": name, "title": metric.title, "value": value, "unit": metric.unit})
    return shown


def notes(report: DiligenceReport) -> list[str]:
    said = []
    if report.departed.get("method") == "inactive":
        said.append(
            "No HR export was given: people who left are taken to be the authors with no commit in the "
            f"{report.departed['inactive_days']} days before the end of the data (an assumption, not a fact)."
        )
    elif report.departed.get("unlinked_authors"):
        said.append(
            f"{report.departed['unlinked_authors']} authors are linked to nobody in the HR export; "
            "they are not counted as people who left."
        )
    if any(q.partial for q in report.quarters):
        said.append(f"The last quarter is partial: the data ends on {report.data_ends}.")
    return said
