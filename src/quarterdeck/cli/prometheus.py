"""``quarterdeck ingest prometheus``: an SLI's good and total events per window, from range queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.project_file import one_off


@click.command("prometheus")
@click.option("--base-url", required=True, metavar="URL", help="Address of Prometheus, such as http://prometheus:9090.")
@click.option("--service", required=True, metavar="NAME", help="The service the SLI measures.")
@click.option(
    "--good",
    metavar="PROMQL",
    help="Good events per window, such as sum(increase(http_requests_total{code!~'5..'}[5m])).",
)
@click.option(
    "--total", metavar="PROMQL", help="All events per window, such as sum(increase(http_requests_total[5m]))."
)
@click.option(
    "--ratio", metavar="PROMQL", help="Instead of --good and --total: the good/total ratio (0 to 1) per window."
)
@click.option("--step", default="5m", show_default=True, help="Window length (and query step): 30s, 5m, 1h ...")
@since_option
@db_options
@format_option
def ingest_prometheus(
    base_url: str,
    service: str,
    good: str | None,
    total: str | None,
    ratio: str | None,
    step: str,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest a service's SLI from Prometheus into the availability windows.

    Quarterdeck asks /api/v1/query_range for the good and the total query (or the ratio
    query) at every STEP, and stores each step as a window [t, t + step) with good and
    total summed over the answer's series. Steps with no point are gaps, not windows; a
    NaN or infinite value is reported with its time and read again next run. Only whole
    windows before now are stored. The first run reads 30 days back (or from --since);
    later runs go on from the last window stored. Make the queries count events over one
    step (increase(...[STEP])) so each window holds that step's events.

    A token, when Prometheus sits behind an authenticating proxy, comes from the
    environment variable PROMETHEUS_TOKEN (sent as a bearer token; never from a file,
    never stored). Several SLIs: list them in quarterdeck.yaml and run `quarterdeck
    ingest all` (see docs/sources/prometheus.md).

    \b
    Examples:
      quarterdeck ingest prometheus --base-url http://prometheus:9090 --service api \\
          --good 'sum(increase(http_requests_total{job="api",code!~"5.."}[5m]))' \\
          --total 'sum(increase(http_requests_total{job="api"}[5m]))'
      quarterdeck ingest prometheus --base-url http://prometheus:9090 --service web \\
          --ratio 'avg(avg_over_time(probe_success{job="web"}[1m]))' --step 1m --since 2025-01-01
    """
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"--base-url must be an http(s) address, not {base_url!r}")
    if bool(ratio) == bool(good or total) or (not ratio and not (good and total)):
        raise ConfigError("give --good and --total, or --ratio alone")
    settings = resolve_settings(db, config_file)
    sli = {"service": service, **({"ratio": ratio} if ratio else {"good": good, "total": total})}
    source = one_off("prometheus", (sli,), base_url, step=step)
    run_sources(settings, [source], since.date() if since else None, output_format, "Prometheus")
