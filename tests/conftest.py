"""Shared fixtures: real git repositories in temporary folders, a real warehouse file,
and the real command line run as a separate process."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.gitrepo import Repo

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Repo]:
    """Create a work-tree repository under the test's temporary folder."""

    def make(name: str = "repo", branch: str = "main") -> Repo:
        return Repo.create(tmp_path / name, branch)

    return make


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


#: A ceiling for one CLI run; a run that needs more than this is treated as hung.
CLI_TIMEOUT = 120


def run_quarterdeck(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = CLI_TIMEOUT,
    columns: str | None = "200",
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m quarterdeck ARGS`` as a user would, in a clean environment, and
    capture what it prints; a run over ``timeout`` seconds fails the test.

    ``columns=None`` runs it as from a script or CI job: no COLUMNS, no terminal.
    """
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_") and k != "COLUMNS"}
    full_env.update(env or {})
    if columns is not None:
        full_env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "quarterdeck", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def set_up_with_quarterdeck(*args: str) -> None:
    """Run ``quarterdeck ARGS`` in this process to prepare a test's warehouse, where the test
    is not about the command line (the same command group, options and files as
    :func:`run_quarterdeck`, in the same clean environment, without the start-up of a new
    Python process); a run that does not exit 0 fails the test with what it printed."""
    from click.testing import CliRunner

    from quarterdeck.cli.main import cli

    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("QUARTERDECK_")}
    env["COLUMNS"] = "200"
    with contextlib.chdir(ROOT):  # where run_quarterdeck runs it
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, f"quarterdeck {' '.join(args)}: exit {result.exit_code}\n{result.output}"


@pytest.fixture
def quarterdeck() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_quarterdeck


# -- the synthetic organization of tests/data/org, imported once per session -------------------


@pytest.fixture(scope="session")
def org_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse file holding the full import of tests/data/org: the 24 monthly people files
    with the org file in force at each date, then catalog-info.yaml and identities.csv as of
    2025-12-31. Shared by the whole session: tests that write must copy it first."""
    from tests.orgdata import import_full_org

    db = tmp_path_factory.mktemp("org") / "org.duckdb"
    import_full_org(db)
    return db
