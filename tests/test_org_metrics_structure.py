"""span_of_control, layers, manager_ratio and team_size on the small organization of
tests/orgmetrics.py, every value worked out by hand below.

On 2025-06-30 (23 people), direct reports per manager:

    P01 (eng)       3: P02, P03, P04
    P02 (product)   2: P05, P06
    P03 (platform)  7: P17, P18, P19, P20, P21, P22, P34  (infra has no manager of its own)
    P05 (web)       9: P07 .. P15
    P06 (mobile)    1: P16

Layers: 1 P01; 2 P02, P03, P04; 3 P05, P06 and the 7 of infra; 4 the 9 of web and P16.

On 2024-12-31 (21 people): P01 3, P02 2 (P06 has no report yet), P03 8 (P17..P21, P32,
P33, P34), P05 7 (P09..P15).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quarterdeck.core.errors import MetricError
from tests.orgmetrics import AT, by_group, metric, small_org

SPAN = (
    "managers",
    "direct_reports",
    "mean_span",
    "median_span",
    "share_below_4",
    "share_above_8",
    "span_1",
    "span_2_to_3",
    "span_4_to_8",
    "span_9_to_12",
    "span_13_plus",
)
LAYERS = ("headcount", "max_layers", "people_per_layer", "ics", "ic_mean_layers_above")
RATIO = ("headcount", "managers", "managers_of_managers", "ics", "ics_per_manager", "manager_share")
SIZE = (
    "headcount",
    "teams",
    "band",
    "teams_below_5",
    "teams_5_to_9",
    "teams_above_9",
    "mean_team_size",
    "median_team_size",
    "not_in_teams",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_org(tmp_path_factory)


def test_span_of_control_for_the_whole_organization(db: Path) -> None:
    rows = metric(db, "span_of_control", at=AT)
    # spans 3, 2, 7, 9, 1: 5 managers, 22 direct reports (23 people but the top);
    # mean 22 / 5 = 4.4; median of 1, 2, 3, 7, 9 = 3; below 4: P06, P02, P01 = 3 / 5;
    # above 8: P05 = 1 / 5; buckets 1: P06; 2-3: P02, P01; 4-8: P03; 9-12: P05
    assert by_group(rows, *SPAN) == {"organization": (5, 22, 4.4, 3.0, 0.6, 0.2, 1, 2, 1, 1, 0)}


def test_span_of_control_by_team_and_unit(db: Path) -> None:
    # each manager counts in their own team; infra (no manager of its own) and P04 (no
    # team, no report) have no row
    assert by_group(metric(db, "span_of_control", at=AT, by="team"), *SPAN) == {
        "eng": (1, 3, 3.0, 3.0, 1.0, 0.0, 0, 1, 0, 0, 0),
        "mobile": (1, 1, 1.0, 1.0, 1.0, 0.0, 1, 0, 0, 0, 0),
        "platform": (1, 7, 7.0, 7.0, 0.0, 0.0, 0, 0, 1, 0, 0),
        "product": (1, 2, 2.0, 2.0, 1.0, 0.0, 0, 1, 0, 0, 0),
        "web": (1, 9, 9.0, 9.0, 0.0, 1.0, 0, 0, 0, 1, 0),
    }
    units = by_group(metric(db, "span_of_control", at=AT, by="unit"), *SPAN)
    # product: P02 2, P05 9, P06 1 -> 12 reports, mean 4, median 2, below 4: 2 / 3, above 8: 1 / 3
    assert units["product"] == (3, 12, 4.0, 2.0, 0.6667, 0.3333, 1, 1, 0, 1, 0)
    assert units["eng"] == (5, 22, 4.4, 3.0, 0.6, 0.2, 1, 2, 1, 1, 0)
    assert sorted(units) == ["eng", "mobile", "platform", "product", "web"]


def test_span_of_control_monthly(db: Path) -> None:
    rows = metric(db, "span_of_control", since=date(2024, 12, 1), until=date(2025, 1, 31))
    assert [(r["date"], *(r[c] for c in SPAN)) for r in rows] == [
        # 2024-12-31: spans 3, 2, 8, 7 (P06 has no report yet): 20 reports, mean 5, median
        # (3 + 7) / 2 = 5; below 4: 2 / 4; buckets 2-3: P01, P02; 4-8: P03, P05
        (date(2024, 12, 31), 4, 20, 5.0, 5.0, 0.5, 0.0, 0, 2, 2, 0, 0),
        # 2025-01-31: P08 (started 2025-01-01) joins web: P05 8; mean 21 / 4 = 5.25,
        # median (3 + 8) / 2 = 5.5
        (date(2025, 1, 31), 4, 21, 5.25, 5.5, 0.5, 0.0, 0, 2, 2, 0, 0),
    ]


def test_layers_for_the_organization_and_its_units(db: Path) -> None:
    # ICs: P04 (1 manager above), infra 7 x 2, web 9 x 3, P16 3: 18 ICs, (1 + 14 + 27 + 3) / 18 = 2.5
    assert by_group(metric(db, "layers", at=AT), *LAYERS) == {"organization": (23, 4, [1, 3, 9, 10], 18, 2.5)}
    assert by_group(metric(db, "layers", at=AT, by="unit"), *LAYERS) == {
        "(no team)": (1, 2, [0, 1], 1, 1.0),  # P04
        # everyone but P04: ICs (14 + 27 + 3) / 17 = 2.588
        "eng": (22, 4, [1, 2, 9, 10], 17, 2.59),
        "infra": (7, 3, [0, 0, 7], 7, 2.0),
        "mobile": (2, 4, [0, 0, 1, 1], 1, 3.0),
        "platform": (8, 3, [0, 1, 7], 7, 2.0),
        "product": (13, 4, [0, 1, 2, 10], 10, 3.0),
        "web": (10, 4, [0, 0, 1, 9], 9, 3.0),
    }


def test_layers_are_counted_from_the_top_also_within_a_unit(db: Path) -> None:
    # --unit plat (an alias of platform): P03 is on layer 2 and infra on layer 3, as in the
    # whole organization; platform has no IC of its own (no mean)
    assert by_group(metric(db, "layers", at=AT, by="team", unit="plat"), *LAYERS) == {
        "infra": (7, 3, [0, 0, 7], 7, 2.0),
        "platform": (1, 2, [0, 1], 0, None),
    }


def test_layers_on_an_earlier_date(db: Path) -> None:
    # 2024-12-31: layer 3 holds P05, P06, P17..P21, P32, P33, P34 (10); layer 4 P09..P15 (7)
    assert by_group(metric(db, "layers", at=date(2024, 12, 31)), *LAYERS) == {
        # ICs: P04 1, P06 2 (no report yet), infra 8 x 2, web 7 x 3: (1 + 2 + 16 + 21) / 17 = 2.35
        "organization": (21, 4, [1, 3, 10, 7], 17, 2.35)
    }


def test_manager_ratio(db: Path) -> None:
    # 5 managers of 23; managers of managers: P01 (P02, P03) and P02 (P05, P06); 18 ICs:
    # 18 / 5 = 3.6; share 5 / 23 = 0.2174
    assert by_group(metric(db, "manager_ratio", at=AT), *RATIO) == {"organization": (23, 5, 2, 18, 3.6, 0.2174)}
    assert by_group(metric(db, "manager_ratio", at=AT, by="team"), *RATIO) == {
        "(no team)": (1, 0, 0, 1, None, 0.0),
        "eng": (1, 1, 1, 0, 0.0, 1.0),
        "infra": (7, 0, 0, 7, None, 0.0),  # a team without a manager of its own
        "mobile": (2, 1, 0, 1, 1.0, 0.5),
        "platform": (1, 1, 0, 0, 0.0, 1.0),
        "product": (1, 1, 1, 0, 0.0, 1.0),
        "web": (10, 1, 0, 9, 9.0, 0.1),
    }
    # read --by unit, infra is managed from platform: 7 ICs / 1 manager, 1 / 8 = 0.125
    assert by_group(metric(db, "manager_ratio", at=AT, by="unit"), *RATIO)["platform"] == (8, 1, 0, 7, 7.0, 0.125)


def test_manager_ratio_on_an_earlier_date(db: Path) -> None:
    # 2024-12-31: managers P01, P02, P03, P05 (P06 has no report): 17 ICs / 4 = 4.25; 4 / 21
    assert by_group(metric(db, "manager_ratio", at=date(2024, 12, 31)), *RATIO) == {
        "organization": (21, 4, 2, 17, 4.25, 0.1905)
    }


def test_team_size_by_team(db: Path) -> None:
    assert by_group(metric(db, "team_size", at=AT), *SIZE) == {
        # people without a team, and units with sub-teams (their leadership), are not teams
        "(no team)": (1, 0, None, 0, 0, 0, None, None, 1),
        "eng": (1, 0, None, 0, 0, 0, None, None, 1),
        "infra": (7, 1, "5-9", 0, 1, 0, 7.0, 7.0, 0),
        "mobile": (2, 1, "below 5", 1, 0, 0, 2.0, 2.0, 0),
        "platform": (1, 0, None, 0, 0, 0, None, None, 1),
        "product": (1, 0, None, 0, 0, 0, None, None, 1),
        "web": (10, 1, "above 9", 0, 0, 1, 10.0, 10.0, 0),
    }


def test_team_size_by_organization_and_unit(db: Path) -> None:
    # leaf teams web 10, mobile 2, infra 7: mean 19 / 3 = 6.33, median 7; not in a team:
    # P01, P02, P03 (units' leadership) and P04 (no team)
    assert by_group(metric(db, "team_size", at=AT, by="org"), *SIZE) == {
        "organization": (23, 3, None, 1, 1, 1, 6.33, 7.0, 4)
    }
    assert by_group(metric(db, "team_size", at=AT, by="unit"), *SIZE) == {
        "(no team)": (1, 0, None, 0, 0, 0, None, None, 1),
        "eng": (22, 3, None, 1, 1, 1, 6.33, 7.0, 3),
        "infra": (7, 1, None, 0, 1, 0, 7.0, 7.0, 0),
        "mobile": (2, 1, None, 1, 0, 0, 2.0, 2.0, 0),
        "platform": (8, 1, None, 0, 1, 0, 7.0, 7.0, 1),
        # web 10 and mobile 2: mean and median 6
        "product": (13, 2, None, 1, 0, 1, 6.0, 6.0, 1),
        "web": (10, 1, None, 0, 0, 1, 10.0, 10.0, 0),
    }


def test_a_unit_lists_only_its_subtree(db: Path) -> None:
    # --unit by display name; --by unit lists the unit and the units below it, not eng above
    assert by_group(metric(db, "team_size", at=AT, by="unit", unit="Platform"), "headcount", "teams") == {
        "infra": (7, 1),
        "platform": (8, 1),
    }
    assert by_group(metric(db, "team_size", at=AT, by="team", unit="Mobile Apps"), *SIZE) == {
        "mobile": (2, 1, "below 5", 1, 0, 0, 2.0, 2.0, 0)
    }
    assert by_group(metric(db, "span_of_control", at=AT, by="unit", unit="product"), "managers") == {
        "mobile": 1,
        "product": 3,
        "web": 1,
    }


def test_structure_metrics_take_no_personal_grouping(db: Path) -> None:
    for name in ("span_of_control", "layers", "manager_ratio", "team_size"):
        with pytest.raises(MetricError, match=f"metric {name} cannot be grouped --by level"):
            metric(db, name, at=AT, by="level")
