"""Finding git repositories: bare or with a work tree, given directly or under a folder.

A repository reached twice (two paths, a linked work tree of the same repository) is
found once: repositories are told apart by the real path of their common git directory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from quarterdeck.sources.git.command import GitRepository


@dataclass
class Discovery:
    """Repositories found, and the paths that could not be used, with the reason."""

    repositories: list[GitRepository] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    _seen: set[Path] = field(default_factory=set)

    def add(self, repo: GitRepository) -> None:
        key = common_dir(repo.git_dir)
        if key not in self._seen:
            self._seen.add(key)
            self.repositories.append(repo)


def discover(paths: list[Path]) -> Discovery:
    """Repositories at or under each path, in the order given, each once."""
    found = Discovery()
    for path in paths:
        if not path.exists():
            found.problems.append((str(path), "no such file or directory"))
            continue
        repo = as_repository(path)
        if repo is not None:
            found.add(repo)
            _add_submodules(repo, found)
            continue
        if not path.is_dir():
            found.problems.append((str(path), "not a git repository or a folder"))
            continue
        before = len(found.repositories)
        _walk(path, found)
        if len(found.repositories) == before:
            found.problems.append((str(path), "not a git repository, and no repository found under it"))
    return found


def as_repository(path: Path) -> GitRepository | None:
    """The repository whose git directory or work-tree root is ``path``, if any."""
    path = path.absolute()
    dot_git = path / ".git"
    if dot_git.is_dir() and is_git_dir(dot_git):
        return GitRepository(git_dir=dot_git.resolve(), work_tree=path.resolve())
    if dot_git.is_file():
        target = _read_gitfile(dot_git)
        if target is not None and is_git_dir(target):
            common = common_dir(target)
            if common != target:
                # a linked work tree (git worktree add): the repository is the main one,
                # so its default branch and files do not depend on which checkout is named
                main = common.parent if common.name == ".git" and common.parent.is_dir() else None
                return GitRepository(git_dir=common, work_tree=main)
            return GitRepository(git_dir=target, work_tree=path.resolve())
    if path.is_dir() and is_git_dir(path):
        return GitRepository(git_dir=path.resolve(), work_tree=None)
    return None


def is_git_dir(path: Path) -> bool:
    """True for a git directory, even one without a config file (HEAD and objects suffice)."""
    head = path / "HEAD"
    if not head.is_file():
        return False
    objects = path / "objects"
    if objects.is_dir():
        return True
    return (path / "commondir").is_file()


def common_dir(git_dir: Path) -> Path:
    """The directory holding objects and refs: the git dir itself, or its ``commondir``."""
    pointer = git_dir / "commondir"
    if pointer.is_file():
        try:
            text = pointer.read_text(encoding="utf-8").strip()
        except OSError:
            return git_dir.resolve()
        return (git_dir / text).resolve()
    return git_dir.resolve()


def _read_gitfile(path: Path) -> Path | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    target = Path(text[len("gitdir:") :].strip())
    if not target.is_absolute():
        target = path.parent / target
    return target.resolve()


def _walk(root: Path, found: Discovery) -> None:
    def on_error(exc: OSError) -> None:
        found.problems.append((str(exc.filename), f"cannot read folder: {exc.strerror}"))

    for folder, subdirs, _files in os.walk(root, onerror=on_error):
        here = Path(folder)
        repo = as_repository(here)
        if repo is not None:
            found.add(repo)
            _add_submodules(repo, found)
            subdirs.clear()  # a work tree's own files are not searched further
            continue
        subdirs.sort()


_SUBMODULE_PATH = re.compile(r"^\s*path\s*=\s*(.+?)\s*$", re.MULTILINE)


def _add_submodules(repo: GitRepository, found: Discovery) -> None:
    """Checked-out submodules listed in the work tree's ``.gitmodules``."""
    if repo.work_tree is None:
        return
    modules = repo.work_tree / ".gitmodules"
    if not modules.is_file():
        return
    try:
        text = modules.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    for relative in _SUBMODULE_PATH.findall(text):
        sub = as_repository(repo.work_tree / relative)
        if sub is not None:
            found.add(sub)
            _add_submodules(sub, found)
