"""The delivery files a real organization exports, in the formats ``quarterdeck ingest
deployments|ci-runs|incidents|availability|slos`` read (docs/delivery-inputs.md):

- ``delivery/ci-runs.csv``: one row per CI run;
- ``delivery/deployments.csv``: one row per deployment and repository (same id);
- ``delivery/incidents.ndjson``: one incident a line; some name the deployment that caused
  them, some the commit, most nothing (Quarterdeck then attributes them by time);
- ``delivery/availability.csv``: requests per service and hour (good, total), with the
  errors of the incidents open during the hour;
- ``delivery/slos.yaml``: one OpenSLO availability objective per service, by tier.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quarterdeck.simulation.delivery_model import SEVERITIES, Delivery, Incident
from quarterdeck.simulation.model import Service
from quarterdeck.simulation.org_text import to_csv

#: The share of the busiest hour's traffic at each hour of a weekday (weekends: half).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAILY_SHAPE = (0.25,) * 7 + (0.6, 0.8) + (1.0,) * 9 + (0.8, 0.7, 0.6, 0.5, 0.4, 0.3)


def write_delivery_files(delivery: Delivery, out: Path) -> dict[str, Path]:
    """Write the five files under ``out/delivery``; their paths by name."""
    folder = out / "delivery"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in ("ci-runs.csv", "deployments.csv", "incidents.ndjson")}
    paths["ci-runs.csv"].write_text(_ci_runs(delivery), encoding="utf-8")
    paths["deployments.csv"].write_text(_deployments(delivery), encoding="utf-8")
    paths["incidents.ndjson"].write_text(_incidents(delivery), encoding="utf-8")
    paths["availability.csv"] = folder / "availability.csv"
    _write_availability(delivery, paths["availability.csv"])
    paths["slos.yaml"] = folder / "slos.yaml"
    paths["slos.yaml"].write_text(_slos(delivery), encoding="utf-8")
    return paths


def stamp(moment: datetime) -> str:
    """ISO 8601 in UTC, to the second (a million timestamps at 500 engineers: formatted from
    the epoch, the date part once per day, four times faster than ``strftime``)."""
    day, seconds = divmod(int(moment.timestamp()), 86400)
    hours, seconds = divmod(seconds, 3600)
    return f"{_day(day)}T{hours:02d}:{seconds // 60:02d}:{seconds % 60:02d}Z"


@functools.lru_cache(maxsize=4096)
def _day(day: int) -> str:
    return (EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")


def _ci_runs(delivery: Delivery) -> str:
    rows = [
        [r.run_id, r.repository, r.workflow, r.commit_sha, stamp(r.queued_at), stamp(r.started_at),
         stamp(r.finished_at), r.result]
        for r in delivery.ci_runs
    ]  # fmt: skip
    return to_csv(
        ["id", "repository", "workflow", "commit_sha", "queued_at", "started_at", "finished_at", "result"], rows
    )


def _deployments(delivery: Delivery) -> str:
    rows = [
        [d.deployment_id, d.service_id, d.environment, repository, sha, stamp(d.started_at), stamp(d.finished_at),
         d.result]
        for d in delivery.deployments
        for repository, sha in d.commits
    ]  # fmt: skip
    header = ["id", "service", "environment", "repository", "commit_sha", "started_at", "finished_at", "result"]
    return to_csv(header, rows)


def _incidents(delivery: Delivery) -> str:
    return "".join(json.dumps(_incident_record(i)) + "\n" for i in delivery.incidents)


def _incident_record(incident: Incident) -> dict[str, str]:
    """What the incident tool exports: the cause only when the tool was told it."""
    record = {
        "id": incident.incident_id,
        "service": incident.service_id,
        "severity": incident.severity,
        "title": incident.title,
        "created_at": stamp(incident.created_at),
    }
    if incident.acknowledged_at is not None:
        record["acknowledged_at"] = stamp(incident.acknowledged_at)
    if incident.resolved_at is not None:
        record["resolved_at"] = stamp(incident.resolved_at)
    if incident.link == "deployment_id" and incident.caused_by:
        record["deployment_id"] = incident.caused_by
    if incident.link == "root_cause_sha" and incident.root_cause_sha:
        record["root_cause_sha"] = incident.root_cause_sha
    return record


def _write_availability(delivery: Delivery, path: Path) -> None:
    """Good and total requests per service and hour, from the service's first day."""
    world, params = delivery.world, delivery.params
    first = datetime.combine(world.start, datetime.min.time(), UTC)
    hours = int((datetime.combine(world.end, datetime.min.time(), UTC) - first).total_seconds() // 3600)
    stamps = [stamp(first + timedelta(hours=h)) for h in range(hours + 1)]
    shape = [DAILY_SHAPE[h % 24] * (1.0 if (first + timedelta(hours=h)).weekday() < 5 else 0.5) for h in range(hours)]
    by_service: dict[str, list[Incident]] = {}
    for incident in delivery.incidents:
        by_service.setdefault(incident.service_id, []).append(incident)
    assert delivery.availability_rng is not None
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("service,window_start,window_end,good,total\n")
        for service in world.services:
            rng = delivery.availability_rng.child(service.service_id)
            start = datetime.combine(max(world.start, world.team(service.owner_team_id).created), datetime.min.time())
            begin = int((start.replace(tzinfo=UTC) - first).total_seconds() // 3600)
            failing = _failing_share(by_service.get(service.service_id, []), first, params.outage_share)
            peak = params.requests_per_hour[service.tier - 1] * rng.lognormal(1.0, 0.5)
            base, draw, name = params.baseline_error_rate[service.tier - 1], rng.random, service.service_id
            lines = []
            for h in range(begin, hours):  # traffic +-10 % around the hour's shape; errors 0.5-1.5 x the baseline
                total = round(peak * shape[h] * (0.9 + 0.2 * draw()))
                errors = round(total * min(1.0, base * (0.5 + draw()) + failing.get(h, 0.0)))
                lines.append(f"{name},{stamps[h]},{stamps[h + 1]},{total - errors},{total}\n")
            handle.write("".join(lines))


def _failing_share(incidents: list[Incident], first: datetime, outage_share: tuple[float, ...]) -> dict[int, float]:
    """Per hour (counted from ``first``): the share of requests failing because of the
    incidents open during it (each weighted by how much of the hour it was open)."""
    failing: dict[int, float] = {}
    for incident in incidents:
        share = outage_share[SEVERITIES.index(incident.severity)]
        begin, end = incident.created_at, incident.outage_until
        hour = int((begin - first).total_seconds() // 3600)
        while first + timedelta(hours=hour) < end:
            left = first + timedelta(hours=hour)
            overlap = (min(end, left + timedelta(hours=1)) - max(begin, left)).total_seconds()
            failing[hour] = min(1.0, failing.get(hour, 0.0) + share * overlap / 3600)
            hour += 1
    return failing


def _slos(delivery: Delivery) -> str:
    documents = [_slo(service, delivery) for service in delivery.world.services]
    return "".join(documents)


def _slo(service: Service, delivery: Delivery) -> str:
    target = delivery.params.slo_targets[service.tier - 1]
    return (
        "---\n"
        "apiVersion: openslo/v1\n"
        "kind: SLO\n"
        "metadata:\n"
        f"  name: {service.service_id}-availability\n"
        f"  displayName: {json.dumps(service.name + ' availability')}\n"
        "spec:\n"
        f"  service: {service.service_id}\n"
        f"  description: {json.dumps(f'Tier {service.tier}: share of requests served without error')}\n"
        "  budgetingMethod: Occurrences\n"
        "  timeWindow:\n"
        f"    - duration: {delivery.params.slo_window_days}d\n"
        "      isRolling: true\n"
        "  objectives:\n"
        "    - displayName: available\n"
        f"      target: {target}\n"
    )
