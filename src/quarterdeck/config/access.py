"""Who may see the dashboard: the access file (``access.yaml``), its people, roles and tokens.

```yaml
people:
  - name: Dana Reyes
    role: admin            # everything
    token_sha256: 9f86...  # the SHA-256 of the person's token, in hex
  - name: Lee Park
    role: leader           # their org unit's subtree: its teams and their services
    unit: platform         # an org unit id (a division or a team)
    token_sha256: ...
  - name: Sam Ito
    role: member           # their team's aggregates only
    team: checkout
    token_sha256: ...
```

The file holds no secret: only each token's SHA-256, so it may be kept with the other
configuration. ``quarterdeck access new-token`` makes a token and prints the line to paste;
the token itself is shown once and stored nowhere. Tokens are compared by their hashes in
constant time; a token is never logged. Mistakes stop ``serve`` naming the file, the entry
and what was expected.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quarterdeck.config.targets import unknown_unit
from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping, read_yaml
from quarterdeck.core.errors import ConfigError

ACCESS_FILE_NAME = "access.yaml"
ROLES = ("admin", "leader", "member")
_HEX = re.compile(r"^[0-9a-f]{64}$")
_KEYS = {"name", "role", "unit", "team", "token_sha256"}


@dataclass(frozen=True)
class Principal:
    """Someone who may sign in: their role and what it covers (``unit`` or ``team``)."""

    name: str
    role: str
    unit: str | None = None
    team: str | None = None
    token_sha256: str = ""
    line: int = 0  # the line of its unit or team (else of its entry) in the access file

    def __repr__(self) -> str:  # never the hash either: it identifies the token
        return f"Principal({self.name!r}, {self.role!r}, unit={self.unit!r}, team={self.team!r})"


@dataclass(frozen=True)
class AccessList:
    people: tuple[Principal, ...]
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.people)

    def find(self, token: str | None) -> Principal | None:
        """Whom ``token`` belongs to (every entry compared, in constant time), or None."""
        if not token:
            return None
        digest = token_digest(token)
        found = None
        for person in self.people:
            if hmac.compare_digest(digest, person.token_sha256):
                found = person
        return found


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A new random token (256 bits) and its SHA-256 for the access file."""
    token = "qd_" + secrets.token_urlsafe(32)
    return token, token_digest(token)


def default_access_path(warehouse: Path) -> Path:
    return warehouse.parent / ACCESS_FILE_NAME


def load_access(path: Path) -> AccessList:
    """The access file at ``path``; any mistake raises ConfigError naming it."""
    document = read_yaml(path, "access file", LineLoader)
    entries = document.get("people") if isinstance(document, dict) else None
    if not isinstance(entries, LineList) or not entries:
        raise ConfigError(f"{path}: expected a list 'people:' with at least one entry (docs/dashboard.md, Access)")
    people = tuple(
        _principal(entry, f"{path}:{line}, people entry {n}")
        for n, (entry, line) in enumerate(zip(entries, entries.lines, strict=True), start=1)
    )
    _check_unique(path, people)
    return AccessList(people, path)


def _principal(entry: Any, where: str) -> Principal:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected name, role and token_sha256")
    unknown = sorted(set(map(str, entry)) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (expected {', '.join(sorted(_KEYS))})")
    missing = [k for k in ("name", "role", "token_sha256") if not entry.get(k)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    role, digest = str(entry["role"]), str(entry["token_sha256"]).strip().lower()
    if role not in ROLES:
        raise ConfigError(f"{where}: role must be one of {', '.join(ROLES)}, not {role!r}")
    if not _HEX.match(digest):
        raise ConfigError(f"{where}: token_sha256 must be 64 hex digits (quarterdeck access new-token prints one)")
    needs = {"leader": "unit", "member": "team"}.get(role)
    if needs and not entry.get(needs):
        raise ConfigError(f"{where}: a {role} needs '{needs}': the org {needs} their access covers")
    line = entry.key_lines.get(needs or "", entry.line) if isinstance(entry, LineMapping) else 0
    return Principal(str(entry["name"]), role, _text(entry.get("unit")), _text(entry.get("team")), digest, line)


def check_org_units(access: AccessList, units: Collection[str], warehouse: Path) -> None:
    """Every leader's unit and member's team must be an org unit of ``warehouse`` (``units``:
    the ids of every team and unit it has known); the first that is not is a ConfigError
    naming the file, the line and the field."""
    for person in access.people:
        field, ident = ("unit", person.unit) if person.role == "leader" else ("team", person.team)
        if person.role != "admin" and ident not in units:
            where = f"{access.path}:{person.line}: field {field}"
            raise ConfigError(f"{where}: {unknown_unit(field, ident or '', units, warehouse)}")


def _text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _check_unique(path: Path, people: tuple[Principal, ...]) -> None:
    seen: dict[str, str] = {}
    for person in people:
        if person.token_sha256 in seen:
            raise ConfigError(f"{path}: {seen[person.token_sha256]} and {person.name} have the same token")
        seen[person.token_sha256] = person.name
