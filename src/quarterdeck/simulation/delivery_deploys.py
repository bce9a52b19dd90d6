"""Releases of one service: staging then production, failures and retries, bad releases
with their incidents and their rollback or fix forward; and incidents nobody deployed.

A service is released at a few moments of each working day, when its repositories' default
branches hold merges not yet in production: every repository of the service at the commit
on its default branch then (one deployment, one row per repository). One release happens at
a time: nothing else is deployed to a service until the previous release, and the repair of
what it broke, is over, so an incident caused by a release always follows it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from quarterdeck.simulation.delivery_ci import MainLine
from quarterdeck.simulation.delivery_model import SEVERITIES, DeliveryParams, Deployment, Incident
from quarterdeck.simulation.model import Service
from quarterdeck.simulation.rng import Rng

FIRST_RELEASE, LAST_RELEASE = time(10), time(17)  # release moments fall in working hours
LINKS = ("deployment_id", "root_cause_sha", "none")
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class ServiceReleases:
    """One service's release history as it is played, day by day."""

    service: Service
    lines: list[MainLine]  # the service's written repositories, by name
    params: DeliveryParams
    rng: Rng
    end: datetime  # the data ends here (exclusive)
    live: tuple[int, ...] = ()  # index on each main line of what runs in production
    high_water: list[int] = field(default_factory=list)  # newest index ever in production, per repository
    busy_until: datetime = NEVER  # no release of the service starts before this
    deployments: list[Deployment] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.live = tuple(0 for _ in self.lines)
        self.high_water = [-1 for _ in self.lines]  # -1: never in production (the first one is a baseline)

    def play(self, start: date) -> None:
        day = start
        while day < self.end.date():
            if day.weekday() < 5:
                for moment in self._moments(day):
                    if moment >= self.busy_until and moment < self.end - timedelta(days=1):
                        self.release(moment)
            day += timedelta(days=1)

    def _moments(self, day: date) -> list[datetime]:
        tries = self.rng.poisson(self.params.releases_per_working_day[self.service.tier - 1])
        opening = datetime.combine(day, FIRST_RELEASE, UTC)
        span = (LAST_RELEASE.hour - FIRST_RELEASE.hour) * 3600
        return sorted(opening + timedelta(seconds=self.rng.integer(0, span)) for _ in range(tries))

    def release(self, moment: datetime, kind: str = "release") -> Deployment | None:
        """Staging, then production; a failure in staging stops the release."""
        heads = tuple(line.index_before(moment) for line in self.lines)
        if heads == self.live:
            return None
        staging = self._deploy("staging", heads, moment, self.params.staging_minutes, kind)
        if kind != "fix-forward" and self.rng.chance(self.params.staging_failure_rate):
            staging = self._deploy_result(staging, "failure")
            self.busy_until = staging.finished_at + timedelta(minutes=30)
            return None
        started = staging.finished_at + _minutes(self.rng.lognormal(self.params.verification_minutes, 0.5))
        return self._production(heads, started, kind)

    def _production(self, heads: tuple[int, ...], started: datetime, kind: str) -> Deployment:
        production = self._deploy("production", heads, started, self.params.production_minutes, kind)
        self.busy_until = production.finished_at
        if kind != "fix-forward" and self.rng.chance(self.params.deployment_failure_rate):
            production = self._deploy_result(production, "failure")
            if self.rng.chance(self.params.failed_deployment_incident_rate):
                self._incident(production, "deployment_id", None)
            if kind == "release" and self.rng.chance(self.params.retry_share):
                retried = production.finished_at + _minutes(self.rng.lognormal(40.0, 0.5))
                return self._production(heads, retried, "retry")
            return production
        self._succeeded(production, heads, kind)
        return production

    def _succeeded(self, production: Deployment, heads: tuple[int, ...], kind: str) -> None:
        before, firsts = self.live, self._first_shipped(heads)
        self.live = heads
        self.high_water = [max(h, w) for h, w in zip(heads, self.high_water, strict=True)]
        if kind == "fix-forward" or not self.rng.chance(self.params.bad_deployment_rate):
            return
        link = self.rng.weighted(LINKS, self.params.incident_link_shares)
        if link == "root_cause_sha" and not firsts:
            link = "deployment_id"  # nothing in it was new to production: no commit to blame
        root = self.rng.choice(firsts) if link == "root_cause_sha" else None
        incident = self._incident(production, link, root)
        self._repair(production, before, incident)

    def _first_shipped(self, heads: tuple[int, ...]) -> list[str]:
        """The deployed commits production never ran before, in repositories deployed to
        production before (a first deployment is a baseline that ships nothing measurable)."""
        return [line.shas[h] for line, h, w in zip(self.lines, heads, self.high_water, strict=True) if w >= 0 and h > w]

    def _repair(self, bad: Deployment, before: tuple[int, ...], incident: Incident) -> None:
        """Roll back to what ran before, or release a fix once merged (a rollback when
        nothing new has landed by then); the incident is resolved soon after."""
        acknowledged = incident.acknowledged_at or incident.created_at
        repaired: Deployment | None = None
        if not self.rng.chance(self.params.rollback_share):
            moment = acknowledged + _minutes(60 * self.rng.lognormal(self.params.fix_forward_hours, 0.6))
            repaired = self.release(moment, "fix-forward") if moment < self.end else None
        if repaired is None:
            started = acknowledged + _minutes(self.rng.lognormal(10.0, 0.5))
            if started >= self.end:
                return  # the data ends first: the incident stays as drawn
            repaired = self._deploy("production", before, started, self.params.production_minutes, "rollback")
            self.live = before
        self.busy_until = repaired.finished_at
        resolved = repaired.finished_at + _minutes(self.rng.lognormal(15.0, 0.7))
        assert self.incidents[-1] is incident  # a fix forward never fails nor breaks anything
        self.incidents[-1] = _resolved(incident, resolved, self.end)

    def _deploy(self, environment: str, heads: tuple[int, ...], started: datetime, median: float, kind: str):
        finished = started + _minutes(self.rng.lognormal(median, 0.4))
        commits = tuple((line.repository, line.shas[h]) for line, h in zip(self.lines, heads, strict=True))
        number = len(self.deployments) + 1
        service = self.service.service_id
        deployment = Deployment(
            f"{service}-deploy-{number}", service, environment, commits, started, finished, "success", kind
        )
        self.deployments.append(deployment)
        return deployment

    def _deploy_result(self, deployment: Deployment, result: str) -> Deployment:
        assert self.deployments[-1] is deployment  # decided right after it was made
        self.deployments[-1] = replace(deployment, result=result)
        return self.deployments[-1]

    def _incident(self, cause: Deployment, link: str, root: str | None) -> Incident:
        delay = min(self.rng.lognormal(self.params.incident_delay_minutes, 1.0), 24 * 60.0)
        created = cause.finished_at + _minutes(delay)
        title = f"{self.service.name}: errors after deployment"
        incident = draw_incident(self.service, created, title, self.params, self.rng, self.end)
        incident = replace(incident, caused_by=cause.deployment_id, link=link, root_cause_sha=root)
        self.incidents.append(incident)
        return incident


def background_incidents(service: Service, start: date, end: datetime, params: DeliveryParams, rng: Rng):
    """Incidents no deployment caused (load, a dependency, hardware): a Poisson number a
    week, at any hour of any day."""
    found = []
    weekly = params.background_incidents_per_month[service.tier - 1] * 7 / 30.44
    moment = datetime.combine(start, time(0), UTC)
    while moment < end:
        for _ in range(rng.poisson(weekly)):
            created = moment + timedelta(seconds=rng.integer(0, 7 * 86400 - 1))
            if created < end:
                title = f"{service.name}: {rng.choice(('elevated latency', 'elevated error rate', 'partial outage'))}"
                found.append(draw_incident(service, created, title, params, rng, end))
        moment += timedelta(days=7)
    return found


def draw_incident(
    service: Service, created: datetime, title: str, params: DeliveryParams, rng: Rng, end: datetime
) -> Incident:
    """An incident with its severity and its acknowledgement and resolution after log-normal
    waits by severity (what is not done by ``end`` is left empty, as in an export then)."""
    rank = SEVERITIES.index(rng.weighted(SEVERITIES, params.severity_weights))
    acknowledged = created + _minutes(rng.lognormal(params.acknowledge_median_minutes[rank], 0.8))
    resolved = acknowledged + _minutes(60 * rng.lognormal(params.resolve_median_hours[rank], params.resolve_sigma))
    incident = Incident(
        "", service.service_id, SEVERITIES[rank], title, created, acknowledged, None, None, "none", None, end
    )
    return _resolved(incident, resolved, end)


def _resolved(incident: Incident, resolved: datetime, end: datetime) -> Incident:
    acknowledged = incident.acknowledged_at
    if acknowledged is not None and acknowledged >= end:
        acknowledged = None
    if acknowledged is not None:
        resolved = max(resolved, acknowledged)
    done = resolved if resolved < end else None
    return replace(incident, acknowledged_at=acknowledged, resolved_at=done, outage_until=min(resolved, end))


def _minutes(value: float) -> timedelta:
    return timedelta(seconds=max(1, round(value * 60)))
