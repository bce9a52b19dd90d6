"""Reading the cloud allocation rules file (docs/sources/cloud-costs.md, decision 0048): the
tag keys naming a team or a service, the team of each sub-account, and how spend no rule
allocates is shown. The rules are stored as they are and applied when a metric runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.core.errors import SourceError
from quarterdeck.sources.reading import Batch, Connection, Replace, Rows, StoredState, SyncResult, Unit

RESOURCE = "cloud allocation rules"
KINDS = ("team_tag", "service_tag", "account", "untagged")
UNTAGGED = ("untagged", "headcount", "usage")
DEFAULT_TEAM_TAGS = ("team", "cost-center")
DEFAULT_SERVICE_TAGS = ("service",)
KEYS = ("team_tags", "service_tags", "accounts", "untagged")


@contextmanager
def read_rules(connection: Connection) -> Iterator[Iterator[Unit]]:
    files = [Path(file) for file in connection.config.scopes]
    yield (Unit(file.name, (RESOURCE,), partial(read_file, connection, file)) for file in files)


def read_file(connection: Connection, path: Path, state: StoredState) -> Batch:
    rules = load_rules(path)
    teams = state.stored("team_aliases", "alias", "team_id") if rules["accounts"] else {}
    if rules["accounts"] and not teams:
        raise SourceError(f"{path}: no organization is stored yet: ingest the org first (quarterdeck ingest org ...)")
    records = [
        *({"kind": "team_tag", "position": i, "match": key, "team_id": None}
          for i, key in enumerate(rules["team_tags"])),
        *({"kind": "service_tag", "position": i, "match": key, "team_id": None}
          for i, key in enumerate(rules["service_tags"])),
        *(account_rule(path, i, account, team, teams) for i, (account, team) in enumerate(rules["accounts"].items())),
        {"kind": "untagged", "position": 0, "match": rules["untagged"], "team_id": None},
    ]  # fmt: skip
    result = SyncResult(connection.config.name, path.name, RESOURCE, read=len(records))
    constants = {"file": str(path), "source": connection.config.name, "loaded_at": connection.context.loaded_at}
    return Batch(
        [result],
        rows=[Rows("cloud_allocation_rules", records, constants, counts=result)],
        replace=[Replace("cloud_allocation_rules", {"kind": list(KINDS)})],
        problems={RESOURCE: []},
    )


def load_rules(path: Path) -> dict[str, Any]:
    """The rules of the file, checked, with the defaults of what it leaves out."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, DocumentError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(f"{path}: cannot read the allocation rules: {first}") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise SourceError(f"{path}: expected a mapping with {', '.join(KEYS)}")
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise SourceError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(KEYS)}")
    accounts = data.get("accounts") or {}
    if not isinstance(accounts, dict) or not all(isinstance(v, str) and v.strip() for v in accounts.values()):
        raise SourceError(f"{path}: accounts: expected SubAccountName: team lines, such as 'shared-infra: platform'")
    untagged = data.get("untagged", "untagged")
    if untagged not in UNTAGGED:
        raise SourceError(f"{path}: untagged: {untagged!r}: expected one of {', '.join(UNTAGGED)}")
    return {
        "team_tags": tag_keys(path, data, "team_tags", DEFAULT_TEAM_TAGS),
        "service_tags": tag_keys(path, data, "service_tags", DEFAULT_SERVICE_TAGS),
        "accounts": {str(k).strip(): v.strip() for k, v in accounts.items()},
        "untagged": untagged,
    }


def tag_keys(path: Path, data: dict[str, Any], key: str, default: tuple[str, ...]) -> list[str]:
    keys = data.get(key, list(default))
    keys = [keys] if isinstance(keys, str) else keys
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
        raise SourceError(f"{path}: {key}: expected a list of tag keys, such as [{', '.join(default)}]")
    return [k.strip() for k in keys]


def account_rule(path: Path, position: int, account: str, team: str, teams: dict[str, str]) -> dict[str, Any]:
    if team.lower() not in teams:
        raise SourceError(
            f"{path}: accounts: {account}: {team!r} is not a team of the organization (its id, name or alias)"
        )
    return {"kind": "account", "position": position, "match": account.lower(), "team_id": teams[team.lower()]}
