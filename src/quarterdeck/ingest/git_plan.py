"""Deciding what a git ingest must read: the git side of planning, run in a worker.

Commits are immutable, so a run only reads commits reachable from the refs now and not
from the refs of the last completed run. A repository whose refs, HEAD and .mailmap are
as they were is recognised from ``git for-each-ref`` alone and costs a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.ingest.git_state import StoredRepository
from quarterdeck.sources.git.command import GitRepository, run_git
from quarterdeck.sources.git.discovery import common_dir
from quarterdeck.sources.git.refs import (
    RepositoryFacts,
    existing_commits,
    mailmap_digest,
    read_facts,
    read_refs,
    repository_settings,
    without_absent_mailmap,
)


@dataclass
class GitPlan:
    """What one repository needs, as far as git can tell without the warehouse."""

    repo: GitRepository
    key: str
    refs: dict[str, str]
    facts: RepositoryFacts
    mailmap_digest: str
    unchanged: bool
    candidates: list[str] = field(default_factory=list)
    no_longer_reachable: list[str] = field(default_factory=list)
    reachable_now: list[str] | None = None  # set when old tips vanished: full reconciliation
    needs_remap: bool = False


def repository_key(repo: GitRepository) -> str:
    """The canonical path that identifies a repository in the warehouse."""
    return str(common_dir(repo.git_dir))


def plan_repository(repo: GitRepository, stored: StoredRepository | None, patterns: tuple[str, ...]) -> GitPlan:
    refs = read_refs(repo, patterns)
    settings = repository_settings(repo)
    facts = read_facts(repo, settings)
    if facts.is_partial:
        repo = without_absent_mailmap(repo)
    digest = mailmap_digest(repo, settings)
    old_refs = stored.refs if stored else {}
    unchanged = (
        stored is not None
        and refs == old_refs
        and facts.head_sha == stored.head_sha
        and digest == stored.mailmap_digest
        and patterns == stored.ref_patterns
    )
    plan = GitPlan(repo, repository_key(repo), refs, facts, digest, unchanged)
    if unchanged:
        return plan
    new_tips = sorted(set(refs.values()))
    old_tips = sorted(set(old_refs.values()))
    plan.candidates = _rev_list(repo, new_tips, old_tips)
    _plan_reachability(plan, repo, new_tips, old_tips)
    plan.needs_remap = bool(stored and stored.mailmap_digest and digest != stored.mailmap_digest)
    return plan


def _rev_list(repo: GitRepository, include: list[str], exclude: list[str]) -> list[str]:
    """Commits reachable from ``include`` and not from ``exclude``, in topological order:
    each line of history together, so a worker reading a stretch of this list keeps
    meeting the same files (about 5% less git work than date order on numpy)."""
    if not include:
        return []
    lines = [*include, *(f"^{oid}" for oid in exclude)]  # '--not' on stdin needs git >= 2.42
    out = run_git(
        repo,
        "rev-list",
        "--topo-order",
        "--ignore-missing",
        "--stdin",
        stdin="\n".join(lines).encode() + b"\n",
    )
    return out.decode("ascii").split()


def _plan_reachability(plan: GitPlan, repo: GitRepository, new_tips: list[str], old_tips: list[str]) -> None:
    dropped = sorted(set(old_tips) - set(new_tips))
    if not dropped:
        return
    if _any_missing(repo, dropped):
        plan.reachable_now = _rev_list(repo, new_tips, [])
    else:
        plan.no_longer_reachable = _rev_list(repo, dropped, new_tips)


def _any_missing(repo: GitRepository, oids: list[str]) -> bool:
    out = run_git(repo, "cat-file", "--batch-check", stdin="\n".join(oids).encode() + b"\n")
    return any(line.endswith(b" missing") for line in out.splitlines())


def moved_here(repo: GitRepository, vanished: list[StoredRepository]) -> StoredRepository | None:
    """A stored repository whose folder is gone and whose last HEAD is in ``repo``: the
    same repository, moved. Two live clones of one project stay two repositories."""
    if not vanished:
        return None
    try:
        present = set(existing_commits(repo, [s.head_sha for s in vanished if s.head_sha]))
    except QuarterdeckError:
        return None  # an unreadable repository is reported by its plan
    return next((s for s in vanished if s.head_sha in present), None)
