"""Reading an explicit identity mapping: which person a git identity (or e-mail) is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from quarterdeck.sources.csv_text import CsvProblem, csv_rows
from quarterdeck.sources.org.records import IdentityMapping, OrgFile, Problem


def is_identity_map(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"identity", "person_id"} <= names


def read_identity_map(path: Path, text: str) -> OrgFile:
    out = OrgFile(str(path), "identities")
    header = [f.strip().lower() for f in next(csv.reader(io.StringIO(text)), [])]
    try:
        for line, cells in csv_rows(text, header):
            _mapping(out, line, dict(zip(header, cells, strict=True)))
    except CsvProblem as problem:
        out.problems.append(Problem(out.path, problem.line, problem.field, problem.message))
        out.unreadable = True
    return out


def _mapping(out: OrgFile, line: int, row: dict[str, str]) -> None:
    identity = (row.get("identity") or "").strip()
    person = (row.get("person_id") or "").strip()
    if not identity and not person:
        return
    for field, value in (("identity", identity), ("person_id", person)):
        if not value:
            out.problems.append(Problem(out.path, line, field, "missing"))
    if identity and person:
        key = identity if identity.startswith("git-name:") else identity.lower()  # e-mails and git: ids
        out.mappings.append(IdentityMapping(out.path, line, key, person))
