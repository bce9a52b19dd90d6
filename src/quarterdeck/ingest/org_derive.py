"""Rebuilding the organization's history from every stored snapshot.

Runs after each import, inside its transaction: ``people``, ``person_periods``,
``person_emails``, ``teams``, ``team_periods``, ``team_aliases``, ``services`` and
``service_periods`` are recomputed from the snapshot tables, so the result never depends
on the order in which snapshots were imported.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from itertools import groupby
from typing import Any

import pyarrow as pa

from quarterdeck.ingest.org_history import Observation, Period, person_periods, successors, team_periods
from quarterdeck.ingest.org_observations import PERSON_ATTRIBUTES, change_points
from quarterdeck.ingest.org_teams import TeamBook, TeamDefinition, in_force
from quarterdeck.store import Warehouse, first_row
from quarterdeck.store.org_writes import clear_derived, derive_people, derive_teams


def load_team_book(warehouse: Warehouse) -> TeamBook:
    book = TeamBook()
    rows = warehouse.con.execute(
        "SELECT as_of, kind, team_id, name, parent_id, type, manager_id, aliases, members FROM team_snapshots"
    ).fetchall()
    for as_of, kind, team_id, name, parent, kind_of_team, manager, aliases, members in rows:
        book.snapshots.setdefault((as_of, kind), {})[team_id] = TeamDefinition(
            team_id, name, parent, kind_of_team, manager, tuple(aliases), tuple(members)
        )
    return book


def rebuild(warehouse: Warehouse, loaded_at: datetime) -> None:
    """Recompute every derived organization table from the snapshots."""
    con = warehouse.con
    clear_derived(warehouse)
    book = load_team_book(warehouse)
    stamp = {"source": "org snapshots", "loaded_at": loaded_at}
    people_dates = [r[0] for r in con.execute("SELECT DISTINCT as_of FROM people_snapshots ORDER BY 1").fetchall()]
    _rebuild_teams(warehouse, book, people_dates, stamp)
    _rebuild_people(warehouse, book, people_dates, stamp)
    _rebuild_services(warehouse, book, stamp)


# -- teams ---------------------------------------------------------------------------------------


def _rebuild_teams(warehouse: Warehouse, book: TeamBook, people_dates: list[date], stamp: dict[str, Any]) -> None:
    con = warehouse.con
    if book.defined:
        definitions = {
            when: {
                t.team_id: (t.name, t.parent_id, t.type, _manager_id(warehouse, t.manager, when))
                for t in book.at(when).values()
            }
            for when in book.dates()
        }
        aliases = {
            (t.team_id, k) for (_, _), teams in book.snapshots.items() for t in teams.values() for k in t.names()
        }
    else:  # no org file or catalog: the people files' teams, without a hierarchy
        names = [
            r[0]
            for r in con.execute("SELECT DISTINCT team_id FROM people_snapshots WHERE team_id IS NOT NULL").fetchall()
        ]
        first = min(people_dates) if people_dates else date.today()
        definitions = {first: {n: (n, None, None, None) for n in names}}
        aliases = {(n, n.lower()) for n in names}
    periods = team_periods(definitions)
    if periods:
        warehouse.insert_arrow(
            "team_periods",
            pa.table(
                {
                    "team_id": [p.team_id for p in periods],
                    "valid_from": pa.array([p.valid_from for p in periods], pa.date32()),
                    "valid_to": pa.array([p.valid_to for p in periods], pa.date32()),
                    "name": [p.attributes[0] for p in periods],
                    "parent_id": pa.array([p.attributes[1] for p in periods], pa.string()),
                    "type": pa.array([p.attributes[2] for p in periods], pa.string()),
                    "manager_id": pa.array([p.attributes[3] for p in periods], pa.string()),
                }
            ),
            stamp,
        )
    derive_teams(warehouse, stamp["source"], stamp["loaded_at"])
    if aliases:
        ordered = sorted(aliases)
        warehouse.insert_arrow(
            "team_aliases", pa.table({"team_id": [a[0] for a in ordered], "alias": [a[1] for a in ordered]})
        )


def _manager_id(warehouse: Warehouse, manager: str | None, when: date) -> str | None:
    """A team's manager as a person id (the definition may give an e-mail)."""
    if not manager or "@" not in manager:
        return manager
    row = first_row(
        warehouse.con.execute(
            "SELECT person_id FROM people_snapshots WHERE email = ? OR list_contains(emails, ?) "
            "ORDER BY abs(datediff('day', as_of, ?)) LIMIT 1",
            [manager.lower(), manager.lower(), when],
        )
    )
    return row[0] if row else manager


# -- people --------------------------------------------------------------------------------------


def _rebuild_people(warehouse: Warehouse, book: TeamBook, dates: list[date], stamp: dict[str, Any]) -> None:
    members = {when: _memberships(book, when) for when in dates} if book.defined else {}
    observations = change_points(warehouse, members)
    if not observations:
        observations, dates = _catalog_people(warehouse)
    following = successors(dates)
    periods: list[Period] = []
    for _, of_person in groupby(observations, key=lambda o: o.person_id):
        periods.extend(person_periods(list(of_person), following))
    _insert_periods(warehouse, periods, stamp)
    derive_people(warehouse, stamp["source"], stamp["loaded_at"])


def _memberships(book: TeamBook, when: date) -> dict[str, str]:
    """Person id or e-mail -> team, from the members listed in the team definitions."""
    found: dict[str, str] = {}
    for team in book.at(when).values():
        for member in team.members:
            found.setdefault(member, team.team_id)
            found.setdefault(member.lower(), team.team_id)
    return found


def _catalog_people(warehouse: Warehouse) -> tuple[list[Observation], list[date]]:
    """A catalog-only organization: Backstage users are the people (no HR attributes)."""
    rows = warehouse.con.execute(
        "SELECT user_id, as_of, member_of[1] FROM catalog_users ORDER BY user_id, as_of"
    ).fetchall()
    dates = sorted({r[1] for r in rows})
    blank = (None,) * (len(PERSON_ATTRIBUTES) - 1)
    return [Observation(r[0], r[1], (r[2], *blank), None, None, None) for r in rows], dates


def _insert_periods(warehouse: Warehouse, periods: list[Period], stamp: dict[str, Any]) -> None:
    if not periods:
        return
    columns: dict[str, Any] = {
        "person_id": [p.person_id for p in periods],
        "valid_from": pa.array([p.valid_from for p in periods], pa.date32()),
        "valid_to": pa.array([p.valid_to for p in periods], pa.date32()),
    }
    for i, name in enumerate(PERSON_ATTRIBUTES):
        kind = pa.decimal128(14, 2) if name == "annual_cost" else pa.string()
        columns[name] = pa.array([p.attributes[i] for p in periods], kind)
    columns.update(
        start_date=pa.array([p.start_date for p in periods], pa.date32()),
        leaves=[p.leaves for p in periods],
        regretted=pa.array([p.regretted for p in periods], pa.bool_()),
        end_inferred=[p.end_inferred for p in periods],
    )
    warehouse.insert_arrow("person_periods", pa.table(columns), stamp)


# -- services ------------------------------------------------------------------------------------


def _rebuild_services(warehouse: Warehouse, book: TeamBook, stamp: dict[str, Any]) -> None:
    """Services in force at each snapshot date (org file over catalog, as for teams), their
    owners resolved against the teams in force on that date."""
    rows = warehouse.con.execute(
        "SELECT as_of, kind, service_id, name, service_kind, owner, repositories FROM service_snapshots"
    ).fetchall()
    snapshots: dict[tuple[date, str], dict[str, tuple[Any, ...]]] = defaultdict(dict)
    for as_of, kind, sid, name, service_kind, owner, repos in rows:
        snapshots[(as_of, kind)][sid] = (name, service_kind, owner, tuple(repos))
    by_date: dict[date, dict[str, tuple[Any, ...]]] = {}
    latest: dict[str, tuple[str, str]] = {}
    for when in sorted({d for d, _ in snapshots}):
        teams = book.resolver(when)
        services = in_force(snapshots, when)
        by_date[when] = {
            sid: (owner, teams.get((owner or "").lower()), repos) for sid, (_, _, owner, repos) in services.items()
        }
        latest.update({sid: (name, service_kind) for sid, (name, service_kind, _, _) in services.items()})
    periods = team_periods(by_date)  # the same run-length rule as teams
    if not periods:
        return
    warehouse.insert_arrow(
        "service_periods",
        pa.table(
            {
                "service_id": [p.team_id for p in periods],
                "valid_from": pa.array([p.valid_from for p in periods], pa.date32()),
                "valid_to": pa.array([p.valid_to for p in periods], pa.date32()),
                "owner": pa.array([p.attributes[0] for p in periods], pa.string()),
                "owner_team_id": pa.array([p.attributes[1] for p in periods], pa.string()),
                "repositories": pa.array([list(p.attributes[2]) for p in periods], pa.list_(pa.string())),
            }
        ),
        stamp,
    )
    ids = sorted(latest)
    warehouse.insert_arrow(
        "services",
        pa.table(
            {
                "service_id": ids,
                "name": [latest[i][0] for i in ids],
                "service_kind": [latest[i][1] for i in ids],
            }
        ),
        stamp,
    )
