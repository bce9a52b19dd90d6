"""The anonymity rule of survey results (metrics.survey_privacy), by hand: no group under the
minimum is shown, alone or by a difference (a unit minus its teams, the organization minus
the other units). The organization of tests/survey_files.py:

    organization ── eng ┬─ product: checkout, search, payments
                        └─ infra:   platform, sre
"""

from __future__ import annotations

from itertools import combinations

from quarterdeck.metrics.survey_privacy import Tree, hidden_groups

TREE = Tree(
    {
        "organization": None, "eng": "organization", "product": "eng", "infra": "eng",
        "checkout": "product", "search": "product", "payments": "product", "platform": "infra", "sre": "infra",
    }
)  # fmt: skip


def test_a_team_of_4_is_hidden_and_so_is_the_smallest_sibling_else_its_unit_would_give_it_back() -> None:
    own = {"checkout": 4, "search": 6, "payments": 5, "platform": 7, "sre": 5}
    # product 15 - search 6 - payments 5 = checkout's 4: payments (the smallest) is hidden too
    assert hidden_groups(TREE, own, 5) == {"checkout", "payments"}


def test_a_unit_of_4_is_hidden_and_its_sibling_unit_too_with_a_team_inside_it() -> None:
    own = {"checkout": 6, "search": 6, "payments": 5, "platform": 3, "sre": 1}
    # infra 4 < 5; eng 21 - product 17 = infra's 4: hiding product alone gives nothing (it is the
    # sum of its shown teams), so one of its teams goes too: payments, the smallest. eng minus
    # checkout and search is then payments + infra = 9 people.
    assert hidden_groups(TREE, own, 5) == {"platform", "sre", "infra", "product", "payments"}


def test_people_of_a_unit_itself_are_a_group_no_difference_gives_back() -> None:
    own = {"product": 2, "checkout": 6, "search": 6, "payments": 5, "platform": 7, "sre": 5}
    # product 19 - its three teams = its own 2 people: the smallest team goes (2 + 5 = 7)
    assert hidden_groups(TREE, own, 5) == {"payments"}


def test_nothing_is_hidden_when_every_group_is_large_enough_and_everything_when_the_whole_is_small() -> None:
    own = {"checkout": 5, "search": 6, "payments": 5, "platform": 7, "sre": 5}
    assert hidden_groups(TREE, own, 5) == set()
    assert hidden_groups(TREE, {"checkout": 2, "sre": 2}, 5) == set(TREE.parents)


def test_no_sum_or_difference_of_shown_groups_is_about_1_to_4_people_in_many_organizations() -> None:
    """An independent check: every set of leaf teams whose count a reader can compute from
    the shown totals (a shown group minus any shown groups inside it, disjoint) has 0 or at
    least 5 people, for every way of spreading 0-7 respondents on the five teams."""
    teams = ["checkout", "search", "payments", "platform", "sre"]
    leaves = {g: {g} for g in teams} | {"product": set(teams[:3]), "infra": set(teams[3:])}
    leaves |= {"eng": set(teams), "organization": set(teams)}
    for counts in _spreads(len(teams), [0, 1, 3, 4, 5, 7]):
        own = dict(zip(teams, counts, strict=True))
        shown = [g for g in TREE.parents if g not in hidden_groups(TREE, own, 5)]
        for group in shown:
            inside = [g for g in shown if leaves[g] < leaves[group]]
            for size in range(len(inside) + 1):
                for parts in combinations(inside, size):
                    if sum(len(leaves[p]) for p in parts) != len(set().union(*(leaves[p] for p in parts))):
                        continue  # overlapping: not a difference of disjoint groups
                    rest = leaves[group] - set().union(*(leaves[p] for p in parts))
                    people = sum(own[t] for t in rest)
                    assert people == 0 or people >= 5, (own, group, parts, people)


def _spreads(n: int, values: list[int]):
    if n == 0:
        yield []
        return
    for value in values:
        for rest in _spreads(n - 1, values):
            yield [value, *rest]
