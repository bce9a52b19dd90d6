"""A plan's talent gaps as data for the command line, JSON and CSV (docs/talent-gaps.md):
``plan_gaps`` builds the plan, runs the engine and reads the inventory; ``gaps_json`` and
``gaps_csv_rows`` give what ``quarterdeck plan gaps`` prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quarterdeck.config.settings import Settings
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.engine import simulate
from quarterdeck.planning.gap_options import Option
from quarterdeck.planning.gaps import Gap, TalentGaps, quarter_label, talent_gaps
from quarterdeck.planning.gaps_data import load_inventory, team_aliases
from quarterdeck.planning.needs import read_needs
from quarterdeck.planning.plan import BuiltPlan, build_plan
from quarterdeck.planning.plan_file import PlanFile
from quarterdeck.store import Warehouse

CSV_HEADER = (
    "kind", "group", "need", "where", "record", "quarter", "needed", "supply", "gap",
    "action", "count", "people", "months", "cost", "cost_basis", "ready_quarter", "closes", "note",
)  # fmt: skip


@dataclass(frozen=True)
class GapsRun:
    name: str  # the plan's
    built: BuiltPlan
    gaps: TalentGaps
    draws: int
    seed: int
    names: dict[str, str]  # person id -> name


def plan_gaps(
    warehouse: Warehouse, settings: Settings, plan_file: PlanFile, scenario: str | None, draws: int, seed: int
) -> GapsRun:
    """The talent gaps of ``plan_file`` (its ``needs:``) for ``scenario``."""
    needs = read_needs(plan_file.needs, str(plan_file.path), plan_file.lines.get("needs", 0))
    if not needs:
        raise ConfigError(
            f"{plan_file.path}: the plan has no needs: add a 'needs:' section with skills, seniority or managers "
            "(docs/talent-gaps.md)"
        )
    built = build_plan(warehouse, settings, plan_file, scenario)
    projection = simulate(built.plan, draws, seed)
    inventory = load_inventory(warehouse, built.plan.start)
    gaps = talent_gaps(built.plan, projection, needs, inventory, team_aliases(warehouse))
    names = dict(warehouse.con.execute("SELECT person_id, name FROM people").fetchall())
    return GapsRun(plan_file.name, built, gaps, draws, seed, names)


def gaps_json(run: GapsRun) -> dict[str, Any]:
    plan = run.built.plan
    return {
        "plan": run.name,
        "scenario": run.built.scenario,
        "start": quarter_label(plan.start, 0),
        "end": quarter_label(plan.start, plan.quarters - 1),
        "draws": run.draws,
        "seed": run.seed,
        "currency": run.built.currency,
        "gaps": [gap_json(gap, plan.start) for gap in run.gaps.gaps],
        "notes": run.gaps.notes,
    }


def gap_json(gap: Gap, start) -> dict[str, Any]:
    needed = gap.needed_quarter
    return {
        "kind": gap.kind,
        "group": gap.group,
        "need": gap.what,
        "where": str(gap.where),
        "needed_quarter": quarter_label(start, needed) if needed is not None else None,
        "largest_gap": round(gap.largest, 4),
        "quarters": [
            {"quarter": q.label, "needed": round(q.needed, 4), "supply": round(q.supply, 4), "gap": round(q.gap, 4)}
            for q in gap.quarters
        ],
        "options": [option_json(option, start) for option in gap.options],
    }


def option_json(option: Option, start) -> dict[str, Any]:
    return {
        "action": option.action,
        "count": option.count,
        "people": list(option.people),
        "months": round(option.months, 2) if option.months is not None else None,
        "cost": round(option.cost, 2) if option.cost is not None else None,
        "cost_basis": option.cost_basis,
        "ready_quarter": quarter_label(start, option.ready_quarter) if option.ready_quarter is not None else None,
        "closes": option.closes,
        "note": option.note,
    }


def gaps_csv_rows(run: GapsRun) -> list[list[Any]]:
    """One row per gap and quarter, then one per option (CSV_HEADER)."""
    rows = []
    for gap in gaps_json(run)["gaps"]:
        head = [gap["kind"], gap["group"], gap["need"], gap["where"]]
        for q in gap["quarters"]:
            rows.append([*head, "gap", q["quarter"], q["needed"], q["supply"], q["gap"], *[""] * 9])
        for o in gap["options"]:
            people = " ".join(o["people"])
            values = [o["action"], o["count"], people, o["months"], o["cost"], o["cost_basis"], o["ready_quarter"]]
            rows.append([*head, "option", gap["needed_quarter"], "", "", "", *values, o["closes"], o["note"]])
    return [["" if v is None else v for v in row] for row in rows]
