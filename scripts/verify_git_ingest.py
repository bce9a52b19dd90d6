"""Check a Quarterdeck warehouse against git itself, commit by commit.

Usage:
    python scripts/verify_git_ingest.py REPO DB [--refs PATTERN ...] [--jobs N]

Checks, for the repository at REPO as stored in the warehouse DB:

(a) the commits stored as reachable are exactly the commits ``git rev-list`` lists for
    the refs (by default the ref patterns the warehouse recorded for the repository, i.e.
    refs/heads, refs/tags and refs/remotes unless ``--refs`` was used at ingest; with
    ``--refs`` here, those patterns);
(b) for every commit, the multiset of (path, previous_path, added, deleted, binary) rows
    equals what ``git log --numstat -M -z`` prints for it (merges: no rows, as git log
    shows them);
(c) author and committer e-mails, names and times (epoch seconds and UTC offset),
    parents and subject match.

git's output is parsed here with this script's own small parser, not Quarterdeck's.
Memory stays small on 100k-commit repositories: the commit sets are compared as two
sha-ordered streams (rev-list's list, sorted, and one ordered query), then commits are
compared chunk by chunk (``--chunk`` commits in rev-list order, read by ``--jobs`` git
processes at once; each chunk's rows fetched from the DB and matched in sha order).
Commits stored with ``blob_missing`` rows (partial clones) are not compared: they are
counted and reported separately. Git runs without user/system config; the diff settings
Quarterdeck pins (rename limit 1000, myers) are git's defaults, and are pinned here too.

Prints a summary and the first few mismatches of each kind; exits 1 on any mismatch,
2 when the repository or warehouse cannot be read.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_REFS = ("refs/heads", "refs/tags", "refs/remotes")
GIT_CONFIG = (
    "core.quotepath=off",
    "diff.renameLimit=1000",
    "diff.algorithm=myers",
    "diff.renames=true",
    "log.showRoot=true",
    "log.showSignature=false",
    "safe.directory=*",
)
# One header per commit: a \x01 marker, then fields separated by NUL (-z ends each with NUL).
HEADER = ("sha", "parents", "an", "ae", "ad", "cn", "ce", "cd", "subject")
LOG_FORMAT = "%x01" + "%x00".join(("%H", "%P", "%an", "%ae", "%ad", "%cn", "%ce", "%cd", "%s"))

FileRow = tuple[str, "str | None", "int | None", "int | None", bool]


class VerifyError(Exception):
    """The repository or the warehouse cannot be read."""


# --------------------------------------------------------------------------------------
# git


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_NO_LAZY_FETCH="1",
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
    )
    return env


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    cmd = ["git", "-C", str(repo)]
    for setting in GIT_CONFIG:
        cmd += ["-c", setting]
    proc = subprocess.run([*cmd, *args], input=stdin, capture_output=True, env=git_env())
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise VerifyError(f"git {' '.join(args[:2])} failed in {repo}: {message}")
    return proc.stdout


def repository_key(repo: Path) -> str:
    """The canonical path Quarterdeck stores: the real path of the (common) git directory."""
    out = git(repo, "rev-parse", "--git-common-dir").decode("utf-8", "surrogateescape").strip()
    common = Path(out)
    if not common.is_absolute():
        common = repo / common
    return str(common.resolve())


def ref_tips(repo: Path, patterns: list[str]) -> list[str]:
    """The commits the refs matching ``patterns`` (for-each-ref semantics) point at, peeled."""
    names = (
        git(repo, "for-each-ref", "--format=%(refname)", "--", *patterns).decode("utf-8", "surrogateescape").split("\n")
    )
    names = [n for n in names if n]
    if not names:
        return []
    # Peel each ref to a commit; refs to trees or blobs (rare) are left out, as git log would.
    query = "".join(f"{name}^{{commit}}\n" for name in names).encode("utf-8", "surrogateescape")
    peeled = git(repo, "cat-file", "--batch-check=%(objectname)", stdin=query).decode().split("\n")
    return sorted({line for line in peeled if len(line) in (40, 64) and " " not in line})


def reachable_shas(repo: Path, tips: list[str]) -> list[str]:
    """Every commit reachable from ``tips``, in rev-list's order."""
    if not tips:
        return []
    out = git(repo, "rev-list", "--stdin", stdin="".join(t + "\n" for t in tips).encode())
    return out.decode("ascii").split()


def is_partial_clone(repo: Path) -> bool:
    """A promisor remote is configured (``extensions.partialClone`` or ``remote.*.promisor``)."""
    try:
        out = git(repo, "config", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$")
    except VerifyError:  # exit code 1: no such setting
        return False
    values = [line.partition(" ")[2].strip().lower() for line in out.decode(errors="replace").splitlines()]
    return any(value not in ("", "false", "no", "off", "0") for value in values)


def stream_tokens(repo: Path, args: list[str], stdin: bytes) -> Iterator[bytes]:
    """NUL-separated fields of a git command's output, read as they come."""
    cmd = ["git", "-C", str(repo)]
    for setting in GIT_CONFIG:
        cmd += ["-c", setting]
    with subprocess.Popen(
        [*cmd, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git_env()
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
        rest = b""
        while block := proc.stdout.read(1 << 20):
            tokens = (rest + block).split(b"\0")
            rest = tokens.pop()
            yield from tokens
        if rest:
            yield rest
        error = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() != 0:
            raise VerifyError(f"git {args[0]} failed in {repo}: {error}")


def commits_needing_absent_blobs(repo: Path, tips: list[str]) -> set[str]:
    """In a partial clone: commits whose diff needs a blob that is not in the repository."""
    absent = set()
    for line in stream_tokens(repo, ["rev-list", "--objects", "--missing=print", "--stdin"], _lines(tips)):
        for entry in line.split(b"\n"):  # rev-list prints lines, not NUL-separated fields
            if entry.startswith(b"?"):
                absent.add(entry[1:].decode("ascii"))
    if not absent:
        return set()
    needing: set[str] = set()
    sha, expect_path = "", False
    raw_log = ["log", "--stdin", "-z", "--raw", "--no-renames", "--no-abbrev", "--format=%x01%H"]
    for tok in stream_tokens(repo, raw_log, _lines(tips)):
        if expect_path:
            expect_path = False
        elif tok.startswith(b"\x01"):
            sha = tok[1:].decode("ascii")
        elif tok.lstrip(b"\n").startswith(b":"):
            _old_mode, _new_mode, old, new, _status = tok.lstrip(b"\n")[1:].decode("ascii").split()
            if old in absent or new in absent:
                needing.add(sha)
            expect_path = True
    return needing


def _lines(values: list[str]) -> bytes:
    return "".join(v + "\n" for v in values).encode()


def decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace")


def raw_date(raw: bytes) -> tuple[int, int]:
    """``1700000000 -0130`` -> (1700000000, -90)."""
    seconds, _, zone = raw.decode("ascii").partition(" ")
    minutes = int(zone[1:3]) * 60 + int(zone[3:5]) if len(zone) == 5 else 0
    return int(seconds), -minutes if zone.startswith("-") else minutes


@dataclass
class GitCommit:
    sha: str
    meta: dict[str, object]
    files: list[FileRow] = field(default_factory=list)


def parse_log(output: bytes) -> list[GitCommit]:
    """Parse ``git log -z --numstat --format=LOG_FORMAT`` output (independent of Quarterdeck)."""
    tokens = output.split(b"\0")
    commits: list[GitCommit] = []
    i, n = 0, len(tokens)
    current: GitCommit | None = None
    while i < n:
        tok = tokens[i]
        if tok.startswith(b"\x01"):
            fields = [tok[1:], *tokens[i + 1 : i + len(HEADER)]]
            if len(fields) != len(HEADER):
                raise VerifyError("git log output ended inside a commit header")
            i += len(HEADER)
            f = dict(zip(HEADER, fields, strict=True))
            author_time, author_offset = raw_date(f["ad"])
            commit_time, commit_offset = raw_date(f["cd"])
            current = GitCommit(
                f["sha"].decode("ascii"),
                {
                    "parents": f["parents"].decode("ascii").split(),
                    "author_name": decode_text(f["an"]),
                    "author_email": decode_text(f["ae"]),
                    "author_time": author_time,
                    "author_offset": author_offset,
                    "committer_name": decode_text(f["cn"]),
                    "committer_email": decode_text(f["ce"]),
                    "committer_time": commit_time,
                    "committer_offset": commit_offset,
                    "subject": decode_text(f["subject"]),
                },
            )
            commits.append(current)
            continue
        i += 1
        if tok.startswith(b"\n"):
            tok = tok[1:]  # the line break between a commit's header and its numstat
        if not tok:
            continue
        if current is None:
            raise VerifyError(f"numstat row before any commit: {tok[:60]!r}")
        added, deleted, path = _split_numstat(tok)
        previous = None
        if not path:  # a rename: old and new path follow as their own NUL-terminated fields
            if i + 1 >= n:
                raise VerifyError("git log output ended inside a rename")
            previous, path = decode_path(tokens[i]), tokens[i + 1]
            i += 2
        binary = added == b"-"
        current.files.append(
            (
                decode_path(path),
                previous,
                None if binary else int(added),
                None if binary else int(deleted),
                binary,
            )
        )
    return commits


def _split_numstat(tok: bytes) -> tuple[bytes, bytes, bytes]:
    first = tok.find(b"\t")
    second = tok.find(b"\t", first + 1)
    if first < 0 or second < 0:
        raise VerifyError(f"unexpected numstat row: {tok[:60]!r}")
    added, deleted = tok[:first], tok[first + 1 : second]
    for value in (added, deleted):
        if value != b"-" and not value.isdigit():
            raise VerifyError(f"unexpected numstat row: {tok[:60]!r}")
    return added, deleted, tok[second + 1 :]


def git_log_chunk(repo: Path, shas: list[str]) -> list[GitCommit]:
    """These commits, in this order, with their numstat rows, from one ``git log``."""
    out = git(
        repo,
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "-z",
        "--numstat",
        "-M",
        "--no-ext-diff",
        "--no-textconv",
        "--no-color",
        "--encoding=UTF-8",
        "--date=raw",
        f"--format={LOG_FORMAT}",
        stdin="".join(s + "\n" for s in shas).encode(),
    )
    commits = parse_log(out)
    if [c.sha for c in commits] != shas:
        raise VerifyError(f"git log returned {len(commits)} commits for a chunk of {len(shas)}")
    return commits


def git_commits(repo: Path, shas: list[str], jobs: int, chunk: int) -> Iterator[list[GitCommit]]:
    """``shas`` in chunks, each with its numstat rows; ``jobs`` git processes at a time.

    Chunks keep rev-list's order: git reads commits near each other in history much
    faster than commits in sha order (trees are stored as deltas of their neighbours).
    """
    chunks = [shas[i : i + chunk] for i in range(0, len(shas), chunk)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: list[Future[list[GitCommit]]] = []
        nxt = 0
        while nxt < len(chunks) or pending:
            while nxt < len(chunks) and len(pending) < jobs + 1:
                pending.append(pool.submit(git_log_chunk, repo, chunks[nxt]))
                nxt += 1
            yield pending.pop(0).result()


# --------------------------------------------------------------------------------------
# the warehouse


@dataclass
class StoredCommit:
    sha: str
    meta: dict[str, object]
    files: list[FileRow]
    blob_missing: bool


STORED_QUERY = """
WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS sha)
SELECT c.sha, c.parents, c.author_name, c.author_email,
       CAST(epoch(c.author_time) AS BIGINT), c.author_utc_offset_minutes,
       c.committer_name, c.committer_email,
       CAST(epoch(c.committer_time) AS BIGINT), c.committer_utc_offset_minutes,
       c.subject,
       f.path, f.previous_path, f.lines_added, f.lines_deleted, f.is_binary, f.blob_missing
FROM wanted w
JOIN commits c ON c.sha = w.sha AND c.repository_id = ?
LEFT JOIN commit_files f ON f.repository_id = c.repository_id AND f.commit_sha = c.sha
ORDER BY c.sha
"""


def stored_commits(con, repository_id: int, shas: list[str]) -> dict[str, StoredCommit]:  # type: ignore[no-untyped-def]
    """The stored commits among ``shas``, each with its file rows."""
    found: dict[str, StoredCommit] = {}
    for row in con.execute(STORED_QUERY, [shas, repository_id]).fetchall():
        current = found.get(row[0])
        if current is None:
            current = found[row[0]] = StoredCommit(
                row[0],
                {
                    "parents": list(row[1]),
                    "author_name": row[2],
                    "author_email": row[3],
                    "author_time": row[4],
                    "author_offset": row[5],
                    "committer_name": row[6],
                    "committer_email": row[7],
                    "committer_time": row[8],
                    "committer_offset": row[9],
                    "subject": row[10],
                },
                [],
                False,
            )
        if row[11] is not None:
            current.files.append((row[11], row[12], row[13], row[14], bool(row[15])))
            current.blob_missing = current.blob_missing or bool(row[16])
    return found


def stored_reachable(con, repository_id: int, batch: int = 50000) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Shas of the commits stored as reachable, in sha order, streamed."""
    cur = con.cursor()
    cur.execute("SELECT sha FROM commits WHERE repository_id = ? AND reachable ORDER BY sha", [repository_id])
    while rows := cur.fetchmany(batch):
        for (sha,) in rows:
            yield sha
    cur.close()


# --------------------------------------------------------------------------------------
# comparing


@dataclass
class Report:
    examples_per_kind: int
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    checked: int = 0
    skipped_missing: list[str] = field(default_factory=list)  # stored with blob_missing rows
    unflagged_absent: list[str] = field(default_factory=list)  # need absent blobs, stored with counts
    flagged_present: list[str] = field(default_factory=list)  # flagged, yet git has every blob
    git_rows: int = 0
    stored_rows: int = 0

    def add(self, kind: str, text: str) -> None:
        self.counts[kind] += 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < self.examples_per_kind:
            shown.append(text)

    @property
    def ok(self) -> bool:
        return not self.counts


META_KINDS = {
    "author_email": "author/committer e-mail",
    "committer_email": "author/committer e-mail",
    "author_time": "author/committer time",
    "author_offset": "author/committer time",
    "committer_time": "author/committer time",
    "committer_offset": "author/committer time",
    "author_name": "author/committer name",
    "committer_name": "author/committer name",
    "parents": "parents",
    "subject": "subject",
}


def compare(g: GitCommit, s: StoredCommit, report: Report) -> None:
    report.checked += 1
    for key, kind in META_KINDS.items():
        if g.meta[key] != s.meta[key]:
            report.add(kind, f"{g.sha} {key}: git {g.meta[key]!r}, warehouse {s.meta[key]!r}")
    want, have = Counter(g.files), Counter(s.files)
    report.git_rows += len(g.files)
    report.stored_rows += len(s.files)
    if want != have:
        lines = [f"{g.sha}: {len(g.files)} rows in git, {len(s.files)} in the warehouse"]
        lines += [f"    git only:       {row}" for row in sorted((want - have).elements(), key=repr)[:6]]
        lines += [f"    warehouse only: {row}" for row in sorted((have - want).elements(), key=repr)[:6]]
        report.add("file rows", "\n".join(lines))


def verify(repo: Path, db: Path, refs: list[str] | None, jobs: int, chunk_size: int, examples: int) -> Report:
    import duckdb

    key = repository_key(repo)
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise VerifyError(f"cannot open {db}: {exc}") from exc
    row = con.execute("SELECT repository_id, name, ref_patterns FROM repositories WHERE path = ?", [key]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT path FROM repositories ORDER BY path").fetchall()]
        raise VerifyError(f"{key} is not in the warehouse (it has: {', '.join(known) or 'no repositories'})")
    repository_id, name, stored_patterns = row
    patterns = refs or list(stored_patterns or ()) or list(DEFAULT_REFS)
    print(f"repository {name} (id {repository_id}): {key}")
    print(f"refs: {' '.join(patterns)}" + ("" if refs else " (as recorded at ingest)"))
    if refs and stored_patterns and sorted(refs) != sorted(stored_patterns):
        print(f"note: the warehouse was ingested with refs {' '.join(stored_patterns)}")

    report = Report(examples)
    tips = ref_tips(repo, patterns)
    history = reachable_shas(repo, tips)
    stored_count, unreachable = con.execute(
        "SELECT count(*) FILTER (WHERE reachable), count(*) FILTER (WHERE NOT reachable) "
        "FROM commits WHERE repository_id = ?",
        [repository_id],
    ).fetchone()
    print(
        f"(a) git rev-list: {len(history):,} commits; warehouse: {stored_count:,} reachable "
        f"(+{unreachable:,} stored as unreachable)"
    )
    if stored_count != len(history):
        report.add("reachable count", f"git rev-list {len(history)}, warehouse {stored_count}")

    # (a) the same commits: both lists in sha order, walked side by side
    absent: set[str] = set()
    stored_iter = stored_reachable(con, repository_id)
    stored = next(stored_iter, None)
    for sha in sorted(history):
        while stored is not None and stored < sha:
            report.add("stored as reachable, not reachable in git", stored)
            stored = next(stored_iter, None)
        if stored == sha:
            stored = next(stored_iter, None)
        else:
            absent.add(sha)
            report.add("missing from the warehouse", sha)
    while stored is not None:
        report.add("stored as reachable, not reachable in git", stored)
        stored = next(stored_iter, None)
    orphans = con.execute(
        "SELECT count(*) FROM commit_files f WHERE f.repository_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM commits c WHERE c.repository_id = f.repository_id AND c.sha = f.commit_sha)",
        [repository_id],
    ).fetchone()[0]
    if orphans:
        report.add("file rows without a commit", f"{orphans} commit_files rows name no stored commit")

    # (b, c) every commit both sides have, chunk by chunk, each chunk in sha order
    flagged = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT commit_sha FROM commit_files WHERE repository_id = ? AND blob_missing",
            [repository_id],
        ).fetchall()
    }
    # In a partial clone git itself cannot print numstat for a commit that needs an absent
    # blob: those commits are not compared, whether or not the warehouse flagged them.
    needing = commits_needing_absent_blobs(repo, tips) if is_partial_clone(repo) else set()
    report.skipped_missing = sorted(s for s in flagged if s not in absent)
    report.unflagged_absent = sorted(s for s in needing - flagged if s not in absent)
    report.flagged_present = sorted(s for s in flagged - needing if s not in absent) if needing else []
    skip = flagged | needing
    to_read = [s for s in history if s not in absent and s not in skip]
    for chunk in git_commits(repo, to_read, jobs, chunk_size):
        have = stored_commits(con, repository_id, [g.sha for g in chunk])
        for g in sorted(chunk, key=lambda c: c.sha):
            compare(g, have[g.sha], report)
    con.close()
    return report


def print_report(report: Report) -> None:
    print(
        f"(b,c) commits compared: {report.checked:,}; file rows: git {report.git_rows:,}, "
        f"warehouse {report.stored_rows:,}"
    )
    if report.skipped_missing:
        print(
            f"skipped: {len(report.skipped_missing):,} commits stored with blob_missing rows "
            f"(partial clone), e.g. {', '.join(report.skipped_missing[:3])}"
        )
    if report.unflagged_absent:
        print(
            f"skipped: {len(report.unflagged_absent):,} commits whose diff needs a blob absent from "
            "this partial clone but stored with line counts and no blob_missing row (git cannot "
            f"print their numstat here; check them on a full clone), e.g. "
            f"{', '.join(report.unflagged_absent[:3])}"
        )
    if report.flagged_present:
        print(
            f"note: {len(report.flagged_present):,} commits have blob_missing rows although "
            f"every blob they need is present now, e.g. {', '.join(report.flagged_present[:3])}"
        )
    if report.ok:
        print("OK: the warehouse matches git")
        return
    total = sum(report.counts.values())
    print(f"MISMATCH: {total:,} problems")
    for kind, count in report.counts.most_common():
        print(f"  {kind}: {count:,}")
        for example in report.examples.get(kind, []):
            print("    " + example.replace("\n", "\n    "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_git_ingest.py",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("repo", type=Path, metavar="REPO", help="the repository (work tree or git dir)")
    parser.add_argument("db", type=Path, metavar="DB", help="the warehouse file")
    parser.add_argument(
        "--refs",
        action="append",
        metavar="PATTERN",
        help="ref patterns (repeatable or comma-separated); default: those recorded at ingest",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="git processes at once")
    parser.add_argument("--chunk", type=int, default=2000, help="commits per git log process")
    parser.add_argument("--examples", type=int, default=5, help="examples shown per kind of mismatch")
    args = parser.parse_args(argv)
    refs = [p.strip() for value in args.refs or () for p in value.split(",") if p.strip()] or None
    if not args.db.is_file():
        print(f"error: {args.db}: no such warehouse file", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        report = verify(args.repo, args.db, refs, max(1, args.jobs), max(1, args.chunk), args.examples)
    except VerifyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_report(report)
    print(f"{time.perf_counter() - started:.1f} s")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
