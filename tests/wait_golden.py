"""A small organization whose waits are known by hand, for the wait ledger tests.

Team alpha: Alice (P1, GitHub alice-gh) and Bob (P2, bob-gh; Jira account acc-bob, linked
by its e-mail address). Team beta: Carol (P3, carol-gh; Jira account acc-carol, linked by
an identity mapping row). Organization time zone UTC,
working hours 09:00-17:00, Monday to Friday. Monday 2026-03-02 is the first day.

- PR 1 by Alice, opened Mon 10:00 (head c1). Alice comments on it herself at 13:00 (not a
  review of someone else), Bob comments Mon 14:00 (first review: pickup 4 h), Bob approves
  Tue 11:00 (review 21 h). Merged Tue 12:00 as merge commit m1, deployed to production by D2
  at Tue 15:00 (deploy 3 h). CI on c1: R0 queued Mon 09:30 (before the PR: not counted),
  R1 10:05-10:35 and R2 10:20-10:50 overlap (one stretch 10:05-10:50, 0.75 h), R3 Tue
  11:30-11:45 (0.25 h): CI wait 1 h.
- PR 2 by Alice, opened as a draft Mon 09:00, ready for review Mon 16:00; dependabot[bot]
  comments Mon 16:30 (a bot: not a review), Bob's review is pending (not submitted), Carol
  requests changes Tue 10:00 (pickup 18 h). Still open: no review wait yet.
- PR 3 by dependabot[bot]: left out (a bot's pull request).
- PR 4 by Carol, opened Mon 2026-03-09 09:00, approved by Alice 10:30 (pickup 1.5 h, review
  0 h), merged 11:00.
- Jira ENG-1 assigned to acc-bob: To Do -> Blocked Mon 12:00, Blocked -> In Progress Wed
  12:00 (blocked 48 h; 5 + 8 + 3 = 16 working hours).

Alice's working hours waiting in the week of 2026-03-02: Monday 10:00-17:00 (pickup 1 then
review 1; CI and pickup 2 inside) = 7 h; Tuesday 09:00-11:00 (review 1, pickup 2 inside),
11:30-11:45 (CI), 12:00-15:00 (deploy) = 5.25 h; 12.25 h. Per kind: pickup 10-14, 16-17
Monday and 9-10 Tuesday = 6 h; review 3 + 2 = 5 h; CI 1 h; deploy 3 h. Bob: blocked 16 h.
"""

from __future__ import annotations

from pathlib import Path

from tests.gitrepo import Person, Repo

ALICE = Person("Alice Able", "alice@example.com")

ORG_YAML = """\
teams:
  - id: eng
    name: Engineering
  - id: alpha
    name: Alpha
    parent: eng
  - id: beta
    name: Beta
    parent: eng
services:
  - id: web
    name: Web
    owner: alpha
    repositories: [web]
"""
PEOPLE_CSV = """\
id,name,email,team,github
P1,Alice Able,alice@example.com,alpha,alice-gh
P2,Bob Baker,bob@example.com,alpha,bob-gh
P3,Carol Chen,carol@example.com,beta,carol-gh
"""
IDENTITIES_CSV = "identity,person_id\njira:acc-carol,P3\n"
CONFIG_TOML = """\
timezone = "UTC"

[privacy]
min_group_size = 2
"""


def build_web(path: Path) -> dict[str, str]:
    """The repository of PR 1: c0 on main, c1 on a branch, merged as m1."""
    repo = Repo.create(path)
    sha = {}
    repo.write("app.py", "print('v0')\n")
    sha["c0"] = repo.commit("base", "2026-03-01T12:00:00+00:00")
    repo.checkout("feature", create=True)
    repo.write("app.py", "print('v1')\n")
    sha["c1"] = repo.commit("the change of PR 1", "2026-03-02T09:20:00+00:00")
    repo.checkout("main")
    sha["m1"] = repo.merge("feature", message="Merge pull request #1", when="2026-03-03T12:00:00+00:00")
    return sha


def deployments_csv(sha: dict[str, str]) -> str:
    return (
        "id,service,environment,commit_sha,finished_at,result,repository\n"
        f"D1,web,production,{sha['c0']},2026-03-02T08:00:00Z,success,web\n"
        f"D2,web,production,{sha['m1']},2026-03-03T15:00:00Z,success,web\n"
    )


def ci_runs_csv(sha: dict[str, str]) -> str:
    c1 = sha["c1"]
    return (
        "id,repository,workflow,commit_sha,queued_at,started_at,finished_at,result\n"
        f"R0,web,ci,{c1},2026-03-02T09:30:00Z,2026-03-02T09:31:00Z,2026-03-02T09:40:00Z,success\n"
        f"R1,web,ci,{c1},2026-03-02T10:05:00Z,2026-03-02T10:15:00Z,2026-03-02T10:35:00Z,success\n"
        f"R2,web,lint,{c1},2026-03-02T10:20:00Z,2026-03-02T10:25:00Z,2026-03-02T10:50:00Z,failure\n"
        f"R3,web,ci,{c1},2026-03-03T11:30:00Z,2026-03-03T11:35:00Z,2026-03-03T11:45:00Z,success\n"
    )


def _user(login: str) -> dict:
    return {"login": login, "id": abs(hash(login)) % 10**6, "type": "Bot" if "[bot]" in login else "User"}


def pull(number: int, author: str, created: str, *, draft: bool = False, merged: str | None = None,
         head: str = "0" * 40, merge_sha: str | None = None, updated: str | None = None) -> dict:  # fmt: skip
    """A pull request item as GitHub's list endpoint returns it (the fields the connector reads)."""
    return {
        "id": 1000 + number,
        "number": number,
        "title": f"PR {number}",
        "user": _user(author),
        "state": "closed" if merged else "open",
        "draft": draft,
        "created_at": created,
        "updated_at": updated or merged or created,
        "closed_at": merged,
        "merged_at": merged,
        "merge_commit_sha": merge_sha,
        "head": {"sha": head, "ref": f"branch-{number}"},
        "base": {"sha": "f" * 40, "ref": "main"},
    }


def review(review_id: int, login: str, state: str, submitted: str | None) -> dict:
    item = {"id": review_id, "user": _user(login), "state": state, "commit_id": "0" * 40}
    if submitted is not None:
        item["submitted_at"] = submitted
    return item


def pulls_and_reviews(sha: dict[str, str]) -> tuple[list[dict], dict[int, list[dict]]]:
    pulls = [
        pull(4, "carol-gh", "2026-03-09T09:00:00Z", merged="2026-03-09T11:00:00Z"),
        pull(1, "alice-gh", "2026-03-02T10:00:00Z", merged="2026-03-03T12:00:00Z", head=sha["c1"], merge_sha=sha["m1"]),
        pull(2, "alice-gh", "2026-03-02T09:00:00Z", draft=False, updated="2026-03-03T10:00:00Z"),
        pull(3, "dependabot[bot]", "2026-03-02T09:00:00Z", merged="2026-03-02T10:00:00Z"),
    ]
    reviews = {
        1: [
            review(11, "alice-gh", "COMMENTED", "2026-03-02T13:00:00Z"),
            review(12, "bob-gh", "COMMENTED", "2026-03-02T14:00:00Z"),
            review(13, "bob-gh", "APPROVED", "2026-03-03T11:00:00Z"),
        ],
        2: [
            review(21, "dependabot[bot]", "COMMENTED", "2026-03-02T16:30:00Z"),
            review(22, "bob-gh", "PENDING", None),
            review(23, "carol-gh", "CHANGES_REQUESTED", "2026-03-03T10:00:00Z"),
        ],
        3: [review(31, "bob-gh", "APPROVED", "2026-03-02T09:30:00Z")],
        4: [review(41, "alice-gh", "APPROVED", "2026-03-09T10:30:00Z")],
    }
    return pulls, reviews


def pr_events() -> dict[int, list[dict]]:
    """Issue events per pull request: PR 2 was opened as a draft and marked ready Mon 16:00."""
    return {
        2: [
            {"id": 201, "event": "convert_to_draft", "actor": _user("alice-gh"), "created_at": "2026-03-02T09:00:00Z"},
            {"id": 202, "event": "ready_for_review", "actor": _user("alice-gh"), "created_at": "2026-03-02T16:00:00Z"},
        ]
    }


def jira_user(account: str, name: str, email: str | None) -> dict:
    user = {"accountId": account, "displayName": name, "active": True}
    if email is not None:
        user["emailAddress"] = email
    return user


BOB_JIRA = jira_user("acc-bob", "Bob Baker", "bob@example.com")  # linked to P2 by e-mail
CAROL_JIRA = jira_user("acc-carol", "Carol C.", None)  # linked to P3 by an identity mapping row
STATUSES = [
    {"id": "10000", "name": "To Do", "statusCategory": {"id": 2, "key": "new"}},
    {"id": "10100", "name": "Blocked", "statusCategory": {"id": 4, "key": "indeterminate"}},
    {"id": "3", "name": "In Progress", "statusCategory": {"id": 4, "key": "indeterminate"}},
]


def _change(history_id: str, when: str, old: dict, new: dict) -> dict:
    item = {"field": "status", "fieldtype": "jira", "from": old["id"], "fromString": old["name"]}
    item.update({"to": new["id"], "toString": new["name"]})
    return {"id": history_id, "author": CAROL_JIRA, "created": when, "items": [item]}


ALICE_JIRA = jira_user("acc-alice", "Alice Able", "alice@example.com")  # linked to P1 by e-mail


def jira_issue() -> dict:
    """ENG-1, assigned to Bob: To Do -> Blocked Mon 12:00, Blocked -> In Progress Wed 12:00."""
    return blocked_issue(1, BOB_JIRA, "2026-03-02T12:00:00.000+0000", "2026-03-04T12:00:00.000+0000")


def alice_issue() -> dict:
    """ENG-2, assigned to Alice's Jira account: Blocked Tue 13:00 -> In Progress Tue 16:00 (3 h),
    while her PR 1 waits for its deployment (Tue 12:00-15:00)."""
    return blocked_issue(2, ALICE_JIRA, "2026-03-03T13:00:00.000+0000", "2026-03-03T16:00:00.000+0000")


def blocked_issue(number: int, assignee: dict, blocked_at: str, unblocked_at: str) -> dict:
    """Issue ENG-<number>, created Mon 09:00: To Do -> Blocked -> In Progress."""
    todo, blocked, doing = STATUSES
    histories = [
        _change(f"{number}01", blocked_at, todo, blocked),
        _change(f"{number}02", unblocked_at, blocked, doing),
    ]
    return {
        "id": str(10000 + number),
        "key": f"ENG-{number}",
        "fields": {
            "summary": "Wait for the vendor's API key",
            "issuetype": {"id": "10002", "name": "Task"},
            "status": doing,
            "priority": {"id": "3", "name": "Medium"},
            "labels": [],
            "assignee": assignee,
            "reporter": CAROL_JIRA,
            "created": "2026-03-02T09:00:00.000+0000",
            "updated": unblocked_at,
            "resolutiondate": None,
        },
        "changelog": {"startAt": 0, "maxResults": 2, "total": 2, "histories": histories},
    }
