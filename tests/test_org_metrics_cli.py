"""The organization metrics through the real command line, on the small organization of
tests/orgmetrics.py (values worked out in the other test_org_metrics_* files), and how
small groups are kept private in table, JSON and CSV output."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.orgmetrics import AT, show, show_json, small_org

DAY = AT.isoformat()

#: The web team (P05 and the 9 ICs who report to P05) on 2025-06-30, metric by metric.
WEB = {
    "headcount": [{"headcount": 10}],
    "span_of_control": [
        {
            "managers": 1,
            "direct_reports": 9,
            "mean_span": 9.0,
            "median_span": 9.0,
            "share_below_4": 0.0,
            "share_above_8": 1.0,
            "span_1": 0,
            "span_2_to_3": 0,
            "span_4_to_8": 0,
            "span_9_to_12": 1,
            "span_13_plus": 0,
        }
    ],
    "layers": [
        {"headcount": 10, "max_layers": 4, "people_per_layer": [0, 0, 1, 9], "ics": 9, "ic_mean_layers_above": 3.0}
    ],
    "manager_ratio": [
        {
            "headcount": 10,
            "managers": 1,
            "managers_of_managers": 0,
            "ics": 9,
            "ics_per_manager": 9.0,
            "manager_share": 0.1,
        }
    ],
    "team_size": [
        {
            "headcount": 10,
            "teams": 1,
            "band": "above 9",
            "teams_below_5": 0,
            "teams_5_to_9": 0,
            "teams_above_9": 1,
            "mean_team_size": 10.0,
            "median_team_size": 10.0,
            "not_in_teams": 0,
        }
    ],
    "seniority_mix": [
        {"headcount": 10, "level": level, "people": people, "share": people / 10}
        for level, people in (
            ("IC1", 2),
            ("IC2", 3),
            ("IC3", 2),
            ("IC4", 1),
            ("M1", 1),
            ("M2", 0),
            ("M3", 0),
            ("M4", 0),
            ("(no level)", 1),
        )
    ],
    "attrition_rate": [
        {
            "window_start": "2024-07-01",
            "days": 365,
            "people": 12,
            "person_days": 3224,
            "average_headcount": 8.83,
            "leavers": 1,
            "regretted_leavers": 1,
            "non_regretted_leavers": 0,
            "unknown_regret_leavers": 0,
            "leavers_end_inferred": 0,
            "attrition_rate": 0.1132,
            "regretted_rate": 0.1132,
            "non_regretted_rate": 0.0,
        }
    ],
    "tenure": [
        {
            "headcount": 10,
            "median_tenure_months": 17.5,
            "under_6_months": 2,
            "months_6_to_12": 2,
            "years_1_to_2": 2,
            "years_2_to_4": 1,
            "years_4_plus": 3,
        }
    ],
    "new_hire_share": [{"headcount": 10, "new_hires": 2, "new_hire_share": 0.2}],
    "cost": [
        {"people_with_cost": 10, "people_without_cost": 0, "annual_cost": 1080000.0, "average_annual_cost": 108000.0}
    ],
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_org(tmp_path_factory)


@pytest.mark.parametrize("name", sorted(WEB))
def test_each_metric_by_team_through_the_command_line(db: Path, name: str) -> None:
    payload = show_json(db, name, "--at", DAY, "--by", "team")
    assert payload["parameters"]["by"] == "team"
    assert payload["parameters"]["dates"] == [DAY]
    web = [{k: v for k, v in r.items() if k not in ("date", "group")} for r in payload["rows"] if r["group"] == "web"]
    assert web == WEB[name]
    assert {r["date"] for r in payload["rows"]} == {DAY}


def test_a_small_group_is_hidden_in_every_format(db: Path) -> None:
    args = ("--at", DAY, "--by", "team", "--unit", "mobile")  # mobile: P06 and P16
    rows = show_json(db, "seniority_mix", *args)["rows"]
    assert [(r["group"], r["headcount"], r["people"], r["share"]) for r in rows] == [("mobile", 2, "<5", "<5")] * 9

    result = show(db, "seniority_mix", *args, "--format", "csv")
    assert result.returncode == 0, result.stderr
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["headcount"], r["people"], r["share"]) for r in records} == {("2", "<5", "<5")}

    result = show(db, "seniority_mix", *args)  # the table for people
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("<5") == 18  # people and share of 9 levels
    assert "0.5" not in result.stdout  # P06 and P16's share of their level


def test_the_minimum_group_size_is_a_setting(db: Path) -> None:
    args = ("--at", DAY, "--by", "location")
    # a location is personal: 3 people in Lisbon (P16, P17, P18) are "<5" by default, and so
    # is Berlin, the only other group that day (the organization's 23 minus Berlin's 20 would
    # give Lisbon's 3 back)
    assert [(r["group"], r["headcount"]) for r in show_json(db, "headcount", *args)["rows"]] == [
        ("Berlin", "<5"),
        ("Lisbon", "<5"),
    ]
    lowered = {"QUARTERDECK_MIN_GROUP_SIZE": "3"}
    payload = show_json(db, "headcount", *args, env=lowered)
    assert payload["min_group_size"] == 3
    assert [(r["group"], r["headcount"]) for r in payload["rows"]] == [("Berlin", 20), ("Lisbon", 3)]
    # ... and a group of fewer than 3 shows "<3": one contractor (P21), and with it the only
    # other group
    rows = show_json(db, "headcount", "--at", DAY, "--by", "employment_type", env=lowered)["rows"]
    assert [(r["group"], r["headcount"]) for r in rows] == [("contractor", "<3"), ("full-time", "<3")]


def test_cost_is_shown_only_for_groups_of_five(db: Path) -> None:
    rows = {r["group"]: r for r in show_json(db, "cost", "--at", DAY, "--by", "team")["rows"]}
    assert rows["web"]["annual_cost"] == 1080000.0
    # the infra team: 7 people, 780,000 (see test_org_metrics_people.py)
    assert rows["infra"]["annual_cost"] == 780000.0
    for small in ("mobile", "eng", "platform", "product", "(no team)"):
        assert (rows[small]["annual_cost"], rows[small]["average_annual_cost"]) == ("<5", "<5")
    # by level (personal) even the number of people behind the sum is hidden: 2 at IC4
    levels = {r["group"]: r for r in show_json(db, "cost", "--at", DAY, "--by", "level")["rows"]}
    assert levels["IC4"] == {
        "date": DAY,
        "group": "IC4",
        "people_with_cost": "<5",
        "people_without_cost": "<5",
        "annual_cost": "<5",
        "average_annual_cost": "<5",
    }
    # IC2: P09, P10, P11, P16, P17, P22 at 100,000
    assert levels["IC2"]["annual_cost"] == 600000.0


def test_structure_is_not_hidden(db: Path) -> None:
    # team sizes and spans are what the org chart shows: the 2 people of mobile are shown
    rows = show_json(db, "team_size", "--at", DAY, "--by", "team", "--unit", "mobile")["rows"]
    assert [(r["group"], r["headcount"], r["band"]) for r in rows] == [("mobile", 2, "below 5")]
    rows = show_json(db, "span_of_control", "--at", DAY, "--by", "team", "--unit", "mobile")["rows"]
    assert [(r["group"], r["managers"], r["direct_reports"]) for r in rows] == [("mobile", 1, 1)]


def test_a_date_before_the_first_export_is_an_error(db: Path) -> None:
    for output in ("table", "json"):
        result = show(db, "headcount", "--at", "2024-01-01", "--format", output)
        assert result.returncode != 0
        assert result.stdout == ""
        assert result.stderr == (
            "error: no organization data on 2024-01-01: the first people export imported is of 2024-06-30 "
            "(nothing is known about who was employed before it)\n"
        )


def test_a_monthly_series_through_the_command_line(db: Path) -> None:
    payload = show_json(db, "new_hire_share", "--since", "2025-04-01", "--until", "2025-06-30")
    # 2025-04-30: the 23 of 2025-06-30 but P16 (not started), with P33 (left 2025-05-20);
    # new hires P07 and P22 (2025-03-01), P08 (2025-01-01), P09 (2024-12-31: 4 months).
    # 2025-05-31: P33 has left; P09 has 5 months. 2025-06-30: P09 has 6, P16 starts.
    assert [(r["date"], r["headcount"], r["new_hires"]) for r in payload["rows"]] == [
        ("2025-04-30", 23, 4),
        ("2025-05-31", 22, 4),
        ("2025-06-30", 23, 4),
    ]
