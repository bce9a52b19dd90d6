"""The metric catalog: definitions as data plus SQL, compiled, run and explained.

The catalog (definitions as data) loads with the package; the query engine's names load on
first use, so that a command that only lists metrics, or imports a light module of this
package, does not load DuckDB. (``catalog`` is both a module and its function: the function is
bound here, after the module, so the package's ``catalog`` is always the function.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from quarterdeck.metrics.catalog import Metric, catalog, get_metric

if TYPE_CHECKING:
    from quarterdeck.metrics.query import MetricQuery, MetricResult, explain, run_metric

_HOMES = {
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
