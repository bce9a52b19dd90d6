"""Reading a repository's files at HEAD for due diligence: its licence, its dependency
manifests and lock files, and secret-like patterns (counted, never kept).

Blobs are read once with ``git cat-file --batch``; binary files and files over
``MAX_BYTES`` are not searched. Nothing is written to the warehouse: the counts go to the
report (``core.head_scan.HeadScan``).
"""

from __future__ import annotations

import json
import re
import threading
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from quarterdeck.core.head_scan import LOCK_FILES, MANIFESTS, HeadScan, SecretCount
from quarterdeck.ingest.secret_patterns import KINDS, count_in_text
from quarterdeck.sources.git.command import GitRepository, run_git, start_git
from quarterdeck.sources.git.tree import list_tree

MAX_BYTES = 2 << 20
_LICENCE_FILE = re.compile(r"^(licen[cs]e|copying)(\.\w+)?$", re.I)
#: Licence texts by a phrase each one holds (the first that matches wins; most specific first).
_LICENCES = (
    ("AGPL-3.0", "GNU AFFERO GENERAL PUBLIC LICENSE"),
    ("LGPL-3.0", "GNU LESSER GENERAL PUBLIC LICENSE"),
    ("GPL-3.0", "GNU GENERAL PUBLIC LICENSE\n *Version 3"),
    ("GPL-2.0", "GNU GENERAL PUBLIC LICENSE\n *Version 2"),
    ("MPL-2.0", "Mozilla Public License,? (Version )?2\\.0"),
    ("Apache-2.0", "Apache License,?\\s+Version 2\\.0"),
    ("MIT", "Permission is hereby granted, free of charge"),
    ("BSD-3-Clause", "Neither the name of"),
    ("BSD-2-Clause", "Redistributions in binary form must reproduce"),
    ("ISC", "Permission to use, copy, modify, and/or distribute this software"),
    ("Unlicense", "This is free and unencumbered software released into the public domain"),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
_REQUIREMENTS = re.compile(r"^requirements[^/]*\.txt$")


def scan_head(repo: GitRepository) -> HeadScan:
    """Licence, manifests and secret-like patterns of the files at HEAD of ``repo``."""
    scan = HeadScan(repository_path=str(repo.git_dir.resolve()))
    head = run_git(repo, "rev-parse", "--verify", "-q", "HEAD^{commit}", check=False).decode().strip()
    if not head:
        return scan
    entries = [(raw.decode("utf-8", "replace"), oid) for raw, oid in list_tree(repo, head)]
    for path, text in read_texts(repo, entries):
        scan.files_scanned += 1
        for kind, found in count_in_text(path, text).items():
            count = scan.secrets.setdefault(kind, SecretCount(kind, KIND_BY_NAME[kind].title, KIND_BY_NAME[kind].grade))
            count.matches += found
            count.paths.append(path)
        note_file(scan, path, text)
    scan.secrets = {k.name: scan.secrets[k.name] for k in KINDS if k.name in scan.secrets}
    return scan


def note_file(scan: HeadScan, path: str, text: str) -> None:
    """Record the licence file at the root, manifests and lock files."""
    name = PurePosixPath(path).name
    if "/" not in path and _LICENCE_FILE.match(name) and scan.licence_file is None:
        scan.licence_file, scan.licence = path, licence_of(text)
    if name in LOCK_FILES:
        scan.lock_files.append(path)
    elif name in MANIFESTS or _REQUIREMENTS.match(name):
        scan.manifests[path] = dependencies_declared(name, text)


def licence_of(text: str) -> str:
    for spdx, phrase in _LICENCES:
        if re.search(phrase, text, re.I):
            return spdx
    return "unknown"


def dependencies_declared(name: str, text: str) -> int:
    """How many dependencies a manifest declares (0 when it cannot be read)."""
    try:
        if name == "pyproject.toml":
            return pyproject_dependencies(tomllib.loads(text))
        if name == "package.json":
            data = json.loads(text)
            return sum(len(data.get(k, {})) for k in ("dependencies", "devDependencies", "peerDependencies"))
        if name == "go.mod":
            return len(re.findall(r"^\s*(?:require\s+)?[\w.-]+\.[\w./-]+\s+v\d", text, re.M))
        if name == "Cargo.toml":
            data = tomllib.loads(text)
            return sum(len(data.get(k, {})) for k in ("dependencies", "dev-dependencies", "build-dependencies"))
        if _REQUIREMENTS.match(name):
            return sum(1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-")))
    except (ValueError, tomllib.TOMLDecodeError):
        return 0
    return 0


def pyproject_dependencies(data: dict) -> int:
    """Dependencies of a pyproject.toml: [project] dependencies and optional dependencies,
    [dependency-groups] (PEP 735; includes of other groups not counted) and Poetry's tables."""
    project = data.get("project", {})
    extras = project.get("optional-dependencies", {})
    groups = data.get("dependency-groups", {})
    poetry = data.get("tool", {}).get("poetry", {})
    poetry_groups = [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]
    return (
        len(project.get("dependencies", []))
        + sum(len(v) for v in extras.values())
        + sum(1 for v in groups.values() for item in v if isinstance(item, str))
        + sum(1 for name in poetry.get("dependencies", {}) if name != "python")
        + sum(len(g) for g in poetry_groups)
    )


def read_texts(repo: GitRepository, entries: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(path, text) of each file, one at a time (a repository's files are never all in memory);
    binary files and files over MAX_BYTES are left out."""
    if not entries:
        return
    query = "".join(f"{oid}\n" for _, oid in entries).encode("ascii")
    checked = run_git(repo, "cat-file", "--batch-check", stdin=query).decode("ascii", "replace").splitlines()
    wanted = []
    for (path, oid), line in zip(entries, checked, strict=True):
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob" and int(parts[2]) <= MAX_BYTES:
            wanted.append((path, oid))
    if not wanted:
        return
    proc = start_git(repo, "cat-file", "--batch")
    assert proc.stdin is not None and proc.stdout is not None
    writer = threading.Thread(target=_feed, args=(proc.stdin, [oid for _, oid in wanted]), daemon=True)
    writer.start()
    try:
        for path, _oid in wanted:
            header = proc.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                continue
            blob = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)  # the newline after the contents
            if b"\0" not in blob[:8000]:
                yield path, blob.decode("utf-8", "replace")
    finally:
        writer.join()
        proc.stdout.read()
        proc.wait()


def _feed(stdin: IO[bytes], oids: list[str]) -> None:
    try:
        stdin.write("".join(f"{oid}\n" for oid in oids).encode("ascii"))
        stdin.close()
    except BrokenPipeError:
        pass
