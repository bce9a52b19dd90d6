"""A streaming parser for ``git log -z --numstat`` with Quarterdeck's commit format.

The format puts a marker byte before each commit and separates its fields with NUL,
so no character a name, e-mail or subject may hold can confuse the parser. Fields are
read by position; numstat entries follow until the next marker:

* ``added<TAB>deleted<TAB>path``  (``-<TAB>-`` for a binary file)
* ``added<TAB>deleted<TAB>`` then two more entries, the old and the new path (a rename)

Rows are collected column by column, ready to become Arrow tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MARKER = b"\x01"
#: The commit fields, in the order the format prints them.
FIELDS = ("H", "P", "an", "ae", "aN", "aE", "ad", "cn", "ce", "cN", "cE", "cd", "s")
LOG_FORMAT = "%x01" + "%x00".join("%" + f for f in FIELDS)
_N = len(FIELDS)


def decode_text(raw: bytes) -> str:
    """Names, e-mails and subjects: UTF-8, or Latin-1 for legacy bytes that are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode_path(raw: bytes) -> str:
    """Paths: UTF-8, with any byte that is not valid UTF-8 written as ``\\xNN``."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def parse_raw_date(raw: bytes) -> tuple[int, int]:
    """``--date=raw`` (``1700000000 +0130``) -> (epoch seconds, UTC offset in minutes)."""
    parts = raw.split()
    try:
        seconds = int(parts[0])
    except (IndexError, ValueError):
        return 0, 0
    offset = 0
    if len(parts) > 1 and len(parts[1]) == 5 and parts[1][1:].isdigit():
        tz = parts[1]
        offset = int(tz[1:3]) * 60 + int(tz[3:5])
        if tz[:1] == b"-":
            offset = -offset
    return seconds, offset


@dataclass
class CommitColumns:
    """Commits parsed so far, one list per column."""

    sha: list[str] = field(default_factory=list)
    parents: list[list[str]] = field(default_factory=list)
    author_name: list[str] = field(default_factory=list)
    author_email: list[str] = field(default_factory=list)
    author_canonical_name: list[str] = field(default_factory=list)
    author_canonical_email: list[str] = field(default_factory=list)
    author_time: list[int] = field(default_factory=list)
    author_offset: list[int] = field(default_factory=list)
    committer_name: list[str] = field(default_factory=list)
    committer_email: list[str] = field(default_factory=list)
    committer_canonical_name: list[str] = field(default_factory=list)
    committer_canonical_email: list[str] = field(default_factory=list)
    committer_time: list[int] = field(default_factory=list)
    committer_offset: list[int] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sha)

    def append(self, f: list[bytes]) -> None:
        self.sha.append(f[0].decode("ascii"))
        self.parents.append(f[1].decode("ascii").split() if f[1] else [])
        self.author_name.append(decode_text(f[2]))
        self.author_email.append(decode_text(f[3]))
        self.author_canonical_name.append(decode_text(f[4]))
        self.author_canonical_email.append(decode_text(f[5]))
        seconds, offset = parse_raw_date(f[6])
        self.author_time.append(seconds)
        self.author_offset.append(offset)
        self.committer_name.append(decode_text(f[7]))
        self.committer_email.append(decode_text(f[8]))
        self.committer_canonical_name.append(decode_text(f[9]))
        self.committer_canonical_email.append(decode_text(f[10]))
        seconds, offset = parse_raw_date(f[11])
        self.committer_time.append(seconds)
        self.committer_offset.append(offset)
        self.subject.append(decode_text(f[12]))


@dataclass
class FileColumns:
    """Changed files parsed so far, one list per column."""

    commit_sha: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    previous_path: list[str | None] = field(default_factory=list)
    lines_added: list[int | None] = field(default_factory=list)
    lines_deleted: list[int | None] = field(default_factory=list)
    is_binary: list[bool] = field(default_factory=list)
    blob_missing: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.path)

    def append(self, sha: str, path: str, previous: str | None, added: bytes, deleted: bytes) -> None:
        self.commit_sha.append(sha)
        self.path.append(path)
        self.previous_path.append(previous)
        self.blob_missing.append(False)
        if added == b"-":
            self.lines_added.append(None)
            self.lines_deleted.append(None)
            self.is_binary.append(True)
        else:
            self.lines_added.append(int(added))
            self.lines_deleted.append(int(deleted))
            self.is_binary.append(False)

    def append_missing(self, sha: str, path: str, previous: str | None = None) -> None:
        """A change whose line counts are unknown because a blob is absent."""
        self.commit_sha.append(sha)
        self.path.append(path)
        self.previous_path.append(previous)
        self.lines_added.append(None)
        self.lines_deleted.append(None)
        self.is_binary.append(False)
        self.blob_missing.append(True)


class LogParseError(ValueError):
    """git printed something this parser does not understand."""


class LogParser:
    """Feed it blocks of ``git log`` output in order; read ``commits`` and ``files``."""

    def __init__(self) -> None:
        self.commits = CommitColumns()
        self.files = FileColumns()
        self._pending = b""
        self._header: list[bytes] = []  # fields of a commit header still being read
        self._rename: list[bytes] = []  # added, deleted, old path of a rename being read
        self._sha = ""

    def feed(self, block: bytes) -> None:
        tokens = (self._pending + block).split(b"\0")
        self._pending = tokens.pop()
        self._consume(tokens)

    def ends_with(self, marker: bytes) -> bool:
        """True when the output so far ends with ``marker`` after its last complete record."""
        return self._pending == marker

    def discard_pending(self) -> None:
        self._pending = b""

    def close(self) -> None:
        """Finish: whatever is left must be a complete record."""
        if self._pending:
            self._consume([self._pending])
            self._pending = b""
        if self._header or self._rename:
            raise LogParseError("git log output ended in the middle of a commit")

    def _consume(self, tokens: list[bytes]) -> None:
        i, n = 0, len(tokens)
        while i < n:
            if self._header:
                need = _N - len(self._header)
                self._header.extend(tokens[i : i + need])
                i += need
                if len(self._header) == _N:
                    self._finish_header(self._header)
                    self._header = []
                continue
            tok = tokens[i]
            i += 1
            if self._rename:
                self._rename.append(tok)
                if len(self._rename) == 4:
                    added, deleted, old, new = self._rename
                    self._rename = []
                    self.files.append(self._sha, decode_path(new), decode_path(old), added, deleted)
                continue
            if tok[:1] == MARKER:
                self._header = [tok[1:]]
                continue
            if tok[:1] == b"\n":
                tok = tok[1:]
            if not tok:
                continue
            self._entry(tok)

    def _finish_header(self, fields: list[bytes]) -> None:
        self.commits.append(fields)
        self._sha = self.commits.sha[-1]

    def _entry(self, tok: bytes) -> None:
        parts = tok.split(b"\t", 2)
        if len(parts) != 3 or not self._sha:
            raise LogParseError(f"unexpected git log output: {tok[:80]!r}")
        added, deleted, path = parts
        if path:
            self.files.append(self._sha, decode_path(path), None, added, deleted)
        else:
            self._rename = [added, deleted]
