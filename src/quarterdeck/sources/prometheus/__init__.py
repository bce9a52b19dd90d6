"""Prometheus: a service's SLI as availability windows (docs/sources/prometheus.md)."""

from quarterdeck.sources.frame import Scope, Source

SOURCE = Source(
    name="prometheus",
    kind="api",
    summary="Ingest a service's SLI from Prometheus into the availability windows.",
    reader="",
    scope=Scope("slis", "an SLI", "{service: NAME, good: PROMQL, total: PROMQL} or {service: NAME, ratio: PROMQL}"),
    token_env="PROMETHEUS_TOKEN",
    docs="docs/sources/prometheus.md",
    sync="quarterdeck.ingest.prometheus_ingest:sync_prometheus",
    command="quarterdeck.cli.prometheus:ingest_prometheus",
)
