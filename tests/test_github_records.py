"""How single GitHub items become records: review requests (a person or a team) and the result of
a deployment from its statuses. The items are recorded ones where a recording exists (the
review_requested event of github3.py's issue events cassette, the statuses of deployment 801);
the other status sequences are written by hand, since no recording holds them."""

from __future__ import annotations

import pytest

from quarterdeck.sources.github.deployments import outcome
from quarterdeck.sources.github.timeline import event_record
from tests.github_cassettes import cassette


def test_a_recorded_review_request_names_the_person_asked():
    events = cassette("Repository_issue_events")[1].json()
    request = next(e for e in events if e["event"] == "review_requested")
    record = event_record(753, request)
    assert (record["event_id"], record["event"], record["actor_login"], record["requested_reviewer"]) == (
        "1401815750", "review_requested", "sigmavirus24", "omgjlk",
    )  # fmt: skip


def test_a_review_request_of_a_team_names_the_team():
    events = cassette("Repository_issue_events")[1].json()
    request = dict(next(e for e in events if e["event"] == "review_requested"))
    del request["requested_reviewer"]
    request["requested_team"] = {"name": "Platform", "slug": "platform"}
    assert event_record(753, request)["requested_reviewer"] == "team:platform"


def status(state: str, at: str, number: int) -> dict:
    return {"id": number, "state": state, "created_at": at}


def test_the_recorded_statuses_of_deployment_801_are_a_success_at_the_latest():
    assert outcome(cassette("Deployment_statuses")[2].json()) == ("success", "2018-01-01T19:50:40Z")


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (["pending", "in_progress", "success", "inactive"], ("success", "2026-01-01T00:02:00Z")),
        (["queued", "in_progress", "error"], ("failure", "2026-01-01T00:02:00Z")),
        (["in_progress", "failure"], ("failure", "2026-01-01T00:01:00Z")),
        (["pending", "inactive"], ("cancelled", "2026-01-01T00:01:00Z")),
        (["queued", "in_progress", "pending"], None),
        ([], None),
    ],
)
def test_a_deployment_result_comes_from_its_latest_terminal_status(states, expected):
    statuses = [status(s, f"2026-01-01T00:0{i}:00Z", i) for i, s in enumerate(states)]
    assert outcome(list(reversed(statuses))) == expected  # GitHub lists them newest first


def test_an_unknown_deployment_status_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="unknown deployment status 'exploded'"):
        outcome([status("exploded", "2026-01-01T00:00:00Z", 1)])
