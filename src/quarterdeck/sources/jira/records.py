"""Turning Jira's JSON into the rows Quarterdeck keeps: issues, status changes, statuses,
sprints.

- **Status category** comes from ``statusCategory.key`` (or its id), never from the status
  name, which is localised (已完成 is a done status only because its category says so):
  ``new`` -> todo, ``indeterminate`` -> in_progress, ``done`` -> done. ``undefined`` ("No
  Category", old Data Center statuses) has no category; any other key is an error.
- **Accounts** are the ``accountId`` on Cloud and the user name (else key) on Data Center,
  the same in issues and status changes.
- **Bugs** are the issue types configured as ``bug_types`` (by id or name); by default the
  types named Bug in any case, or whose untranslated name is Bug (缺陷 on a Chinese site).
- **Sprint** is the latest of the issue's sprints: an active or future one, else the last
  one started.
- **Priority** is kept by name and id; **found in** holds the values of the field that says
  where an issue was found (``found_in_field``, by default Environment: free text, which
  Cloud's API 3 sends as a document, or a select field's option or options). Which of
  them make a critical bug found in production is decided when a metric runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CATEGORY_KEYS = {"new": "todo", "indeterminate": "in_progress", "done": "done"}
CATEGORY_IDS = {2: "todo", 4: "in_progress", 3: "done"}
NO_CATEGORY = ("undefined", 1)
_SPRINT_STATES = {"closed": 0, "active": 1, "future": 2}
_SERVER_SPRINT = re.compile(r"greenhopper\.service\.sprint\.Sprint@\w*\[(.*)\]", re.DOTALL)


def category(status_category: Any) -> str | None:
    """todo, in_progress or done for a ``statusCategory`` object; None for "No Category"."""
    if not isinstance(status_category, dict):
        return None
    key, number = status_category.get("key"), status_category.get("id")
    if key in NO_CATEGORY or (key is None and number in NO_CATEGORY):
        return None
    if key is not None:
        if key not in CATEGORY_KEYS:
            raise ValueError(f"unknown status category {key!r}")
        return CATEGORY_KEYS[key]
    if number not in CATEGORY_IDS:
        raise ValueError(f"unknown status category id {number!r}")
    return CATEGORY_IDS[number]


@dataclass(frozen=True)
class IssueRules:
    """What a site's issues are read with: bug types, custom fields, status categories."""

    bug_type_ids: frozenset[str] = frozenset()
    bug_type_names: frozenset[str] = frozenset({"bug"})  # lower case
    story_points_field: str | None = None
    sprint_field: str | None = None
    found_in_field: str = "environment"
    status_categories: dict[str, str | None] = field(default_factory=dict)  # status id -> category

    def is_bug(self, issue_type: dict[str, Any]) -> bool:
        name = str(issue_type.get("name") or "").lower()
        return str(issue_type.get("id")) in self.bug_type_ids or name in self.bug_type_names

    def status_category(self, status: dict[str, Any]) -> str | None:
        """By the category the issue carries, else by the status listing (old servers)."""
        if isinstance(status.get("statusCategory"), dict):
            return category(status["statusCategory"])
        return self.status_categories.get(str(status.get("id")))


def bug_rules(
    configured: tuple[str, ...] | None, issue_types: list[dict[str, Any]] | None
) -> tuple[frozenset, frozenset]:
    """(ids, lower-case names) of the issue types that count as bugs."""
    if configured is not None:
        return frozenset(configured), frozenset(c.lower() for c in configured)
    ids = {
        str(t["id"])
        for t in issue_types or []
        if isinstance(t, dict)
        and "id" in t
        and "bug" in {str(t.get(k) or "").lower() for k in ("name", "untranslatedName")}
    }
    return frozenset(ids), frozenset({"bug"})


def issue_record(item: dict[str, Any], project: str, rules: IssueRules) -> dict[str, Any]:
    fields = item["fields"]
    status = fields.get("status") or {}
    issue_type = fields.get("issuetype") or {}
    return {
        "issue_id": str(item["id"]),
        "issue_key": str(item["key"]),
        "project": (fields.get("project") or {}).get("key") or project,
        "title": fields.get("summary"),
        "issue_type": issue_type.get("name"),
        "issue_type_id": _text(issue_type.get("id")),
        "is_bug": rules.is_bug(issue_type),
        "priority": (fields.get("priority") or {}).get("name"),
        "priority_id": _text((fields.get("priority") or {}).get("id")),
        "found_in": field_texts(fields.get(rules.found_in_field)),
        "status": status.get("name"),
        "status_category": rules.status_category(status),
        "labels": [str(label) for label in fields.get("labels") or []],
        "assignee": account(fields.get("assignee")),
        "reporter": account(fields.get("reporter")),
        "parent_key": (fields.get("parent") or {}).get("key"),
        "sprint_id": latest_sprint(fields, rules.sprint_field),
        "story_points": story_points(fields, rules.story_points_field),
        "created_at": timestamp(fields["created"]),
        "updated_at": timestamp(fields["updated"]),
        "resolved_at": timestamp(fields.get("resolutiondate")),
    }


def field_texts(value: Any) -> list[str]:
    """The text values of a field: a string, an option (``value`` or ``name``), a number, a
    document (Cloud's rich text: its text, in order) or a list of those; empty ones left out."""
    if value is None:
        return []
    if isinstance(value, list):
        return [text for item in value for text in field_texts(item)]
    if isinstance(value, dict):
        if value.get("type") == "doc":
            text = " ".join(_document_text(value).split())
        else:
            text = str(value.get("value") or value.get("name") or "")
    else:
        text = str(value)
    return [text.strip()] if text.strip() else []


def _document_text(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    own = str(node["text"]) if node.get("type") == "text" and node.get("text") else ""
    return " ".join([own, *(_document_text(child) for child in node.get("content") or [])])


def transition_records(issue_id: str, histories: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per changelog item that changed the status (``transition_id``: history id and
    the item's position in it)."""
    rows = []
    for history in histories:
        for index, item in enumerate(history.get("items") or []):
            if not _is_status_change(item):
                continue
            rows.append(
                {
                    "issue_id": issue_id,
                    "transition_id": f"{history['id']}.{index}",
                    "changed_at": timestamp(history["created"]),
                    "author": account(history.get("author")),
                    "from_status": item.get("fromString"),
                    "to_status": item.get("toString"),
                    "from_status_id": _text(item.get("from")),
                    "to_status_id": _text(item.get("to")),
                }
            )
    return rows


def _is_status_change(item: dict[str, Any]) -> bool:
    if item.get("fieldId") is not None:
        return item["fieldId"] == "status"
    return item.get("field") == "status" and item.get("fieldtype", "jira") == "jira"


def status_record(item: dict[str, Any]) -> dict[str, Any]:
    """A status with its category (``status_category`` None: "No Category", not stored)."""
    return {
        "status_id": str(item["id"]),
        "name": str(item["name"]),
        "status_category": category(item["statusCategory"]),
    }


def sprint_record(item: dict[str, Any], board_id: Any) -> dict[str, Any]:
    return {
        "sprint_id": str(item["id"]),
        "board_id": _text(item.get("originBoardId") or board_id),
        "name": str(item["name"]),
        "state": item.get("state"),
        "started_at": timestamp(item.get("startDate")),
        "ended_at": timestamp(item.get("endDate")),
        "completed_at": timestamp(item.get("completeDate")),
    }


def account_records(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The users an issue names (assignee, reporter, authors of its changes) with what Jira
    says of them: display name and e-mail address, when given."""
    fields = item.get("fields") or {}
    users = [fields.get("assignee"), fields.get("reporter")]
    users += [h.get("author") for h in ((item.get("changelog") or {}).get("histories") or [])]
    found = {}
    for user in users:
        name = account(user)
        if name is not None:
            email = (_text(user.get("emailAddress")) or "").strip().lower() or None
            found[name] = {"account": name, "display_name": _text(user.get("displayName")), "email": email}
    return list(found.values())


def account(user: Any) -> str | None:
    """The account a user object names: ``accountId`` (Cloud), else ``name``, else ``key``."""
    if not isinstance(user, dict):
        return None
    return user.get("accountId") or user.get("name") or user.get("key") or None


def latest_sprint(fields: dict[str, Any], sprint_field: str | None) -> str | None:
    """The id of the issue's latest sprint, from ``sprint_field`` or the field shaped like sprints."""
    values = fields.get(sprint_field) if sprint_field else _sprint_values(fields)
    sprints = [s for s in (_sprint(v) for v in values or []) if s is not None]
    if not sprints:
        return None
    ranked = sorted(enumerate(sprints), key=lambda p: (_SPRINT_STATES.get(p[1][1], 0), p[1][2], p[0]))
    return ranked[-1][1][0]


def _sprint_values(fields: dict[str, Any]) -> list[Any] | None:
    for name, value in fields.items():
        if name.startswith("customfield_") and isinstance(value, list) and value and _looks_like_sprint(value[0]):
            return value
    return None


def _looks_like_sprint(value: Any) -> bool:
    if isinstance(value, dict):
        return "id" in value and "state" in value and ("boardId" in value or "originBoardId" in value)
    return isinstance(value, str) and _SERVER_SPRINT.search(value) is not None


def _sprint(value: Any) -> tuple[str, str, str] | None:
    """(id, state, start) of a Cloud sprint object or a Data Center ``Sprint@..[id=..]`` string."""
    if isinstance(value, dict) and value.get("id") is not None:
        return str(value["id"]), str(value.get("state") or "").lower(), str(value.get("startDate") or "")
    match = _SERVER_SPRINT.search(value) if isinstance(value, str) else None
    if match is None:
        return None
    parts = dict(re.findall(r"(?:^|,)(id|state|startDate)=([^,\]]*)", match.group(1)))
    if not parts.get("id"):
        return None
    start = "" if parts.get("startDate") in (None, "<null>") else parts["startDate"]
    return parts["id"], parts.get("state", "").lower(), start


def story_points(fields: dict[str, Any], name: str | None) -> float | None:
    if name is None or fields.get(name) is None:
        return None
    value = fields[name]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"story points field {name} holds {type(value).__name__}, not a number")
    return float(value)


def timestamp(value: Any) -> datetime | None:
    """Jira's times: ``2021-03-28T16:06:08.713+0800``, ``2020-06-26T00:38:00.000Z``."""
    if value is None or value == "":
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time without a time zone: {value!r}")
    return moment


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
