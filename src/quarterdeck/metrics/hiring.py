"""The hiring pipeline's figures (docs/hiring.md, decision 0069): time to fill, time in
stage, stage conversion, offer acceptance, the pipeline per open position and the open
requisitions, each one SQL file of ``hiring_definitions/`` continuing the shared
``_hiring.sql`` (the requisitions, candidates and their steps through the funnel).

``hiring_report(warehouse, since, until, by)`` runs them all over the days ``since`` ..
``until`` (the pipeline and the open requisitions: on ``until``), grouped ``by`` org, team,
level or source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from quarterdeck.core.errors import MetricError
from quarterdeck.store import Warehouse

SECTIONS = ("time_to_fill", "time_in_stage", "conversion", "offer_acceptance", "pipeline", "requisitions")
GROUPINGS = ("org", "team", "level", "source")


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


@cache
def definition(name: str) -> tuple[str, str, str]:
    """The SQL of the section ``name`` (the shared part in front), its title and description."""
    folder = resources.files("quarterdeck.metrics").joinpath("hiring_definitions")
    shared = folder.joinpath("_hiring.sql").read_text(encoding="utf-8")
    own = folder.joinpath(f"{name}.sql").read_text(encoding="utf-8")
    header = [line[3:] for line in own.splitlines() if line.startswith("-- ")]
    title = next(line.removeprefix("title: ") for line in header if line.startswith("title: "))
    start = next(i for i, line in enumerate(header) if line.startswith("description: "))
    described = [header[start].removeprefix("description: ")]
    described += [line.strip() for line in header[start + 1 :] if line.startswith("  ")]
    return shared + "\n" + own, title, " ".join(described)


def section(
    warehouse: Warehouse, name: str, since: date, until: date, by: str, teams: frozenset[str] | None = None
) -> Section:
    """The section ``name``; with ``teams``, over the requisitions of those teams only."""
    sql, title, description = definition(name)
    params = {"since": since, "until": until, "by": by, "everyone": teams is None, "teams": sorted(teams or {""})}
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    used = {key: value for key, value in params.items() if f"${key}" in code}
    cursor = warehouse.con.execute(sql, used)
    columns = tuple(d[0] for d in cursor.description)
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return Section(name, title, description, columns, rows)


def hiring_report(
    warehouse: Warehouse,
    since: date,
    until: date,
    by: str = "org",
    only: tuple[str, ...] = SECTIONS,
    teams: frozenset[str] | None = None,
) -> list[Section]:
    if by not in GROUPINGS:
        raise MetricError(f"by: {by!r}: expected one of {', '.join(GROUPINGS)}")
    if since > until:
        raise MetricError(f"since {since} is after until {until}: expected since on or before until")
    return [section(warehouse, name, since, until, by, teams) for name in only]


def has_hiring(warehouse: Warehouse) -> bool:
    """Whether any hiring stage change is stored."""
    return bool(warehouse.value("SELECT count(*) FROM hiring_stages"))
