"""Recognising what an organization file is, and reading it."""

from __future__ import annotations

from pathlib import Path

from quarterdeck.sources.org.codeowners import read_codeowners
from quarterdeck.sources.org.identity_map import is_identity_map, read_identity_map
from quarterdeck.sources.org.people_csv import ColumnMapping, date_in_name, header_columns, read_people
from quarterdeck.sources.org.records import OrgFile, Problem
from quarterdeck.sources.org.yaml_files import (
    is_backstage,
    is_org_yaml,
    load_documents,
    read_backstage,
    read_org_yaml,
)
from quarterdeck.sources.table_files import read_text

KINDS = ("people", "org", "backstage", "codeowners", "identities")


def read_org_file(path: Path, kind: str | None, mapping: ColumnMapping) -> OrgFile:
    """Read one file, recognising its kind from its content unless ``kind`` is given. A date
    YYYY-MM-DD in the file's name is the file's date unless its content gives one."""
    out = _read_kind(path, kind, mapping)
    if out.as_of is None:
        out.as_of = date_in_name(path)
    return out


def _read_kind(path: Path, kind: str | None, mapping: ColumnMapping) -> OrgFile:
    try:
        if kind == "codeowners" or (kind is None and path.name == "CODEOWNERS"):
            return read_codeowners(path, path.read_bytes())
        text = read_text(path)
    except OSError as exc:
        return _unreadable(path, kind, f"cannot read file: {exc.strerror}")
    if kind in ("org", "backstage") or (kind is None and path.suffix.lower() in (".yaml", ".yml")):
        documents, problems = load_documents(path, text)
        if problems:
            return OrgFile(str(path), kind or "org", problems=problems)
        if kind == "backstage" or (kind is None and is_backstage(documents)):
            return read_backstage(path, documents)
        if is_org_yaml(documents):
            return read_org_yaml(path, documents[0])
        return _unreadable(path, kind, "a YAML file with neither 'teams:' (org file) nor Backstage entities")
    header = header_columns(text, mapping)
    if kind == "identities" or (kind is None and is_identity_map(header)):
        return read_identity_map(path, text)
    if kind in (None, "people"):
        return read_people(path, text, mapping)
    return _unreadable(path, kind, f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")


def _unreadable(path: Path, kind: str | None, why: str) -> OrgFile:
    return OrgFile(str(path), kind or "unknown", problems=[Problem(str(path), 0, "", why)])
