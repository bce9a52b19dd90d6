"""The synthetic repository's records: file versions (kept compactly, compared by identity),
a branch's tree, people, feature and release branches, cherry-pick candidates, counts."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field


class Text:
    __slots__ = ("lines", "mark")

    def __init__(self, lines: array) -> None:
        self.lines = lines  # array('H') of line ids
        self.mark = 0  # fast-import mark once written: later uses (merges, picks) refer to it


class Binary:
    __slots__ = ("kind", "mark", "seed", "size")

    def __init__(self, kind: int, seed: int, size: int) -> None:
        self.kind, self.seed, self.size = kind, seed, size
        self.mark = 0


class Raw:
    __slots__ = ("data", "mark")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.mark = 0


Blob = Text | Binary | Raw


class Tree:
    """A branch's files: path -> version, plus an indexable list for random picks."""

    __slots__ = ("files", "paths", "pos")

    def __init__(
        self,
        files: dict[str, Blob] | None = None,
        paths: list[str] | None = None,
        pos: dict[str, int] | None = None,
    ) -> None:
        self.files = files if files is not None else {}
        self.paths = paths if paths is not None else []
        self.pos = pos if pos is not None else {}

    def copy(self) -> Tree:
        return Tree(dict(self.files), list(self.paths), dict(self.pos))

    def set(self, path: str, blob: Blob | None) -> None:
        if blob is None:
            if path in self.files:
                del self.files[path]
                i = self.pos.pop(path)
                last = self.paths.pop()
                if i < len(self.paths):
                    self.paths[i] = last
                    self.pos[last] = i
            return
        if path not in self.files:
            self.pos[path] = len(self.paths)
            self.paths.append(path)
        self.files[path] = blob


@dataclass
class Person:
    name: str
    email: str
    tz: str

    def line(self, when: int) -> bytes:
        return f"{self.name} <{self.email}> {when} {self.tz}".encode()


@dataclass
class Feature:
    ref: str
    title: str
    author: Person
    login: str
    tree: Tree
    planned: int
    pr: int
    bot: bool = False
    mark: int = 0  # last commit on the branch
    commits: int = 0
    touched: dict[str, bool] = field(default_factory=dict)  # paths changed on the branch
    base: dict[str, Blob | None] = field(default_factory=dict)  # their version at the fork
    main_touched: set[str] = field(default_factory=set)  # paths main changed since the fork


@dataclass
class Release:
    ref: str
    major: int
    minor: int
    tree: Tree
    mark: int
    patch: int = 0
    picks_since_patch: int = 0


@dataclass
class Candidate:
    """A commit on main that only edited existing files: something to cherry-pick."""

    mark: int
    author: Person
    when: int
    subject: str
    edits: list[tuple[str, Blob, Blob]]


@dataclass
class Stats:
    commits: int = 0
    merges: int = 0
    cherry_picks: int = 0
    tags: int = 0
    bot_commits: int = 0
    branches_left: int = 0


class Recorder:
    """A Tree stand-in that remembers each path's version before its first change."""

    def __init__(self, tree: Tree, old: dict[str, Blob | None]) -> None:
        self._tree = tree
        self._old = old
        self.files = tree.files
        self.paths = tree.paths

    def set(self, path: str, blob: Blob | None) -> None:
        if path not in self._old:
            self._old[path] = self._tree.files.get(path)
        self._tree.set(path, blob)


def quote_path(path: str) -> str:
    """A path as fast-import reads it: C-quoted when it starts with a quote or holds a newline."""
    if path.startswith('"') or "\n" in path:
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return path
