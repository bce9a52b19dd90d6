"""The plan of pull requests: who opens, who reviews, how long things wait."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from quarterdeck.simulation.model import Person, Repository, Service, Stint, Team, World
from quarterdeck.simulation.pull_requests import BOT, WorkParams, plan_pull_requests
from quarterdeck.simulation.rng import Rng

START, END = date(2025, 3, 3), date(2025, 4, 28)  # eight weeks, Monday to Monday


def person(n: int, joined: date = date(2024, 1, 1), ramp: int = 3) -> Person:
    stint = Stint(joined, None, "team-a", "E0000", "IC3", "engineer", "Software Engineer", 150_000)
    return Person(f"E000{n}", f"Engineer {n}", f"e{n}@acme.example", f"e{n}-gh", f"acc{n}", "Berlin",
                  "full-time", joined, None, None, ramp, [stint])  # fmt: skip


def world(people: list[Person]) -> World:
    team = Team("team-a", "Team A", None, "stream-aligned", date(2024, 1, 1))
    service = Service("svc", "Service", "team-a", ["svc-api", "svc-web"], 1)
    repos = [Repository("svc-api", "svc", "python"), Repository("svc-web", "svc", "typescript")]
    return World(7, START, END, "UTC", "acme", [team], people, [service], repos)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    people = [person(n) for n in range(1, 5)]
    first = plan_pull_requests(world(people), WorkParams(), Rng(7))
    assert first == plan_pull_requests(world(people), WorkParams(), Rng(7))
    assert first != plan_pull_requests(world(people), WorkParams(), Rng(8))


def test_pull_requests_wait_for_teammates_in_working_hours():
    plan = plan_pull_requests(world([person(n) for n in range(1, 5)]), WorkParams(), Rng(11))
    pulls = [p for repository in ("svc-api", "svc-web") for p in plan[repository]]
    humans = [p for p in pulls if p.author != BOT]
    # 4 engineers x 2.5 a week x 8 weeks = 80 expected (Poisson: sd about 9)
    assert 55 <= len(humans) <= 105
    for repository, found in plan.items():
        assert sorted(p.number for p in found) == list(range(1, len(found) + 1)), repository
    for pull in humans:
        commits = pull.work.commits
        assert commits[0].authored_at <= pull.created_at <= pull.ready_at
        assert all(r.reviewer != pull.author for r in pull.reviews) and pull.reviews
        assert pull.reviews[0].submitted_at >= pull.ready_at
        assert [r.submitted_at for r in pull.reviews] == sorted(r.submitted_at for r in pull.reviews)
        for review in pull.reviews:
            moment = review.submitted_at
            assert moment.weekday() < 5 and time(9) <= moment.time() <= time(18), moment
        if pull.merged_at is not None:
            assert pull.reviews[-1].state == "APPROVED" and pull.merged_at >= pull.reviews[-1].submitted_at
            assert pull.work.merge is not None and pull.work.merge.committed_at == pull.merged_at
            assert all(c.committed_at <= pull.merged_at for c in commits)
        else:
            assert pull.work.merge is None and pull.closed_at is not None
    assert any(p.draft and p.ready_at > p.created_at for p in humans)
    assert any(len(p.reviews) == 2 and p.reviews[0].state == "CHANGES_REQUESTED" for p in humans)
    assert any(p.merged_at is None for p in humans) and any(p.work.squash for p in humans)
    bots = [p for p in pulls if p.author == BOT]
    assert bots and all(p.author_id is None and len(p.work.commits) == 1 for p in bots)


def test_new_hires_open_fewer_pull_requests_while_they_ramp_up():
    veterans = [person(n) for n in range(1, 4)]
    hires = [person(n, joined=START, ramp=9) for n in range(4, 7)]
    plan = plan_pull_requests(world(veterans + hires), WorkParams(), Rng(5))
    authors = [p.author_id for found in plan.values() for p in found if p.author_id]
    by_veterans = sum(a in {p.person_id for p in veterans} for a in authors)
    by_hires = len(authors) - by_veterans
    assert by_hires < by_veterans / 3, (by_hires, by_veterans)


def test_a_team_of_one_merges_without_review():
    plan = plan_pull_requests(world([person(1)]), WorkParams(bot_pull_requests_per_repository_week=0), Rng(3))
    pulls = [p for found in plan.values() for p in found]
    assert pulls and all(not p.reviews and p.merged_at is not None for p in pulls)
    assert all(p.merged_at >= p.work.commits[-1].committed_at for p in pulls)
    assert isinstance(pulls[0].created_at, datetime) and pulls[0].created_at.tzinfo == UTC
