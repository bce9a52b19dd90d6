"""Building real git repositories in a temporary folder, with fixed authors and dates.

Every commit gets an explicit author, committer and date, so hashes and expected rows
are the same on every machine. Git runs with the user's and the system's config
switched off, so nothing of the machine leaks into the repositories.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

BASE_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
}


def git_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(BASE_ENV)
    env.update(extra)
    return env


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> str:
    """Run git in ``cwd`` and return its output (raises with git's message on failure)."""
    proc = subprocess.run(["git", *args], cwd=cwd, env=env or git_env(), input=input, capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout.decode("utf-8", "surrogateescape")


@dataclass
class Person:
    name: str
    email: str


ALICE = Person("Alice Example", "alice@example.com")
BOB = Person("Bob Example", "bob@example.com")
CAROL = Person("Carol Example", "carol@example.com")
DEPENDABOT = Person("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


@dataclass
class Repo:
    """A work-tree repository with helpers that commit at fixed times."""

    path: Path
    branch: str = "main"
    commits: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, path: Path, branch: str = "main") -> Repo:
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "-q", "-b", branch)
        git(path, "config", "user.name", "Unused")
        git(path, "config", "user.email", "unused@example.com")
        git(path, "config", "commit.gpgsign", "false")
        return cls(path, branch)

    def write(self, relative: str | bytes, content: str | bytes) -> None:
        target = Path(os.fsdecode(relative)) if isinstance(relative, bytes) else Path(relative)
        full = self.path / target
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(content.encode() if isinstance(content, str) else content)

    def remove(self, relative: str) -> None:
        git(self.path, "rm", "-q", relative)

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        git(self.path, "mv", old, new)

    def commit(
        self,
        message: str,
        when: str,
        author: Person = ALICE,
        committer: Person | None = None,
        commit_when: str | None = None,
        allow_empty: bool = False,
    ) -> str:
        """Commit everything in the work tree; ``when`` is ISO 8601 with an offset."""
        committer = committer or author
        env = git_env(
            GIT_AUTHOR_NAME=author.name,
            GIT_AUTHOR_EMAIL=author.email,
            GIT_AUTHOR_DATE=when,
            GIT_COMMITTER_NAME=committer.name,
            GIT_COMMITTER_EMAIL=committer.email,
            GIT_COMMITTER_DATE=commit_when or when,
        )
        git(self.path, "add", "-A", env=env)
        args = ["commit", "-q", "--no-verify", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        git(self.path, *args, env=env)
        sha = self.head()
        self.commits.append(sha)
        return sha

    def merge(self, *branches: str, message: str, when: str, author: Person = ALICE) -> str:
        env = git_env(
            GIT_AUTHOR_NAME=author.name,
            GIT_AUTHOR_EMAIL=author.email,
            GIT_AUTHOR_DATE=when,
            GIT_COMMITTER_NAME=author.name,
            GIT_COMMITTER_EMAIL=author.email,
            GIT_COMMITTER_DATE=when,
        )
        git(self.path, "merge", "-q", "--no-ff", "--no-edit", "-m", message, *branches, env=env)
        sha = self.head()
        self.commits.append(sha)
        return sha

    def checkout(self, branch: str, create: bool = False) -> None:
        git(self.path, "checkout", "-q", *(["-b"] if create else []), branch)

    def head(self) -> str:
        return git(self.path, "rev-parse", "HEAD").strip()

    def git(self, *args: str) -> str:
        return git(self.path, *args)


def git_logger(folder: Path) -> tuple[dict[str, str], Path]:
    """An environment whose ``git`` records each call (one line of arguments each, in the
    returned log file), then runs the real git."""
    real = shutil.which("git")
    assert real is not None
    log = folder / "git-calls.log"
    wrapper = folder / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    return {"PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}, log
