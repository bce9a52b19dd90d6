"""The synthetic repository's contents as they change: the random helpers (integer draws on
one ``random.Random``), file texts and their edits, binary files, folders and file names,
and the 1-5 file changes of a commit. The draws happen in a fixed order: the same seed gives
the same commits (tests/test_synthetic_repo.py pins a head commit id)."""

from __future__ import annotations

import random
import subprocess
from array import array
from collections import deque

from quarterdeck.simulation.git_writer import StreamWriter
from quarterdeck.simulation.rng import pick
from quarterdeck.simulation.synthetic_repo_model import (
    Binary,
    Blob,
    Candidate,
    Feature,
    Person,
    Raw,
    Release,
    Stats,
    Text,
    Tree,
)  # fmt: skip
from quarterdeck.simulation.synthetic_repo_vocab import (
    ALT_EMAILS,
    AUTHOR_WEIGHTS,
    AUTHORS,
    BINARY_KINDS,
    DEP_BASE,
    PROJECT,
    PROTECTED,
    TEXT_EXTENSIONS,
    VERBS,
    WORDS,
    build_line_table,
)  # fmt: skip


class SyntheticContent:
    """The state of the history being played, and how files and their changes are made."""

    def __init__(self, writer: StreamWriter, proc: subprocess.Popen[bytes], commits: int, seed: int) -> None:
        self.writer = writer
        self.proc = proc  # fast-import, to ask for commit ids (``get-mark``)
        self.target = commits
        self.seed = seed
        self.rng = random.Random(seed)
        self.table = build_line_table()
        self.stats = Stats()
        self.ref_tip: dict[str, int] = {}  # what fast-import thinks each ref points at
        self.clock = 1325376000 + (seed % 1000) * 86400 + (seed * 7919) % 86400  # 2012 + seed days
        self.main = Tree()
        self.main_mark = 0
        self.features: list[Feature] = []
        self.releases: list[Release] = []
        self.candidates: deque[Candidate] = deque(maxlen=24)
        self.pr_number = 0
        self.dirs: list[str] = []
        self.dir_kind: dict[str, str] = {}
        self.names_used = 0
        self.release_minor = 0
        self.release_points = self._release_points()
        self.total_weight = sum(AUTHOR_WEIGHTS)

    # -- random helpers (integer draws only: identical on every platform) -----------------

    def chance(self, percent: float) -> bool:
        return self.rng.randrange(10000) < int(percent * 100)

    def pick(self, seq):  # type: ignore[no-untyped-def]
        return pick(self.rng, seq)

    def person(self, index: int) -> Person:
        name, email, tz = AUTHORS[index]
        if index in ALT_EMAILS and self.chance(20):
            email = ALT_EMAILS[index]
        return Person(name, email, tz)

    def author(self) -> tuple[int, Person]:
        r = self.rng.randrange(self.total_weight)
        for i, w in enumerate(AUTHOR_WEIGHTS):
            if r < w:
                return i, self.person(i)
            r -= w
        return 0, self.person(0)

    def tick(self) -> int:
        """Advance the clock by a skewed gap (minutes to days) and return it."""
        gap = self.rng.randrange(60, 1800) * self.pick((1, 1, 1, 1, 1, 2, 2, 3, 4, 8))
        self.clock += gap
        return self.clock

    def word(self) -> str:
        return self.pick(WORDS)

    def subject(self) -> str:
        return f"{self.pick(VERBS)} {self.word()} {self.pick(('in', 'for', 'of', 'to'))} {self.word()}"

    def message(self, subject: str) -> str:
        if self.chance(40):
            body = " ".join(self.word() for _ in range(self.rng.randrange(5, 25)))
            return f"{subject}\n\n{body.capitalize()}.\n"
        return subject + "\n"

    # -- contents --------------------------------------------------------------------------

    def random_size(self) -> int:
        lo, hi = self.pick(
            ((20, 60),) * 35 + ((60, 150),) * 33 + ((150, 400),) * 20 + ((400, 1000),) * 9 + ((1000, 2000),) * 3
        )
        return self.rng.randrange(lo, hi + 1)

    def new_lines(self, n: int) -> array:
        rr = self.rng.randrange
        return array("H", [0 if rr(10) == 0 else rr(2, DEP_BASE) for _ in range(n)])

    def new_text(self) -> Text:
        return Text(self.new_lines(self.random_size()))

    def hunk_size(self) -> int:
        return self.pick((1, 1, 1, 2, 2, 3, 4, 5, 8, 12, 20, 40))

    def edit(self, blob: Blob, light: bool = False) -> Blob:
        """A new version of ``blob``: a few line ranges inserted, deleted or replaced."""
        if isinstance(blob, Binary):
            return Binary(blob.kind, self.rng.getrandbits(32), max(64, blob.size + self.rng.randrange(-512, 513)))
        if isinstance(blob, Raw):
            return Raw(blob.data + f"# {self.word()}\n".encode())
        lines = array("H", blob.lines)
        hunks = 1 if light else self.pick((1, 1, 1, 2, 2, 3, 4))
        for _ in range(hunks):
            n = len(lines)
            r = self.rng.randrange(100)
            if n < 25:
                r = 0
            elif n > 2000:
                r = 99
            pos = self.rng.randrange(n + 1)
            if r < 35:  # insert
                lines[pos:pos] = self.new_lines(self.hunk_size())
            elif r < 55:  # delete
                k = min(self.hunk_size(), n - pos)
                del lines[pos : pos + k]
            else:  # replace
                k = min(self.hunk_size(), n - pos)
                lines[pos : pos + k] = self.new_lines(max(1, k + self.rng.randrange(-1, 3)))
        return Text(lines)

    def render(self, blob: Blob) -> bytes:
        if isinstance(blob, Text):
            return b"".join(map(self.table.__getitem__, blob.lines))
        if isinstance(blob, Raw):
            return blob.data
        rr = random.Random(blob.seed)
        magic = BINARY_KINDS[blob.kind][1]
        noise = rr.randbytes(min(blob.size // 3, 4096))
        return magic + noise + bytes(blob.size - len(noise)) + rr.randbytes(16)

    # -- paths ------------------------------------------------------------------------------

    def setup_dirs(self) -> None:
        base = {
            f"src/{PROJECT}": "src",
            f"src/{PROJECT}/core": "src",
            f"src/{PROJECT}/api": "src",
            f"src/{PROJECT}/storage": "src",
            f"src/{PROJECT}/jobs": "src",
            "tests/unit": "tests",
            "tests/integration": "tests",
            "docs": "docs",
            "docs/guides": "docs",
            "web/src/components": "web",
            "web/src/pages": "web",
            "web/static/css": "web",
            "config": "config",
            "scripts": "scripts",
        }
        for d, kind in base.items():
            self.dirs.append(d)
            self.dir_kind[d] = kind

    def new_dir(self, parent: str | None = None) -> str:
        parent = parent or self.pick(self.dirs)
        if parent.count("/") >= 5:
            return parent
        d = f"{parent}/{self.word()}"
        if d not in self.dir_kind:
            self.dirs.append(d)
            self.dir_kind[d] = self.dir_kind[parent]
        return d

    def new_path(self, tree: Tree, binary: int | None = None) -> str:
        for attempt in range(100):
            if binary is not None:
                ext = BINARY_KINDS[binary][0]
                d = self.pick(("web/static/img", "web/static/fonts", "docs/assets", "web/static/img/icons"))
            else:
                d = self.new_dir() if self.chance(8) else self.pick(self.dirs)
                ext = self.pick(TEXT_EXTENSIONS[self.dir_kind[d]])
            stem = self.word() if attempt < 3 else f"{self.word()}_{self.word()}"
            if self.chance(40):
                stem = f"{stem}_{self.word()}"
            path = f"{d}/{stem}{ext}"
            if path not in tree.files:
                return path
        self.names_used += 1
        return f"{self.pick(self.dirs)}/generated_{self.names_used}.py"

    def rename_target(self, old: str) -> str:
        """A new name in the same folder, or the same name in another folder of its kind."""
        folder, name = old.rsplit("/", 1) if "/" in old else ("", old)
        stem, dot, ext = name.rpartition(".")
        if self.chance(50) or folder not in self.dir_kind:
            new_name = f"{self.word()}_{stem}.{ext}" if self.chance(50) else f"{self.word()}.{ext}"
            if not dot:
                new_name = f"{name}_{self.word()}"
            return f"{folder}/{new_name}" if folder else new_name
        kind = self.dir_kind[folder]
        for _ in range(5):
            d = self.pick(self.dirs)
            if self.dir_kind[d] == kind and d != folder:
                return f"{d}/{name}"
        same = [d for d in self.dirs if self.dir_kind[d] == kind and d != folder]
        return f"{self.pick(same)}/{name}" if same else f"{folder}/{self.word()}_{name}"

    def pick_file(self, tree: Tree, text_only: bool = False) -> str | None:
        n = len(tree.paths)
        if n == 0:
            return None
        for _ in range(8):
            # skewed towards files added early: a few hot spots get most of the churn
            i = min(self.rng.randrange(n), self.rng.randrange(n)) if self.chance(60) else self.rng.randrange(n)
            path = tree.paths[i]
            blob = tree.files[path]
            if path in PROTECTED:
                continue
            if not text_only or isinstance(blob, Text):
                return path
        return None

    def target_files(self) -> int:
        return min(3000, 250 + self.stats.commits // 30)

    # -- changes ------------------------------------------------------------------------------

    def changes(self, tree: Tree) -> list[tuple[str, Blob | None]]:
        """1-5 file changes applied to ``tree``; returns them as (path, version or None)."""
        out: list[tuple[str, Blob | None]] = []
        done: set[str] = set()
        count = self.pick((1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5))
        ratio = len(tree.paths) * 100 // self.target_files()
        add_pct = 12 if ratio < 100 else 4
        del_pct = 6 if ratio > 100 else 2
        for _ in range(count):
            r = self.rng.randrange(10000) / 100
            if r < add_pct:
                made = [self.new_binary(tree) if self.chance(4) else (self.new_path(tree), self.new_text())]
            elif r < add_pct + del_pct:
                made = self._deletion(tree, done)
            elif r < add_pct + del_pct + 4:
                made = self._rename(tree, done)
            else:
                made = self._edit(tree, done)
            out += made
            for p, b in made:
                done.add(p)
                tree.set(p, b)
        return out

    def new_binary(self, tree: Tree) -> tuple[str, Blob]:
        """A new binary file (image, font, PDF, icon) and its path."""
        kind = self.rng.randrange(len(BINARY_KINDS))
        path = self.new_path(tree, kind)
        return path, Binary(kind, self.rng.getrandbits(32), self.rng.randrange(256, 12000))

    def _deletion(self, tree: Tree, done: set[str]) -> list[tuple[str, Blob | None]]:
        path = self.pick_file(tree)
        if path is None or path in done or len(tree.paths) < 30:
            return []
        return [(path, None)]

    def _rename(self, tree: Tree, done: set[str]) -> list[tuple[str, Blob | None]]:
        """A file moved (half the time lightly edited too): its old path gone, its new one."""
        old = self.pick_file(tree)
        if old is None or old in done:
            return []
        blob = tree.files[old]
        new = self.rename_target(old)
        if new in tree.files or new in done:
            return []
        if self.chance(50):
            blob = self.edit(blob, light=True)
        return [(old, None), (new, blob)]

    def _edit(self, tree: Tree, done: set[str]) -> list[tuple[str, Blob | None]]:
        path = self.pick_file(tree)
        if path is None or path in done:
            return []
        return [(path, self.edit(tree.files[path]))]

    def _release_points(self) -> list[int]:
        n = self.target
        count = min(8, 2 + n // 25000)
        return [n * (20 + 65 * i // max(1, count - 1)) // 100 for i in range(count)]
