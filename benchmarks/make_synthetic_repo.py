"""Build a deterministic synthetic git repository that looks like a real project.

Usage:
    python benchmarks/make_synthetic_repo.py OUT.git --commits N [--seed S]

A front-end on ``quarterdeck.simulation.synthetic_repo``, which plays the history and
streams it into ``git fast-import``: the same arguments give the same commit hashes on
every machine. Run with ``--help`` for what the history contains.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quarterdeck.simulation.synthetic_repo import SyntheticRepoError, build_synthetic_repo

DESCRIPTION = """\
Build a bare git repository with a synthetic but realistic history, for benchmarks and
end-to-end checks of `quarterdeck ingest git`.

The same --commits and --seed give byte-identical history (same commit hashes) on every
machine: authors are fixed, dates are derived from the seed, and nothing depends on the
clock, the locale, the user's git config or Python's hash seed.

What the history looks like:
  * an initial import of a few hundred text files in nested folders (20-2,000 lines each),
    growing towards ~3,000 files over 100,000 commits;
  * every commit changes 1-5 files: edits of a few line ranges (insertions, deletions,
    replacements), sometimes adding, deleting or renaming files (renames with and
    without edits), now and then binary files (images, fonts, PDFs), rarely an empty commit;
  * ~40 authors with a skewed distribution (a handful write most commits; some use two
    e-mail addresses), each with their own time zone; committer differs from the
    author for rebased work, cherry-picks and merges made on the forge;
  * feature branches (and dependabot[bot] bump branches) merged back into main with
    merge commits (~20 % of all commits), a few branches left open or abandoned;
  * long-lived release branches (release/X.Y) with a release commit, cherry-picks of
    fixes from main ("cherry picked from commit ...") and patch releases;
  * annotated release tags and a few lightweight tags.

Every commit is reachable from a branch or tag, so `git rev-list --all --count` equals
--commits. File contents are kept in memory compactly (one 2-byte line id per line,
rendered on output) and the fast-import stream is written as it is generated.
Prints one summary line: commits, merges, files, seconds.

fast-import stores every blob whole (no delta search), so the pack is large: about
700 MB for 100,000 commits (about 150 s on 2 cores). Run `git repack -a -d -f` on the result
for a pack like a real clone's (slow).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make_synthetic_repo.py",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, metavar="OUT.git", help="bare repository to create (must not exist)")
    parser.add_argument("--commits", type=int, required=True, metavar="N", help="number of commits (>= 10)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the history (default 1)")
    parser.add_argument("--force", action="store_true", help="replace OUT.git if it exists")
    args = parser.parse_args(argv)
    if args.commits < 10:
        parser.error("--commits must be at least 10")
    if args.seed < 0:
        parser.error("--seed must be >= 0")
    try:
        stats, files, seconds = build_synthetic_repo(args.out, args.commits, args.seed, args.force)
    except SyntheticRepoError as error:
        raise SystemExit(str(error)) from None
    print(
        f"{args.out}: {stats.commits} commits ({stats.merges} merges, {stats.cherry_picks} cherry-picks, "
        f"{stats.bot_commits} by dependabot), {files} files at main, {stats.tags} tags, "
        f"{stats.branches_left} open branches, seed {args.seed}, {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
