"""The metric catalog: definitions as data plus SQL, compiled, run and explained."""

from quarterdeck.metrics.catalog import Metric, catalog, get_metric
from quarterdeck.metrics.query import MetricQuery, MetricResult, explain, run_metric

__all__ = ["Metric", "MetricQuery", "MetricResult", "catalog", "explain", "get_metric", "run_metric"]
