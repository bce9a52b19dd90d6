"""The metric catalog: definitions as data plus SQL, compiled, run and explained.

The names below load on first use, so that importing a light module of this package (the
number formats a table printer needs, say) does not load the query engine and DuckDB.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quarterdeck.metrics.catalog import Metric, catalog, get_metric
    from quarterdeck.metrics.query import MetricQuery, MetricResult, explain, run_metric

_HOMES = {
    "Metric": "catalog",
    "catalog": "catalog",
    "get_metric": "catalog",
    "MetricQuery": "query",
    "MetricResult": "query",
    "explain": "query",
    "run_metric": "query",
}

__all__ = ["Metric", "MetricQuery", "MetricResult", "catalog", "explain", "get_metric", "run_metric"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
