"""The organization fixture's Backstage catalog (``catalog-info.yaml``) and the CODEOWNERS
of its monorepo, each with the quirks real ones have."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quarterdeck.simulation.fixtures_org_model import Person, Service, Team, yflow, ys
from quarterdeck.simulation.fixtures_org_vocab import GITHUB_ORG, MONOREPO
from quarterdeck.simulation.org_text import write_text
from quarterdeck.simulation.rng import per_mille, pick

if TYPE_CHECKING:
    from quarterdeck.simulation.fixtures_org_months import OrgMonths as Org


def catalog_users(org: Org) -> list[Person]:
    rng = org.rng
    pool = [p for p in org.snapshot() if p.github and not p.leaving and p.team is not None]
    users = sorted(rng.sample(pool, min(29, len(pool))), key=lambda p: p.pid)
    stale = next((p for p in reversed(org.departed) if p.github and p.team is not None), None)
    if stale is not None:
        users.append(stale)  # someone who left but is still in the catalog
    return users


def write_catalog(path: Path, org: Org) -> dict[str, list[str]]:
    teams = [t for t in org.teams if t.active]
    users = catalog_users(org)
    docs = [group_doc(t, teams) for t in teams]
    docs += [user_doc(p, ref(i, p.team.tid) if p.team is not None and p.team.active else None)
             for i, p in enumerate(users)]  # fmt: skip
    # systems (one per division), then APIs and components from the services
    docs += [system_doc(d, ref(i, d.tid)) for i, d in enumerate(org.divisions)]
    entities, no_group = entity_docs(org, users)
    docs += entities
    head = [f"# Backstage catalog of the example engineering organization (seed {org.seed}).", "---"]
    body = "\n---\n".join("\n".join(d) for d in docs)
    write_text(path, "\n".join(head) + "\n" + body + "\n")
    return {"users": [u.pid for u in users], "stale_user": [users[-1].pid], "no_group_owner": no_group}


def ref(i: int, tid: str) -> str:
    """Every other reference to a group in its long form."""
    return tid if i % 2 == 0 else f"group:default/{tid}"


def group_doc(t: Team, teams: list[Team]) -> list[str]:
    kind = {"root": "organization", "division": "division"}.get(t.kind, "team")
    doc = ["apiVersion: backstage.io/v1alpha1", "kind: Group", "metadata:", f"  name: {ys(t.tid)}"]
    if t.kind == "team":
        doc.append(f"  annotations:\n    github.com/team-slug: {ys(f'{GITHUB_ORG}/{t.alias}')}")
    doc += ["spec:", f"  type: {kind}", "  profile:", f"    displayName: {ys(t.name)}"]
    if t.parent is not None:
        doc.append(f"  parent: {ys(t.parent.tid)}")
    doc.append(f"  children: {yflow([c.tid for c in teams if c.parent is t])}")
    return doc


def user_doc(p: Person, member_of: str | None) -> list[str]:
    return [
        "apiVersion: backstage.io/v1alpha1",
        "kind: User",
        "metadata:",
        f"  name: {ys(p.email.split('@')[0])}",
        "spec:",
        "  profile:",
        f"    displayName: {ys(p.name)}",
        f"    email: {ys(p.email)}",
        f"  memberOf: {yflow([member_of] if member_of else [])}",
    ]


def system_doc(d: Team, owner: str) -> list[str]:
    return [
        "apiVersion: backstage.io/v1alpha1",
        "kind: System",
        "metadata:",
        f"  name: {ys(d.tid + '-system')}",
        f"  description: {ys('Everything the ' + d.name + ' division runs.')}",
        "spec:",
        f"  owner: {ys(owner)}",
    ]


def entity_docs(org: Org, users: list[Person]) -> tuple[list[list[str]], list[str]]:
    """APIs and components of 25 - divisions services, the ones without a team owned by
    users; (their documents, the ids of those owned by users)."""
    user_owned = [s for s in org.services if s.owner is None]
    owned = [s for s in org.services if s.owner is not None]
    chosen = owned[: 25 - len(org.divisions) - len(user_owned)] + user_owned
    user_owners = [u for u in users if u is not users[-1]][:2]
    docs, no_group = [], []
    for i, s in enumerate(chosen):
        if s.owner is not None:
            owner = ref(i, s.owner.tid)
            system = s.owner.division.tid + "-system" if s.owner.division is not None else ""
        else:
            u = user_owners[len(no_group) % len(user_owners)]
            owner, system = f"user:default/{u.email.split('@')[0]}", ""
            no_group.append(s.sid)
        docs.append(entity_doc(s, owner, system))
    return docs, no_group


def entity_doc(s: Service, owner: str, system: str) -> list[str]:
    is_api = s.sid.endswith("-api")
    doc = [
        "apiVersion: backstage.io/v1alpha1",
        f"kind: {'API' if is_api else 'Component'}",
        "metadata:",
        f"  name: {ys(s.sid)}",
        f"  title: {ys(s.name)}",
        "  annotations:",
        f"    github.com/project-slug: {ys(f'{GITHUB_ORG}/{s.repositories[0]}')}",
        "spec:",
    ]
    if is_api:
        doc += ["  type: openapi", "  lifecycle: production", f"  owner: {ys(owner)}"]
    else:
        kind = "website" if s.sid.endswith("-web") else "service"
        lifecycle = "deprecated" if s.sid.startswith("legacy") else "production"
        doc += [f"  type: {kind}", f"  lifecycle: {lifecycle}", f"  owner: {ys(owner)}"]
    if system:
        doc.append(f"  system: {ys(system)}")
    if is_api:
        doc += ["  definition: |", "    openapi: 3.0.0", "    info:", f"      title: {s.name}",
                "      version: 1.0.0", "    paths: {}"]  # fmt: skip
    return doc


def write_codeowners(path: Path, org: Org) -> dict[str, str]:
    rng = org.rng
    teams = [t for t in org.teams if t.active and t.kind == "team"]
    people = [p for p in org.snapshot() if p.github and not p.leaving]
    by_tid = {t.tid: t for t in teams}

    def login() -> str:
        return "@" + pick(rng, people).github

    default, infra, second, ui = owning_teams(teams)
    mono_owners = [s.owner for s in org.services if MONOREPO in s.repositories and s.owner is not None]
    by_id_team = next((t for t in mono_owners if t.active and t is not default), default)
    email_owner = next(p for p in people if p.kind == "ic")
    lines = [
        f"# Code owners of {GITHUB_ORG}/{MONOREPO}.",
        "# The last matching pattern wins, so the catch-all rule comes first.",
        "# Ask #dev-experience before changing the default owners.",
        "",
        f"*                                   {slug(default)}",
        "",
        "# Continuous integration and build tooling",
        f"/.github/                           {slug(default)}",
        f"/tools/build/                       {slug(default)} {login()}",
        f"*.tf                                {slug(infra)}",
        f"/infra/                             {slug(infra)} {slug(second)}",
        "",
        "# Services",
    ]
    lines += service_rules(org, by_id_team, login)
    lines += [
        "",
        "# Shared libraries",
        f"/libs/auth/                         {slug(by_tid.get('identity-and-access', teams[0]))}",
        f"/libs/ui/                           {slug(ui)} {login()}",
        f"/libs/common/**/*.py                {login()} {login()}",
        "",
        "# Documentation",
        f"/docs/                              {email_owner.email}",
        f"/docs/runbooks/                     {slug(infra)}",
        "",
        "# Still owned by a team that was renamed; nobody has updated this rule",
        f"/legacy/billing/                    @{GITHUB_ORG}/billing-legacy",
        "",
        "# Vendored code has no owners",
        "/vendor/",
    ]
    write_text(path, "\n".join(lines) + "\n")
    return {"default": default.tid, "email_owner": email_owner.pid, "by_id": by_id_team.tid}


def owning_teams(teams: list[Team]) -> tuple[Team, Team, Team, Team]:
    """The teams owning the catch-all rule, infrastructure (and a second one), and the UI
    library: well-known names where the organization has them, else the first regular teams."""
    regular = [t for t in teams if t.special in ("", "big")]
    by_tid = {t.tid: t for t in regular}

    def prefer(tids: tuple[str, ...], avoid: tuple[Team, ...] = ()) -> Team:
        for tid in tids:
            if tid in by_tid and by_tid[tid] not in avoid:
                return by_tid[tid]
        return next(t for t in regular if t not in avoid)

    default = prefer(("developer-experience", "build-and-release", "developer-portal", "web-foundations"))
    infra = prefer(("cloud-infrastructure", "sre-core", "compute", "networking"), (default,))
    second = prefer(("sre-core", "observability", "compute", "storage"), (default, infra))
    ui = prefer(("design-system", "web-foundations", "web-app", "mobile-platform"), (default, infra))
    return default, infra, second, ui


def slug(t: Team) -> str:
    return f"@{GITHUB_ORG}/{t.alias}"


def service_rules(org: Org, by_id_team: Team, login: Callable[[], str]) -> list[str]:
    """A rule for each service in the monorepo: its team (one by its id rather than its
    alias), now and then a person besides; a person for the services without a team."""
    lines = []
    for s in org.services:
        if MONOREPO not in s.repositories:
            continue
        if s.owner is not None and s.owner.active:
            owners = slug(s.owner)
            if s.owner is by_id_team:
                owners = f"@{GITHUB_ORG}/{s.owner.tid}"  # by the team's id, not its alias
            if per_mille(org.rng, 250):
                owners += " " + login()
        else:
            owners = login()
        lines.append(f"{('/services/' + s.sid + '/').ljust(35)} {owners}")
    return lines
