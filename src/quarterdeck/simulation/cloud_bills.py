"""Cloud bills in the FinOps FOCUS format (docs/sources/cloud-costs.md): ``finance/focus.csv``.

:func:`focus_rows` bills each simulated service every month its owner team exists (on the
month's last day), like the budget's cloud lines (a starting bill by tier,
growing 1.5% a month, +-8% a month), split over three resources (compute, database,
storage) of the provider ``AWS`` in the sub-account ``prod``:

- most rows carry the tags ``team`` (the owner team's id) and ``service`` (the service's
  id); about one in eight carries none (``{}``): untagged spend;
- tier-1 services also pay a CDN (``Cloudflare``, sub-account ``edge``), tagged with the
  service only (its team comes from the service's owner or the account's rule);
- each month ``AWS`` ``shared`` bills a NAT gateway and support, untagged, and gives a credit
  (ChargeCategory ``Credit``, negative).

:func:`write_bill` writes a large synthetic bill (any number of rows, CSV or Parquet) with
DuckDB, for the import benchmark: no Python loop over the rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_state import next_month
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

COLUMNS = (
    "BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
    "ServiceName", "ProviderName", "SubAccountName", "ResourceId", "Tags",
)  # fmt: skip
#: How a service's monthly bill splits over its resources: (provider service, share).
RESOURCES = (("Amazon EC2", 0.6), ("Amazon RDS", 0.3), ("Amazon S3", 0.1))
#: A service's monthly bill at the start, by tier (1 = customer-facing and critical), as the
#: budget's cloud lines start.
CLOUD_BY_TIER = {1: 8_000, 2: 3_500, 3: 1_200}
CLOUD_GROWTH_PER_MONTH = 0.015
UNTAGGED_SHARE = 0.125
CDN_SHARE = 0.15  # of a tier-1 service's bill, on top
SHARED_MONTHLY = 2_000.0  # NAT gateway and support, untagged
CREDIT_MONTHLY = -500.0


def focus_csv(world: World) -> str:
    return to_csv(COLUMNS, [[row[c] for c in COLUMNS] for row in focus_rows(world)])


def allocation_rules_yaml(world: World) -> str:
    """``finance/cloud-allocation.yaml``: tags first (team, then service), the ``shared``
    account's NAT gateway, support and credit to the first platform team (the root when there
    is none), and untagged spend spread by headcount."""
    last = world.end - timedelta(days=1)
    owner = next((t for t in world.teams if t.type == "platform" and t.exists_on(last)), None)
    owner = owner or next(t for t in world.teams if t.parent_id is None)
    return (
        "# How the simulated cloud bill goes to teams (quarterdeck ingest cloud-allocation)\n"
        "team_tags: [team]\nservice_tags: [service]\n"
        f"accounts:\n  shared: {owner.team_id}\nuntagged: headcount\n"
    )


def focus_rows(world: World) -> list[dict[str, Any]]:
    """The bill's rows, month by month (amounts in USD, rounded to the cent)."""
    rng = Rng(world.seed, "org", "cloud-bills")
    bases = {s.service_id: CLOUD_BY_TIER[s.tier] * rng.lognormal(1.0, 0.5) for s in world.services}
    rows = []
    for index, month in enumerate(month_starts(world)):
        end = min(next_month(month), world.end)
        for service in world.services:
            if not world.team(service.owner_team_id).exists_on(end - timedelta(days=1)):
                continue
            bill = bases[service.service_id] * (1 + CLOUD_GROWTH_PER_MONTH) ** index * rng.lognormal(1.0, 0.08)
            for resource, share in RESOURCES:
                tags = (
                    {} if rng.chance(UNTAGGED_SHARE) else {"team": service.owner_team_id, "service": service.service_id}
                )
                rows.append(
                    _row(month, end, bill * share, resource, "AWS", "prod", f"{service.service_id}/{resource}", tags)
                )
            if service.tier == 1:
                rows.append(_row(month, end, bill * CDN_SHARE, "CDN", "Cloudflare", "edge", f"{service.service_id}/cdn",
                                 {"service": service.service_id}))  # fmt: skip
        rows.append(_row(month, end, SHARED_MONTHLY, "Amazon VPC", "AWS", "shared", "nat-gateway", {}))
        rows.append(_row(month, end, CREDIT_MONTHLY, "AWS Support", "AWS", "shared", "", {}, "Credit"))
    return rows


def month_starts(world: World) -> list[date]:
    found, day = [], world.start
    while day < world.end:
        found.append(day)
        day = next_month(day)
    return found


def _row(
    month: date, end: date, amount: float, service: str, provider: str, account: str, resource: str,
    tags: dict[str, str], category: str = "Usage",
) -> dict[str, Any]:  # fmt: skip
    cost = round(amount, 2)
    return {
        "BilledCost": f"{cost:.2f}", "EffectiveCost": f"{cost:.2f}", "BillingCurrency": "USD",
        "ChargePeriodStart": f"{month.isoformat()}T00:00:00Z", "ChargePeriodEnd": f"{end.isoformat()}T00:00:00Z",
        "ChargeCategory": category, "ServiceName": service, "ProviderName": provider, "SubAccountName": account,
        "ResourceId": resource, "Tags": _json(tags),
    }  # fmt: skip


def _json(tags: dict[str, str]) -> str:
    return "{" + ", ".join(f'"{k}": "{v}"' for k, v in tags.items()) + "}"


def write_bill(path: Path, rows: int, parquet: bool = False, teams: int = 40, services: int = 120) -> Path:
    """A synthetic FOCUS bill of ``rows`` hourly charges over 2026 (CSV, or Parquet), written
    by DuckDB: two providers, six sub-accounts, ``services`` services of ``teams`` teams
    tagged ``team``/``service``, one row in seven untagged, one in a thousand a credit.
    Parquet keeps the types (amounts DOUBLE, charge periods TIMESTAMP WITH TIME ZONE)."""
    import duckdb

    def moment(hours: int) -> str:
        """A charge period's bound: text as in a CSV export, a timestamp in a Parquet one."""
        at = f"TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_hours(i % 8760 + {hours})"
        return at if parquet else f"strftime({at}, '%Y-%m-%dT%H:%M:%SZ')"

    select = f"""SELECT
        CASE WHEN i % 1000 = 999 THEN -round((i % 997) / 100.0, 2) ELSE round((i * 7919 % 100000) / 1000.0, 4) END
            AS BilledCost,
        CASE WHEN i % 1000 = 999 THEN -round((i % 997) / 100.0, 2) ELSE round((i * 7919 % 100000) / 1100.0, 4) END
            AS EffectiveCost,
        CASE WHEN i % 10 = 0 THEN 'EUR' ELSE 'USD' END AS BillingCurrency,
        {moment(0)} AS ChargePeriodStart,
        {moment(1)} AS ChargePeriodEnd,
        CASE WHEN i % 1000 = 999 THEN 'Credit' ELSE 'Usage' END AS ChargeCategory,
        ['Amazon EC2', 'Amazon S3', 'Amazon RDS', 'AWS Lambda', 'Azure VM'][i % 5 + 1] AS ServiceName,
        CASE WHEN i % 5 = 4 THEN 'Microsoft' ELSE 'AWS' END AS ProviderName,
        'account-' || (i % 6) AS SubAccountName,
        'resource-' || (i % 20000) AS ResourceId,
        CASE WHEN i % 7 = 0 THEN '{{}}'
             ELSE '{{"team": "team-' || (i % {services} % {teams}) || '", "service": "service-' || (i % {services})
                  || '"}}' END AS Tags
        FROM range({int(rows)}) AS t(i)"""
    options = "(FORMAT parquet)" if parquet else "(HEADER, DELIMITER ',')"
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"COPY ({select}) TO '{_sql_path(path)}' {options}")
    return path


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
