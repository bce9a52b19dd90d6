"""A synthetic git repository that looks like a real project, at any size, for benchmarks
and end-to-end checks of ``quarterdeck ingest git``; written by
``benchmarks/make_synthetic_repo.py``.

```python
stats, files, seconds = build_synthetic_repo(Path("out.git"), commits=100_000, seed=1)
```

The history is streamed into ``git fast-import`` (``git_writer.StreamWriter``) as it is
played, so the same commits and seed give the same commit ids on every machine: fixed
authors, dates derived from the seed, every random number an integer draw of one
``random.Random(seed)``; nothing depends on the clock, the locale, git's configuration or
Python's hash seed. Unlike the simulated organization's repositories (``git_writer``), whose
commits follow planned pull requests, this one is a single project with releases,
cherry-picks, binary files and renames, played commit by commit.

Modules: ``synthetic_repo_vocab`` (fixed words and line texts), ``synthetic_repo_model``
(the records), ``synthetic_repo_content`` (files and their changes), ``synthetic_repo_events``
(what happens to the project).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from quarterdeck.simulation.git_writer import StreamWriter, git_env
from quarterdeck.simulation.synthetic_repo_events import SyntheticEvents
from quarterdeck.simulation.synthetic_repo_model import Stats

__all__ = ["Stats", "SyntheticRepoError", "SyntheticRepository", "build_synthetic_repo"]

FAST_IMPORT = ("fast-import", "--quiet", "--done", "--active-branches=64")


class SyntheticRepoError(RuntimeError):
    """The repository could not be written (the folder is taken, or git failed)."""


class SyntheticRepository(SyntheticEvents):
    """Plays out a project's history and writes it to fast-import as it goes."""

    def run(self) -> Stats:
        self.initial_commit()
        halfway = False
        while self.stats.commits < self.target:
            if self._step() and not halfway and self.stats.commits >= self.target // 2:
                halfway = True
                self.light_tag("halfway", self.main_mark)
        self.stats.branches_left += len(self.features)
        self.writer.done()
        return self.stats

    def _step(self) -> bool:
        """One event: a release at its point, else maybe a new branch and then a
        cherry-pick, a direct commit, a branch commit, a merge or an abandoned branch.
        False after a release, a cherry-pick or an abandoned branch: the halfway tag waits
        for the next other event."""
        if self.release_points and self.stats.commits >= self.release_points[0] and len(self.main.paths) > 0:
            self.release_points.pop(0)
            self.create_release()
            return False
        want = 3 + (self.stats.commits // 7) % 5
        if len(self.features) < want and self.chance(45):
            self.start_feature()
        r = self.rng.randrange(100)
        ready = [f for f in self.features if f.commits >= f.planned]
        working = [f for f in self.features if f.commits < f.planned]
        if r < 5 and self.cherry_pick():
            return False
        if r < 22 or not self.features:
            self.direct_commit()
        elif r < 76 and working:
            self.feature_commit(self.pick(working))
        elif ready:
            f = self.pick(ready)
            if not f.bot and self.chance(2):
                self.abandon_feature(f)
                return False
            self.merge_feature(f)
        elif working:
            self.feature_commit(self.pick(working))
        else:
            self.direct_commit()
        return True


def build_synthetic_repo(out_dir: Path, commits: int, seed: int, force: bool = False) -> tuple[Stats, int, float]:
    """Create ``out_dir`` as a bare repository with ``commits`` commits; returns (counts,
    files at main, seconds)."""
    started = time.perf_counter()
    if out_dir.exists():
        if not force and any(out_dir.iterdir()):
            raise SyntheticRepoError(f"{out_dir} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out_dir)
    env = git_env()
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(out_dir)], check=True, env=env)
    proc = subprocess.Popen(
        ["git", "-C", str(out_dir), *FAST_IMPORT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        bufsize=1 << 20,
    )  # fmt: skip
    assert proc.stdin is not None
    try:
        stats = SyntheticRepository(StreamWriter(proc.stdin), proc, commits, seed).run()
        proc.stdin.close()
    except BrokenPipeError:
        proc.wait()
        raise SyntheticRepoError("git fast-import stopped early (see its message above)") from None
    if proc.wait() != 0:
        raise SyntheticRepoError(f"git fast-import failed with exit code {proc.returncode}")
    listing = ["git", "-C", str(out_dir), "ls-tree", "-r", "--name-only", "-z", "main"]
    files = subprocess.run(listing, check=True, capture_output=True, env=env).stdout.count(b"\0")
    return stats, files, time.perf_counter() - started
