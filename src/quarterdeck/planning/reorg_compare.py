"""A reorg what-if: the organization of a date before and after a proposed org, side by side.

For each side (``OrgFigures``): spans of control (managers, their mean and median span,
managers per span bucket 1 / 2-3 / 4-8 / 9-12 / 13+, managers below and above the checks'
4-8 norm), management layers (the deepest, people per layer), team sizes (people whose
own team it is, for each unit without sub-units), ICs per manager, and per unit (every
unit with its sub-units' people): headcount, managers, ICs per manager, the seniority mix
(people per level) and the loaded cost (annual_cost x the loaded-cost multiplier of the
person's location, setting ``money.loaded_cost_multipliers``, a year, converted to the
reporting currency at the rate of the date's month as the money metrics convert it). A
unit of fewer people than the minimum group size (``privacy.min_group_size``) shows
neither its seniority mix nor its cost: in a small group they point at individuals.
The figures count as the ``span_of_control``, ``layers``, ``team_size``,
``manager_ratio``, ``seniority_mix`` and ``people_cost`` metrics do.

Then who moves (team and manager, from and to) and the org checks' findings about people
and structure (``org_checks.structure_findings`` and ``service_findings``) that the
proposal adds and those it resolves (a finding is its code and subject).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.org_checks import service_findings, sort_findings, structure_findings
from quarterdeck.metrics.org_design import OrgAt, load_org, with_fragments
from quarterdeck.metrics.org_types import Finding, Thresholds
from quarterdeck.planning.reorg import PersonMove, apply_reorg
from quarterdeck.planning.reorg_file import ProposedOrg, read_reorg, resolve_reorg
from quarterdeck.store import Warehouse, first_row

BUCKETS = (("1", 1, 1), ("2-3", 2, 3), ("4-8", 4, 8), ("9-12", 9, 12), ("13+", 13, 10**9))
NO_LEVEL = "(no level)"


@dataclass(frozen=True)
class UnitFigures:
    unit_id: str
    name: str
    parent_id: str | None
    headcount: int
    managers: int
    ics_per_manager: float | None
    levels: dict[str, int] | None  # None: hidden (fewer people than the minimum group size)
    cost: float | None  # None: hidden, or nobody with a cost


@dataclass(frozen=True)
class OrgFigures:
    headcount: int
    managers: int
    mean_span: float | None
    median_span: float | None
    spans: dict[str, int]  # managers per bucket
    below_norm: int  # managers with fewer direct reports than the min span
    above_norm: int
    max_layers: int
    people_per_layer: list[int]
    ics_per_manager: float | None
    team_sizes: dict[str, int]  # teams (units without sub-units): their own people
    units: dict[str, UnitFigures] = field(default_factory=dict)
    cost: float | None = None


@dataclass
class WhatIf:
    proposal: ProposedOrg
    date: date
    before: OrgFigures
    after: OrgFigures
    moves: list[PersonMove]
    new_findings: list[Finding]
    resolved_findings: list[Finding]
    currency: str
    min_group_size: int
    thresholds: Thresholds
    org_before: OrgAt
    org_after: OrgAt

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.proposal.path),
            "name": self.proposal.name,
            "date": self.date.isoformat(),
            "currency": self.currency,
            "min_group_size": self.min_group_size,
            "thresholds": self.thresholds.as_dict(),
            "before": _figures_json(self.before),
            "after": _figures_json(self.after),
            "moves": [asdict(m) for m in self.moves],
            "new_findings": [asdict(f) for f in self.new_findings],
            "resolved_findings": [asdict(f) for f in self.resolved_findings],
        }


def _figures_json(figures: OrgFigures) -> dict[str, Any]:
    found = asdict(figures)
    found["units"] = list(found["units"].values())
    return found


def multiplier_of(settings: Settings, rate: float = 1.0) -> dict[str, float]:
    """Loaded-cost multiplier by location in lower case; '*' every other one (1 unless set);
    each times ``rate``, the people export's currency in the reporting currency."""
    found = {location.lower(): float(factor) for location, factor in settings.loaded_cost_multipliers}
    found.setdefault("*", 1.0)
    return {location: factor * rate for location, factor in found.items()}


_RATE = (
    ("reporting_rates",),
    "SELECT rate FROM reporting_rates WHERE currency = $people AND month <= $month ORDER BY month DESC LIMIT 1",
)


def people_rate(warehouse: Warehouse, settings: Settings, day: date) -> float:
    """What one unit of the people export's currency is worth in the reporting currency in
    ``day``'s month, as the money metrics convert it (the ``reporting_rates`` fragment)."""
    to, people = settings.reporting_currency, settings.people_cost_currency or settings.reporting_currency
    if people == to:
        return 1.0
    month = day.replace(day=1)
    row = first_row(warehouse.con.execute(with_fragments(*_RATE), {"currency": to, "people": people, "month": month}))
    if row is None:
        raise MetricError(
            f"no rate from {people} to {to} for {month:%Y-%m} (the people export's costs, setting "
            "money.people_cost_currency): import one with quarterdeck ingest rates FILE"
        )
    return float(row[0])


def figures(org: OrgAt, thresholds: Thresholds, min_group_size: int, multipliers: dict[str, float]) -> OrgFigures:
    spans = [p.direct_reports for p in org.people.values() if p.direct_reports > 0]
    layers = Counter(p.layer for p in org.people.values() if p.layer is not None)
    deepest = max(layers, default=0)
    ics = len(org.people) - len(spans)
    teams = {u: len(org.members(u)) for u in sorted(org.units) if not org.children(u)}
    units = {u: _unit(org, u, min_group_size, multipliers) for u in sorted(org.units)}
    return OrgFigures(
        headcount=len(org.people),
        managers=len(spans),
        mean_span=round(statistics.fmean(spans), 2) if spans else None,
        median_span=float(statistics.median(spans)) if spans else None,
        spans={name: sum(1 for s in spans if low <= s <= high) for name, low, high in BUCKETS},
        below_norm=sum(1 for s in spans if s < thresholds.min_span),
        above_norm=sum(1 for s in spans if s > thresholds.max_span),
        max_layers=deepest,
        people_per_layer=[layers.get(n, 0) for n in range(1, deepest + 1)],
        ics_per_manager=round(ics / len(spans), 2) if spans else None,
        team_sizes=teams,
        units=units,
        cost=_cost(list(org.people.values()), multipliers) if len(org.people) >= min_group_size else None,
    )


def _unit(org: OrgAt, unit_id: str, min_group_size: int, multipliers: dict[str, float]) -> UnitFigures:
    people = [p for u in org.subtree(unit_id) for p in org.members(u)]
    managers = sum(1 for p in people if p.direct_reports > 0)
    shown = len(people) >= min_group_size
    levels = dict(sorted(Counter(p.level or NO_LEVEL for p in people).items())) if shown else None
    unit = org.units[unit_id]
    return UnitFigures(
        unit_id=unit_id,
        name=unit.name,
        parent_id=unit.parent_id,
        headcount=len(people),
        managers=managers,
        ics_per_manager=round((len(people) - managers) / managers, 2) if managers else None,
        levels=levels,
        cost=_cost(people, multipliers) if shown else None,
    )


def _cost(people: list, multipliers: dict[str, float]) -> float | None:
    costs = [
        float(p.annual_cost) * multipliers.get((p.location or "").lower(), multipliers["*"])
        for p in people
        if p.annual_cost is not None
    ]
    return round(sum(costs), 2) if costs else None


def _key(finding: Finding) -> tuple[str, str]:
    return finding.code, finding.subject


def compare_findings(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(findings only after: new, findings only before: resolved), each in the checks' order."""
    had, has = {_key(f) for f in before}, {_key(f) for f in after}
    new = [f for f in after if _key(f) not in had]
    return sort_findings(new), sort_findings([f for f in before if _key(f) not in has])


def team_aliases(warehouse: Warehouse) -> dict[str, str]:
    return dict(warehouse.con.execute("SELECT alias, min(team_id) FROM team_aliases GROUP BY alias").fetchall())


def what_if(
    warehouse: Warehouse,
    path: Path,
    at: date,
    settings: Settings,
    thresholds: Thresholds | None = None,
    proposal: ProposedOrg | None = None,
) -> WhatIf:
    """The proposal in ``path`` applied to the organization on ``at``, before and after."""
    thresholds = thresholds or Thresholds()
    before = load_org(warehouse, at)
    proposal = resolve_reorg(proposal or read_reorg(path), before, team_aliases(warehouse))
    after, moves = apply_reorg(before, proposal)
    multipliers = multiplier_of(settings, people_rate(warehouse, settings, at))
    found = [[*structure_findings(org, thresholds), *service_findings(warehouse, org)] for org in (before, after)]
    new, resolved = compare_findings(*found)
    size = settings.min_group_size
    return WhatIf(
        proposal=proposal,
        date=at,
        before=figures(before, thresholds, size, multipliers),
        after=figures(after, thresholds, size, multipliers),
        moves=moves,
        new_findings=new,
        resolved_findings=resolved,
        currency=settings.reporting_currency,
        min_group_size=size,
        thresholds=thresholds,
        org_before=before,
        org_after=after,
    )


def summary_rows(result: WhatIf) -> list[tuple[str, Any, Any]]:
    """(measure, before, after) for the whole organization, as the command and the page show them."""
    b, a, t = result.before, result.after, result.thresholds
    rows: list[tuple[str, Any, Any]] = [
        ("headcount", b.headcount, a.headcount),
        ("managers", b.managers, a.managers),
        ("mean span", b.mean_span, a.mean_span),
        ("median span", b.median_span, a.median_span),
        *((f"managers with {name} reports", b.spans[name], a.spans[name]) for name, _, _ in BUCKETS),
        (f"managers below {t.min_span} reports", b.below_norm, a.below_norm),
        (f"managers above {t.max_span} reports", b.above_norm, a.above_norm),
        ("layers", b.max_layers, a.max_layers),
        ("people per layer", " ".join(map(str, b.people_per_layer)), " ".join(map(str, a.people_per_layer))),
        ("ICs per manager", b.ics_per_manager, a.ics_per_manager),
        ("teams", len(b.team_sizes), len(a.team_sizes)),
        (f"teams under {t.min_team_size} people", *(_count(f, lambda n: 0 < n < t.min_team_size) for f in (b, a))),
        (f"teams over {t.max_team_size} people", *(_count(f, lambda n: n > t.max_team_size) for f in (b, a))),
        (f"loaded cost ({result.currency}/year)", b.cost, a.cost),
    ]
    return rows


def _count(figures: OrgFigures, test: Any) -> int:
    return sum(1 for n in figures.team_sizes.values() if test(n))


def changed_units(result: WhatIf) -> list[tuple[str, UnitFigures | None, UnitFigures | None]]:
    """(unit id, before, after) for every unit the proposal adds, dissolves or changes the
    figures of, in the order of their ids."""
    ids = sorted({*result.before.units, *result.after.units})
    found = []
    for unit in ids:
        before, after = result.before.units.get(unit), result.after.units.get(unit)
        if before != after:
            found.append((unit, before, after))
    return found


def levels_text(levels: dict[str, int] | None) -> str:
    """``IC2 3, IC3 2, M2 1``; "hidden" for a group under the minimum size."""
    if levels is None:
        return "hidden"
    return ", ".join(f"{level} {n}" for level, n in levels.items()) or "-"
