"""Shared fixtures: real git repositories in temporary folders, a real warehouse file,
and the real command line run as a separate process."""

from __future__ import annotations

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


def run_quarterdeck(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m quarterdeck ARGS`` as a user would, and capture what it prints."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    full_env.update(env or {})
    full_env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "quarterdeck", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def quarterdeck() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_quarterdeck
