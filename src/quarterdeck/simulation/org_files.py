"""The organization's input files, as a real company would hand them to Quarterdeck, and the
headcount truth to check the product against.

- ``hr/people-YYYY-MM-DD.csv``: the HR export at each month end, in the canonical columns of
  docs/org-inputs.md. Each export lists everyone employed on its date plus that month's
  leavers (with ``end_date``, their last day, and ``regretted``); later exports drop them.
- ``org/org-YYYY-MM-DD.yaml``: teams (parent, type, manager) and services (owner,
  repositories), at the first month end and at every month end where something changed.
- ``codeowners/<repository>.CODEOWNERS``: the owners of each repository (for the git writer).
- ``finance/budget.csv``, ``finance/tools.csv``, ``finance/company.csv`` and
  ``survey/devex-YYYY-QN.csv``: see ``org_finance``, ``org_tools``, ``org_company``, ``org_survey``;
  ``finance/focus.csv`` (the cloud bill, FOCUS) and ``finance/cloud-allocation.yaml`` (its
  allocation rules): see ``cloud_bills``.
- ``plans/plan.yaml``: an example three-year plan for ``quarterdeck plan run`` (``org_plans``);
  ``plans/build-vs-buy.yaml``: an example build-vs-buy decision (``org_decisions``);
  ``plans/proposed-org.yaml``: an example proposed reorganization, valid at the last month
  end (``org_proposal``), for ``quarterdeck org what-if``.
- ``people/skills.csv``: the skills inventory (e-mail, skill, level, date): see ``org_skills``.
- ``targets.yaml``: example metric targets with their owners and contacts (``org_targets``).
- ``people/succession.csv``: the talent review's successors (role, successor, readiness, date)
  and ``truth/succession.csv``: see ``org_succession``.
- ``people/assessments.csv`` (ratings against the built-in career ladder) and its truth
  ``truth/readiness.csv``: see ``org_assessments``.
- ``people/hiring.csv`` and ``people/requisitions.csv``: the hiring pipeline (an applicant
  tracking export) and its requisitions as positions: see ``org_hiring``.

``write_org_truth`` writes ``truth/headcount.csv``, ``truth/attrition.csv`` and the money
files' truth: ``truth/budget.csv``, ``truth/tools.csv``, ``truth/company.csv``, and
``truth/hiring.csv`` (each requisition's true time to fill).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from quarterdeck.simulation.cloud_bills import allocation_rules_yaml, focus_csv
from quarterdeck.simulation.model import Person, World
from quarterdeck.simulation.org_assessments import assessment_files
from quarterdeck.simulation.org_company import company_csv, company_truth_csv
from quarterdeck.simulation.org_decisions import build_vs_buy_yaml
from quarterdeck.simulation.org_finance import budget_csv, budget_truth_csv
from quarterdeck.simulation.org_hiring import hiring_files, hiring_truth
from quarterdeck.simulation.org_plans import plan_yaml
from quarterdeck.simulation.org_proposal import proposed_org_yaml
from quarterdeck.simulation.org_skills import skills_csv
from quarterdeck.simulation.org_state import month_ends
from quarterdeck.simulation.org_succession import succession_csv, succession_truth_csv
from quarterdeck.simulation.org_survey import survey_files
from quarterdeck.simulation.org_targets import targets_yaml
from quarterdeck.simulation.org_text import to_csv, write_all
from quarterdeck.simulation.org_tools import tools_csv, tools_truth_csv

PEOPLE_COLUMNS = (
    "id",
    "name",
    "email",
    "title",
    "level",
    "role",
    "manager_id",
    "team",
    "location",
    "employment_type",
    "start_date",
    "end_date",
    "annual_cost",
    "regretted",
    "github",
)


def write_org_files(world: World, out: Path) -> dict[str, Path]:
    """Write every organization input file under ``out``; returns them by relative path."""
    texts: dict[str, str] = {}
    previous = world.start - timedelta(days=1)
    last_structure = None
    for day in month_ends(world.start, world.end):
        texts[f"hr/people-{day}.csv"] = people_csv(world, day, previous)
        structure = org_yaml_body(world, day)
        if structure != last_structure:
            texts[f"org/org-{day}.yaml"] = org_yaml_header(world, day) + structure
            last_structure = structure
        previous = day
    for repository in world.repositories:
        texts[f"codeowners/{repository.name}.CODEOWNERS"] = codeowners(world, repository.name)
    texts["finance/budget.csv"] = budget_csv(world)
    texts["finance/tools.csv"] = tools_csv(world)
    texts["finance/company.csv"] = company_csv(world)
    texts["finance/focus.csv"] = focus_csv(world)
    texts["finance/cloud-allocation.yaml"] = allocation_rules_yaml(world)
    texts["plans/plan.yaml"] = plan_yaml(world)
    texts["people/skills.csv"] = skills_csv(world)
    texts["people/succession.csv"] = succession_csv(world)
    texts.update(assessment_files(world))  # people/assessments.csv and truth/readiness.csv
    texts.update(hiring_files(world))
    texts.update(survey_files(world))
    texts["plans/build-vs-buy.yaml"] = build_vs_buy_yaml(world)
    texts["plans/proposed-org.yaml"] = proposed_org_yaml(world, previous)  # valid at the last month end
    texts["targets.yaml"] = targets_yaml(world)
    return write_all(out, texts)


def write_org_truth(world: World, out: Path) -> dict[str, Path]:
    """``truth/headcount.csv`` (month_end, team_id, headcount), ``truth/attrition.csv``
    (year, leavers, average_headcount, attrition_rate), as the metrics define them, and the
    money files' truth (``truth/budget.csv``, ``truth/tools.csv``, ``truth/company.csv``)."""
    return write_all(
        out,
        {
            "truth/headcount.csv": headcount_csv(world),
            "truth/attrition.csv": attrition_csv(world),
            "truth/budget.csv": budget_truth_csv(world),
            "truth/tools.csv": tools_truth_csv(world),
            "truth/company.csv": company_truth_csv(world),
            "truth/succession.csv": succession_truth_csv(world),
            **hiring_truth(world),
        },
    )


# -- HR exports ------------------------------------------------------------------------------


def people_csv(world: World, day: date, previous: date) -> str:
    """The export of ``day``: people employed on it, and those whose last day fell after the
    previous export (``previous``) and on or before ``day``."""
    rows = []
    for person in world.people:
        last_day = person.end - timedelta(days=1) if person.end else None
        if person.start > day or (last_day is not None and last_day <= previous):
            continue
        rows.append(person_row(person, day, last_day))
    return to_csv(PEOPLE_COLUMNS, rows)


def person_row(person: Person, day: date, last_day: date | None) -> list[object]:
    left = last_day is not None and last_day <= day
    stint = person.stint_on(last_day if left and last_day is not None else day)
    assert stint is not None
    return [
        person.person_id,
        person.name,
        person.email,
        stint.title,
        stint.level,
        stint.role,
        stint.manager_id or "",
        stint.team_id,
        person.location,
        person.employment_type,
        person.start.isoformat(),
        last_day.isoformat() if left and last_day is not None else "",
        stint.annual_cost,
        ("yes" if person.regretted else "no") if left else "",
        person.github,
    ]


# -- org files -------------------------------------------------------------------------------


def org_yaml_header(world: World, day: date) -> str:
    return (
        f"# Engineering teams and services of {world.organization} as of {day}.\n"
        f"# Written by quarterdeck simulate (seed {world.seed}).\n"
    )


def org_yaml_body(world: World, day: date) -> str:
    """Teams in tree order (each unit before its teams), then services by id."""
    lines = ["teams:"]
    for team in tree_order(world, day):
        lines += [f"  - id: {team.team_id}", f"    name: {team.name}"]
        if team.parent_id:
            lines.append(f"    parent: {team.parent_id}")
        if team.type not in ("organization", "division"):
            lines.append(f"    type: {team.type}")
        manager = team.manager_on(day)
        if manager:
            lines.append(f"    manager: {manager}")
    lines.append("services:")
    for service in world.services:
        if world.team(service.owner_team_id).exists_on(day):
            lines += [
                f"  - id: {service.service_id}",
                f"    name: {service.name}",
                f"    owner: {service.owner_team_id}",
                f"    repositories: [{', '.join(service.repositories)}]",
            ]
    return "\n".join(lines) + "\n"


def tree_order(world: World, day: date) -> list:
    teams = [t for t in world.teams if t.exists_on(day)]
    children: dict[str | None, list] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)
    ordered, stack = [], list(reversed(children.get(None, [])))
    while stack:
        team = stack.pop()
        ordered.append(team)
        stack.extend(reversed(children.get(team.team_id, [])))
    return ordered


def codeowners(world: World, repository: str) -> str:
    """The owning team owns everything; its manager at the end co-owns the docs; CI config
    is co-owned by the organization's first platform team, when there is one."""
    service = next(s for s in world.services if repository in s.repositories)
    owner = world.team(service.owner_team_id)
    org, last = world.organization, world.end - timedelta(days=1)
    lines = [f"# Code owners of {org}/{repository}.", "# The last matching pattern wins.", ""]
    lines.append(f"*                      @{org}/{owner.team_id}")
    manager = owner.manager_on(last)
    if manager:
        lines.append(f"/docs/                 @{org}/{owner.team_id} @{world.person(manager).github}")
    platform = next((t for t in world.teams if t.type == "platform" and t.exists_on(last)), None)
    if platform is not None and platform.team_id != owner.team_id:
        lines.append(f"/.github/workflows/    @{org}/{owner.team_id} @{org}/{platform.team_id}")
    return "\n".join(lines) + "\n"


# -- truth -----------------------------------------------------------------------------------


def headcount_csv(world: World) -> str:
    """Per month end and team: the people employed that day whose team that day it is."""
    rows: list[list[object]] = []
    for day in month_ends(world.start, world.end):
        counts: dict[str, int] = {}
        for person in world.people:
            stint = person.stint_on(day)
            if stint is not None:
                counts[stint.team_id] = counts.get(stint.team_id, 0) + 1
        rows.extend([day.isoformat(), team_id, counts[team_id]] for team_id in sorted(counts))
    return to_csv(("month_end", "team_id", "headcount"), rows)


def attrition_csv(world: World) -> str:
    """Per calendar year (cut to the simulation): leavers (last day in the year), the average
    headcount (person-days / days) and the annualized rate, leavers x 365 / person-days."""
    rows: list[list[object]] = []
    for year in range(world.start.year, (world.end - timedelta(days=1)).year + 1):
        first, end = max(world.start, date(year, 1, 1)), min(world.end, date(year + 1, 1, 1))
        person_days, leavers = 0, 0
        for person in world.people:
            employed_from, employed_to = max(person.start, first), min(person.end or end, end)
            person_days += max(0, (employed_to - employed_from).days)
            if person.end is not None and first < person.end <= end:
                leavers += 1
        average = person_days / (end - first).days
        rows.append([year, leavers, f"{average:.2f}", f"{leavers * 365 / person_days:.4f}"])
    return to_csv(("year", "leavers", "average_headcount", "attrition_rate"), rows)
