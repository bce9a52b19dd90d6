"""Service level indicators read from Prometheus' range queries (``/api/v1/query_range``).

A range query evaluates a PromQL expression at ``start``, ``start + step``, ... ``end`` and
answers a *matrix*: one series per label set, each a list of ``[unix seconds, "value"]``.
Quarterdeck reads an SLI as two such queries, good events and all events per step (or one
query giving their ratio), and turns each step into an availability window. Prometheus
refuses a query of more than 11,000 points per series, so long ranges are asked for in
chunks. Values are strings; "NaN", "+Inf" and "-Inf" are how it writes what is no number.
"""

from __future__ import annotations

import math
from typing import Any

from quarterdeck.core.errors import SourceError
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.prometheus.durations import MAX_POINTS

PERMISSION = (
    "Prometheus itself has no tokens: when it sits behind an authenticating proxy (or is a hosted service), "
    "PROMETHEUS_TOKEN must hold a bearer token that proxy accepts for read access to the query API"
)


def prometheus_client(base_url: str, token: str | None, **options: Any) -> HttpClient:
    """A client sending the token (when set) as a bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return HttpClient("Prometheus", base_url, headers=headers, permission_hint=PERMISSION, **options)


def chunks(start: int, last: int, step: int, max_points: int = MAX_POINTS) -> list[tuple[int, int]]:
    """The evaluation times ``start``, ``start + step`` ... ``last`` as (first, last) pairs of
    at most ``max_points`` points each."""
    span = step * (max_points - 1)
    found = []
    while start <= last:
        found.append((start, min(last, start + span)))
        start += span + step
    return found


def range_query(client: HttpClient, query: str, start: int, end: int, step: int) -> list[dict[str, Any]]:
    """The series of a range query (``data.result`` of a matrix). An answer saying
    ``"status": "error"`` raises SourceError quoting Prometheus' error."""
    params = {"query": query, "start": start, "end": end, "step": step}
    response = client.get("api/v1/query_range", params)
    body = client.body(response, dict)
    if body.get("status") != "success":
        kind = body.get("errorType") or "error"
        raise SourceError(f"Prometheus: the query {query!r} failed: {kind}: {body.get('error') or 'no message'}")
    data = body.get("data") or {}
    if data.get("resultType") != "matrix" or not isinstance(data.get("result"), list):
        raise SourceError(
            f"Prometheus: the query {query!r} did not answer a matrix (resultType {data.get('resultType')!r}); "
            "an SLI query must give an instant vector, such as sum(rate(http_requests_total[5m]))"
        )
    return [s for s in data["result"] if isinstance(s, dict)]


def sums(series: list[dict[str, Any]]) -> tuple[dict[int, float], dict[int, int], dict[int, str]]:
    """Per evaluation time: the sum of the series' values, how many series had a point, and
    the value written at the times where some series gave no finite number (NaN, +Inf)."""
    total: dict[int, float] = {}
    count: dict[int, int] = {}
    not_finite: dict[int, str] = {}
    for one in series:
        for point in one.get("values") or []:
            moment, text = _point(point)
            number = _number(text)
            if number is None:
                not_finite.setdefault(moment, text)
                continue
            total[moment] = total.get(moment, 0.0) + number
            count[moment] = count.get(moment, 0) + 1
    return total, count, not_finite


def _point(point: Any) -> tuple[int, str]:
    """A matrix point ``[unix seconds, "value"]`` as (whole seconds, value text)."""
    try:
        at, value = point
        return round(float(at)), str(value)
    except (TypeError, ValueError):
        raise SourceError(f"Prometheus: a point of the answer is not [time, value]: {str(point)[:80]}") from None


def _number(text: str) -> float | None:
    """The value as a finite number, or None (NaN, +Inf, -Inf, or not a number at all)."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
