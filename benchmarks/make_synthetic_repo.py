"""Build a deterministic synthetic git repository that looks like a real project.

Usage:
    python benchmarks/make_synthetic_repo.py OUT.git --commits N [--seed S]

The history is streamed into ``git fast-import`` through a pipe, so the same arguments
give the same commit hashes on every machine (fixed authors, dates derived from the seed,
all randomness from one seeded ``random.Random`` using only integer draws). Run with
``--help`` for what the history contains.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from array import array
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

DESCRIPTION = """\
Build a bare git repository with a synthetic but realistic history, for benchmarks and
end-to-end checks of `quarterdeck ingest git`.

The same --commits and --seed give byte-identical history (same commit hashes) on every
machine: authors are fixed, dates are derived from the seed, and nothing depends on the
clock, the locale, the user's git config or Python's hash seed.

What the history looks like:
  * an initial import of a few hundred text files in nested folders (20-2,000 lines each),
    growing towards ~3,000 files over 100,000 commits;
  * every commit changes 1-5 files: edits of a few line ranges (insertions, deletions,
    replacements), sometimes adding, deleting or renaming files (renames with and
    without edits), now and then binary files (images, fonts, PDFs), rarely an empty commit;
  * ~40 authors with a skewed distribution (a handful write most commits; some use two
    e-mail addresses), each with their own time zone; committer differs from the
    author for rebased work, cherry-picks and merges made on the forge;
  * feature branches (and dependabot[bot] bump branches) merged back into main with
    merge commits (~20 % of all commits), a few branches left open or abandoned;
  * long-lived release branches (release/X.Y) with a release commit, cherry-picks of
    fixes from main ("cherry picked from commit ...") and patch releases;
  * annotated release tags and a few lightweight tags.

Every commit is reachable from a branch or tag, so `git rev-list --all --count` equals
--commits. File contents are kept in memory compactly (one 2-byte line id per line,
rendered on output) and the fast-import stream is written as it is generated.
Prints one summary line: commits, merges, files, seconds.

fast-import stores every blob whole (no delta search), so the pack is large: about
700 MB for 100,000 commits (about 150 s on 2 cores). Run `git repack -a -d -f` on the result
for a pack like a real clone's (slow).
"""

# --------------------------------------------------------------------------------------
# Fixed vocabulary: nothing below depends on the seed.

AUTHORS: tuple[tuple[str, str, str], ...] = (
    # name, e-mail, time zone
    ("Maya Okafor", "maya.okafor@corp.example", "+0100"),
    ("Daniel Kowalski", "daniel.kowalski@corp.example", "+0100"),
    ("Priya Raman", "priya@corp.example", "+0530"),
    ("Tom Becker", "tom.becker@corp.example", "+0100"),
    ("Lucía Fernández", "lucia.fernandez@corp.example", "+0100"),
    ("Kenji Watanabe", "kenji.watanabe@corp.example", "+0900"),
    ("Sarah O'Connor", "sarah.oconnor@corp.example", "-0500"),
    ("Ahmed Hassan", "ahmed.hassan@corp.example", "+0200"),
    ("Emily Zhang", "emily.zhang@corp.example", "-0800"),
    ("Jonas Lindqvist", "jonas.lindqvist@corp.example", "+0100"),
    ("Olga Petrova", "olga.petrova@corp.example", "+0300"),
    ("Rafael Souza", "rafael.souza@corp.example", "-0300"),
    ("Chloé Martin", "chloe.martin@corp.example", "+0100"),
    ("Wei Chen", "wei.chen@corp.example", "+0800"),
    ("Grace Mensah", "grace.mensah@corp.example", "+0000"),
    ("Noah Fischer", "noah.fischer@corp.example", "+0100"),
    ("Isabella Rossi", "isabella.rossi@corp.example", "+0100"),
    ("Arjun Mehta", "arjun.mehta@corp.example", "+0530"),
    ("Hannah Schmidt", "hannah.schmidt@corp.example", "+0100"),
    ("Mateo García", "mateo.garcia@corp.example", "-0600"),
    ("Fatima Al-Sayed", "fatima.alsayed@corp.example", "+0400"),
    ("Liam Murphy", "liam.murphy@corp.example", "+0000"),
    ("Yuki Tanaka", "yuki.tanaka@corp.example", "+0900"),
    ("Sofia Nowak", "sofia.nowak@corp.example", "+0100"),
    ("Ethan Brooks", "ethan.brooks@corp.example", "-0500"),
    ("Amara Nwosu", "amara.nwosu@corp.example", "+0100"),
    ("Lukas Novák", "lukas.novak@corp.example", "+0100"),
    ("Zoe Williams", "zoe.williams@corp.example", "+1000"),
    ("Omar Farouk", "omar.farouk@corp.example", "+0200"),
    ("Ingrid Hansen", "ingrid.hansen@corp.example", "+0100"),
    ("Diego Ramírez", "diego.ramirez@corp.example", "-0500"),
    ("Mei Lin", "mei.lin@corp.example", "+0800"),
    ("Patrick Dubois", "patrick.dubois@corp.example", "+0100"),
    ("Nadia Ivanova", "nadia.ivanova@corp.example", "+0300"),
    ("Samuel Adeyemi", "samuel.adeyemi@corp.example", "+0100"),
    ("Julia Costa", "julia.costa@corp.example", "+0000"),
    ("Viktor Horváth", "viktor.horvath@corp.example", "+0100"),
    ("Aisha Khan", "aisha.khan@corp.example", "+0500"),
    ("Ben Carter", "ben.carter@corp.example", "-0700"),
    ("Elena Popescu", "elena.popescu@corp.example", "+0200"),
)
#: Zipf-like integer weights: the first few people write most of the commits.
AUTHOR_WEIGHTS: tuple[int, ...] = tuple(2520 // (i + 1) for i in range(len(AUTHORS)))
#: Some people also commit from a personal address (a classic .mailmap case).
ALT_EMAILS: dict[int, str] = {
    1: "dkowalski@users.noreply.github.com",
    4: "lucia.f@gmail.example",
    9: "Jonas.Lindqvist@Corp.Example",
    13: "wei@personal.example",
}
MAINTAINERS = (0, 1, 2, 3)
RELEASE_MANAGERS = (0, 2)
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "+0000")
FORGE = ("GitHub", "noreply@github.com", "+0000")

PROJECT = "tidewater"
# fmt: off
WORDS = (
    "account", "adapter", "alert", "audit", "auth", "batch", "billing", "buffer", "cache",
    "catalog", "channel", "client", "cluster", "config", "context", "cursor", "digest",
    "dispatch", "encoder", "event", "export", "feature", "filter", "gateway", "graph",
    "handler", "health", "index", "invoice", "job", "ledger", "limit", "loader", "lookup",
    "mapper", "metric", "model", "monitor", "notify", "order", "parser", "payment", "pipeline",
    "policy", "pool", "profile", "query", "queue", "quota", "record", "registry", "render",
    "report", "request", "retry", "route", "schema", "scope", "search", "session", "shard",
    "signal", "snapshot", "stream", "task", "tenant", "token", "trace", "user", "vault",
    "webhook", "window", "worker",
)
VERBS = (
    "Add", "Fix", "Refactor", "Update", "Remove", "Improve", "Simplify", "Document", "Test",
    "Handle", "Speed up", "Clean up", "Rename", "Validate", "Log", "Cache", "Support",
)
DEP_PACKAGES = (
    "requests", "urllib3", "certifi", "idna", "charset-normalizer", "pyyaml", "jinja2",
    "markupsafe", "click", "rich", "pydantic", "sqlalchemy", "alembic", "psycopg", "redis",
    "celery", "kombu", "boto3", "botocore", "s3transfer", "fastapi", "starlette", "uvicorn",
    "httpx", "anyio", "sniffio", "attrs", "packaging", "pytest", "coverage", "mypy", "ruff",
    "black", "isort", "numpy", "pandas", "pyarrow", "python-dateutil", "pytz", "tzdata",
    "cryptography", "cffi", "pycparser", "orjson", "structlog", "sentry-sdk", "gunicorn",
    "werkzeug", "flask", "itsdangerous", "marshmallow", "tenacity", "protobuf", "grpcio",
    "six",
)
# fmt: on
#: Line ids: 0 = blank line, 1..DEP_BASE-1 = code-like lines, DEP_BASE.. = "package==version".
DEP_BASE = 60000
DEP_VERSIONS = 100
TEXT_EXTENSIONS = {
    "src": (".py", ".py", ".py", ".pyi"),
    "tests": (".py",),
    "docs": (".md", ".rst"),
    "web": (".ts", ".tsx", ".css", ".js"),
    "config": (".yaml", ".toml", ".json"),
    "scripts": (".sh", ".py"),
}
BINARY_KINDS = (
    (".png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    (".woff2", b"wOF2\x00\x01\x00\x00"),
    (".pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00"),
    (".ico", b"\x00\x00\x01\x00\x01\x00"),
)
#: Files only the release and dependabot steps change.
PROTECTED = frozenset({"requirements.txt", "VERSION", "CHANGELOG.md"})
UNUSUAL_NAMES = (
    "docs/Design Notes.md",
    "docs/überblick-ärchitektur.md",
    "docs/roadmap 2024 (draft).md",
    "web/static/i18n/日本語.json",
    "scripts/-run-local.sh",
)


def build_line_table() -> list[bytes]:
    """The text of every line id; fixed, so the same ids always render the same bytes."""
    rng = random.Random(0x51DE)
    table: list[bytes] = [b"\n"]
    templates = (
        "{i}{a}_{b} = {c}({d}, {n})",
        "{i}if {a}.{b} is None:",
        "{i}return {a}_{b}({c}, limit={n})",
        "{i}# {A} the {b} before the {c} is {d}ed",
        "{i}for {a} in {b}_{c}:",
        "{i}self.{a}_{b} = {c}.get('{d}', {n})",
        "{i}raise {A}Error(f'{b} {c} failed: {{{d}}}')",
        "{i}def {a}_{b}(self, {c}: int = {n}) -> {A}:",
        "{i}logger.debug('{a} %s {b}', {c}_{d})",
        "{i}{a}.append({b}[{n}])",
        "{i}}}",
        "{i}assert {a}_{b} == {n}",
        "{i}const {a}{A} = await {b}.{c}({n});",
    )
    for _ in range(1, DEP_BASE):
        indent = "    " * rng.randrange(4)
        a, b, c, d = (WORDS[rng.randrange(len(WORDS))] for _ in range(4))
        text = templates[rng.randrange(len(templates))].format(
            i=indent, a=a, b=b, c=c, d=d, A=a.capitalize(), n=rng.randrange(1000)
        )
        table.append(text.encode() + b"\n")
    for pkg in range(len(DEP_PACKAGES)):
        for ver in range(DEP_VERSIONS):
            table.append(f"{DEP_PACKAGES[pkg]}=={dep_version(ver)}\n".encode())
    return table


def dep_version(ver: int) -> str:
    return f"{1 + ver // 25}.{(ver // 5) % 5}.{ver % 5}"


def dep_line(pkg: int, ver: int) -> int:
    return DEP_BASE + pkg * DEP_VERSIONS + ver


# --------------------------------------------------------------------------------------
# File contents and trees. Versions are immutable objects compared by identity.


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


# --------------------------------------------------------------------------------------


class Generator:
    """Plays out a project's history and writes it to fast-import as it goes."""

    def __init__(self, out: BinaryIO, proc: subprocess.Popen[bytes], commits: int, seed: int) -> None:
        self.out = out
        self.proc = proc
        self.target = commits
        self.seed = seed
        self.rng = random.Random(seed)
        self.table = build_line_table()
        self.stats = Stats()
        self.mark = 0
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
        return seq[self.rng.randrange(len(seq))]

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
            path = None
            first = len(out)
            if r < add_pct:
                if self.chance(4):
                    kind = self.rng.randrange(len(BINARY_KINDS))
                    path = self.new_path(tree, kind)
                    blob: Blob | None = Binary(kind, self.rng.getrandbits(32), self.rng.randrange(256, 12000))
                else:
                    path = self.new_path(tree)
                    blob = self.new_text()
                out.append((path, blob))
            elif r < add_pct + del_pct:
                path = self.pick_file(tree)
                if path is None or path in done or len(tree.paths) < 30:
                    continue
                out.append((path, None))
            elif r < add_pct + del_pct + 4:
                old = self.pick_file(tree)
                if old is None or old in done:
                    continue
                blob = tree.files[old]
                new = self.rename_target(old)
                if new in tree.files or new in done:
                    continue
                if self.chance(50):
                    blob = self.edit(blob, light=True)
                out.append((old, None))
                out.append((new, blob))
                done.add(old)
                path = new
            else:
                path = self.pick_file(tree)
                if path is None or path in done:
                    continue
                out.append((path, self.edit(tree.files[path])))
            done.add(path)
            for p, b in out[first:]:
                tree.set(p, b)
        return out

    # -- the fast-import stream ------------------------------------------------------------------

    def write_commit(
        self,
        ref: str,
        author: Person,
        author_time: int,
        committer: Person,
        commit_time: int,
        message: str,
        parent: int,
        changes: list[tuple[str, Blob | None]],
        merge: int = 0,
    ) -> int:
        w = self.out.write
        for _path, blob in changes:
            if blob is not None and not blob.mark:
                self.mark += 1
                blob.mark = self.mark
                data = self.render(blob)
                w(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
                w(data)
                w(b"\n")
        self.mark += 1
        msg = message.encode()
        w(
            b"commit %s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n"
            % (ref.encode(), self.mark, author.line(author_time), committer.line(commit_time), len(msg))
        )
        w(msg)
        w(b"\n")
        if parent and self.ref_tip.get(ref) != parent:
            w(b"from :%d\n" % parent)
        if merge:
            w(b"merge :%d\n" % merge)
        for path, blob in changes:
            p = quote_path(path)
            if blob is None:
                w(b"D %s\n" % p)
            else:
                w(b"M 100644 :%d %s\n" % (blob.mark, p))
        w(b"\n")
        self.ref_tip[ref] = self.mark
        self.stats.commits += 1
        return self.mark

    def get_sha(self, mark: int) -> str:
        self.out.write(b"get-mark :%d\n" % mark)
        self.out.flush()
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().decode().strip()

    def tag(self, name: str, mark: int, tagger: Person, message: str) -> None:
        msg = message.encode()
        self.out.write(
            b"tag %s\nfrom :%d\ntagger %s\ndata %d\n%s\n"
            % (name.encode(), mark, tagger.line(self.clock), len(msg), msg)
        )
        self.stats.tags += 1

    def light_tag(self, name: str, mark: int) -> None:
        self.out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), mark))
        self.stats.tags += 1

    # -- events ------------------------------------------------------------------------------------

    def on_main_changed(self, paths: list[str]) -> None:
        for f in self.features:
            f.main_touched.update(paths)

    def initial_commit(self) -> None:
        self.setup_dirs()
        tree = self.main
        files: list[tuple[str, Blob | None]] = []

        def add(path: str, blob: Blob) -> None:
            tree.set(path, blob)
            files.append((path, blob))

        add("README.md", self.new_text())
        add("LICENSE", Raw(b"Apache License\nVersion 2.0, January 2004\n" + b"Licensed terms.\n" * 180))
        add("VERSION", Raw(b"0.1.0\n"))
        add("CHANGELOG.md", Raw(b"# Changelog\n\n"))
        deps = sorted({self.rng.randrange(len(DEP_PACKAGES)) for _ in range(30)})
        reqs = array("H", [dep_line(p, self.rng.randrange(DEP_VERSIONS // 2)) for p in deps])
        add("requirements.txt", Text(reqs))
        for name in UNUSUAL_NAMES:
            add(name, Text(self.new_lines(self.rng.randrange(20, 80))))
        while len(tree.paths) < self.target_files():
            if self.chance(3):
                kind = self.rng.randrange(len(BINARY_KINDS))
                add(
                    self.new_path(tree, kind),
                    Binary(kind, self.rng.getrandbits(32), self.rng.randrange(256, 12000)),
                )
            else:
                add(self.new_path(tree), self.new_text())
        who = self.person(0)
        when = self.clock
        self.main_mark = self.write_commit("refs/heads/main", who, when, who, when, "Initial import\n", 0, files)

    def direct_commit(self) -> None:
        idx, who = self.author()
        if self.chance(70) and idx > 6:
            idx, who = self.author()  # direct pushes to main come mostly from the core team
        old_versions: dict[str, Blob | None] = {}
        if self.chance(0.5):
            changes: list[tuple[str, Blob | None]] = []
            subject = "Trigger CI"
        else:
            changes = self.changes_tracking(self.main, old_versions)
            subject = self.subject()
        when = self.tick()
        committer, ctime = who, when
        if self.chance(10):
            committer = self.person(self.pick(MAINTAINERS))
        msg = self.message(subject)
        self.main_mark = self.write_commit("refs/heads/main", who, when, committer, ctime, msg, self.main_mark, changes)
        self.on_main_changed([p for p, _ in changes])
        if changes and all(b is not None and p in old_versions and old_versions[p] is not None for p, b in changes):
            self.candidates.append(
                Candidate(self.main_mark, who, when, subject, [(p, old_versions[p], b) for p, b in changes])
            )

    def changes_tracking(self, tree: Tree, old: dict[str, Blob | None]) -> list[tuple[str, Blob | None]]:
        """Like :meth:`changes`, also recording each path's version before the commit."""
        snapshot = _Recorder(tree, old)
        return self.changes(snapshot)  # type: ignore[arg-type]

    def start_feature(self) -> None:
        self.pr_number += 1
        if self.chance(8):
            f = Feature("", "", Person(*BOT), "dependabot", self.main.copy(), 1, self.pr_number, bot=True)
        else:
            idx, who = self.author()
            slug = f"{self.word()}-{self.word()}"
            login = AUTHORS[idx][1].split("@")[0].split(".")[0]
            prefix = self.pick((f"{login}/", "feature/", "fix/", f"{login}/", "chore/"))
            planned = self.pick((1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8))
            f = Feature(
                f"refs/heads/{prefix}{slug}-{self.pr_number}",
                self.subject(),
                who,
                login,
                self.main.copy(),
                planned,
                self.pr_number,
            )
        f.mark = self.main_mark
        self.features.append(f)

    def feature_commit(self, f: Feature) -> None:
        when = self.tick()
        if f.bot:
            changes = self.bump_dependency(f)
            subject = f.title
            author = committer = f.author
            committer = Person(*FORGE)
            self.stats.bot_commits += 1
        else:
            old: dict[str, Blob | None] = {}
            changes = self.changes_tracking(f.tree, old)
            for p in old:
                if p not in f.touched:
                    f.touched[p] = True
                    f.base[p] = old[p]
            subject = f.title if f.commits == 0 else self.subject()
            author = committer = f.author
        author_time = when
        if not f.bot and self.chance(15):
            author_time = when - self.rng.randrange(600, 3 * 86400)  # rebased later
        f.mark = self.write_commit(f.ref, author, author_time, committer, when, self.message(subject), f.mark, changes)
        f.commits += 1

    def bump_dependency(self, f: Feature) -> list[tuple[str, Blob | None]]:
        path = "requirements.txt"
        blob = f.tree.files[path]
        assert isinstance(blob, Text)
        lines = array("H", blob.lines)
        i = self.rng.randrange(len(lines))
        cur = lines[i] - DEP_BASE
        pkg, ver = divmod(cur, DEP_VERSIONS)
        new = min(DEP_VERSIONS - 1, ver + self.rng.randrange(1, 4))
        if new == ver:
            new = max(0, ver - 1)
        lines[i] = dep_line(pkg, new)
        f.title = f"Bump {DEP_PACKAGES[pkg]} from {dep_version(ver)} to {dep_version(new)}"
        f.ref = f"refs/heads/dependabot/pip/{DEP_PACKAGES[pkg]}-{dep_version(new)}-{f.pr}"
        version = Text(lines)
        f.touched[path] = True
        f.base.setdefault(path, blob)
        f.tree.set(path, version)
        return [(path, version)]

    def merge_feature(self, f: Feature) -> None:
        self.features.remove(f)
        changes: list[tuple[str, Blob | None]] = []
        for p in f.touched:
            fv = f.tree.files.get(p)
            mv = self.main.files.get(p)
            if fv is mv:
                continue
            if p in f.main_touched and mv is not f.base.get(p):
                continue  # both sides changed it: the conflict was resolved in favour of main
            changes.append((p, fv))
        for p, b in changes:
            self.main.set(p, b)
        when = self.tick()
        merger = self.person(self.pick(MAINTAINERS))
        if self.chance(80):
            subject = f"Merge pull request #{f.pr} from {PROJECT}/{f.ref.split('/', 2)[2]}"
            msg = f"{subject}\n\n{f.title}\n"
            committer = Person(*FORGE)
        else:
            msg = f"Merge branch '{f.ref.split('/', 2)[2]}'\n"
            committer = merger
        self.main_mark = self.write_commit(
            "refs/heads/main", merger, when, committer, when, msg, self.main_mark, changes, merge=f.mark
        )
        self.out.write(b"reset %s\n\n" % f.ref.encode())  # the branch is deleted after merging
        self.stats.merges += 1
        self.on_main_changed([p for p, _ in changes])

    def abandon_feature(self, f: Feature) -> None:
        self.features.remove(f)  # its ref stays: a stale branch nobody merged
        self.stats.branches_left += 1

    def create_release(self) -> None:
        self.release_minor += 1
        major, minor = 1 + self.release_minor // 10, self.release_minor % 10
        name = f"{major}.{minor}"
        tree = self.main.copy()
        rm = self.person(self.pick(RELEASE_MANAGERS))
        self.light_tag(f"v{name}.0-branchpoint", self.main_mark)
        rel = Release(f"refs/heads/release/{name}", major, minor, tree, self.main_mark)
        self.releases.append(rel)
        self.release_commit(rel, rm)

    def release_commit(self, rel: Release, rm: Person) -> None:
        version = f"{rel.major}.{rel.minor}.{rel.patch}"
        changes: list[tuple[str, Blob | None]] = [("VERSION", Raw(f"{version}\n".encode()))]
        log = rel.tree.files["CHANGELOG.md"]
        assert isinstance(log, Raw)
        entry = f"## {version}\n\n- {self.subject()}\n- {self.subject()}\n\n".encode()
        changes.append(("CHANGELOG.md", Raw(log.data[:13] + entry + log.data[13:])))
        for p, b in changes:
            rel.tree.set(p, b)
        when = self.tick()
        rel.mark = self.write_commit(rel.ref, rm, when, rm, when, f"Release {version}\n", rel.mark, changes)
        self.tag(f"v{version}", rel.mark, rm, f"Release {version}\n")
        rel.picks_since_patch = 0

    def cherry_pick(self) -> bool:
        live = self.releases[-2:]
        if not live or not self.candidates:
            return False
        rel = self.pick(live)
        for _ in range(8):
            c = self.pick(self.candidates)
            if all(rel.tree.files.get(p) is old for p, old, _new in c.edits):
                break
        else:
            return False
        self.candidates.remove(c)
        changes: list[tuple[str, Blob | None]] = [(p, new) for p, _old, new in c.edits]
        for p, b in changes:
            rel.tree.set(p, b)
        sha = self.get_sha(c.mark)
        when = self.tick()
        rm = self.person(self.pick(RELEASE_MANAGERS))
        msg = f"{c.subject}\n\n(cherry picked from commit {sha})\n"
        rel.mark = self.write_commit(rel.ref, c.author, c.when, rm, when, msg, rel.mark, changes)
        self.stats.cherry_picks += 1
        rel.picks_since_patch += 1
        if rel.picks_since_patch >= 3 and self.chance(30) and self.stats.commits < self.target:
            rel.patch += 1
            self.release_commit(rel, rm)
        return True

    def _release_points(self) -> list[int]:
        n = self.target
        count = min(8, 2 + n // 25000)
        return [n * (20 + 65 * i // max(1, count - 1)) // 100 for i in range(count)]

    # -- the main loop ----------------------------------------------------------------------------

    def run(self) -> Stats:
        self.initial_commit()
        halfway = False
        while self.stats.commits < self.target:
            if self.release_points and self.stats.commits >= self.release_points[0] and len(self.main.paths) > 0:
                self.release_points.pop(0)
                self.create_release()
                continue
            want = 3 + (self.stats.commits // 7) % 5
            if len(self.features) < want and self.chance(45):
                self.start_feature()
            r = self.rng.randrange(100)
            ready = [f for f in self.features if f.commits >= f.planned]
            working = [f for f in self.features if f.commits < f.planned]
            if r < 5 and self.cherry_pick():
                continue
            if r < 22 or not self.features:
                self.direct_commit()
            elif r < 76 and working:
                self.feature_commit(self.pick(working))
            elif ready:
                f = self.pick(ready)
                if not f.bot and self.chance(2):
                    self.abandon_feature(f)
                    continue
                self.merge_feature(f)
            elif working:
                self.feature_commit(self.pick(working))
            else:
                self.direct_commit()
            if not halfway and self.stats.commits >= self.target // 2:
                halfway = True
                self.light_tag("halfway", self.main_mark)
        self.stats.branches_left += len(self.features)
        self.out.write(b"done\n")
        return self.stats


class _Recorder:
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


def quote_path(path: str) -> bytes:
    raw = path.encode()
    if raw.startswith(b'"') or b"\n" in raw:
        return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n") + b'"'
    return raw


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    return env


def build(out_dir: Path, commits: int, seed: int, force: bool = False) -> tuple[Stats, int, float]:
    """Create ``out_dir`` as a bare repository with ``commits`` commits; returns stats."""
    started = time.perf_counter()
    if out_dir.exists():
        if not force and any(out_dir.iterdir()):
            raise SystemExit(f"{out_dir} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out_dir)
    env = git_env()
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(out_dir)], check=True, env=env)
    proc = subprocess.Popen(
        ["git", "-C", str(out_dir), "fast-import", "--quiet", "--done", "--active-branches=64"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        bufsize=1 << 20,
    )
    assert proc.stdin is not None
    try:
        stats = Generator(proc.stdin, proc, commits, seed).run()
        proc.stdin.close()
    except BrokenPipeError:
        proc.wait()
        raise SystemExit("git fast-import stopped early (see its message above)") from None
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import failed with exit code {proc.returncode}")
    files = subprocess.run(
        ["git", "-C", str(out_dir), "ls-tree", "-r", "--name-only", "-z", "main"],
        check=True,
        capture_output=True,
        env=env,
    ).stdout.count(b"\0")
    return stats, files, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make_synthetic_repo.py",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, metavar="OUT.git", help="bare repository to create (must not exist)")
    parser.add_argument("--commits", type=int, required=True, metavar="N", help="number of commits (>= 10)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the history (default 1)")
    parser.add_argument("--force", action="store_true", help="replace OUT.git if it exists")
    args = parser.parse_args(argv)
    if args.commits < 10:
        parser.error("--commits must be at least 10")
    if args.seed < 0:
        parser.error("--seed must be >= 0")
    stats, files, seconds = build(args.out, args.commits, args.seed, args.force)
    print(
        f"{args.out}: {stats.commits} commits ({stats.merges} merges, {stats.cherry_picks} cherry-picks, "
        f"{stats.bot_commits} by dependabot), {files} files at main, {stats.tags} tags, "
        f"{stats.branches_left} open branches, seed {args.seed}, {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
