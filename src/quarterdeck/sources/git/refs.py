"""Refs, HEAD and repository facts: the cheap reads that decide what an ingest must do."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from quarterdeck.sources.git.command import GitRepository, run_git
from quarterdeck.sources.git.discovery import common_dir

_REF_FORMAT = "%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)%00%(symref)"


@dataclass(frozen=True)
class RepositoryFacts:
    """What Quarterdeck records about a repository besides its history."""

    default_branch: str | None
    head_sha: str | None
    remote_url: str | None
    is_shallow: bool
    is_partial: bool
    shallow_commits: frozenset[str]


def normalize_ref_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """``refs/pull/*`` and ``refs/pull/**`` mean every ref under ``refs/pull``.

    In ``git for-each-ref`` a ``*`` does not cross a ``/``, so ``refs/pull/*`` would match
    nothing in a GitHub mirror (whose refs are ``refs/pull/<n>/head``); the prefix form
    matches what people mean.
    """
    normalized = []
    for pattern in patterns:
        while pattern.endswith(("/*", "/**")):
            pattern = pattern.rsplit("/", 1)[0]
        normalized.append(pattern.rstrip("/") or pattern)
    return tuple(dict.fromkeys(normalized))


def read_refs(repo: GitRepository, patterns: tuple[str, ...]) -> dict[str, str]:
    """Each matching ref, peeled to the commit it names; refs to trees or blobs are skipped."""
    out = run_git(repo, "for-each-ref", f"--format={_REF_FORMAT}", "--", *patterns)
    refs: dict[str, str] = {}
    nested: list[str] = []
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        name, oid, kind, peeled, peeled_kind, symref = line.split("\0")
        if symref:
            continue  # refs/remotes/origin/HEAD and the like repeat another ref
        if kind == "commit":
            refs[name] = oid
        elif kind == "tag" and peeled_kind == "commit":
            refs[name] = peeled
        elif kind == "tag" and peeled_kind == "tag":
            nested.append(name)
    refs.update(_peel_nested_tags(repo, nested))
    return dict(sorted(refs.items()))


def _peel_nested_tags(repo: GitRepository, names: list[str]) -> dict[str, str]:
    if not names:
        return {}
    query = "".join(f"{name}^{{}}\n" for name in names).encode()
    out = run_git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=query)
    peeled = {}
    for name, line in zip(names, out.decode().splitlines(), strict=False):
        parts = line.split()
        if len(parts) == 2 and parts[1] == "commit":
            peeled[name] = parts[0]
    return peeled


def head_commit(repo: GitRepository) -> str | None:
    """The commit HEAD points at, or None (empty repository, HEAD on an unborn branch)."""
    out = run_git(repo, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False).decode().strip()
    return out or None


#: Settings of a repository's own config that Quarterdeck reads, in one git call.
_SETTINGS = ("remote.origin.url", "extensions.partialclone", "mailmap.file", "mailmap.blob")


def repository_settings(repo: GitRepository) -> dict[str, str]:
    """The few settings of the repository's config that matter here (absent ones left out)."""
    pattern = "^(" + "|".join(key.replace(".", "\\.") for key in _SETTINGS) + ")$"
    out = run_git(repo, "config", "--get-regexp", pattern, check=False).decode("utf-8", "replace")
    settings: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        settings.setdefault(key.lower(), value)
    return settings


def read_facts(repo: GitRepository, settings: dict[str, str] | None = None) -> RepositoryFacts:
    """Default branch, HEAD commit, origin url, and whether the clone is shallow or partial."""
    settings = repository_settings(repo) if settings is None else settings
    branch = run_git(repo, "symbolic-ref", "-q", "HEAD", check=False).decode().strip() or None
    head = head_commit(repo)
    shallow = _shallow_commits(repo)
    return RepositoryFacts(
        default_branch=branch.removeprefix("refs/heads/") if branch else None,
        head_sha=head,
        remote_url=settings.get("remote.origin.url") or None,
        is_shallow=bool(shallow),
        is_partial=is_partial_clone(repo, settings),
        shallow_commits=shallow,
    )


def _shallow_commits(repo: GitRepository) -> frozenset[str]:
    path = common_dir(repo.git_dir) / "shallow"
    try:
        return frozenset(path.read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


def is_partial_clone(repo: GitRepository, settings: dict[str, str] | None = None) -> bool:
    """A partial clone has promisor packs or a promisor remote; some objects may be absent."""
    pack_dir = common_dir(repo.git_dir) / "objects" / "pack"
    if pack_dir.is_dir() and any(p.suffix == ".promisor" for p in pack_dir.iterdir()):
        return True
    settings = repository_settings(repo) if settings is None else settings
    return bool(settings.get("extensions.partialclone"))


def mailmap_digest(repo: GitRepository, settings: dict[str, str] | None = None) -> str:
    """A fingerprint of the .mailmap git applies, so a changed mailmap re-maps identities."""
    digest = hashlib.sha256()
    if repo.work_tree is not None:
        try:
            digest.update(b"file\0" + (repo.work_tree / ".mailmap").read_bytes())
        except OSError:
            digest.update(b"none")
    else:
        oid = run_git(repo, "rev-parse", "-q", "--verify", "HEAD:.mailmap", check=False)
        digest.update(b"blob\0" + oid.strip())
    settings = repository_settings(repo) if settings is None else settings
    for key in ("mailmap.file", "mailmap.blob"):
        digest.update(f"{key}\0{settings.get(key, '')}\0".encode())
    digest.update("\0".join(repo.config).encode())
    return digest.hexdigest()[:16]


def without_absent_mailmap(repo: GitRepository) -> GitRepository:
    """A bare partial clone whose ``HEAD:.mailmap`` blob is absent cannot apply it (git would
    try to fetch it): read such a repository with the mailmap switched off."""
    if repo.work_tree is not None:
        return repo
    oid = run_git(repo, "rev-parse", "-q", "--verify", "HEAD:.mailmap", check=False).decode().strip()
    if not oid:
        return repo
    # list HEAD's tree (absent objects are printed as '?<oid>', never fetched); naming the
    # blob itself would make git try to fetch it
    out = run_git(repo, "rev-list", "--objects", "--missing=print", "--no-object-names", "HEAD^{tree}")
    if f"?{oid}".encode() not in out.split():
        return repo
    return replace(repo, config=(*repo.config, "mailmap.blob="))


def existing_commits(repo: GitRepository, shas: list[str]) -> list[str]:
    """The commits of ``shas`` that are in the repository's object store, in order."""
    if not shas:
        return []
    out = run_git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin="\n".join(shas).encode() + b"\n")
    present = {line.split()[0] for line in out.decode("ascii", "replace").splitlines() if line.endswith(" commit")}
    return [sha for sha in shas if sha in present]
