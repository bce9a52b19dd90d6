"""Org checks on ownership and identities: CODEOWNERS rules whose owners are no known team
or person, repositories whose files no team owns, and git identities with recent work that
are linked to no person (their work counts for no team).

CODEOWNERS owners are read as ``quarterdeck ingest`` reads them: ``@org/slug`` is a team
whose id, name or alias is ``slug``; ``@name`` is a team alias or a person's GitHub login
(compared without regard to case, as GitHub does); anything else is a person's e-mail.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePath

from quarterdeck.metrics.org_design import OrgAt
from quarterdeck.metrics.org_types import Finding
from quarterdeck.store import Warehouse

_RULES_SQL = "SELECT repository, file, line, pattern, owners FROM codeowners_rules ORDER BY repository, file, line"


def rule_subject(repository: str, file: str, line: int) -> str:
    """How a CODEOWNERS rule is named in findings: repository, file, line."""
    name = PurePath(file).name if PurePath(file).is_absolute() else file
    return f"{repository}:{name}:{line}"


class _Owners:
    """Who CODEOWNERS owners can be: teams by alias, people by GitHub login or e-mail."""

    def __init__(self, warehouse: Warehouse) -> None:
        con = warehouse.con
        self.teams: dict[str, set[str]] = {}
        for team, alias in con.execute("SELECT team_id, alias FROM team_aliases").fetchall():
            self.teams.setdefault(alias.lower(), set()).add(team)
        self.logins = dict(
            con.execute(
                "SELECT lower(github_login), min(person_id) FROM people WHERE github_login IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
        self.emails = dict(con.execute("SELECT lower(email), min(person_id) FROM person_emails GROUP BY 1").fetchall())

    def problem(self, owner: str, org: OrgAt) -> tuple[str, str] | None:
        """(code, why) when ``owner`` is no team or person in force on the date."""
        key = owner.lower()
        if key.startswith("@") and "/" in key:
            return self._team_problem(owner, key.rsplit("/", 1)[-1], org)
        if key.startswith("@"):
            if key[1:] in self.teams and not self._team_problem(owner, key[1:], org):
                return None
            return self._person_problem(owner, self.logins.get(key[1:]), "GitHub login", org)
        return self._person_problem(owner, self.emails.get(key), "e-mail", org)

    def _team_problem(self, owner: str, slug: str, org: OrgAt) -> tuple[str, str] | None:
        teams = self.teams.get(slug, set())
        if teams & org.units.keys():
            return None
        if teams:
            return "codeowners-unknown-owner", f"{owner}, a team that does not exist on {org.date}"
        return "codeowners-unknown-owner", f"{owner}: no such team"

    def _person_problem(self, owner: str, person: str | None, kind: str, org: OrgAt) -> tuple[str, str] | None:
        if person is None:
            return "codeowners-unknown-owner", f"{owner}: no team, and no person's {kind}"
        if person not in org.people:
            return (
                "codeowners-owner-not-employed",
                f"{owner} ({org.name_of(person)}, {person}), not employed on {org.date}",
            )
        return None


def codeowners_findings(warehouse: Warehouse, org: OrgAt) -> list[Finding]:
    owners = _Owners(warehouse)
    found = []
    for repository, file, line, pattern, names in warehouse.con.execute(_RULES_SQL).fetchall():
        subject = rule_subject(repository, file, line)
        if not names:
            found.append(
                Finding(
                    "info",
                    "codeowners-no-owners",
                    subject,
                    pattern,
                    None,
                    "an owner",
                    f"{pattern} has no owners",
                )
            )
        for owner in names:
            problem = owners.problem(owner, org)
            if problem:
                code, why = problem
                found.append(
                    Finding(
                        "warning",
                        code,
                        subject,
                        pattern,
                        None,
                        "known owners",
                        f"{pattern} names {why}",
                    )
                )
    return found


_REPOSITORIES_SQL = """
SELECT r.name, count(f.path) AS files, count(o.team_id) AS owned
FROM repositories AS r
JOIN repository_files AS f ON f.repository_id = r.repository_id
LEFT JOIN file_owners AS o ON o.repository_id = f.repository_id AND o.path = f.path
GROUP BY r.name
ORDER BY r.name
"""


def repository_findings(warehouse: Warehouse) -> list[Finding]:
    """Repositories (at the tip of their default branch) whose files no team owns."""
    found = []
    for name, files, owned in warehouse.con.execute(_REPOSITORIES_SQL).fetchall():
        if owned == 0:
            found.append(
                Finding(
                    "warning",
                    "repository-no-owner",
                    name,
                    name,
                    files,
                    "an owning team",
                    f"none of its {files} {'file has' if files == 1 else 'files have'} an owning team "
                    "(no CODEOWNERS, or no known owners)",
                )
            )
        elif owned < files:
            found.append(
                Finding(
                    "info",
                    "repository-files-unowned",
                    name,
                    name,
                    files - owned,
                    "an owning team",
                    f"{files - owned} of its {files} files {'has' if files - owned == 1 else 'have'} no owning team",
                )
            )
    return found


_UNLINKED_SQL = """
SELECT count(DISTINCT i.identity_id), count(*)
FROM identities AS i
JOIN commits AS c ON c.author_identity_id = i.identity_id AND c.reachable
WHERE NOT i.is_bot
  AND i.identity_id NOT IN (SELECT identity_id FROM identity_links)
  AND CAST(timezone(?, c.author_time) AS DATE) BETWEEN ? AND ?
"""


def identity_findings(warehouse: Warehouse, at: date, days: int, timezone: str) -> list[Finding]:
    """Git identities (bots excluded) with commits in the ``days`` days up to ``at`` that are
    linked to no person: one finding with their number."""
    since = at - timedelta(days=days - 1)
    identities, commits = warehouse.con.execute(_UNLINKED_SQL, [timezone, since, at]).fetchall()[0]
    if not identities:
        return []
    return [
        Finding(
            "info",
            "identities-unlinked",
            "git identities",
            None,
            identities,
            "none",
            f"{identities} git {'identity' if identities == 1 else 'identities'} ({commits} "
            f"{'commit' if commits == 1 else 'commits'} since {since}) linked to no person: "
            "quarterdeck identities --unmatched",
        )
    ]
