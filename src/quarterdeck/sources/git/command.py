"""Running git so that nothing but the repository decides what it prints.

User and system git configuration (aliases, ``diff.external``, ``log.showSignature``,
``diff.renames``, pagers, colours...) could change git's output, so every call runs
with an isolated configuration: the system file is skipped and the global file is
replaced by one that only carries the user's ``safe.directory`` entries. Settings a
repository's own config could change are pinned on the command line. Missing objects
of partial clones are never fetched (``GIT_NO_LAZY_FETCH``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from quarterdeck.core.errors import RepositoryError

#: Pinned so that a repository's config cannot change what git prints.
PINNED_CONFIG: tuple[str, ...] = (
    "core.quotepath=off",
    "core.bigFileThreshold=512m",
    "diff.renameLimit=1000",
    "diff.algorithm=myers",
    "diff.ignoreSubmodules=none",
    "diff.submodule=short",
    "diff.relative=false",
    "diff.noprefix=false",
    "log.showSignature=false",
    "log.showRoot=true",
    "color.ui=never",
    "i18n.logOutputEncoding=UTF-8",
    "core.fsmonitor=false",
    "gc.auto=0",
    "maintenance.auto=false",
)

_DROPPED_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_PAGER",
    "GIT_TRACE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE",
    "GIT_GRAFT_FILE",
    "GIT_SHALLOW_FILE",
)


@dataclass(frozen=True)
class GitRepository:
    """Where a repository lives: its git directory and, unless bare, its work tree."""

    git_dir: Path
    work_tree: Path | None
    config: tuple[str, ...] = ()  # extra ``-c`` settings this repository needs

    @property
    def display_path(self) -> str:
        return str(self.work_tree or self.git_dir)


def git_command(repo: GitRepository, *args: str) -> list[str]:
    """The argument vector for ``git args...`` on ``repo`` with the pinned configuration."""
    cmd = ["git", "--git-dir", str(repo.git_dir)]
    if repo.work_tree is not None:
        cmd += ["--work-tree", str(repo.work_tree)]
    else:
        cmd += ["-c", "core.bare=true"]
    for setting in PINNED_CONFIG + repo.config:
        cmd += ["-c", setting]
    cmd += args
    return cmd


def run_git(repo: GitRepository, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """Run git to completion and return its standard output."""
    proc = subprocess.run(
        git_command(repo, *args),
        input=stdin,
        capture_output=True,
        env=git_environment(),
        cwd=str(repo.work_tree or repo.git_dir),
    )
    if check and proc.returncode != 0:
        raise RepositoryError(f"{repo.display_path}: {describe_git_failure(proc.stderr, args)}")
    return proc.stdout


def start_git(repo: GitRepository, *args: str) -> subprocess.Popen[bytes]:
    """Start git with piped stdin, stdout and stderr, for streaming."""
    return subprocess.Popen(
        git_command(repo, *args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=git_environment(),
        cwd=str(repo.work_tree or repo.git_dir),
    )


def describe_git_failure(stderr: bytes, args: tuple[str, ...] | list[str]) -> str:
    """The most telling line of git's complaint, for a one-line error."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    chosen = (fatal or lines or [f"git {args[0] if args else ''} failed"])[0]
    return chosen.removeprefix("fatal: ").removeprefix("error: ")


_ENVIRONMENT_LOCK = threading.Lock()


def git_environment() -> dict[str, str]:
    """The environment every git call runs with (worked out once per process, even when
    several threads start their first git call at the same moment)."""
    with _ENVIRONMENT_LOCK:
        return _environment()


@cache
def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(_isolated_global_config()),
        GIT_NO_LAZY_FETCH="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_ASKPASS="true",
        LC_ALL="C",
        LANG="C",
    )
    return env


def _isolated_global_config() -> Path:
    """A global config file that keeps only the user's ``safe.directory`` entries."""
    safe = _user_safe_directories()
    handle, name = tempfile.mkstemp(prefix="quarterdeck-git-", suffix=".gitconfig")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        for directory in safe:
            out.write(f"[safe]\n\tdirectory = {_quote(directory)}\n")
    atexit.register(_remove_quietly, name)
    return Path(name)


def _user_safe_directories() -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    try:
        proc = subprocess.run(
            ["git", "config", "--get-all", "safe.directory"],
            capture_output=True,
            env=env,
            cwd=tempfile.gettempdir(),
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
