"""Writing a repository's planned history as a real git repository, with ``git fast-import``.

One ``git init`` and one ``git fast-import`` per repository, fed a stream generated while
the plan is played in time order (``git_history`` decides the files and lines): the first
commit holds the initial tree (and ``.github/CODEOWNERS`` when given); then every Change
becomes one commit, marked so that its SHA comes back under its key.

* Direct commits land on ``main``. A branch starts from ``main``'s tip at its first
  commit's commit time; its commits are written on ``refs/heads/<key>``. At its merge
  time it lands as a merge commit (first parent ``main``, second the branch tip) or as a
  squash commit (one parent); merges and squashes are committed by ``GitHub
  <noreply@github.com>`` on behalf of the Change's author, as GitHub's merge button does.
* Refs at the end: ``refs/heads/main`` (HEAD); ``refs/heads/<key>`` for every branch never
  merged; a squashed branch's own commits under ``refs/pull/<n>/head`` (n: the key's
  number, ``pr-17`` -> 17), as in a GitHub mirror, so they exist but are outside the refs
  Quarterdeck ingests by default. Merged branches are deleted, as after a merged PR.
* Events happen in commit-time order; on equal times, in plan order.

The truth returned (``WrittenRepository.files``) is, per commit SHA, what ``git log
--numstat -M`` reports against the first parent (see ``git_history`` for why it is exact).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from quarterdeck.simulation.git_history import Branch, Commit, FileOp, RepositoryHistory
from quarterdeck.simulation.history import Author, BranchWork, Change, DirectCommit, FileLines, Work
from quarterdeck.simulation.rng import Rng
from quarterdeck.simulation.stack_manifests import Declared

DEFAULT_BRANCH = "main"
FORGE = b"GitHub <noreply@github.com>"


#: glibc's allocator returns fast-import's large per-object buffers to the kernel and maps
#: them again for every object (a third of its time in page faults); these keep them.
MALLOC_TUNING = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456"
#: fast-import's options; zlib's level comes first (``fast_import``).
FAST_IMPORT = ("fast-import", "--quiet", "--done", "--active-branches=256")
#: zlib level of the objects written: 1, the fastest that compresses (compressing is most of
#: fast-import's time; packs about 5 % larger than at the default level); 0 stores them as
#: they are, about a fifth faster to write and to read, in packs about 1.7 times larger.
DEFAULT_COMPRESSION = 1


def fast_import(compression: int = DEFAULT_COMPRESSION) -> tuple[str, ...]:
    """The git arguments of a ``fast-import`` writing objects at zlib level ``compression``."""
    if not 0 <= compression <= 9:
        raise ValueError(f"compression is a zlib level, 0 to 9, not {compression}")
    return ("-c", f"core.compression={compression}", *FAST_IMPORT)


@dataclass(frozen=True)
class WrittenRepository:
    """A repository as written: every planned commit's SHA and what each commit changed."""

    name: str
    path: Path
    initial_sha: str
    shas: dict[str, str]  # Change key -> commit SHA (branch, merge, squash and direct commits)
    files: dict[str, tuple[FileLines, ...]]  # commit SHA -> git log --numstat vs first parent, by path
    open_branches: tuple[str, ...] = ()  # BranchWork keys left unmerged, as refs/heads/<key>
    squashed: tuple[str, ...] = ()  # Change keys reachable only from refs/pull/<n>/head
    default_branch: str = DEFAULT_BRANCH
    stack: tuple[Declared, ...] = ()  # the dependencies its build file declares at HEAD


@dataclass(frozen=True)
class RepositoryJob:
    """The arguments of one ``write_repository`` call, for ``write_repositories``."""

    path: Path
    name: str
    language: str
    plan: list[Work]
    rng: Rng
    codeowners: str | None = None
    start: datetime | None = None
    compression: int = DEFAULT_COMPRESSION


@dataclass
class Rendered:
    """What the stream said: the mark of every planned commit, and each commit's truth."""

    marks: dict[str, int] = field(default_factory=dict)
    truth: dict[int, tuple[FileLines, ...]] = field(default_factory=dict)
    initial_mark: int = 1
    open_branches: list[str] = field(default_factory=list)
    squashed: list[str] = field(default_factory=list)
    packed_refs: dict[str, int] = field(default_factory=dict)  # ref -> mark, written to packed-refs
    stack: list[Declared] = field(default_factory=list)  # dependencies declared at HEAD (stack_manifests)


def git_env() -> dict[str, str]:
    """Git without the user's or the system's configuration, so the machine does not leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    return env


def fast_import_env() -> dict[str, str]:
    return {**git_env(), "GLIBC_TUNABLES": MALLOC_TUNING}


def write_repository(
    path: Path,
    name: str,
    language: str,
    plan: list[Work],
    rng: Rng,
    codeowners: str | None = None,
    start: datetime | None = None,
    *,
    bare: bool = True,
    compression: int = DEFAULT_COMPRESSION,
) -> WrittenRepository:
    """Create the repository at ``path`` (which must not exist or be empty) from ``plan``."""
    env = git_env()
    path.mkdir(parents=True, exist_ok=True)
    # no template: none of git's sample hooks, which a clone of a real repository would not run either
    init = ["git", "init", "-q", "--template=", f"--initial-branch={DEFAULT_BRANCH}", *(["--bare"] if bare else []),
            str(path)]  # fmt: skip
    subprocess.run(init, check=True, env=env, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="qd-marks-") as scratch:
        marks_file = Path(scratch) / "marks"
        command = ["git", "-C", str(path), *fast_import(compression), f"--export-marks={marks_file}"]
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=fast_import_env(), bufsize=0
        )
        assert proc.stdin is not None and proc.stderr is not None
        _widen_pipe(proc.stdin)
        try:
            rendered = render_stream(proc.stdin, name, language, plan, rng, codeowners, start)
            proc.stdin.close()
        except BrokenPipeError:
            proc.wait()
            message = proc.stderr.read().decode(errors="replace")
            raise RuntimeError(f"git fast-import stopped early for {name}: {message}") from None
        except BaseException:
            proc.kill()  # a plan the writer refuses: nothing half-written is left running
            proc.wait()
            raise
        error = proc.stderr.read()
        if proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed for {name}: {error.decode(errors='replace')}")
        sha_of = read_marks(marks_file)
    write_packed_refs(path, {ref: sha_of[mark] for ref, mark in rendered.packed_refs.items()})
    if not bare:
        subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", DEFAULT_BRANCH], check=True, env=env)
    return WrittenRepository(
        name=name,
        path=path,
        initial_sha=sha_of[rendered.initial_mark],
        shas={key: sha_of[mark] for key, mark in rendered.marks.items()},
        files={sha_of[mark]: lines for mark, lines in rendered.truth.items()},
        open_branches=tuple(rendered.open_branches),
        squashed=tuple(rendered.squashed),
        stack=tuple(rendered.stack),
    )


def _widen_pipe(pipe: BinaryIO) -> None:
    """Unbuffered writes into a 1 MiB pipe: git works on the stream while Python writes the
    next commits (a big write buffer instead would make them wait for each other)."""
    with contextlib.suppress(OSError):  # not Linux, or above the system's limit: the default pipe works too
        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)


def write_packed_refs(repository: Path, refs: dict[str, str]) -> None:
    """Refs written straight into ``packed-refs``, as a clone holds them: one file for the
    thousands of ``refs/pull/<n>/head``, not a file and a folder each (which ``git pack-refs``
    would then have to delete, at a cost of seconds)."""
    if not refs:
        return
    git_dir = repository if (repository / "HEAD").exists() else repository / ".git"
    lines = ["# pack-refs with: peeled fully-peeled sorted \n", *(f"{refs[r]} {r}\n" for r in sorted(refs))]
    (git_dir / "packed-refs").write_text("".join(lines), encoding="ascii")


def read_marks(marks_file: Path) -> dict[int, str]:
    sha_of = {}
    for line in marks_file.read_text().splitlines():
        mark, sha = line.split()
        sha_of[int(mark[1:])] = sha
    return sha_of


def write_repositories(
    jobs: Sequence[RepositoryJob], workers: int = 2, written: Callable[[int, int], None] | None = None
) -> list[WrittenRepository]:
    """Write several repositories, ``workers`` at a time (one process each, plus its git),
    largest plans first so the cores stay busy; results in the order of ``jobs``.
    ``written(done, total)`` is told each time one is finished."""
    tell = written or (lambda done, total: None)
    if workers <= 1 or len(jobs) <= 1:
        results_in_order = []
        for job in jobs:
            results_in_order.append(_write_job(job))
            tell(len(results_in_order), len(jobs))
        return results_in_order
    order = sorted(range(len(jobs)), key=lambda i: -_plan_commits(jobs[i].plan))
    results: list[WrittenRepository | None] = [None] * len(jobs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_write_job, jobs[i]): i for i in order}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            tell(done, len(jobs))
    return [r for r in results if r is not None]


def _write_job(job: RepositoryJob) -> WrittenRepository:
    return write_repository(
        job.path, job.name, job.language, job.plan, job.rng, job.codeowners, job.start, compression=job.compression
    )


def _plan_commits(plan: list[Work]) -> int:
    return sum(1 if isinstance(w, DirectCommit) else len(w.commits) + 1 for w in plan)


# -- the stream ------------------------------------------------------------------------------

#: One planned commit in landing order: (commit time, plan index, index in the work, change, work).
Event = tuple[int, int, int, Change, Work]


def schedule(plan: list[Work]) -> list[Event]:
    """Every planned commit in the order it happens: by commit time, then plan order. A
    branch's commits keep their order, and its merge comes after its last commit."""
    events: list[Event] = []
    for index, work in enumerate(plan):
        if isinstance(work, DirectCommit):
            events.append((_epoch(work.change.committed_at), index, 0, work.change, work))
            continue
        if not work.commits:
            raise ValueError(f"branch {work.key}: a branch needs at least one commit")
        last = 0
        for position, change in enumerate(work.commits):
            last = max(last, _epoch(change.committed_at))
            events.append((last, index, position, change, work))
        if work.merge is not None:
            events.append((max(last, _epoch(work.merge.committed_at)), index, len(work.commits), work.merge, work))
    events.sort(key=lambda event: event[:3])
    return events


def render_stream(
    sink: BinaryIO,
    name: str,
    language: str,
    plan: list[Work],
    rng: Rng,
    codeowners: str | None = None,
    start: datetime | None = None,
) -> Rendered:
    """Play ``plan`` and write the fast-import stream for it to ``sink``."""
    events = schedule(plan)
    if not events:
        raise ValueError(f"repository {name}: the plan has no commits")
    history = RepositoryHistory(rng.child("git", name), name, language)
    writer = StreamWriter(sink)
    rendered = Rendered()
    main_ref = f"refs/heads/{DEFAULT_BRANCH}"
    initial = history.initial_commit(codeowners)
    when = start or datetime.fromtimestamp(events[0][0], tz=events[0][3].committed_at.tzinfo) - timedelta(days=1)
    signature = writer.signature(_first_change(plan).author, when)
    main_tip = writer.commit(main_ref, signature, signature, b"Initial commit\n", None, None, initial.ops)
    rendered.initial_mark = main_tip
    rendered.truth[main_tip] = initial.sorted_truth()
    branches: dict[str, Branch] = {}
    for _, _, _, change, work in events:
        if isinstance(work, DirectCommit):
            commit = history.commit_on_main(max(change.size, 1))
            main_tip = _write_change(writer, rendered, main_ref, change, commit, main_tip)
        elif work.merge is not change:
            if work.key not in branches:
                branches[work.key] = history.fork(work.key, main_tip)
            branch = branches[work.key]
            commit = history.commit_on_branch(branch, max(change.size, 1))
            branch.tip = _write_change(writer, rendered, f"refs/heads/{work.key}", change, commit, branch.tip)
        else:
            branch = branches.pop(work.key)
            landed = history.land(branch)
            merged = None if work.squash else branch.tip
            main_tip = _write_change(writer, rendered, main_ref, change, landed, main_tip, merged, forge=True)
            _retire(writer, rendered, work, branch)
    rendered.open_branches = list(branches)
    rendered.stack = history.lines.declarations.surviving(history.main)
    writer.done()
    return rendered


def _write_change(writer, rendered, ref, change: Change, commit: Commit, parent: int, merge=None, forge=False) -> int:
    """Write one planned commit on ``ref`` after ``parent`` (and ``merge``); its new mark."""
    author = writer.signature(change.author, change.authored_at)
    committer = writer.forge(change.committed_at) if forge else writer.signature(change.author, change.committed_at)
    mark = writer.commit(ref, author, committer, _message(change.message), parent, merge, commit.ops)
    rendered.marks[change.key] = mark
    rendered.truth[mark] = commit.sorted_truth()
    return mark


def _retire(writer: StreamWriter, rendered: Rendered, work: BranchWork, branch: Branch) -> None:
    """After landing: the branch is deleted; a squashed one's commits stay under refs/pull."""
    if work.squash:
        number = re.sub(r"^\D*", "", work.key) or work.key
        rendered.packed_refs[f"refs/pull/{number}/head"] = branch.tip
        rendered.squashed.extend(change.key for change in work.commits)
    writer.reset(f"refs/heads/{work.key}", None)


def _first_change(plan: list[Work]) -> Change:
    work = plan[0]
    return work.change if isinstance(work, DirectCommit) else work.commits[0]


def _message(text: str) -> bytes:
    return (text if text.endswith("\n") else text + "\n").encode()


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


class StreamWriter:
    """Writes fast-import commands; every commit gets the next mark."""

    def __init__(self, sink: BinaryIO):
        self.sink = sink
        self.last_mark = 0
        self._idents: dict[Author, bytes] = {}
        self._zones: dict[timedelta | None, bytes] = {}

    def signature(self, author: Author, when: datetime) -> bytes:
        ident = self._idents.get(author)
        if ident is None:
            ident = f"{_clean(author.name)} <{_clean(author.email)}>".encode()
            self._idents[author] = ident
        return b"%s %d %s" % (ident, _epoch(when), self._zone(when))

    def forge(self, when: datetime) -> bytes:
        return b"%s %d +0000" % (FORGE, _epoch(when))

    def _zone(self, when: datetime) -> bytes:
        offset = when.utcoffset()
        zone = self._zones.get(offset)
        if zone is None:
            minutes = int(offset.total_seconds() // 60) if offset is not None else 0
            sign = "-" if minutes < 0 else "+"
            zone = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}".encode()
            self._zones[offset] = zone
        return zone

    def blob(self, data: bytes) -> int:
        """A file's content, written once under the next mark for commits to name."""
        self.last_mark += 1
        self.sink.write(b"blob\nmark :%d\ndata %d\n%s\n" % (self.last_mark, len(data), data))
        return self.last_mark

    def commit(self, ref, author: bytes, committer: bytes, message: bytes, parent, merge, ops: list[FileOp]) -> int:
        """A commit after ``parent`` (None: the ref's tip), merging ``merge``; ``ops``: ("M", path,
        bytes or a blob's mark), ("D", path), ("R", old, new). Returns its mark."""
        self.last_mark += 1
        parts = [b"commit %s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n" % (
            ref.encode(), self.last_mark, author, committer, len(message)), message]  # fmt: skip
        if parent is not None:
            parts.append(b"from :%d\n" % parent)
        if merge is not None:
            parts.append(b"merge :%d\n" % merge)
        for op in ops:
            if op[0] == "M":
                if isinstance(op[2], int):
                    parts.append(b"M 100644 :%d %s\n" % (op[2], op[1].encode()))
                else:
                    parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (op[1].encode(), len(op[2]), op[2]))
            elif op[0] == "D":
                parts.append(b"D %s\n" % op[1].encode())
            else:
                parts.append(b"R %s %s\n" % (op[1].encode(), op[2].encode()))
        parts.append(b"\n")
        self.sink.write(b"".join(parts))
        return self.last_mark

    def reset(self, ref: str, mark: int | None) -> None:
        self.sink.write(b"reset %s\n%s\n" % (ref.encode(), b"from :%d\n" % mark if mark else b""))

    def done(self) -> None:
        self.sink.write(b"done\n")


def _clean(text: str) -> str:
    return re.sub(r"[<>\n]", "", text).strip()
