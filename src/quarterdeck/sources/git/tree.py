"""The files at the tip of the default branch and their size in lines.

Sizes come from reading each blob once (``git cat-file --batch``); a blob whose line
count is already known is not read again. When each file last changed is worked out in
the warehouse from the commits already stored (see ``history_of``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from quarterdeck.sources.git.command import GitRepository, run_git, start_git
from quarterdeck.sources.git.log_parser import decode_path

#: git's own test for binary content: a NUL byte in the first 8,000 bytes.
BINARY_PROBE = 8000
_REGULAR_FILE_MODES = {b"100644", b"100755", b"100664"}


@dataclass(frozen=True)
class BlobSize:
    size_bytes: int | None
    lines: int | None
    is_binary: bool
    missing: bool = False


@dataclass
class TreeFiles:
    """Regular files at HEAD, column by column."""

    path: list[str] = field(default_factory=list)
    blob_sha: list[str] = field(default_factory=list)
    size_bytes: list[int | None] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    is_binary: list[bool] = field(default_factory=list)
    blob_missing: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.path)


def list_tree(repo: GitRepository, commit: str) -> list[tuple[bytes, str]]:
    """(raw path, blob id) of every regular file in the tree of ``commit``."""
    out = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, oid = meta.split(b" ")
        if kind == b"blob" and mode in _REGULAR_FILE_MODES:
            entries.append((path, oid.decode("ascii")))
    return entries


def measure_blobs(repo: GitRepository, oids: Iterable[str], missing: frozenset[str]) -> dict[str, BlobSize]:
    """Size, line count and binary flag of each blob; absent blobs are reported, not fetched."""
    wanted = sorted({oid for oid in oids if oid not in missing})
    sizes = {oid: BlobSize(None, None, False, missing=True) for oid in oids if oid in missing}
    if not wanted:
        return sizes
    proc = start_git(repo, "cat-file", "--batch")
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        try:
            proc.stdin.write("".join(f"{oid}\n" for oid in wanted).encode("ascii"))  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for oid in wanted:
        sizes[oid] = _read_one_blob(proc.stdout)
    writer.join()
    proc.stdout.read()
    proc.wait()
    return sizes


def _read_one_blob(stdout) -> BlobSize:  # type: ignore[no-untyped-def]
    header = stdout.readline().split()
    if len(header) < 3 or header[1] != b"blob":
        return BlobSize(None, None, False, missing=True)  # "<oid> missing"
    remaining = int(header[2])
    size = remaining
    lines = 0
    binary = False
    first = True
    last = b""
    while remaining > 0:
        piece = stdout.read(min(remaining, 1 << 20))
        if not piece:
            break
        if first and b"\0" in piece[:BINARY_PROBE]:
            binary = True
        first = False
        lines += piece.count(b"\n")
        last = piece[-1:]
        remaining -= len(piece)
    stdout.read(1)  # the newline after the contents
    if size and last != b"\n":
        lines += 1
    return BlobSize(size, None if binary else lines, binary)


def head_files(
    repo: GitRepository,
    head: str,
    known: dict[str, BlobSize],
    missing: frozenset[str] = frozenset(),
) -> TreeFiles:
    """Every regular file at ``head`` with its size."""
    entries = list_tree(repo, head)
    unknown = [oid for _, oid in entries if oid not in known]
    sizes = dict(known)
    sizes.update(measure_blobs(repo, unknown, missing))
    files = TreeFiles()
    for raw_path, oid in entries:
        blob = sizes[oid]
        files.path.append(decode_path(raw_path))
        files.blob_sha.append(oid)
        files.size_bytes.append(blob.size_bytes)
        files.lines.append(blob.lines)
        files.is_binary.append(blob.is_binary)
        files.blob_missing.append(blob.missing)
    return files


def history_of(repo: GitRepository, commit: str) -> list[str]:
    """Commits reachable from ``commit``, newest first (``git rev-list`` order)."""
    return run_git(repo, "rev-list", commit, "--").decode("ascii").split()
