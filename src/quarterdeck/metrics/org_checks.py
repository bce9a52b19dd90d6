"""Org-design and data-quality findings on a date.

Each finding has a severity (``warning``: a design problem or a broken reference worth
fixing; ``info``: worth knowing), a code (``CHECKS`` says what each means and the norm
behind it), the unit, person, service, CODEOWNERS rule, repository or identity concerned,
the measured value, the threshold it was held to, and a short message. Default thresholds
(``Thresholds``): spans of 4-8 direct reports (Larson and Grove: 6-8 is the norm, below 4
a manager acts as a tech lead), teams of 3-9 people (Team Topologies: at most about 7-9),
at most 6 management layers.

A team is a unit without sub-units on the date; its size is the people whose own team it
is (as the ``team_size`` metric counts them).
"""

from __future__ import annotations

import re

from quarterdeck.metrics.org_design import OrgAt
from quarterdeck.metrics.org_ownership import codeowners_findings, identity_findings, repository_findings
from quarterdeck.metrics.org_types import CHECKS, CODES, Finding, Thresholds
from quarterdeck.store import Warehouse

__all__ = [
    "CHECKS",
    "CODES",
    "Finding",
    "Thresholds",
    "check_org",
    "service_findings",
    "sort_findings",
    "structure_findings",
]


def check_org(warehouse: Warehouse, org: OrgAt, thresholds: Thresholds, timezone: str = "UTC") -> list[Finding]:
    """Every finding on the org's date: warnings first, then by code (in the order of
    ``CODES``), then by subject."""
    found = [
        *structure_findings(org, thresholds),
        *service_findings(warehouse, org),
        *codeowners_findings(warehouse, org),
        *repository_findings(warehouse),
        *identity_findings(warehouse, org.date, thresholds.recent_days, timezone),
    ]
    return sort_findings(found)


def structure_findings(org: OrgAt, thresholds: Thresholds) -> list[Finding]:
    """The findings about people and the structure alone (spans, team sizes, unit managers,
    people's teams and managers, layers, single sub-units): what a proposed org changes."""
    return [
        *_spans(org, thresholds),
        *_team_sizes(org, thresholds),
        *_unit_managers(org),
        *_people(org),
        *_layers(org, thresholds),
        *_single_children(org),
    ]


def sort_findings(found: list[Finding]) -> list[Finding]:
    """Warnings first, then by code (in the order of ``CODES``), then by subject."""
    order = {code: i for i, code in enumerate(CODES)}
    return sorted(found, key=lambda f: (f.severity != "warning", order[f.code], _natural(f.subject), f.message))


def _natural(text: str) -> tuple[tuple[int, str | int], ...]:
    """A sort key that orders numbers inside text by value: ``shop:CODEOWNERS:9`` before ``:33``."""
    return tuple((1, int(part)) if part.isdigit() else (0, part) for part in re.split(r"(\d+)", text) if part)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _spans(org: OrgAt, t: Thresholds) -> list[Finding]:
    found = []
    span = f"{t.min_span}-{t.max_span}"
    for p in org.people.values():
        n = p.direct_reports
        if 0 < n < t.min_span:
            message = f"{p.name} has {_plural(n, 'direct report', 'direct reports')}: a tech lead more than a manager"
            found.append(Finding("warning", "manager-few-reports", p.person_id, p.name, n, span, message))
        elif n > t.max_span:
            message = f"{p.name} has {n} direct reports: over-stretched, with little time for each"
            found.append(Finding("warning", "manager-many-reports", p.person_id, p.name, n, span, message))
    return found


def _team_sizes(org: OrgAt, t: Thresholds) -> list[Finding]:
    found = []
    size = f"{t.min_team_size}-{t.max_team_size}"
    for unit in org.units.values():
        if org.children(unit.unit_id):
            continue
        n = len(org.members(unit.unit_id))
        name, subject = unit.name, unit.unit_id
        if n == 0:
            found.append(Finding("info", "team-empty", subject, name, 0, ">= 1", f"{name} has nobody on it"))
        elif n < t.min_team_size:
            message = f"{name} has {_plural(n, 'person', 'people')}: too few to review, pair and cover absences"
            found.append(Finding("warning", "team-too-small", subject, name, n, size, message))
        elif n > t.max_team_size:
            message = f"{name} has {n} people: consider splitting it"
            found.append(Finding("warning", "team-too-large", subject, name, n, size, message))
    return found


def _unit_managers(org: OrgAt) -> list[Finding]:
    if not org.teams_defined:
        message = "no org file or catalog imported: teams come from the people export, without parents or managers"
        return [Finding("info", "teams-undefined", "team definitions", None, None, "an org file", message)]
    found = []
    for unit in org.units.values():
        if unit.manager_id is None:
            message = f"{unit.name} has no manager: nobody is accountable for it"
            found.append(Finding("warning", "team-no-manager", unit.unit_id, unit.name, None, "a manager", message))
        elif unit.manager_id not in org.people:
            who = f"{org.name_of(unit.manager_id)} ({unit.manager_id})"
            message = f"{unit.name}'s manager {who} is not employed on {org.date}"
            code = "team-manager-not-employed"
            found.append(Finding("warning", code, unit.unit_id, unit.name, None, "manager employed", message))
    return found


def _people(org: OrgAt) -> list[Finding]:
    """People without a team, on a team that does not exist, under a manager not employed,
    or in a manager cycle."""
    found = []
    for p in org.people.values():
        if p.team_id is None:
            message = f"{p.name} is on no team: their work counts for no team"
            found.append(Finding("warning", "person-no-team", p.person_id, p.name, None, "a team", message))
        elif p.team_id not in org.units:
            message = f"{p.name} is on team {p.team_id}, which does not exist on {org.date}"
            found.append(Finding("warning", "person-unknown-team", p.person_id, p.name, None, "a team", message))
        if p.manager_id is not None and p.manager_id not in org.people:
            message = f"{p.name}'s manager {org.name_of(p.manager_id)} ({p.manager_id}) is not employed on {org.date}"
            code = "manager-not-employed"
            found.append(Finding("warning", code, p.person_id, p.name, None, "manager employed", message))
        if p.layer is None:
            message = f"{p.name}'s management chain runs in a circle"
            found.append(Finding("warning", "manager-cycle", p.person_id, p.name, None, "a top", message))
    return found


def _layers(org: OrgAt, t: Thresholds) -> list[Finding]:
    found = []
    for p in org.people.values():
        if p.layer is not None and p.layer > t.max_layers:
            chain = " > ".join(f"{i} (vacant)" if i in org.vacancies else i for i in org.chain(p.person_id))
            message = f"{p.name} is in layer {p.layer}: {chain}"
            found.append(
                Finding("warning", "chain-too-deep", p.person_id, p.name, p.layer, f"<= {t.max_layers}", message)
            )
    return found


def _single_children(org: OrgAt) -> list[Finding]:
    found = []
    for unit in org.units.values():
        children = org.children(unit.unit_id)
        if len(children) == 1:
            message = f"{unit.name} has one sub-unit ({org.units[children[0]].name}): a layer that groups nothing"
            found.append(Finding("info", "unit-single-child", unit.unit_id, unit.name, 1, ">= 2", message))
    return found


_SERVICES_SQL = """
SELECT s.service_id, s.name, p.owner, p.owner_team_id
FROM service_periods AS p
JOIN services AS s ON s.service_id = p.service_id
WHERE (p.valid_from IS NULL OR p.valid_from <= ?) AND (p.valid_to IS NULL OR p.valid_to > ?)
ORDER BY s.service_id
"""


def service_findings(warehouse: Warehouse, org: OrgAt) -> list[Finding]:
    """Services without an owning team on the org's date (among the org's units)."""
    found = []
    for service_id, name, owner, team in warehouse.con.execute(_SERVICES_SQL, [org.date, org.date]).fetchall():
        if team is not None and team in org.units:
            continue
        if team is not None:
            why = f"its owner {team} does not exist on {org.date}"
        elif owner:
            why = f"its owner {owner!r} is no team"
        else:
            why = "no owner given"
        message = f"{name} has no owning team ({why})"
        found.append(Finding("warning", "service-no-owner", service_id, name, None, "an owning team", message))
    return found
