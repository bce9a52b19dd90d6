"""Property: for every commit, the rows Quarterdeck stores are what ``git log --numstat -M``
prints for it.

Hypothesis builds small repositories from random sequences of operations (files added,
edited, deleted, renamed with and without edits, binary files, branches, merges with
and without conflicts, empty commits, names with spaces, tabs, unicode, quotes,
backslashes and a leading dash), ingests each with the real command line into a fresh
warehouse, and compares every commit with git's own output, parsed here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.gitrepo import ALICE, BOB, DEPENDABOT, Repo, git, git_env

NAMES = (
    "a.txt",
    "b.py",
    "src/core.py",
    "src/deep/er/module.py",
    "docs/guide.md",
    "with space.txt",
    "dir with space/file name.txt",
    "tab\there.txt",
    "ünïcödé/naïve café.txt",
    "日本語.txt",
    "-leading-dash.txt",
    "-dashdir/-x.txt",
    'quote"d.txt',
    "back\\slash.txt",
    "semi;colon #hash.txt",
)
#: Paths are taken literally by every git command here (a backslash is not a glob escape).
LITERAL = git_env(GIT_LITERAL_PATHSPECS="1")

line_ids = st.lists(st.integers(0, 12), min_size=0, max_size=30)
rename = st.tuples(st.just("rename"), st.integers(0, 50), st.sampled_from(NAMES), st.booleans())
file_ops = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.lists(st.integers(0, 12), min_size=2, max_size=30)),
    st.tuples(
        st.just("edit"),
        st.integers(0, 50),
        st.lists(
            st.tuples(st.integers(0, 40), st.integers(0, 4), line_ids.map(lambda x: x[:6])),
            min_size=1,
            max_size=3,
        ),
    ),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    rename,
    rename,
    st.tuples(st.just("binary"), st.sampled_from(NAMES), st.binary(min_size=1, max_size=64)),
)
changes = st.lists(file_ops, min_size=1, max_size=4)
commit = st.tuples(st.just("commit"), changes)
steps = st.one_of(
    commit,
    commit,
    # a topic branch: commits on it, maybe commits on the branch it left, maybe a merge back
    st.tuples(
        st.just("feature"),
        st.lists(changes, min_size=1, max_size=3),
        st.lists(changes, min_size=0, max_size=2),
        st.booleans(),
    ),
    st.tuples(st.just("branch")),
    st.tuples(st.just("switch"), st.integers(0, 10)),
    st.tuples(st.just("merge"), st.integers(0, 10)),
    st.tuples(st.just("empty")),
)


def render(ids: list[int]) -> bytes:
    # few distinct lines, so diffs have to choose among equal lines, as in real code
    return b"".join(b"line %d\n" % i if i else b"\n" for i in ids)


class Builder:
    """Plays a sequence of steps against a real repository."""

    def __init__(self, path: Path) -> None:
        self.repo = Repo.create(path)
        self.branches = ["main"]
        self.current = "main"
        self.tick = 0

    def when(self) -> str:
        self.tick += 1
        return f"2024-03-{1 + self.tick // 24:02d}T{self.tick % 24:02d}:00:00+02:00"

    def tracked(self) -> list[str]:
        out = git(self.repo.path, "ls-files", "-z", env=LITERAL)
        return sorted(p for p in out.split("\0") if p)

    def play(self, step: tuple) -> None:
        kind = step[0]
        if kind == "commit":
            for op in step[1]:
                self.file_op(op)
                git(self.repo.path, "add", "-A", env=LITERAL)  # so the next op sees it as tracked
            author = (ALICE, BOB, DEPENDABOT)[self.tick % 3]
            self.repo.commit(f"change {self.tick}", self.when(), author=author, allow_empty=True)
        elif kind == "feature":
            start = self.current
            self.play(("branch",))
            topic = self.current
            for ops in step[1]:
                self.play(("commit", ops))
            self.repo.checkout(start)
            self.current = start
            for ops in step[2]:
                self.play(("commit", ops))
            if step[3]:
                self.merge(topic)
        elif kind == "empty":
            self.repo.commit("empty", self.when(), allow_empty=True)
        elif kind == "branch":
            name = f"topic-{len(self.branches)}"
            self.repo.checkout(name, create=True)
            self.branches.append(name)
            self.current = name
        elif kind == "switch":
            name = self.branches[step[1] % len(self.branches)]
            self.repo.checkout(name)
            self.current = name
        elif kind == "merge":
            others = [b for b in self.branches if b != self.current]
            if not others:
                return
            self.merge(others[step[1] % len(others)])

    def merge(self, other: str) -> None:
        when = self.when()
        try:
            self.repo.merge(other, message=f"Merge {other}", when=when)
        except RuntimeError:
            # a conflict: commit the work tree as it is (markers and all) as the merge
            self.repo.commit(f"Merge {other} (conflicts)", when, allow_empty=True)

    def file_op(self, op: tuple) -> None:
        kind = op[0]
        files = self.tracked()
        root = self.repo.path
        if kind == "add":
            self.write(op[1], render(op[2]))
        elif kind == "binary":
            self.write(op[1], b"\x00BIN" + op[2])
        elif not files:
            return
        elif kind == "edit":
            path = files[op[1] % len(files)]
            lines = (root / path).read_bytes().splitlines(keepends=True)
            for pos, deleted, new in op[2]:
                at = pos % (len(lines) + 1)
                lines[at : at + deleted] = [render([i]) for i in new]
            (root / path).write_bytes(b"".join(lines))
        elif kind == "delete":
            git(root, "rm", "-q", "-f", "--", files[op[1] % len(files)], env=LITERAL)
        elif kind == "rename":
            old, new = files[op[1] % len(files)], op[2]
            if self.blocked(new, files) or old == new:
                new = f"moved/{new}"
                if self.blocked(new, files) or old == new:
                    return
            (root / new).parent.mkdir(parents=True, exist_ok=True)
            git(root, "mv", "--", old, new, env=LITERAL)
            if op[3]:
                with (root / new).open("ab") as out:
                    out.write(b"appended after the move\n")

    def write(self, name: str, content: bytes) -> None:
        if self.blocked(name, self.tracked(), allow_same=True):
            return
        self.repo.write(name, content)

    @staticmethod
    def blocked(name: str, files: list[str], allow_same: bool = False) -> bool:
        """True if ``name`` clashes with a tracked file as file vs folder (or exists)."""
        for f in files:
            if f == name:
                return not allow_same
            if f.startswith(name + "/") or name.startswith(f + "/"):
                return True
        return False


def git_numstat(repo: Path) -> dict[str, Counter]:
    """Per commit, its (path, previous_path, added, deleted, binary) rows from git log -z."""
    out = git(repo, "log", "--branches", "--tags", "-z", "--numstat", "-M", "--format=%x01%H").encode(
        "utf-8", "surrogateescape"
    )
    result: dict[str, Counter] = {}
    tokens = out.split(b"\0")
    i = 0
    sha = ""
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.startswith(b"\x01"):
            sha = tok[1:].decode()
            result[sha] = Counter()
            continue
        tok = tok.removeprefix(b"\n")
        if not tok:
            continue
        added, deleted, path = tok.split(b"\t", 2)
        previous = None
        if path == b"":
            previous, path = tokens[i].decode("utf-8", "backslashreplace"), tokens[i + 1]
            i += 2
        binary = added == b"-"
        row = (
            path.decode("utf-8", "backslashreplace"),
            previous,
            None if binary else int(added),
            None if binary else int(deleted),
            binary,
        )
        result[sha][row] += 1
    return result


def stored_numstat(db: Path) -> dict[str, Counter]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result: dict[str, Counter] = {sha: Counter() for (sha,) in con.execute("SELECT sha FROM commits").fetchall()}
        rows = con.execute(
            "SELECT commit_sha, path, previous_path, lines_added, lines_deleted, is_binary, blob_missing "
            "FROM commit_files"
        ).fetchall()
    finally:
        con.close()
    for sha, path, previous, added, deleted, binary, missing in rows:
        assert not missing
        result.setdefault(sha, Counter())[(path, previous, added, deleted, binary)] += 1
    return result


def load_verify_script():
    spec = importlib.util.spec_from_file_location("verify_git_ingest", ROOT / "scripts" / "verify_git_ingest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


VERIFY = load_verify_script()


@settings(
    max_examples=int(os.environ.get("QD_PROPERTY_EXAMPLES", "20")),  # raise it for a deeper search
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, min_size=1, max_size=12))
def test_stored_numstat_equals_git_log(quarterdeck, plan: list[tuple]) -> None:
    with tempfile.TemporaryDirectory(prefix="qd-prop-") as tmp:
        builder = Builder(Path(tmp) / "repo")
        builder.play(("commit", [("add", "a.txt", [1, 2, 3])]))
        for step in plan:
            builder.play(step)
        db = Path(tmp) / "warehouse.duckdb"
        result = quarterdeck("--db", str(db), "ingest", "git", str(builder.repo.path), "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["rows"][0]["status"] == "ingested"

        expected = git_numstat(builder.repo.path)
        stored = stored_numstat(db)
        rows = [row for counter in expected.values() for row in counter]
        event(f"commits: {min(len(expected), 10)}{'+' if len(expected) >= 10 else ''}")
        for label, seen in (
            ("a rename", any(r[1] is not None for r in rows)),
            ("a binary file", any(r[4] for r in rows)),
            ("a merge", len(builder.repo.git("rev-list", "--merges", "--all").split()) > 0),
            ("an unusual name", any(not r[0].isascii() or " " in r[0] or "\t" in r[0] for r in rows)),
        ):
            if seen:
                event(f"has {label}")
        assert set(stored) == set(expected), "stored commits differ from git log --branches --tags"
        for sha, rows in expected.items():
            assert stored[sha] == rows, f"commit {sha}: warehouse {sorted(stored[sha].elements(), key=repr)}"

        # the verify script must agree (it parses git's output on its own)
        report = VERIFY.verify(builder.repo.path, db, None, jobs=2, chunk_size=4, examples=3)
        assert report.ok, dict(report.examples)
        assert report.checked == len(expected)


def test_partial_clone_exact_rename_of_binary_file_is_not_stored_as_text(tmp_path: Path, quarterdeck) -> None:
    """In a partial clone, a rename without edits whose blob is absent is not stored as a
    0/0 *text* change: ``git log --numstat -M`` prints ``-<TAB>-`` for a binary file, and
    without the blob nobody can tell, so such rows are flagged ``blob_missing``."""
    source = Repo.create(tmp_path / "source")
    source.write("img/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary" * 20)
    source.write("notes.txt", "one\ntwo\n")
    source.commit("add a logo", "2024-01-01T10:00:00+00:00")
    source.move("img/logo.png", "img/brand.png")
    source.move("notes.txt", "notes.md")
    rename = source.commit("rename the logo and the notes", "2024-01-02T10:00:00+00:00")
    expected = git_numstat(source.path)[rename]
    assert expected == Counter(
        {("img/brand.png", "img/logo.png", None, None, True): 1, ("notes.md", "notes.txt", 0, 0, False): 1}
    )

    rows = _partial_clone_rows(source, tmp_path / "partial.git", rename, quarterdeck, "--bare")
    by_path = {r[0]: r for r in rows}
    assert by_path["notes.md"] == ("notes.md", "notes.txt", None, None, False, True)
    logo = by_path["img/brand.png"]
    assert logo[5] or logo[2:5] == (None, None, True), f"binary rename stored as {logo}"


def test_partial_clone_exact_rename_of_present_binary_file(tmp_path: Path, quarterdeck) -> None:
    """The same commit, in a clone whose checkout brought the blobs at HEAD: the commit also
    edits a file whose old version is absent (so it is read from --raw), and the renamed
    binary file, present, is stored as git prints it: binary, no line counts."""
    source = Repo.create(tmp_path / "source")
    source.write("img/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary" * 20)
    source.write("notes.txt", "one\ntwo\n")
    source.commit("add a logo", "2024-01-01T10:00:00+00:00")
    source.move("img/logo.png", "img/brand.png")
    source.write("notes.txt", "one\ntwo\nthree\n")
    rename = source.commit("rename the logo, extend the notes", "2024-01-02T10:00:00+00:00")
    assert git_numstat(source.path)[rename] == Counter(
        {("img/brand.png", "img/logo.png", None, None, True): 1, ("notes.txt", None, 1, 0, False): 1}
    )
    rows = _partial_clone_rows(source, tmp_path / "partial", rename, quarterdeck)
    assert rows == [
        ("img/brand.png", "img/logo.png", None, None, True, False),
        ("notes.txt", None, None, None, False, True),  # its old version is absent
    ]


def _partial_clone_rows(source: Repo, clone: Path, sha: str, quarterdeck, *clone_args: str) -> list[tuple]:
    """Clone ``source`` without blobs (``--filter=blob:none``), ingest the clone and return
    the stored file rows of commit ``sha``."""
    git(
        clone.parent,
        "clone",
        "-q",
        *clone_args,
        "--filter=blob:none",
        "--upload-pack=git -c uploadpack.allowFilter=true upload-pack",
        f"file://{source.path}",
        str(clone),
    )
    db = clone.parent / "warehouse.duckdb"
    result = quarterdeck("--db", str(db), "ingest", "git", str(clone), "--format", "json")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT path, previous_path, lines_added, lines_deleted, is_binary, blob_missing "
            "FROM commit_files WHERE commit_sha = ? ORDER BY path",
            [sha],
        ).fetchall()
    finally:
        con.close()
