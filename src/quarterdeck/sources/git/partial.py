"""Partial clones: finding absent blobs and counting what is there without them.

``git log --numstat`` aborts on the first absent blob, and in a clone whose promisor
remote is reachable it would fetch each one (Quarterdeck sets ``GIT_NO_LAZY_FETCH``, so
it never does). Walking every object of the history up front to find the absent ones
costs as much git work as a fifth of the whole ingest on numpy, so a partial clone is
read like a complete one, batch by batch, and only a batch whose read stops on an absent
blob is looked at closer: its changed files are listed from ``--raw`` (blob ids only, no
contents), ``rev-list --missing=print`` tells which of their blobs are absent, the commits
that touch none are read again as usual, and the others file by file. Files whose blobs
are both present still get exact line counts (one ``git diff --numstat`` per file);
files with an absent blob are stored with ``blob_missing`` set and no line counts.
Renames in those commits are detected when the content is identical (same blob id);
similarity renames need the contents and are stored as a deletion plus an addition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quarterdeck.sources.git.command import GitRepository, run_git
from quarterdeck.sources.git.log_parser import FileColumns, decode_path
from quarterdeck.sources.git.tree import measure_blobs

ZERO_OID = "0" * 40
_GITLINK = "160000"


def absent_objects(repo: GitRepository, commits: list[str], *, parents: bool = True) -> frozenset[str]:
    """Objects in the trees of ``commits`` (and of their parents) that are absent from the
    object store. ``rev-list --missing=print`` lists them without fetching; ``cat-file``
    would try to fetch each one and stop at the first it cannot get."""
    if not commits:
        return frozenset()
    revisions = [*commits, *(f"{sha}^@" for sha in commits)] if parents else commits
    out = run_git(
        repo,
        "rev-list",
        "--objects",
        "--missing=print",
        "--no-object-names",
        "--no-walk",
        "--stdin",
        stdin="".join(f"{rev}\n" for rev in revisions).encode("ascii"),
    )
    return frozenset(line[1:].decode("ascii") for line in out.splitlines() if line.startswith(b"?"))


@dataclass(frozen=True)
class RawChange:
    """One file change as ``git log --raw`` prints it (blob ids, no contents)."""

    old_mode: str
    new_mode: str
    old_oid: str
    new_oid: str
    status: str
    path: bytes


@dataclass
class RawCommit:
    sha: str
    changes: list[RawChange] = field(default_factory=list)


def raw_changes(repo: GitRepository, shas: list[str]) -> list[RawCommit]:
    """The changed files of each commit, without reading any blob."""
    if not shas:
        return []
    out = run_git(
        repo,
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "-z",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "--format=%x01%H",
        stdin="".join(f"{s}\n" for s in shas).encode("ascii"),
    )
    commits: list[RawCommit] = []
    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok[:1] == b"\x01":
            commits.append(RawCommit(tok[1:].decode("ascii")))
        elif tok.lstrip(b"\n")[:1] == b":":
            meta = tok.lstrip(b"\n")[1:].decode("ascii").split()
            commits[-1].changes.append(RawChange(meta[0], meta[1], meta[2], meta[3], meta[4], tokens[i]))
            i += 1
    return commits


def affected_commits(changes: list[RawCommit], missing: frozenset[str]) -> dict[str, RawCommit]:
    """Commits whose diff would need an absent blob."""
    return {c.sha: c for c in changes if any(ch.old_oid in missing or ch.new_oid in missing for ch in c.changes)}


def files_without_missing_blobs(
    repo: GitRepository, commit: RawCommit, missing: frozenset[str], files: FileColumns
) -> list[tuple[str, str]]:
    """Append the file rows of ``commit`` to ``files``; return (path, blob id) of absent blobs."""
    absent: list[tuple[str, str]] = []
    pairs = _exact_renames(commit.changes)
    paired_deletes = {id(old) for old in pairs.values()}
    for change in commit.changes:
        if id(change) in paired_deletes:
            continue
        path = decode_path(change.path)
        old = pairs.get(id(change))
        if old is not None:
            _append_exact_rename(repo, commit.sha, path, decode_path(old.path), change.new_oid, missing, files)
            if change.new_oid in missing:
                absent.append((path, change.new_oid))
            continue
        gone = [oid for oid in (change.old_oid, change.new_oid) if oid in missing]
        if gone:
            absent.extend((path, oid) for oid in gone)
            files.append_missing(commit.sha, path)
            continue
        added, deleted = _count_lines(repo, change)
        files.append(commit.sha, path, None, added, deleted)
    return absent


def _append_exact_rename(
    repo: GitRepository,
    sha: str,
    path: str,
    previous: str,
    oid: str,
    missing: frozenset[str],
    files: FileColumns,
) -> None:
    """A rename without edits: no lines changed, or a binary file, or (absent blob) unknown."""
    if oid in missing:
        files.append_missing(sha, path, previous)
        return
    binary = measure_blobs(repo, [oid], frozenset())[oid].is_binary
    files.append(sha, path, previous, *((b"-", b"-") if binary else (b"0", b"0")))


def _exact_renames(changes: list[RawChange]) -> dict[int, RawChange]:
    """Pairs an added file with a deleted file of identical content: id(added) -> deleted."""
    deleted: dict[str, list[RawChange]] = {}
    for change in changes:
        if change.status == "D" and change.old_mode != _GITLINK:
            deleted.setdefault(change.old_oid, []).append(change)
    pairs: dict[int, RawChange] = {}
    for change in changes:
        if change.status == "A" and deleted.get(change.new_oid):
            pairs[id(change)] = deleted[change.new_oid].pop(0)
    return pairs


def _count_lines(repo: GitRepository, change: RawChange) -> tuple[bytes, bytes]:
    """numstat of one change whose blobs are all present."""
    if _GITLINK in (change.old_mode, change.new_mode):
        return (b"0" if change.status == "D" else b"1"), (b"0" if change.status == "A" else b"1")
    if ZERO_OID in (change.old_oid, change.new_oid):
        # an added or deleted file: every line of the one version counts (the empty blob
        # git would diff against need not exist in the repository)
        oid = change.new_oid if change.old_oid == ZERO_OID else change.old_oid
        blob = measure_blobs(repo, [oid], frozenset())[oid]
        if blob.is_binary or blob.lines is None:
            return b"-", b"-"
        lines = str(blob.lines).encode()
        return (lines, b"0") if change.old_oid == ZERO_OID else (b"0", lines)
    out = run_git(repo, "diff", "--numstat", "--no-ext-diff", "--no-textconv", change.old_oid, change.new_oid)
    fields = out.split(b"\t")
    if len(fields) < 2:
        return b"0", b"0"
    return fields[0], fields[1]
