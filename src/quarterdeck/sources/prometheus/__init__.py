"""Prometheus: a service's SLI as availability windows (docs/sources/prometheus.md). The
range queries are in ``api``, the windows read incrementally in ``reader``."""

from collections.abc import Mapping
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.frame import Flag, Option, Resource, Scope, Source, whole_number
from quarterdeck.sources.prometheus.durations import MAX_POINTS, is_duration


def sli_from_flags(given: Mapping[str, Any]) -> tuple[dict[str, str], ...]:
    """The one SLI of the command line: ``--service`` with ``--good`` and ``--total``, or with
    ``--ratio`` alone."""
    good, total, ratio = given.get("flag_good"), given.get("flag_total"), given.get("flag_ratio")
    if bool(ratio) == bool(good or total) or (not ratio and not (good and total)):
        raise ConfigError("give --good and --total, or --ratio alone")
    queries = {"ratio": ratio} if ratio else {"good": good, "total": total}
    return ({"service": given.get("flag_service"), **queries},)


SOURCE = Source(
    name="prometheus",
    kind="api",
    summary="Ingest a service's SLI from Prometheus into the availability windows.",
    reader="quarterdeck.sources.prometheus.reader:read_prometheus",
    scope=Scope("slis", "an SLI", "{service: NAME, good: PROMQL, total: PROMQL} or {service: NAME, ratio: PROMQL}"),
    token_env="PROMETHEUS_TOKEN",
    options=(
        Option(
            "step",
            "5m",
            "a duration longer than zero, such as 30s, 5m, 1h or 1d",
            is_duration,
            "window length, and the step of the range queries",
        ),
        Option(
            "lookback",
            "30d",
            "a duration longer than zero, such as 30s, 5m, 1h or 1d",
            is_duration,
            "where a first sync starts without since: this long before now",
        ),
        Option(
            "max_points",
            MAX_POINTS,
            f"a whole number from 2 to {MAX_POINTS}",
            whole_number(2, MAX_POINTS),
            "points per series per request (Prometheus allows 11,000 at most)",
        ),
    ),
    resources=(Resource("availability", "availability_windows", "the end of the last window stored"),),
    flags=(
        Flag(
            "--base-url",
            "Address of Prometheus, such as http://prometheus:9090.",
            "base_url",
            metavar="URL",
            required=True,
        ),
        Flag("--service", "The service the SLI measures.", "scope", metavar="NAME", required=True),
        Flag(
            "--good",
            "Good events per window, such as sum(increase(http_requests_total{code!~'5..'}[5m])).",
            "scope_field:good",
            metavar="PROMQL",
        ),
        Flag(
            "--total",
            "All events per window, such as sum(increase(http_requests_total[5m])).",
            "scope_field:total",
            metavar="PROMQL",
        ),
        Flag(
            "--ratio",
            "Instead of --good and --total: the good/total ratio (0 to 1) per window.",
            "scope_field:ratio",
            metavar="PROMQL",
        ),
        Flag(
            "--step", "Window length (and query step): 30s, 5m, 1h ...", "option:step", metavar="DURATION", default="5m"
        ),
    ),
    scope_field="service",
    cli_scope=sli_from_flags,
    description="""Quarterdeck asks /api/v1/query_range for the good and the total query (or the ratio
query) at every STEP, and stores each step as a window [t, t + step) with good and
total summed over the answer's series. Steps with no point are gaps, not windows; a
NaN or infinite value is reported with its time and read again next run. Only whole
windows before now are stored. The first run reads 30 days back (or from --since);
later runs go on from the last window stored. Make the queries count events over one
step (increase(...[STEP])) so each window holds that step's events.

A token, when Prometheus sits behind an authenticating proxy, comes from the
environment variable PROMETHEUS_TOKEN (sent as a bearer token; never from a file,
never stored). Several SLIs: list them in quarterdeck.yaml and run `quarterdeck
ingest all` (see docs/sources/prometheus.md).""",
    examples=(
        "quarterdeck ingest prometheus --base-url http://prometheus:9090 --service api \\\n"
        '    --good \'sum(increase(http_requests_total{job="api",code!~"5.."}[5m]))\' \\\n'
        "    --total 'sum(increase(http_requests_total{job=\"api\"}[5m]))'",
        "quarterdeck ingest prometheus --base-url http://prometheus:9090 --service web \\\n"
        "    --ratio 'avg(avg_over_time(probe_success{job=\"web\"}[1m]))' --step 1m --since 2025-01-01",
    ),
    docs="docs/sources/prometheus.md",
)
