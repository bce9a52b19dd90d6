"""Helpers shared by the git edge-case, discovery and error tests (no tests in here).

They build what the tests compare against straight from git (``git log --numstat -M``,
raw commit objects) and read the warehouse file directly, so an expected value never
comes from Quarterdeck's own code.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.conftest import run_quarterdeck
from tests.gitrepo import git, git_env
from tests.warehouse_rows import ALL_TABLES, DATA_TABLES, query, query_each

run_cli = run_quarterdeck


def ingest(db: Path, *paths: Path | str, extra: Sequence[str] = (), **kwargs: Any) -> dict[str, Any]:
    """Ingest ``paths`` with --format json; the run must succeed. Returns the JSON report."""
    result = run_cli("--db", str(db), "ingest", "git", *map(str, paths), *extra, "--format", "json", **kwargs)
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return json.loads(result.stdout)


def scalar(db: Path, sql: str, params: Sequence[Any] = ()) -> Any:
    rows = query(db, sql, params)
    assert len(rows) == 1, rows
    return rows[0][0]


def table_counts(db: Path, tables: Sequence[str] = ALL_TABLES) -> dict[str, int]:
    counts = query_each(db, {t: f"SELECT count(*) FROM {t}" for t in tables})
    for rows in counts.values():
        assert len(rows) == 1, rows
    return {t: rows[0][0] for t, rows in counts.items()}


def table_contents(db: Path, tables: Sequence[str] = DATA_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, for before/after comparisons."""
    return {t: sorted(rows, key=repr) for t, rows in query_each(db, {t: f"SELECT * FROM {t}" for t in tables}).items()}


def stored_files(db: Path, sha: str) -> list[tuple[str, str | None, int | None, int | None]]:
    """(path, previous_path, added, deleted) of one commit, sorted by path."""
    rows = query(
        db,
        "SELECT path, previous_path, lines_added, lines_deleted FROM commit_files "
        "WHERE commit_sha = ? ORDER BY path, previous_path",
        [sha],
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def decode_path(raw: bytes) -> str:
    """How the brief says paths are stored: UTF-8, invalid bytes written as ``\\xNN``."""
    return raw.decode("utf-8", "backslashreplace")


def git_numstat(cwd: Path, *revs: str) -> dict[str, list[tuple[str, str | None, int | None, int | None]]]:
    """What ``git log --numstat -M`` prints, per commit: (path, previous, added, deleted), sorted.

    Merge commits print no rows (plain ``git log`` shows no diff for them) and are absent
    from the result unless they are in ``revs`` with --no-walk (then they map to ``[]``).
    """
    out = subprocess.run(
        [
            "git",
            "-c",
            "core.quotepath=off",
            "-c",
            "diff.renameLimit=1000",
            "log",
            "--no-walk=unsorted",
            "--numstat",
            "-M",
            "-z",
            "--format=%x01%H",
            *revs,
        ],
        cwd=cwd,
        env=git_env(),
        capture_output=True,
        check=True,
    ).stdout
    result: dict[str, list[tuple[str, str | None, int | None, int | None]]] = {}
    tokens = out.split(b"\0")
    sha = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.startswith(b"\x01"):
            sha = tok[1:].decode()
            result[sha] = []
            continue
        tok = tok.lstrip(b"\n")
        if not tok:
            continue
        added, deleted, path = tok.split(b"\t", 2)
        previous: str | None = None
        if not path:
            previous, path = decode_path(tokens[i]), tokens[i + 1]
            i += 2
        a = None if added == b"-" else int(added)
        d = None if deleted == b"-" else int(deleted)
        result[sha].append((decode_path(path), previous, a, d))
    return {k: sorted(v, key=repr) for k, v in result.items()}


def all_commits(cwd: Path, *revs: str) -> list[str]:
    return git(cwd, "rev-list", *(revs or ("--all",))).split()


def write_commit_object(cwd: Path, raw: bytes) -> str:
    """Store a hand-written commit object and return its id."""
    proc = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=cwd,
        env=git_env(),
        input=raw,
        capture_output=True,
        check=True,
    )
    return proc.stdout.decode().strip()


def dir_bytes(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or the file itself) with its bytes."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def fast_import(cwd: Path, commits: int, start_epoch: int = 1704067200) -> None:
    """``commits`` linear commits on refs/heads/main, each adding one file and editing
    ``shared.txt``, written in one fast-import run (much faster than ``git commit``)."""
    parts: list[bytes] = []
    for i in range(1, commits + 1):
        msg = f"commit {i}\n".encode()
        shared = "".join(f"line {j}\n" for j in range(i)).encode()
        own = f"file {i}\n".encode()
        when = start_epoch + i * 3600
        parts.append(
            b"commit refs/heads/main\n"
            + f"mark :{i}\n".encode()
            + f"author Alice Example <alice@example.com> {when} +0000\n".encode()
            + f"committer Alice Example <alice@example.com> {when} +0000\n".encode()
            + f"data {len(msg)}\n".encode()
            + msg
            + (f"from :{i - 1}\n".encode() if i > 1 else b"")
            + f"M 100644 inline f{i:04d}.txt\ndata {len(own)}\n".encode()
            + own
            + f"M 100644 inline shared.txt\ndata {len(shared)}\n".encode()
            + shared
            + b"\n"
        )
    subprocess.run(["git", "fast-import", "--quiet"], cwd=cwd, env=git_env(), input=b"".join(parts), check=True)


def explode_packs(git_dir: Path) -> None:
    """Turn every pack into loose objects, so single objects can be deleted."""
    pack_dir = git_dir / "objects" / "pack"
    for pack in sorted(pack_dir.glob("*.pack")):
        data = pack.read_bytes()
        for sibling in pack_dir.glob(pack.stem + ".*"):
            sibling.unlink()
        subprocess.run(["git", "unpack-objects", "-q"], cwd=git_dir, env=git_env(), input=data, check=True)


def loose_object(git_dir: Path, oid: str) -> Path:
    return git_dir / "objects" / oid[:2] / oid[2:]
