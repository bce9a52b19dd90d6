"""Crafted repositories for the due-diligence tests: each one built to fire (or not) known
red flags, and one holding secret-like values whose counts are known."""

from __future__ import annotations

from pathlib import Path

from tests.gitrepo import ALICE, BOB, CAROL, Person, Repo

DAVE = Person("Dave Example", "dave@example.com")
EVE = Person("Eve Example", "eve@example.com")
GPL = "                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n"
MIT = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
#: A CycloneDX SBOM giving the licences of risky's two dependencies (one under the GPL).
BOM = (
    '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['
    '{"name": "flask", "licenses": [{"license": {"id": "GPL-3.0-only"}}]}, '
    '{"name": "requests", "licenses": [{"license": {"id": "Apache-2.0"}}]}]}\n'
)
WORKFLOW = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"


def lines(prefix: str, n: int) -> str:
    return "".join(f"{prefix} line {i}\n" for i in range(n))


def risky(root: Path) -> Repo:
    """One author, a GPL licence, requirements without a lock file (one of them under the GPL), no
    tests, no CI."""
    repo = Repo.create(root / "risky")
    repo.write("LICENSE", GPL)
    repo.write("requirements.txt", "flask==3.0\nrequests>=2\n")
    repo.write("bom.json", BOM)
    repo.write("app/main.py", lines("main", 100))
    repo.commit("Start", "2026-10-05T10:00:00+00:00", ALICE)
    repo.write("app/main.py", lines("main", 120))
    repo.commit("More", "2026-11-02T10:00:00+00:00", ALICE)
    return repo


def healthy(root: Path) -> Repo:
    """Three authors with equal shares, MIT, tests, CI, a locked package.json: no red flag."""
    repo = Repo.create(root / "healthy")
    repo.write("LICENSE", MIT)
    repo.write("package.json", '{"dependencies": {"express": "4"}, "devDependencies": {"jest": "29"}}\n')
    repo.write("package-lock.json", "{}\n")
    repo.write(".github/workflows/ci.yml", WORKFLOW)
    repo.commit("Start", "2026-10-01T10:00:00+00:00", ALICE)
    for n, who in enumerate((ALICE, BOB, CAROL)):
        repo.write(f"src/part{n}.js", lines(f"part{n}", 80))
        repo.write(f"tests/part{n}.test.js", lines(f"test{n}", 20))
        repo.commit(f"Part {n}", f"2026-10-{10 + n}T10:00:00+00:00", who)
    return repo


def legacy(root: Path) -> Repo:
    """Mostly written by Dave before 2024-04, who stopped; Eve alone since."""
    repo = Repo.create(root / "legacy")
    repo.write("LICENSE", MIT)
    repo.write(".github/workflows/ci.yml", WORKFLOW)
    repo.write("core/engine.py", lines("engine", 60))
    repo.write("tests/test_engine.py", lines("check", 20))
    repo.commit("Engine", "2024-03-04T10:00:00+00:00", DAVE)
    repo.write("core/extra.py", lines("extra", 40))
    repo.commit("Extra", "2026-11-20T10:00:00+00:00", EVE)
    return repo


#: The secret-like values written into ``leaky``: none may ever be printed.
SECRET_VALUES = (
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAY34FZKBOKMUTVV7A",
    "hunter2hunter2",
    "abcd1234efgh",
    "supersecretvalue99",
    "xoxb-123456789012-abcdefghijkl",
    "ghp_" + "a1B2c3D4e5F6g7H8i9J0" * 2,
    "MIIEowIBAAKCAQEA7bq98",
)


def leaky(root: Path) -> Repo:
    """Secret-like values with known counts (see test_diligence_crafted)."""
    repo = Repo.create(root / "leaky")
    aws, asia, password, token, env_secret, slack, github, key_body = SECRET_VALUES
    repo.write("LICENSE", MIT)
    repo.write(".github/workflows/ci.yml", WORKFLOW + f"    env:\n      GH_PAT: {github}\n")
    repo.write("config/settings.yaml", f'db:\n  password: {password}\n  api_key: ${{API_KEY}}\n  token: "{token}"\n')
    repo.write(".env", f"SECRET={env_secret}\nAWS_KEY={asia}\n")
    repo.write("deploy/id_rsa", f"-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n-----END RSA PRIVATE KEY-----\n")
    repo.write("src/app.py", f'KEY = "{aws}"\nOTHER = "{aws}"\npassword = "notcounted123"\n')
    repo.write("docs/notes.md", f"post to {slack}\n")
    repo.write("tests/test_app.py", lines("check", 5))
    repo.commit("Everything", "2026-11-02T10:00:00+00:00", ALICE)
    repo.write("tests/test_app.py", lines("check", 8))
    repo.commit("More checks", "2026-11-03T10:00:00+00:00", BOB)
    return repo
