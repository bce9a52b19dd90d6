"""A small organization whose investment allocation for March 2026 is known by hand.

Teams eng (the root), alpha and beta (under eng). Organization time zone UTC.
People (annual cost; a full month is a twelfth of it):
- P1 Alice, alpha, 120,000 (10,000 a month); GitHub alice-gh, Jira acc-alice (by e-mail).
- P2 Bob, alpha, 60,000 (5,000); GitHub bob-gh.
- P3 Carol, 93,000 (7,750); alpha until 2026-03-10, beta from 2026-03-11 (the second
  people export): March is 10 days on alpha (2,500) and 21 on beta (5,250). GitHub
  carol-gh; Jira acc-carol (by an identity mapping row).
- P4 Dave, beta, 36,000 (3,000); no activity at all: March is "no recorded work".

Jira project ENG: ENG-1 (Epic), ENG-2 (Story under ENG-1), ENG-3 (Bug), ENG-4 (Task
labelled tech-debt), ENG-5 (Task). GitHub acme/web; its git repository is "web".
Rules: incident label -> incidents_and_support; Bug -> bugs; tech-debt label -> tech_debt;
epic ENG-1 -> new_capability; repository acme/infra -> keep_the_lights_on. Objective grow:
epic ENG-1.

March 2026 (weights: a day's code on an item 2, a day's review 1, a day's status changes 1):
- Alice: commit c1 (2 Mar, in PR 10 "ENG-2 new checkout", which she opened that day: one
  code day on ENG-2) = 2; review of PR 11 (ENG-3) on 5 Mar = 1; moves ENG-4 on 6 Mar = 1.
  Total 4: new_capability 1/2, bugs 1/4, tech_debt 1/4 of her 1.0 FTE and 10,000.
- Bob: opens PR 11 "ENG-3 fix crash" on 5 Mar = 2 (bugs); commit c3 "tidy up" straight on
  main on 9 Mar (no pull request, no key: item repository web, no rule) = 2
  (uncategorized). Half and half of 1.0 FTE and 5,000.
- Carol: reviews PR 10 (ENG-2) on 3 Mar = 1; moves ENG-3 on 20 Mar = 1: half
  new_capability, half bugs, on each of her two teams' shares of March.
"""

from __future__ import annotations

from pathlib import Path

from tests.gitrepo import Person, Repo
from tests.wait_golden import STATUSES, jira_user, pull, review

ALICE = Person("Alice Able", "alice@example.com")
BOB = Person("Bob Baker", "bob@example.com")

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
"""
PEOPLE = "id,name,email,team,github,start_date,annual_cost\n"
PEOPLE_MARCH_1 = PEOPLE + (
    "P1,Alice Able,alice@example.com,alpha,alice-gh,2025-01-01,120000\n"
    "P2,Bob Baker,bob@example.com,alpha,bob-gh,2025-01-01,60000\n"
    "P3,Carol Chen,carol@example.com,alpha,carol-gh,2025-01-01,93000\n"
    "P4,Dave Dunn,dave@example.com,beta,dave-gh,2025-01-01,36000\n"
)
# the export of 2026-03-11: Carol on beta from that day
PEOPLE_MARCH_11 = PEOPLE_MARCH_1.replace(
    "P3,Carol Chen,carol@example.com,alpha", "P3,Carol Chen,carol@example.com,beta"
)
IDENTITIES_CSV = "identity,person_id\njira:acc-carol,P3\n"
CONFIG_TOML = 'timezone = "UTC"\n\n[privacy]\nmin_group_size = 2\n'

RULES_YAML = """\
rules:
  - category: incidents_and_support
    labels: incident
  - category: bugs
    issue_type: Bug
  - category: tech_debt
    labels: tech-debt
  - category: new_capability
    epic: ENG-1
  - category: keep_the_lights_on
    repository: acme/infra
objectives:
  grow:
    name: Grow the business
    epics: [ENG-1]
"""


def build_web(path: Path) -> dict[str, str]:
    """The repository: c0 (February), c1 on a branch merged as m1 (PR 10), c3 on main."""
    repo = Repo.create(path)
    sha = {}
    repo.write("app.py", "print('v0')\n")
    sha["c0"] = repo.commit("base", "2026-02-01T12:00:00+00:00", author=ALICE)
    repo.checkout("feature", create=True)
    repo.write("app.py", "print('v1')\n")
    sha["c1"] = repo.commit("checkout page", "2026-03-02T09:20:00+00:00", author=ALICE)
    repo.checkout("main")
    sha["m1"] = repo.merge("feature", message="Merge pull request #10", when="2026-03-04T12:00:00+00:00", author=ALICE)
    repo.write("README", "tidy\n")
    sha["c3"] = repo.commit("tidy up", "2026-03-09T10:00:00+00:00", author=BOB)
    return sha


def pulls_reviews_commits(sha: dict[str, str]) -> tuple[list[dict], dict[int, list[dict]], dict[int, list[dict]]]:
    pr10 = pull(10, "alice-gh", "2026-03-02T10:00:00Z", merged="2026-03-04T12:00:00Z", head=sha["c1"],
                merge_sha=sha["m1"])  # fmt: skip
    pr10["title"] = "ENG-2 new checkout"
    pr11 = pull(11, "bob-gh", "2026-03-05T09:00:00Z", updated="2026-03-05T15:00:00Z")
    pr11["title"] = "ENG-3 fix crash"
    reviews = {
        10: [review(101, "carol-gh", "APPROVED", "2026-03-03T11:00:00Z")],
        11: [
            review(111, "alice-gh", "COMMENTED", "2026-03-05T14:00:00Z"),
            review(112, "alice-gh", "APPROVED", "2026-03-05T15:00:00Z"),
        ],
    }
    commits = {
        10: [
            {
                "sha": sha["c1"],
                "author": {"login": "alice-gh"},
                "commit": {
                    "author": {"email": ALICE.email, "date": "2026-03-02T09:20:00Z"},
                    "committer": {"email": ALICE.email, "date": "2026-03-02T09:20:00Z"},
                },
            }
        ]
    }
    return [pr11, pr10], reviews, commits


ALICE_JIRA = jira_user("acc-alice", "Alice Able", "alice@example.com")
CAROL_JIRA = jira_user("acc-carol", "Carol C.", None)


def _move(history_id: str, when: str, author: dict) -> dict:
    todo, _, doing = STATUSES
    item = {"field": "status", "fieldtype": "jira", "from": todo["id"], "fromString": todo["name"]}
    item.update({"to": doing["id"], "toString": doing["name"]})
    return {"id": history_id, "author": author, "created": when, "items": [item]}


def _issue(number: int, kind: str, *, labels: tuple[str, ...] = (), parent: str | None = None,
           moves: tuple[dict, ...] = ()) -> dict:  # fmt: skip
    fields = {
        "summary": f"Issue {number}",
        "issuetype": {"id": str(10000 + len(kind)), "name": kind},
        "status": STATUSES[2] if moves else STATUSES[0],
        "priority": {"id": "3", "name": "Medium"},
        "labels": list(labels),
        "assignee": None,
        "reporter": ALICE_JIRA,
        "created": "2026-02-20T09:00:00.000+0000",
        "updated": "2026-03-25T09:00:00.000+0000",
        "resolutiondate": None,
    }
    if parent:
        fields["parent"] = {"key": parent}
    histories = list(moves)
    return {
        "id": str(20000 + number),
        "key": f"ENG-{number}",
        "fields": fields,
        "changelog": {"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories},
    }


def jira_issues() -> list[dict]:
    return [
        _issue(1, "Epic"),
        _issue(2, "Story", parent="ENG-1"),
        _issue(3, "Bug", moves=(_move("301", "2026-03-20T10:00:00.000+0000", CAROL_JIRA),)),
        _issue(4, "Task", labels=("tech-debt",), moves=(_move("401", "2026-03-06T10:00:00.000+0000", ALICE_JIRA),)),
        _issue(5, "Task"),
    ]
