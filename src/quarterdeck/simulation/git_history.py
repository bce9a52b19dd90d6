"""Which files and lines each planned commit changes, and what git will report for it.

The default branch and every open pull-request branch are trees (path -> file version, a
version being its tuple of lines). A commit changes 1-5 files chosen by their hotspot
weight (``code_tree.Heat``), splitting the Change's size between them: one or two hunks
per file, each replacing some lines with new ones (code grows: small files get about two
thirds of a change's lines added, files over 80 lines a third, and none grows past 200:
small blobs keep ``git fast-import`` fast). Now and then a commit adds a file (often with
its test), deletes a cold source file, or moves source files in a refactoring.

Landing a branch (a merge commit or a squash) gives the default branch's tree with the
branch's version of every file the branch touched. Where both sides changed the same
thing git would either merge or ask, and the simulation resolves it like this: a file
the branch edited that the default branch moved since is edited at its new path; one the
default branch deleted stays deleted; a file the branch moved is moved with the default
branch's current contents (so the move stays an exact rename).

The truth of each commit (``FileLines``) is computed from the contents, as ``git log
--numstat -M`` reports it against the first parent: since no line repeats within a file
and new lines are always new (``code_tree.LineMaker``), git's diff of two versions of a
file is exactly the lines one has and the other lacks. Renames are exact (moved files are
never edited in the same commit, nor again on the same branch), so git always detects
them, at 100 % similarity, and reports them under the new path with 0 lines added and 0
deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quarterdeck.simulation.code_tree import Heat, Layout, LineMaker
from quarterdeck.simulation.history import FileLines
from quarterdeck.simulation.rng import Rng

Version = tuple[bytes, ...]
#: One fast-import file command: ("M", path, contents), ("D", path) or ("R", old, new).
FileOp = tuple
CODEOWNERS_PATH = ".github/CODEOWNERS"
MAX_FILE_LINES = 200  # files stop growing here (keeps blobs small: speed)
BALANCE_LINES = 80  # edits add more than they delete below this size, fewer above
MOVE_SHARE = 0.008  # commits that move files (a refactoring)
FILES_PER_COMMIT = (1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5)


@dataclass
class Branch:
    """An open pull-request branch: its tree, tip and what it did to which file."""

    ref: str
    tree: dict[str, Version]
    tip: int  # fast-import mark of its last commit
    touched: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> ("A"|"M"|"D"|"R", new path)
    locked: set[str] = field(default_factory=set)  # moved here: not touched again on the branch
    added: list[str] = field(default_factory=list)


@dataclass
class Commit:
    ops: list[FileOp]
    truth: list[FileLines]

    def sorted_truth(self) -> tuple[FileLines, ...]:
        return tuple(sorted(self.truth, key=lambda f: f.path))


class RepositoryHistory:
    """The evolving files of one repository, and the changes commits make to them."""

    def __init__(self, rng: Rng, name: str, language: str):
        self.rng = rng.child("edits")
        self.language = language
        self.layout = Layout(rng.child("layout"), name, language)
        self.lines = LineMaker(rng.child("lines"), language, self.layout.slug)
        self.heat = Heat(rng.child("heat"), language)
        self.main: dict[str, Version] = {}
        self.moved: dict[str, str] = {}  # old path -> new path, for moves on the default branch
        self.frozen: frozenset[str] = frozenset()

    # -- the first commit ------------------------------------------------------------------

    def initial_commit(self, codeowners: str | None) -> Commit:
        paths = self.layout.skeleton()
        for _ in range(self.rng.integer(12, 45)):
            paths.extend(self.layout.new_module())
        self.heat.assign_ranks(paths)
        commit = Commit([], [])
        for path in paths:
            size = max(6, min(int(self.rng.lognormal(35, 0.7)), 200))
            self._add(self.main, path, self.lines.lines(path, size), commit)
        if codeowners is not None:
            content = tuple(codeowners.encode().splitlines(keepends=True))
            self.main[CODEOWNERS_PATH] = content
            self.frozen = frozenset({CODEOWNERS_PATH})
            commit.ops.append(("M", CODEOWNERS_PATH, b"".join(content)))
            commit.truth.append(FileLines(CODEOWNERS_PATH, len(content), 0))
        self.heat.invalidate()
        return commit

    # -- commits ---------------------------------------------------------------------------

    def commit_on_main(self, size: int) -> Commit:
        return self._change(self.main, None, size)

    def commit_on_branch(self, branch: Branch, size: int) -> Commit:
        return self._change(branch.tree, branch, size)

    def _change(self, tree: dict[str, Version], branch: Branch | None, size: int) -> Commit:
        if self.heat.stale:
            self.heat.rebuild(self.main, self.frozen)
        commit = Commit([], [])
        count = len(self.main)
        moving = MOVE_SHARE
        adding = moving + 0.05 * max(0.15, 1 - count / 400)  # fewer new files as the tree grows
        deleting = adding + 0.004 + 0.012 * min(count / 300, 1)
        roll = self.rng.random()
        if roll < moving and count > 10:
            self._move_files(tree, branch, commit)
            if self.rng.chance(0.5):
                self._edit_files(tree, branch, size, 1, commit)
        elif roll < adding:
            self._add_files(tree, branch, size, commit)
        elif roll < deleting and count > 15:
            self._delete_file(tree, branch, commit)
            if self.rng.chance(0.5) or not commit.ops:
                self._edit_files(tree, branch, size, 1, commit)
        else:
            self._edit_files(tree, branch, size, self.rng.choice(FILES_PER_COMMIT), commit)
        if not commit.ops:  # nothing could be chosen (a tiny tree): add a file instead
            self._add_files(tree, branch, size, commit)
        return commit

    def _choose(self, tree: dict[str, Version], branch: Branch | None, taken: set[str], cold: bool = False):
        """A file of ``tree`` to change, by hotspot weight (or a cold one to delete)."""
        for _ in range(8):
            if branch is not None and branch.added and not cold and self.rng.chance(0.3):
                path = self.rng.choice(branch.added)
            else:
                path = self.heat.pick_cold() if cold else self.heat.pick()
            if path is None or path in taken or path not in tree or (cold and not self.heat.is_code(path)):
                continue
            if branch is not None and (path in branch.locked or (cold and path in branch.touched)):
                continue
            return path
        return None

    def _edit_files(self, tree, branch: Branch | None, size: int, files: int, commit: Commit) -> None:
        taken = {op[-1] if op[0] == "R" else op[1] for op in commit.ops}
        chosen = []
        for _ in range(max(1, min(files, size))):
            path = self._choose(tree, branch, taken)
            if path is not None:
                taken.add(path)
                chosen.append(path)
        for path, share in zip(chosen, self._split(size, len(chosen)), strict=True):
            old = tree[path]
            new, added, deleted = self._edit(old, path, share)
            tree[path] = new
            commit.ops.append(("M", path, b"".join(new)))
            commit.truth.append(FileLines(path, added, deleted))
            if branch is not None and path not in branch.touched:
                branch.touched[path] = ("M", path)

    def _split(self, size: int, parts: int) -> list[int]:
        if parts <= 1:
            return [size] * parts
        cuts = sorted(self.rng.integer(1, size - 1) for _ in range(parts - 1)) if size > parts else []
        if not cuts:
            return [1] * (parts - 1) + [max(1, size - parts + 1)]
        bounds = [0, *cuts, size]
        return [max(1, bounds[i + 1] - bounds[i]) for i in range(parts)]

    def _edit(self, old: Version, path: str, size: int) -> tuple[Version, int, int]:
        """Replace some lines with new ones, in one or two hunks: (new version, added, deleted)."""
        count = len(old)
        grow = self.rng.uniform(0.2, 0.4) + 0.3 * max(0.0, 1 - count / BALANCE_LINES) + 0.2 * (count < BALANCE_LINES)
        added = round(size * grow)
        deleted = min(size - added, count - 1)
        added = max(0, min(added, MAX_FILE_LINES - (count - deleted)))
        if added + deleted == 0:
            added = 1
        if added + deleted >= 6 and count - deleted >= 2 and self.rng.chance(0.4):
            a1, d1 = added // 2, deleted // 2
            hunks = [(a1, d1), (added - a1, deleted - d1)]
        else:
            hunks = [(added, deleted)]
        fresh = tuple(self.lines.lines(path, added))
        new, cursor, used = (), 0, 0
        for index, (add, delete) in enumerate(hunks):
            room = count - cursor - sum(d for _, d in hunks[index:])
            start = cursor + self.rng.integer(0, max(room, 0))
            new += old[cursor:start] + fresh[used : used + add]
            used += add
            cursor = start + delete
        return new + old[cursor:], added, deleted

    def _add(self, tree, path: str, lines: list[bytes], commit: Commit) -> None:
        version = tuple(lines)
        tree[path] = version
        commit.ops.append(("M", path, b"".join(version)))
        commit.truth.append(FileLines(path, len(version), 0))

    def _add_files(self, tree, branch: Branch | None, size: int, commit: Commit) -> None:
        paths = [self.layout.new_doc()] if self.rng.chance(0.1) else self.layout.new_module()
        for path, share in zip(paths, self._split(max(size, 5 * len(paths)), len(paths)), strict=True):
            self.heat.add(path, len(self.main))
            self._add(tree, path, self.lines.lines(path, max(5, min(share, 200))), commit)
            if branch is not None:
                branch.touched[path] = ("A", path)
                branch.added.append(path)
        if branch is None:
            self.heat.invalidate()

    def _delete_file(self, tree, branch: Branch | None, commit: Commit) -> None:
        path = self._choose(tree, branch, set(), cold=True)
        if path is None:
            return
        commit.ops.append(("D", path))
        commit.truth.append(FileLines(path, 0, len(tree.pop(path))))
        if branch is None:
            self.heat.invalidate()
        else:
            branch.touched[path] = ("D", path)

    def _move_files(self, tree, branch: Branch | None, commit: Commit) -> None:
        taken: set[str] = set()
        for _ in range(self.rng.integer(1, 2)):
            path = self._movable(tree, branch, taken)
            if path is None:
                continue
            target = self.layout.moved(path)
            taken.update((path, target))
            tree[target] = tree.pop(path)
            self.heat.move(path, target)
            commit.ops.append(("R", path, target))
            commit.truth.append(FileLines(target, 0, 0))
            if branch is None:
                self.moved[path] = target
                self.heat.invalidate()
            else:
                branch.touched[path] = ("R", target)
                branch.locked.add(target)

    def _movable(self, tree, branch: Branch | None, taken: set[str]) -> str | None:
        for _ in range(8):
            path = self.heat.pick_any()
            if path is None or path in taken or path not in tree or not self.heat.is_code(path):
                continue
            if branch is not None and path in branch.touched:
                continue  # only files the branch has not changed yet
            return path
        return None

    # -- branches --------------------------------------------------------------------------

    def fork(self, ref: str, tip: int) -> Branch:
        return Branch(ref, dict(self.main), tip)

    def _current(self, path: str) -> str | None:
        """Where ``path`` is on the default branch now (after its moves), or None if gone."""
        seen = 0
        while path not in self.main and path in self.moved and seen < 1000:
            path, seen = self.moved[path], seen + 1
        return path if path in self.main else None

    def land(self, branch: Branch) -> Commit:
        """The default branch with the branch's changes: the tree of a merge or a squash."""
        commit = Commit([], [])
        for path, (kind, target) in branch.touched.items():
            if kind == "A":
                if path in branch.tree:
                    self._put(path, branch.tree[path], commit)
                continue
            current = self._current(path)
            if current is None:
                continue  # the default branch deleted it meanwhile: it stays deleted
            if kind == "M":
                if path in branch.tree:
                    self._put(current, branch.tree[path], commit)
            elif kind == "D":
                commit.ops.append(("D", current))
                commit.truth.append(FileLines(current, 0, len(self.main.pop(current))))
            else:
                self.main[target] = self.main.pop(current)
                self.moved[current] = target
                self.heat.move(current, target)
                commit.ops.append(("R", current, target))
                commit.truth.append(FileLines(target, 0, 0))
        if any(op[0] != "M" or op[1] in branch.added for op in commit.ops):
            self.heat.invalidate()  # the set of files changed
        return commit

    def _put(self, path: str, version: Version, commit: Commit) -> None:
        old = self.main.get(path)
        if old == version:
            return
        self.main[path] = version
        commit.ops.append(("M", path, b"".join(version)))
        if old is None:
            commit.truth.append(FileLines(path, len(version), 0))
        else:
            common = len(set(old).intersection(version))
            commit.truth.append(FileLines(path, len(version) - common, len(old) - common))
