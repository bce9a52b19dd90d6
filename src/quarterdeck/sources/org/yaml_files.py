"""Reading the org YAML file and Backstage catalogs, keeping each entry's line number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quarterdeck.core.documents import DocumentError, load_yaml_all
from quarterdeck.sources.org.records import CatalogUser, OrgFile, Problem, ServiceRecord, TeamRecord

LINE = "__line__"
TEAM_TYPES = ("stream-aligned", "platform", "enabling", "complicated-subsystem")
SERVICE_KINDS = ("Component", "System", "API")


#: The C parser when PyYAML was built with libyaml (ten times faster on a 10,000-line org file).
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """A safe loader that records, in every mapping, the line it starts on (1-based)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def load_documents(path: Path, text: str) -> tuple[list[Any], list[Problem]]:
    try:
        return [d for d in load_yaml_all(text, _LineLoader) if d is not None], []
    except DocumentError as exc:
        return [], [Problem(str(path), exc.line or 0, "", exc.problem)]


def is_backstage(documents: list[Any]) -> bool:
    return any(isinstance(d, dict) and str(d.get("apiVersion", "")).startswith("backstage.io/") for d in documents)


def is_org_yaml(documents: list[Any]) -> bool:
    return len(documents) == 1 and isinstance(documents[0], dict) and "teams" in documents[0]


# -- org YAML --------------------------------------------------------------------------------


def read_org_yaml(path: Path, document: dict[str, Any]) -> OrgFile:
    out = OrgFile(str(path), "org")
    teams = document.get("teams") or []
    if not isinstance(teams, list):
        out.problems.append(Problem(out.path, document.get(LINE, 1), "teams", "expected a list of teams"))
        return out
    for entry in teams:
        team = _team_entry(out, entry)
        if team is not None:
            out.teams.append(team)
    services = document.get("services") or []
    if not isinstance(services, list):
        out.problems.append(Problem(out.path, document.get(LINE, 1), "services", "expected a list of services"))
        return out
    for entry in services:
        if not isinstance(entry, dict) or not _text(entry.get("id")):
            line = entry.get(LINE, 0) if isinstance(entry, dict) else 0
            out.problems.append(Problem(out.path, line, "id", "every service needs an id"))
            continue
        sid = _text(entry["id"])
        out.services.append(
            ServiceRecord(
                out.path,
                entry[LINE],
                sid,
                _text(entry.get("name")) or sid,
                "service",
                owner=_text(entry.get("owner")),
                repositories=_texts(entry.get("repositories")),
            )
        )
    return out


def _team_entry(out: OrgFile, entry: Any) -> TeamRecord | None:
    if not isinstance(entry, dict):
        out.problems.append(Problem(out.path, 0, "teams", f"expected a team (a mapping), got {entry!r}"))
        return None
    line = entry[LINE]
    team_id = _text(entry.get("id"))
    if not team_id:
        out.problems.append(Problem(out.path, line, "id", "every team needs an id"))
        return None
    kind = _text(entry.get("type"))
    if kind is not None and kind.lower() not in TEAM_TYPES:
        out.problems.append(
            Problem(out.path, line, "type", f"unknown team type {kind!r}; expected one of {', '.join(TEAM_TYPES)}")
        )
    return TeamRecord(
        out.path,
        line,
        team_id,
        _text(entry.get("name")) or team_id,
        parent=_text(entry.get("parent")),
        type=kind.lower() if kind else None,
        manager=_text(entry.get("manager")),
        aliases=_texts(entry.get("aliases")),
        members=_texts(entry.get("members")),
        children=_texts(entry.get("children")),
    )


# -- Backstage catalog -------------------------------------------------------------------------


def entity_name(ref: Any) -> str | None:
    """``group:default/payments`` or ``payments`` -> ``payments``."""
    text = _text(ref)
    if not text:
        return None
    return text.split(":", 1)[-1].split("/", 1)[-1]


def read_backstage(path: Path, documents: list[Any]) -> OrgFile:
    out = OrgFile(str(path), "backstage")
    for doc in documents:
        if not isinstance(doc, dict) or not str(doc.get("apiVersion", "")).startswith("backstage.io/"):
            continue
        kind = str(doc.get("kind", ""))
        meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
        profile = spec.get("profile") if isinstance(spec.get("profile"), dict) else {}
        name = _text(meta.get("name"))
        line = doc.get(LINE, 0)
        if not name:
            out.problems.append(Problem(out.path, line, "metadata.name", f"{kind or 'entity'} without a name"))
            continue
        if kind == "Group":
            out.teams.append(
                TeamRecord(
                    out.path,
                    line,
                    name,
                    _text(profile.get("displayName")) or _text(meta.get("title")) or name,
                    parent=entity_name(spec.get("parent")),
                    type=_group_type(spec.get("type")),
                    members=[m for m in (entity_name(x) for x in _texts(spec.get("members"))) if m],
                    children=[c for c in (entity_name(x) for x in _texts(spec.get("children"))) if c],
                )
            )
        elif kind == "User":
            out.users.append(
                CatalogUser(
                    out.path,
                    line,
                    name,
                    _text(profile.get("displayName")),
                    (_text(profile.get("email")) or "").lower() or None,
                    [m for m in (entity_name(x) for x in _texts(spec.get("memberOf"))) if m],
                )
            )
        elif kind in SERVICE_KINDS:
            out.services.append(
                ServiceRecord(
                    out.path,
                    line,
                    name,
                    _text(meta.get("title")) or name,
                    kind,
                    owner=entity_name(spec.get("owner")),
                    repositories=[],
                )
            )
    return out


def _group_type(value: Any) -> str | None:
    """Backstage group types (team, division, ...) are kept when they are Team Topologies types."""
    text = (_text(value) or "").lower()
    return text if text in TEAM_TYPES else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    return [t for t in (_text(v) for v in value) if t]
