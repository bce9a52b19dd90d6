"""What the simulator knows of its deliveries, for tests to compare Quarterdeck's metrics with:

- ``truth/deployments.csv``: every deployment (one row per repository), its result and kind
  (release, retry, rollback, fix-forward);
- ``truth/incidents.csv``: every incident, the deployment that really caused it (empty for
  the others), how the incident file names the cause, and the deployment Quarterdeck's
  linking rules attribute it to (docs/delivery-inputs.md, "Linking", rule 4);
- ``truth/dora_monthly.csv``: per service and calendar month, the successful production
  deployments, the change failure rate as docs/delivery-metrics.md defines it (deployments
  with at least one incident *attributed* to them), the same rate counting only incidents
  they really caused, the incidents created and the median time to restore.

Every incident a deployment caused is named by its deployment, by a commit that deployment
shipped first, or follows it before any other production deployment of its service: the
attribution finds the true cause. Incidents nobody caused are attributed by time to the
latest production deployment within the window: the two rates differ by those.
"""

from __future__ import annotations

import bisect
import math
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from quarterdeck.config.settings import Settings
from quarterdeck.simulation.delivery_files import stamp
from quarterdeck.simulation.delivery_model import Delivery, Deployment, Incident
from quarterdeck.simulation.org_text import to_csv

if TYPE_CHECKING:
    from quarterdeck.simulation.run import Simulated


def write_delivery_truth(delivery: Delivery, made: Simulated, out: Path, window_days: int | None = None) -> list[Path]:
    """Write the three truth files; ``window_days`` is Quarterdeck's incident attribution
    window (its default, 7, when not given)."""
    window = timedelta(days=window_days if window_days is not None else Settings().incident_window_days)
    attributed = attribute_incidents(delivery, window)
    folder = out / "truth"
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "deployments.csv": _deployments(delivery),
        "incidents.csv": _incidents(delivery, attributed),
        "dora_monthly.csv": _dora_monthly(delivery, made, attributed),
    }
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def attribute_incidents(delivery: Delivery, window: timedelta) -> dict[str, str | None]:
    """Incident id -> the deployment Quarterdeck attributes it to: the one its record names,
    the first to ship its root-cause commit, else the latest successful production deployment
    of its service finished at or before it, within ``window``."""
    finished: dict[str, list[tuple[datetime, str]]] = {}
    for d in _successful_production(delivery.deployments):
        finished.setdefault(d.service_id, []).append((d.finished_at, d.deployment_id))
    for chain in finished.values():
        chain.sort()
    found: dict[str, str | None] = {}
    for incident in delivery.incidents:
        if incident.link in ("deployment_id", "root_cause_sha"):
            found[incident.incident_id] = incident.caused_by  # shipped first by the cause, by construction
            continue
        chain = finished.get(incident.service_id, [])
        at = bisect.bisect_right([f for f, _ in chain], incident.created_at) - 1
        near = at >= 0 and incident.created_at - chain[at][0] <= window
        found[incident.incident_id] = chain[at][1] if near else None
    return found


def _successful_production(deployments: list[Deployment]) -> list[Deployment]:
    return [d for d in deployments if d.environment == "production" and d.result == "success"]


def _deployments(delivery: Delivery) -> str:
    rows = [
        [d.deployment_id, d.service_id, d.environment, repository, sha, stamp(d.started_at), stamp(d.finished_at),
         d.result, d.kind]
        for d in delivery.deployments
        for repository, sha in d.commits
    ]  # fmt: skip
    header = ["deployment", "service", "environment", "repository", "sha", "started", "finished", "result", "kind"]
    return to_csv(header, rows)


def _incidents(delivery: Delivery, attributed: dict[str, str | None]) -> str:
    rows = [
        [i.incident_id, i.service_id, i.severity, stamp(i.created_at), _stamp(i.acknowledged_at),
         _stamp(i.resolved_at), i.caused_by or "", i.link, attributed[i.incident_id] or ""]
        for i in delivery.incidents
    ]  # fmt: skip
    header = ["incident", "service", "severity", "created", "acknowledged", "resolved", "caused_by_deployment",
              "link", "attributed_deployment"]  # fmt: skip
    return to_csv(header, rows)


def _dora_monthly(delivery: Delivery, made: Simulated, attributed: dict[str, str | None]) -> str:
    blamed = {d for d in attributed.values() if d}
    caused = {i.caused_by for i in delivery.incidents if i.caused_by}
    deployed: dict[tuple[str, date], list[str]] = {}
    for d in _successful_production(delivery.deployments):
        deployed.setdefault((d.service_id, _month(d.finished_at)), []).append(d.deployment_id)
    incidents: dict[tuple[str, date], list[Incident]] = {}
    for i in delivery.incidents:
        incidents.setdefault((i.service_id, _month(i.created_at)), []).append(i)
    rows = []
    for service in sorted(s.service_id for s in made.world.services):
        for month in _months(made.world.start, made.world.end):
            ids = deployed.get((service, month), [])
            failed = sum(1 for d in ids if d in blamed)
            really = sum(1 for d in ids if d in caused)
            opened = incidents.get((service, month), [])
            hours = [(i.resolved_at - i.created_at).total_seconds() / 3600 for i in opened if i.resolved_at]
            rows.append(
                [service, month.isoformat(), len(ids), failed, _ratio(failed, len(ids)), really,
                 _ratio(really, len(ids)), len(opened), len(hours), _number(median(hours))]
            )  # fmt: skip
    header = ["service", "month", "deployments", "failed_deployments", "change_failure_rate",
              "caused_failed_deployments", "true_change_failure_rate", "incidents", "resolved_incidents",
              "time_to_restore_median_hours"]  # fmt: skip
    return to_csv(header, rows)


def median(values: list[float]) -> float | None:
    """The interpolated median (DuckDB's ``quantile_cont(x, 0.5)``); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = 0.5 * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month < end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month(moment: datetime) -> date:
    return moment.date().replace(day=1)


def _ratio(part: int, whole: int) -> str:
    return _number(part / whole) if whole else ""


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def _stamp(moment: datetime | None) -> str:
    return stamp(moment) if moment is not None else ""
