"""The delivery fixture's fixed vocabulary and its records: the sizes and dates of a run
(``Plan``), teams, services and the services with availability data (``Monitored``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

END = date(2026, 1, 1)
DEPLOYMENTS_PER_SERVICE_YEAR = 1_000
INCIDENTS_PER_SERVICE_YEAR = 100
CI_RUNS_PER_SERVICE_YEAR = 5_000
MINUTES_PER_YEAR = 365 * 24 * 60

DEPLOYMENT_COLUMNS = (
    "id", "service", "environment", "commit_sha", "started_at", "finished_at", "result", "repository",
    "shipped_commits",
)  # fmt: skip
INCIDENT_COLUMNS = (
    "id", "service", "severity", "created_at", "acknowledged_at", "resolved_at", "deployment_id",
    "root_cause_sha", "title",
)  # fmt: skip
CI_RUN_COLUMNS = ("id", "repository", "workflow", "commit_sha", "queued_at", "started_at", "finished_at", "result")
AVAILABILITY_COLUMNS = ("service", "window_start", "window_end", "good", "total")
SLO_COLUMNS = ("id", "service", "target", "time_window")

# UTC offsets of the rows not written in UTC: (minutes, as written).
OFFSETS = ((60, "+01:00"), (120, "+02:00"), (-300, "-05:00"), (-240, "-04:00"), (330, "+05:30"), (540, "+09:00"))
OTHER_OFFSET_SHARE = 0.15

DOMAINS = (  # noqa: SIM905 - a readable block of words
    "accounts ads analytics auth billing booking cart catalog checkout comments content coupons "
    "delivery discovery documents email feeds fraud gateway geo identity inventory invoices ledger "
    "loyalty maps media messaging notifications orders partners payments pricing profiles "
    "recommendations refunds reviews risk search shipping subscriptions support tax wallet"
).split()
KINDS = ("api", "worker", "web", "events", "scheduler", "sync", "admin", "importer", "cache", "reports")
DIVISIONS = (
    ("commerce", "Commerce"),
    ("platform", "Platform"),
    ("growth", "Growth"),
    ("core-services", "Core Services"),
)
TEAM_TYPES = ("stream-aligned", "stream-aligned", "stream-aligned", "platform", "enabling", "complicated-subsystem")
SLO_TARGETS = ("0.999", "0.999", "0.999", "0.9995", "0.995", "0.99", "0.9999")
SLO_WINDOWS = ("28d", "28d", "28d", "30d", "4w", "1M", "1Q")
WORKFLOWS = (  # name, share, median run time in minutes
    ("build", 0.30, 8),
    ("test", 0.30, 15),
    ("lint", 0.20, 2),
    ("e2e", 0.10, 35),
    ("deploy", 0.10, 6),
)
INCIDENT_TITLES = (
    "Elevated error rate",
    "Latency spike",
    "Partial outage",
    "Failed health checks after release",
    "Database connection pool exhausted",
    "Queue backlog growing",
    "Degraded performance, retries failing",
    'Customers report "500" errors',
    "Certificate expired",
    "Memory leak, pods restarting",
)


@dataclass(frozen=True)
class Plan:
    """Every size and date the queries need, derived from the arguments."""

    seed: int
    services: int
    years: int
    scale: float
    start: date
    deployments: int
    incidents: int
    ci_runs: int
    availability_services: int
    availability_start: date
    window_minutes: int
    windows: int

    @classmethod
    def from_args(cls, services: int, years: int, seed: int, scale: float) -> Plan:
        window_minutes = max(1, round(1 / scale))
        return cls(
            seed=seed,
            services=services,
            years=years,
            scale=scale,
            start=date(END.year - years, END.month, END.day),
            deployments=max(1, round(DEPLOYMENTS_PER_SERVICE_YEAR * services * years * scale)),
            incidents=max(1, round(INCIDENTS_PER_SERVICE_YEAR * services * years * scale)),
            ci_runs=max(1, round(CI_RUNS_PER_SERVICE_YEAR * services * years * scale)),
            availability_services=max(1, services // 4),
            availability_start=date(END.year - 1, END.month, END.day),
            window_minutes=window_minutes,
            windows=MINUTES_PER_YEAR // window_minutes,
        )

    @property
    def days(self) -> int:
        return (END - self.start).days

    @property
    def availability_rows(self) -> int:
        return self.availability_services * self.windows


@dataclass(frozen=True)
class Service:
    index: int  # 0 is the busiest: the queries draw small indexes more often
    id: str
    name: str
    repository: str
    team: str


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    division: str
    type: str


@dataclass(frozen=True)
class Monitored:
    """A service with availability data: its traffic, error rate and SLO."""

    service: Service
    requests_per_minute: int
    error_ppm: int  # background errors per million requests
    target: str
    time_window: str
