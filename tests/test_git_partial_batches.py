"""A partial clone is read like a complete one; only a batch that meets an absent blob is
looked at closer. No git call walks every object of the history."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.gitrepo import git, git_env, git_logger
from tests.test_git_edge_support import git_numstat, ingest, query

COMMITS = 300
BIG = (150, 151)  # the commits that add, then change, the one file over the filter's limit


def fast_import_history(path: Path) -> None:
    """300 commits of small files; commits 150 and 151 add and change a 4 KB file."""
    git(path.parent, "init", "-q", "-b", "main", str(path))
    stream = []
    for i in range(COMMITS):
        when = 1_700_000_000 + i * 3600
        stream += [
            "commit refs/heads/main",
            f"committer Alice Example <alice@example.com> {when} +0000",
            f"data {len(f'change {i}')}",
            f"change {i}",
        ]
        body = "".join(f"{i} line {n}\n" for n in range(i % 7 + 1))
        stream += [f"M 100644 inline src/f{i % 20}.txt", f"data {len(body)}", body.rstrip("\n")]
        if i in BIG:
            big = "".join(f"version {i} line {n:04d} of a file too big for the filter\n" for n in range(80))
            stream += ["M 100644 inline big.txt", f"data {len(big)}", big.rstrip("\n")]
        stream.append("")
    data = ("\n".join(stream) + "\n").encode()
    proc = subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=data, capture_output=True, env=git_env())
    assert proc.returncode == 0, proc.stderr
    git(path, "reset", "-q", "--hard")
    git(path, "config", "uploadpack.allowFilter", "true")


def test_partial_clone_reads_batches_as_usual_and_only_the_one_with_an_absent_blob_closer(tmp_path, db_path):
    source = tmp_path / "upstream"
    fast_import_history(source)
    shas = git(source, "rev-list", "--reverse", "main").split()
    assert len(shas) == COMMITS
    expected = git_numstat(source, *shas)
    big_blobs = {git(source, "rev-parse", f"{shas[i]}:big.txt").strip() for i in BIG}
    clone = tmp_path / "partial.git"
    git(tmp_path, "clone", "-q", "--bare", "--filter=blob:limit=1k", f"file://{source}", str(clone))
    shutil.move(str(source), str(tmp_path / "gone"))  # the absent blobs can never be fetched
    env, log = git_logger(tmp_path)

    report = ingest(db_path, clone, extra=["--jobs", "2"], env=env, timeout=120)

    row = report["rows"][0]
    assert (row["status"], row["new_commits"], row["missing_blobs"]) == ("ingested", COMMITS, 2)
    stored = query(
        db_path,
        "SELECT commit_sha, path, previous_path, lines_added, lines_deleted, blob_missing FROM commit_files",
    )
    absent = sorted((sha, path) for sha, path, _, _, _, missing in stored if missing)
    assert absent == sorted([(shas[150], "big.txt"), (shas[151], "big.txt")])
    counted: dict[str, list[tuple]] = {}
    for sha, path, previous, added, deleted, missing in stored:
        if not missing:
            counted.setdefault(sha, []).append((path, previous, added, deleted))
    want = {
        sha: [f for f in files if f[0] != "big.txt" or sha not in (shas[150], shas[151])]
        for sha, files in expected.items()
    }
    assert {sha: sorted(files) for sha, files in counted.items()} == {sha: sorted(f) for sha, f in want.items() if f}
    assert sorted(query(db_path, "SELECT DISTINCT blob_sha FROM git_missing_blobs")) == sorted((b,) for b in big_blobs)

    calls = log.read_text().splitlines()
    # nothing walks every object of the history: each object listing names its commits
    walks = [c for c in calls if " rev-list " in f" {c} " and "--objects" in c]
    assert walks and all("--no-walk" in c for c in walks), walks
    # the changed files are listed from --raw once, for the one batch that stopped
    assert sum(" --raw " in f" {c} " for c in calls) == 1, calls
