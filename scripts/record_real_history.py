"""Record a public repository's history as data, for the due-diligence test (decision 0081).

    python scripts/record_real_history.py GIT_DIR OUT_DIR [--keep N]

Writes OUT_DIR/history.jsonl: one line per commit of the default branch's history (oldest
first, parents before children): sha, parents, author and committer name, e-mail and date,
subject, and per file its status (A, M, D), path and lines added and deleted (null for a
binary file), as ``git log --raw --numstat --no-renames`` gives them; a merge lists its
changes against its first parent. And OUT_DIR/head/: the HEAD content of the data files only
(dependency manifests and lock files, the licence file, CI configuration), never source code.
``--keep N`` keeps only the N newest commits (their parents outside the kept set dropped).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

#: The files whose content is kept: data, never code.
DATA_FILES = re.compile(
    r"(^|/)(LICEN[CS]E(\.\w+)?|COPYING|pyproject\.toml|setup\.cfg|requirements[^/]*\.txt|Pipfile(\.lock)?"
    r"|poetry\.lock|uv\.lock|package(-lock)?\.json|yarn\.lock|go\.(mod|sum)|Cargo\.(toml|lock)|Gemfile(\.lock)?"
    r"|pom\.xml|\.gitlab-ci\.yml|Jenkinsfile|\.travis\.yml|\.pre-commit-config\.yaml|\.readthedocs\.yaml)$"
    r"|^\.github/workflows/[^/]+\.ya?ml$|^\.circleci/config\.yml$"
)
_FORMAT = "%x1eC%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%s"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "core.quotePath=false", *args], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8", "surrogateescape")


def read_commits(repo: Path) -> list[dict]:
    text = git(
        repo,
        "log",
        "--topo-order",
        "--reverse",
        "--raw",
        "--numstat",
        "--no-renames",
        "--diff-merges=first-parent",
        f"--format={_FORMAT}",
        "HEAD",
    )
    commits = []
    for block in text.split("\x1e")[1:]:
        header, _, body = block.partition("\n")
        sha, parents, an, ae, ad, cn, ce, cd, subject = header[1:].split("\x1f")
        status: dict[str, str] = {}
        files = []
        for line in body.splitlines():
            if line.startswith(":"):
                meta, path = line.split("\t", 1)
                status[path] = meta.split()[-1][0]
            elif line.strip():
                added, deleted, path = line.split("\t", 2)
                numbers = None if added == "-" else [int(added), int(deleted)]
                files.append([status.get(path, "M"), path, *(numbers or [None, None])])
        commits.append(
            {
                "sha": sha,
                "parents": parents.split() if parents else [],
                "author": [an, ae, ad],
                "committer": [cn, ce, cd],
                "subject": subject,
                "files": files,
            }
        )
    return commits


def keep_newest(commits: list[dict], keep: int) -> list[dict]:
    kept = commits[-keep:]
    shas = {c["sha"] for c in kept}
    for commit in kept:
        commit["parents"] = [p for p in commit["parents"] if p in shas]
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--keep", type=int)
    args = parser.parse_args()
    commits = read_commits(args.repo)
    if args.keep:
        commits = keep_newest(commits, args.keep)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "history.jsonl").open("w", encoding="utf-8") as out:
        for commit in commits:
            out.write(json.dumps(commit, ensure_ascii=False, separators=(",", ":")) + "\n")
    for path in git(args.repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines():
        if DATA_FILES.search(path):
            target = args.out / "head" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(
                subprocess.run(
                    ["git", "-C", str(args.repo), "show", f"HEAD:{path}"], capture_output=True, check=True
                ).stdout
            )
    print(f"{len(commits)} commits recorded in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
