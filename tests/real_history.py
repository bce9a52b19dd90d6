"""A real git repository rebuilt from a recorded public history (decision 0081).

The recording (tests/fixtures/real-history/OWNER__NAME/history.jsonl, made by
scripts/record_real_history.py) holds each commit's parents, authors, dates, subject and, per
file, the lines added and deleted; ``head/`` holds the HEAD content of the data files
(manifests, licence, CI). ``rebuild`` writes the same commits with ``git fast-import``: the
same parents, authors, dates and paths, each change deleting the file's last D lines and
appending A new lines, so ``git log --numstat`` gives back exactly the recorded counts. Every
line is generated filler, except that the lines of a data file that survive to HEAD are
given the file's real content, so the repository's HEAD has its real licence and manifests.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.gitrepo import git_env

FIXTURES = Path(__file__).parent / "fixtures" / "real-history"
#: Folders a tool may leave next to the recorded files (a linter's cache): not recorded data.
CACHES = {".ruff_cache", ".pytest_cache", "__pycache__", ".mypy_cache"}


@dataclass
class Recording:
    folder: Path
    commits: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, name: str) -> Recording:
        folder = FIXTURES / name
        lines = (folder / "history.jsonl").read_text(encoding="utf-8").splitlines()
        return cls(folder, [json.loads(line) for line in lines])

    def head_files(self) -> dict[str, bytes]:
        head = self.folder / "head"
        files = (p for p in head.rglob("*") if p.is_file() and not CACHES & set(p.relative_to(head).parts))
        return {p.relative_to(head).as_posix(): p.read_bytes() for p in files}


def simulate(commits: list[dict]) -> tuple[dict[str, dict[str, list[int]]], dict[str, set[str]]]:
    """Each commit's files as lists of line ids (a new id per added line), and the binary paths."""
    counter = itertools.count()
    trees: dict[str, dict[str, list[int]]] = {}
    binary: dict[str, set[str]] = {}
    for commit in commits:
        parent = commit["parents"][0] if commit["parents"] else None
        tree = dict(trees[parent]) if parent else {}
        binaries = set(binary[parent]) if parent else set()
        for status, path, added, deleted in commit["files"]:
            if status == "D":
                tree.pop(path, None)
                binaries.discard(path)
                continue
            if added is None:
                binaries.add(path)
                tree[path] = [next(counter)]
                continue
            binaries.discard(path)
            lines = [] if status == "A" else tree.get(path, [])
            if deleted > len(lines):
                raise ValueError(f"{commit['sha']}: {path} deletes {deleted} of {len(lines)} lines")
            tree[path] = lines[: len(lines) - deleted] + [next(counter) for _ in range(added)]
        trees[commit["sha"]] = tree
        binary[commit["sha"]] = binaries
    return trees, binary


def real_lines(commits: list[dict], trees: dict, head: dict[str, bytes]) -> dict[int, bytes]:
    """The real text of each line id that a data file still has at HEAD."""
    tip = trees[commits[-1]["sha"]]
    text: dict[int, bytes] = {}
    for path, content in head.items():
        ids = tip.get(path)
        lines = content.splitlines()
        if ids is None or len(ids) != len(lines):
            raise ValueError(f"{path}: {len(lines)} lines at HEAD, the recording gives {len(ids or [])}")
        text.update(zip(ids, lines, strict=True))
    return text


def _blob(path: str, ids: list[int], real: dict[int, bytes], is_binary: bool) -> bytes:
    if is_binary:
        return b"\x00binary " + str(ids[0]).encode() + b"\n"
    return b"".join(real.get(i, b"filler line %d of %s" % (i, path.encode())) + b"\n" for i in ids)


def _who(person: list[str]) -> bytes:
    from datetime import datetime

    name, email, when = person
    moment = datetime.fromisoformat(when)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "-" if minutes < 0 else "+"
    stamp = f"{int(moment.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return f"{name} <{email}> {stamp}".encode()


def fast_import_stream(commits: list[dict], trees: dict, binary: dict, real: dict[int, bytes]) -> bytes:
    marks = {c["sha"]: n for n, c in enumerate(commits, start=1)}
    out: list[bytes] = []
    previous: dict[str, list[int]] = {}
    for commit in commits:
        sha = commit["sha"]
        subject = commit["subject"].encode()
        out += [
            b"commit refs/heads/main\n",
            b"mark :%d\n" % marks[sha],
            b"author " + _who(commit["author"]) + b"\n",
            b"committer " + _who(commit["committer"]) + b"\n",
            b"data %d\n" % len(subject),
            subject,
            b"\n",
        ]
        parents = commit["parents"]
        if parents:
            out.append(b"from :%d\n" % marks[parents[0]])
            out += [b"merge :%d\n" % marks[p] for p in parents[1:]]
            previous = trees[parents[0]]
        else:
            previous = {}
        tree = trees[sha]
        for path in previous.keys() - tree.keys():
            out.append(b"D " + path.encode() + b"\n")
        for path, ids in tree.items():
            if previous.get(path) != ids:
                blob = _blob(path, ids, real, path in binary[sha])
                out += [b"M 100644 inline " + path.encode() + b"\n", b"data %d\n" % len(blob), blob, b"\n"]
    return b"".join(out)


def rebuild(name: str, target: Path) -> Recording:
    """A work-tree repository at ``target`` holding the recorded history ``name``; returns it."""
    recording = Recording.load(name)
    trees, binary = simulate(recording.commits)
    real = real_lines(recording.commits, trees, recording.head_files())
    target.mkdir(parents=True)
    env = git_env()
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True, env=env)
    stream = fast_import_stream(recording.commits, trees, binary, real)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=target, input=stream, check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=target, check=True, env=env)
    return recording
