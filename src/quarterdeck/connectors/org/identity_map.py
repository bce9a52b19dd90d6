"""Reading an explicit identity mapping: which person a git identity (or e-mail) is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from quarterdeck.connectors.org.records import IdentityMapping, OrgFile, Problem


def is_identity_map(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"identity", "person_id"} <= names


def read_identity_map(path: Path, text: str) -> OrgFile:
    out = OrgFile(str(path), "identities")
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    for row in reader:
        identity = (row.get("identity") or "").strip()
        person = (row.get("person_id") or "").strip()
        if not identity and not person:
            continue
        for field, value in (("identity", identity), ("person_id", person)):
            if not value:
                out.problems.append(Problem(out.path, reader.line_num, field, "missing"))
        if identity and person:
            key = identity if identity.startswith("git-name:") else identity.lower()  # e-mails and git: ids
            out.mappings.append(IdentityMapping(out.path, reader.line_num, key, person))
    return out
