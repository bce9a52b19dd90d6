"""Extracting commits and per-file line counts with long-lived ``git diff-tree`` processes.

``git diff-tree --stdin`` reads commit ids one per line and prints each commit (in
Quarterdeck's format) with its ``--numstat -M`` rows as soon as it is read; the output
is byte for byte what ``git log --numstat -M`` prints for the same commits. A line that
is not an object id is echoed back, which marks the end of a batch. So one process can
serve many batches: a git process costs a few hundred milliseconds of page faults on a
large pack before it does any work, and reusing it keeps that cost to once per worker
while small batches keep all workers busy to the end.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
import uuid
from dataclasses import dataclass
from typing import IO

from quarterdeck.core.errors import RepositoryError
from quarterdeck.sources.git.command import GitRepository, describe_git_failure, start_git
from quarterdeck.sources.git.log_parser import LOG_FORMAT, CommitColumns, FileColumns, LogParser

READ_BLOCK = 1 << 20
#: git flushes after every commit; waiting a moment between reads lets output pile up in
#: the pipe, so the parser wakes up a few hundred times a second instead of per commit.
READ_PAUSE = 0.004
_PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)

#: Merges come without a diff, as in plain ``git log``; root commits against the empty tree.
_DIFF_TREE_ARGS: tuple[str, ...] = (
    "diff-tree",
    "--stdin",
    "-z",
    "--root",
    "--always",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--encoding=UTF-8",
    "--date=raw",
    f"--format={LOG_FORMAT}",
)
NUMSTAT_ARGS = ("--numstat", "-M")


@dataclass
class HistoryChunk:
    """Commits of one batch and the files they changed, column by column."""

    commits: CommitColumns
    files: FileColumns


class HistoryReader:
    """One ``git diff-tree --stdin`` process, reused for batch after batch of commits."""

    def __init__(self, repo: GitRepository, *, line_counts: bool = True) -> None:
        self.repo = repo
        self.args = _DIFF_TREE_ARGS + (NUMSTAT_ARGS if line_counts else ("--no-renames", "-s"))
        self._proc = start_git(repo, *self.args)
        assert self._proc.stdout is not None
        self._stdout = self._proc.stdout.fileno()
        _widen_pipe(self._stdout)
        self._errors = _StderrDrain(self._proc.stderr)
        self._errors.start()
        self._end = b"\x02quarterdeck-end-" + uuid.uuid4().hex.encode() + b"\n"

    def read(self, shas: list[str]) -> HistoryChunk:
        """Commits ``shas`` (in that order) with their numstat rows."""
        parser = LogParser()
        if not shas:
            return HistoryChunk(parser.commits, parser.files)
        request = "".join(f"{sha}\n" for sha in shas).encode("ascii") + self._end
        writer = threading.Thread(target=self._write, args=(request,), daemon=True)
        writer.start()
        while not parser.ends_with(self._end):
            block = os.read(self._stdout, READ_BLOCK)
            if not block:
                writer.join()
                raise self._failure()
            parser.feed(block)
            if len(block) < READ_BLOCK // 4:
                time.sleep(READ_PAUSE)
        writer.join()
        parser.discard_pending()
        parser.close()
        if len(parser.commits) != len(shas):
            raise RepositoryError(
                f"{self.repo.display_path}: git returned {len(parser.commits)} of {len(shas)} commits"
            )
        return HistoryChunk(parser.commits, parser.files)

    def _write(self, request: bytes) -> None:
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(request)
            self._proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # git died; the reader reports why

    def _failure(self) -> RepositoryError:
        code = self._proc.wait()
        self._errors.join()
        why = describe_git_failure(self._errors.text, self.args) if code else "git stopped early"
        return RepositoryError(f"{self.repo.display_path}: {why}")

    def close(self) -> None:
        """End the git process (idle readers exit as soon as their input closes)."""
        try:
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=10)
        except Exception:
            self._proc.kill()
            self._proc.wait()
        self._errors.join(timeout=1)


def read_history(repo: GitRepository, shas: list[str], *, line_counts: bool = True) -> HistoryChunk:
    """Commits ``shas`` with their files, from one short-lived git process."""
    reader = HistoryReader(repo, line_counts=line_counts)
    try:
        return reader.read(shas)
    finally:
        reader.close()


def _widen_pipe(fd: int) -> None:
    """Ask for a 1 MiB pipe (Linux); elsewhere, or if refused, the default size is fine."""
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_SIZE)


class _StderrDrain(threading.Thread):
    """Reads a pipe to its end so git never blocks on it; keeps the last 64 KiB."""

    def __init__(self, pipe: IO[bytes] | None) -> None:
        super().__init__(daemon=True)
        self._pipe = pipe
        self.text = b""

    def run(self) -> None:
        if self._pipe is None:
            return
        while chunk := self._pipe.read(65536):
            self.text = (self.text + chunk)[-65536:]


class ReaderPool:
    """One :class:`HistoryReader` per worker thread for one repository, closed together."""

    def __init__(self, repo: GitRepository) -> None:
        self.repo = repo
        self._lock = threading.Lock()
        self._readers: dict[int, HistoryReader] = {}

    def read(self, shas: list[str]) -> HistoryChunk:
        """Read a batch with the calling thread's reader; a reader that failed is replaced."""
        key = threading.get_ident()
        with self._lock:
            reader = self._readers.get(key)
        if reader is None:
            reader = HistoryReader(self.repo)
            with self._lock:
                self._readers[key] = reader
        try:
            return reader.read(shas)
        except BaseException:
            with self._lock:
                self._readers.pop(key, None)
            reader.close()
            raise

    def close(self) -> None:
        with self._lock:
            readers = list(self._readers.values())
            self._readers.clear()
        for reader in readers:
            reader.close()
