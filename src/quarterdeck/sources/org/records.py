"""Typed records read from organization files, each knowing where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, pinned to its file, line and field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: field {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class PersonRecord:
    """One row of a people export: a person as of ``as_of``."""

    file: str
    line: int
    as_of: date | None
    person_id: str
    name: str
    email: str | None = None
    emails: list[str] = field(default_factory=list)
    title: str | None = None
    level: str | None = None
    role: str | None = None
    manager_id: str | None = None
    team: str | None = None
    location: str | None = None
    employment_type: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    annual_cost: Decimal | None = None
    regretted: bool | None = None
    github_login: str | None = None
    valid: bool = True  # False when the row has problems of its own


@dataclass
class TeamRecord:
    file: str
    line: int
    team_id: str
    name: str
    parent: str | None = None
    type: str | None = None
    manager: str | None = None  # a person id or e-mail, as written
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


@dataclass
class ServiceRecord:
    file: str
    line: int
    service_id: str
    name: str
    kind: str  # service, Component, System, API
    owner: str | None = None
    repositories: list[str] = field(default_factory=list)


@dataclass
class CatalogUser:
    file: str
    line: int
    user_id: str
    name: str | None
    email: str | None
    member_of: list[str] = field(default_factory=list)


@dataclass
class OwnerRule:
    """One CODEOWNERS rule."""

    line: int
    pattern: str
    owners: list[str]


@dataclass
class IdentityMapping:
    file: str
    line: int
    identity: str
    person_id: str


@dataclass
class OrgFile:
    """Everything one input file gave, with the problems found reading it."""

    path: str
    kind: str
    as_of: date | None = None  # the file's date, if it gives one (None: decided later)
    people: list[PersonRecord] = field(default_factory=list)
    teams: list[TeamRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    users: list[CatalogUser] = field(default_factory=list)
    rules: list[OwnerRule] = field(default_factory=list)
    mappings: list[IdentityMapping] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    table: Any = None  # people files: an Arrow table of text columns (see people_csv)
    unreadable: bool = False  # reading stopped at a problem: none of the file may be imported
