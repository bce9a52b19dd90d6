"""The organization fixture's model: teams, people, the month's counts, services, and the
small date, slug and YAML helpers its writers share."""

from __future__ import annotations

import calendar
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from quarterdeck.simulation.fixtures_org_vocab import FORMATS


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def month_start(d: date, add: int = 0) -> date:
    y, m = divmod(d.month - 1 + add, 12)
    return date(d.year + y, m + 1, 1)


def months_between(a: date, b: date) -> int:
    """Whole calendar months from a's month to b's month."""
    return (b.year - a.year) * 12 + (b.month - a.month)


def day_in_month(rng: random.Random, ms: date) -> date:
    return ms + timedelta(days=rng.randrange(calendar.monthrange(ms.year, ms.month)[1]))


_TRANSLITERATE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "'": ""})


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9-]", "", text)


def round10(x: int) -> int:
    return x // 10 * 10


_YAML_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@+-]*\Z")
_YAML_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def ys(s: str) -> str:
    """A YAML scalar: plain when unambiguous, else a double-quoted (JSON) string."""
    if _YAML_PLAIN.match(s) and s.lower() not in _YAML_RESERVED and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def yflow(items: list[str]) -> str:
    return "[" + ", ".join(ys(i) for i in items) + "]"


@dataclass(eq=False, slots=True)
class Team:
    tid: str
    name: str
    kind: str  # root, division, team
    ttype: str = ""
    parent: Team | None = None
    division: Team | None = None
    manager: Person | None = None  # as the team definitions give it (may be an interim)
    em: Person | None = None  # the team's own engineering manager, None while vacant
    boss: Person | None = None  # whom the team's EM reports to
    alias: str = ""
    special: str = ""  # "", big, micro, solo, nomgr, deep
    weight: int = 0  # relative size target of a normal team
    target: int = 0  # fixed size target of a big team
    pending: int = -1  # month in which a vacant EM position is filled
    home: str = ""
    active: bool = True
    members: list[Person] = field(default_factory=list)  # listed in the org YAML


@dataclass(eq=False, slots=True)
class Person:
    key: int
    first: str
    last: str
    kind: str  # top, director, head, group, em, tlm, ic
    role: str
    level: str
    title: str
    employment: str
    location: str
    start: date
    team: Team | None = None
    manager: Person | None = None
    pid: str = ""
    email: str = ""
    emails: str = ""
    github: str = ""
    end: date | None = None
    cost: int = 0
    regretted: str = ""
    pinned: bool = False
    leaving: bool = False
    last_promotion: int = -99

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(slots=True)
class MonthStats:
    snapshot: date
    rows: int = 0
    active: int = 0
    hires: int = 0
    leavers: int = 0
    regretted_yes: int = 0
    regretted_no: int = 0
    promotions: int = 0
    transfers: int = 0
    manager_changes: int = 0
    raises: int = 0


@dataclass(slots=True)
class Service:
    sid: str
    name: str
    owner: Team | None
    repositories: list[str]


@dataclass(frozen=True)
class OrgOptions:
    """What to generate: the headcount at the end, the monthly snapshots, the seed, the last
    day of the first month (YYYY-MM-DD) and the formats to write (in ``FORMATS`` order)."""

    people: int = 300
    months: int = 24
    seed: int = 7
    start: str = "2024-01-31"
    formats: tuple[str, ...] = FORMATS

    def arguments(self) -> str:
        """The command-line arguments that make this data set (recorded in its README)."""
        text = f"--people {self.people} --months {self.months} --seed {self.seed} --start {self.start}"
        if list(self.formats) != list(FORMATS):
            text += " --formats " + " ".join(self.formats)
        return text
