"""Reading SLOs from OpenSLO YAML (``kind: SLO`` documents) as plain records.

Each objective of an SLO becomes one record (``NAME/OBJECTIVE`` when there are several),
with the fields of the SLO CSV: id, service, name, description, target, time_window,
rolling, budgeting_method. Values are checked later, with the CSV's rows, by the import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quarterdeck.core.documents import DocumentError, load_yaml_all
from quarterdeck.sources.delivery.files import UnreadableFile

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_openslo(path: Path) -> list[dict[str, Any]]:
    """The SLO records of an OpenSLO file; documents of other kinds are skipped."""
    try:
        documents = load_yaml_all(path.read_text(encoding="utf-8-sig"), _SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"cannot read file: {exc}") from None
    except DocumentError as exc:
        raise UnreadableFile(exc.problem, exc.line) from None
    records: list[dict[str, Any]] = []
    for number, document in enumerate(documents, start=1):
        if isinstance(document, dict) and str(document.get("kind", "")).lower() == "slo":
            records.extend(_slo_records(document, number))
    if not records:
        raise UnreadableFile("no 'kind: SLO' document found (expected OpenSLO YAML)")
    return records


def _slo_records(document: dict[str, Any], number: int) -> list[dict[str, Any]]:
    metadata = document.get("metadata") or {}
    spec = document.get("spec") or {}
    name = str(metadata.get("name") or "").strip() or None
    windows = spec.get("timeWindow") or [{}]
    window = windows[0] if isinstance(windows, list) and windows and isinstance(windows[0], dict) else {}
    base = {
        "document": number,
        "service": spec.get("service"),
        "name": metadata.get("displayName") or name,
        "description": spec.get("description"),
        "time_window": window.get("duration"),
        "rolling": window.get("isRolling", window.get("calendar") is None),
        "budgeting_method": spec.get("budgetingMethod") or "Occurrences",
    }
    objectives = spec.get("objectives") or [{}]
    if not isinstance(objectives, list):
        objectives = [{}]
    records = []
    for index, objective in enumerate(objectives, start=1):
        objective = objective if isinstance(objective, dict) else {}
        target = objective.get("target")
        if target is None and objective.get("targetPercent") is not None:
            target = float(objective["targetPercent"]) / 100 if _is_number(objective["targetPercent"]) else "?"
        label = objective.get("displayName") or objective.get("name") or str(index)
        slo_id = name if len(objectives) == 1 or name is None else f"{name}/{label}"
        records.append({**base, "id": slo_id, "target": target})
    return records


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
