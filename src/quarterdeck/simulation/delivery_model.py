"""The delivery part of the simulated organization as plain data: its parameters, and the CI
runs, deployments and incidents planned from the pull requests and git histories.

Written to the files Quarterdeck imports by ``delivery_files`` and to the truth by
``delivery_truth``; planned by ``delivery.plan_delivery``. Defaults and their sources are
documented in docs/simulation.md ("Delivery").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from quarterdeck.simulation.model import World
from quarterdeck.simulation.rng import Rng

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")


@dataclass(frozen=True)
class DeliveryParams:
    """How the organization builds, ships and runs its services (each default documented,
    with its source or as an assumption, in docs/simulation.md). Per-tier tuples are
    (tier 1, tier 2, tier 3); per-severity ones (SEV1, SEV2, SEV3, SEV4)."""

    ci_queue_median_minutes: float = 1.0  # queued -> started, log-normal
    ci_queue_sigma: float = 1.2  # a long tail: p90 about 4.7 min, p99 about 16 min
    ci_run_median_minutes: float = 8.0  # started -> finished, log-normal
    ci_run_sigma: float = 0.4
    ci_failure_rate: float = 0.10
    releases_per_working_day: tuple[float, float, float] = (2.0, 1.2, 0.6)  # tries, when merges wait
    staging_minutes: float = 6.0  # median staging deployment
    staging_failure_rate: float = 0.05  # a failed staging deployment stops that release
    verification_minutes: float = 15.0  # staging finished -> production started, median
    production_minutes: float = 10.0  # median production deployment
    deployment_failure_rate: float = 0.08  # production deployments that fail
    retry_share: float = 0.7  # failed production deployments retried within the hour or so
    failed_deployment_incident_rate: float = 0.2  # a failed deployment that also causes an incident
    bad_deployment_rate: float = 0.06  # successful production deployments that cause an incident
    rollback_share: float = 0.6  # bad deployments rolled back (the rest fixed forward)
    incident_delay_minutes: float = 25.0  # deployment finished -> incident created, median
    fix_forward_hours: float = 2.5  # acknowledged -> the fix's release starts, median
    incident_link_shares: tuple[float, float, float] = (0.4, 0.3, 0.3)  # deployment_id, root_cause_sha, neither
    background_incidents_per_month: tuple[float, float, float] = (0.8, 0.5, 0.3)  # not caused by a deployment
    severity_weights: tuple[float, float, float, float] = (0.05, 0.15, 0.45, 0.35)
    acknowledge_median_minutes: tuple[float, float, float, float] = (4.0, 8.0, 25.0, 90.0)
    resolve_median_hours: tuple[float, float, float, float] = (1.5, 3.0, 8.0, 24.0)
    resolve_sigma: float = 0.9
    outage_share: tuple[float, float, float, float] = (0.4, 0.1, 0.02, 0.002)  # requests failing while open
    requests_per_hour: tuple[float, float, float] = (60000.0, 20000.0, 3000.0)  # at the busiest hour
    baseline_error_rate: tuple[float, float, float] = (0.0002, 0.001, 0.002)  # outside incidents
    slo_targets: tuple[float, float, float] = (0.999, 0.995, 0.99)
    slo_window_days: int = 28


@dataclass(frozen=True)
class CiRun:
    run_id: str
    repository: str
    workflow: str  # ci (pull requests' pushes), main (the default branch after each merge)
    commit_sha: str
    queued_at: datetime
    started_at: datetime
    finished_at: datetime
    result: str  # success, failure, cancelled (superseded by a newer push)


@dataclass(frozen=True)
class Deployment:
    """One deployment of a service: one row per repository of the service, same id."""

    deployment_id: str
    service_id: str
    environment: str  # staging, production
    commits: tuple[tuple[str, str], ...]  # (repository, commit SHA deployed), by repository
    started_at: datetime
    finished_at: datetime
    result: str  # success, failure
    kind: str  # release, retry, rollback, fix-forward


@dataclass(frozen=True)
class Incident:
    incident_id: str
    service_id: str
    severity: str  # SEV1 .. SEV4
    title: str
    created_at: datetime
    acknowledged_at: datetime | None  # None: not yet when the data ends
    resolved_at: datetime | None  # None: still open when the data ends
    caused_by: str | None  # the deployment that caused it (the truth)
    link: str  # what the incident tool says of its cause: deployment_id, root_cause_sha or none
    root_cause_sha: str | None
    outage_until: datetime  # when its errors stop (its resolution, or the end of the data)


@dataclass
class Delivery:
    """Everything planned, with the stream the availability data is drawn from when written."""

    world: World
    params: DeliveryParams
    ci_runs: list[CiRun] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    availability_rng: Rng | None = None
