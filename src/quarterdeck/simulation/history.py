"""What a repository's history is to be, before it is written with ``git fast-import``.

The delivery planner decides *who changes what when* (pull requests with their commits and
merges, direct pushes); the git writer (``simulation.git_writer``) decides *which files and
lines*, writes the repository, and returns each planned commit's SHA under its key, with
the lines each commit changed per file (the truth the churn metrics are checked against).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Author:
    name: str
    email: str


@dataclass(frozen=True)
class Change:
    """One commit's worth of work; the writer chooses its files and lines."""

    key: str  # unique within the repository; the commit's SHA comes back under it
    author: Author
    authored_at: datetime  # aware
    committed_at: datetime  # aware; never before authored_at
    message: str
    size: int  # about how many lines it adds and deletes together (>= 1)


@dataclass(frozen=True)
class BranchWork:
    """A pull request's branch: ``commits`` on top of the default branch as it was at the
    first commit's time, then merged at ``merge.committed_at`` (a merge commit whose first
    parent is the default branch), squashed (one commit on the default branch with all the
    branch's changes, under ``merge.key``), or never merged (``merge`` None: the branch is
    kept as ``refs/heads/<key>``)."""

    key: str  # the branch name, e.g. pr-17
    commits: tuple[Change, ...]
    merge: Change | None
    squash: bool = False


@dataclass(frozen=True)
class DirectCommit:
    """A commit pushed straight to the default branch."""

    change: Change


#: A repository's plan: its work in the order it lands (by the time of its first commit).
Work = BranchWork | DirectCommit


@dataclass(frozen=True)
class FileLines:
    """What one commit did to one file, as ``git log --numstat`` against its first parent
    reports it."""

    path: str
    added: int
    deleted: int
