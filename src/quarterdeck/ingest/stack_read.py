"""Reading a repository's tech-stack inventory at HEAD (docs/tech-stack.md).

The files at HEAD and their lines are those the git ingest already lists and measures
(``sources/git/tree.py``); this reads, in one ``git cat-file --batch``, only the blobs the
inventory needs: manifests, lock files, SBOMs, licence files, candidate Kubernetes files,
and the first line of files without an extension (for their shebang).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from quarterdeck.sources.git.command import GitRepository, start_git
from quarterdeck.sources.git.tree import TreeFiles
from quarterdeck.sources.stack.inventory import TreeFile, build, wanted
from quarterdeck.sources.stack.model import Inventory


def read_inventory(repo: GitRepository, head: str, files: TreeFiles) -> Inventory:
    """The inventory of the files at ``head`` (listed and measured in ``files``)."""
    columns = zip(files.path, files.lines, files.is_binary, files.blob_missing, strict=True)
    tree = [TreeFile(path, lines, binary, missing) for path, lines, binary, missing in columns]
    whole, first = wanted(tree)
    oid_of = dict(zip(files.path, files.blob_sha, strict=True))
    blobs = read_blobs(repo, {oid_of[p] for p in [*whole, *first]})
    contents = {p: blobs[oid_of[p]] for p in whole if oid_of[p] in blobs}
    first_lines = {p: blobs[oid_of[p]].split(b"\n", 1)[0] for p in first if oid_of[p] in blobs}
    return build(head, tree, contents, first_lines)


def read_blobs(repo: GitRepository, oids: Iterable[str]) -> dict[str, bytes]:
    """The contents of blobs (absent ones are left out, never fetched)."""
    wanted_oids = sorted(oids)
    if not wanted_oids:
        return {}
    proc = start_git(repo, "cat-file", "--batch")
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        try:
            proc.stdin.write("".join(f"{oid}\n" for oid in wanted_oids).encode("ascii"))  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    found: dict[str, bytes] = {}
    for oid in wanted_oids:
        header = proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            continue  # "<oid> missing"
        found[oid] = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)  # the newline after the contents
    writer.join()
    proc.stdout.read()
    proc.wait()
    return found
