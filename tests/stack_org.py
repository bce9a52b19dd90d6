"""The stack test repositories (tests/stack_repos.py) ingested with an organization that owns
some of them, for the stack metrics, the CLI and the /stack page.

Teams: eng (root), backend and frontend under it. The service api (owner backend) lists
py-api, svc-go and svc-java; the service site (owner frontend) lists web and py-api, so py-api
counts for both teams. broken, svc-dotnet, svc-ruby and svc-rust have no owner.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.orgdata import people_csv, write
from tests.stack_repos import build_all

ORG_YAML = """\
teams:
  - id: eng
    name: Engineering
    manager: P1
  - id: backend
    name: Backend
    parent: eng
    manager: P2
  - id: frontend
    name: Frontend
    parent: eng
    manager: P3
services:
  - id: api
    name: API
    owner: backend
    repositories: [py-api, svc-go, svc-java]
  - id: site
    name: Site
    owner: frontend
    repositories: [web, py-api]
"""
PEOPLE = (
    "P1,Ada Root,ada@example.com,,VP of Engineering,M5,director,,eng,Berlin,full-time,2020-01-01,,250000,,",
    "P2,Ben Back,ben@example.com,,Engineering Manager,M2,manager,P1,backend,Berlin,full-time,2020-01-01,,160000,,",
    "P3,Cy Front,cy@example.com,,Engineering Manager,M2,manager,P1,frontend,Berlin,full-time,2020-01-01,,160000,,",
    "P4,Dee Dev,dee@example.com,,Software Engineer,IC2,engineer,P2,backend,Lisbon,full-time,2021-01-01,,98000,,",
)

STANDARDS = """\
languages: [Python, TypeScript, JavaScript, Go, Groovy, Java, Dockerfile, Shell]
frameworks: [django, react, gin, spring-boot]
dependencies:
  react: ">=18"
  django: ">=4.2,<5"
  github.com/gin-gonic/gin: ">=1.9.1"
licences:
  banned: [GPL-2.0, AGPL-3.0]
"""


def build_stack_org(folder: Path) -> Path:
    """The repositories ingested, then the organization as of 2024-01-01; the warehouse."""
    build_all(folder / "org")
    db = folder / "stack.duckdb"
    done = run_quarterdeck("--db", str(db), "ingest", "git", str(folder / "org"))
    assert done.returncode == 0, done.stderr
    people = people_csv(folder, "people.csv", *PEOPLE)
    org = write(folder, "org.yaml", ORG_YAML)
    done = run_quarterdeck("--db", str(db), "ingest", "org", str(people), str(org), "--as-of", "2024-01-01")
    assert done.returncode == 0, done.stderr
    write(folder, "standards.yaml", STANDARDS)  # next to the warehouse: the default place
    return db
