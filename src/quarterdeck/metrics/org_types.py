"""What the org checks report (findings) and what they hold the organization to (thresholds)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from quarterdeck.core.errors import MetricError

#: Every finding code with what it means, in the order findings are listed (warnings
#: first, then infos). Norms: Larson (An Elegant Puzzle), Grove (High Output Management),
#: Team Topologies, Orgvue's spans and layers.
CHECKS = {
    "manager-few-reports": "fewer direct reports than --min-span: a manager with so few is acting as a tech "
    "lead rather than managing (Larson, Grove: 6-8 is the norm)",
    "manager-many-reports": "more direct reports than --max-span: the manager is over-stretched, with too little "
    "time for each (Larson, Grove: 6-8; Grove: half a day a week per report)",
    "team-too-small": "fewer people than --min-team-size: too few to review each other's work, pair and cover absences",
    "team-too-large": "more people than --max-team-size: communication paths and cognitive load grow fast "
    "(Team Topologies: at most about 7-9 people)",
    "team-no-manager": "a unit whose team definitions name no manager: nobody is accountable for it",
    "team-manager-not-employed": "a unit whose named manager is not employed on the date",
    "person-no-team": "someone employed on the date who is on no team: their work counts for no team",
    "person-unknown-team": "someone on a team that the team definitions do not have on the date",
    "manager-not-employed": "someone whose manager (in the people export) is not employed on the date",
    "manager-cycle": "someone whose management chain runs in a circle and never reaches the top",
    "chain-too-deep": "someone more than --max-layers layers below the top (the top is layer 1): every layer "
    "slows decisions and dilutes context (Orgvue: spans and layers)",
    "service-no-owner": "a service with no owning team on the date: nobody is on the hook when it breaks",
    "codeowners-unknown-owner": "a CODEOWNERS rule naming a team or person Quarterdeck does not know: the "
    "files it matches get no owner",
    "codeowners-owner-not-employed": "a CODEOWNERS rule naming someone not employed on the date",
    "repository-no-owner": "an ingested repository none of whose files has an owning team",
    "team-empty": "a team that is defined but has nobody on it on the date",
    "unit-single-child": "a unit with a single sub-unit: a layer of management that groups nothing",
    "teams-undefined": "no team definitions (org YAML or Backstage catalog) imported: the teams are those the "
    "people export names, without a hierarchy, types or managers",
    "codeowners-no-owners": "a CODEOWNERS rule without owners: the files it matches have no owner",
    "repository-files-unowned": "an ingested repository with files no team owns",
    "identities-unlinked": "git identities with commits in the last --recent-days days that are linked to no "
    "person: their work counts for no team (review them with quarterdeck identities --unmatched)",
}
CODES = tuple(CHECKS)


@dataclass(frozen=True)
class Thresholds:
    """Where the checks draw the line; the defaults follow the norms in org_checks."""

    min_span: int = 4  # managers with 1 .. min_span-1 direct reports are flagged
    max_span: int = 8  # ... and with more than max_span
    min_team_size: int = 3  # teams with 1 .. min_team_size-1 people
    max_team_size: int = 9  # ... and with more than max_team_size
    max_layers: int = 6  # people deeper than this layer (the top is layer 1)
    recent_days: int = 90  # git identities with commits in this many days up to the date

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value < 1:
                raise MetricError(f"--{name.replace('_', '-')} must be at least 1, not {value}")
        if self.min_span > self.max_span:
            raise MetricError(f"--min-span {self.min_span} is above --max-span {self.max_span}")
        if self.min_team_size > self.max_team_size:
            raise MetricError(f"--min-team-size {self.min_team_size} is above --max-team-size {self.max_team_size}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    severity: str  # warning or info
    code: str
    subject: str  # the id of the unit, person, service, rule, repository ... concerned
    name: str | None  # its name, for people to read
    value: int | None  # what was measured (reports, people, layer, count), when a number
    threshold: str  # what it was held to
    message: str
