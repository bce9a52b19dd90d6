"""Metric targets: the YAML file that colours dashboard tiles, its errors (file, line, what was
expected, exactly), the exact-scope lookup, and the colours at and around every boundary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quarterdeck.config.targets import (
    Target,
    Targets,
    default_targets_path,
    judge,
    load_targets,
    load_targets_if_present,
)
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics import catalog
from tests.conftest import ROOT

KNOWN = {
    "deployment_frequency": "up",
    "lead_time_for_changes": "down",
    "change_failure_rate": "down",
    "availability": "up",
    "headcount": "neither",
    "open_critical_incidents": "down",
}

GOOD = """\
# Targets for Q3
targets:
  - metric: deployment_frequency
    scope: org
    target: 5
    owner: Dana Reyes (VP Eng)

  - metric: lead_time_for_changes
    scope: "team: payments"
    target: 48
    owner: Sam Okafor
    amber: 0.25
  - {metric: headcount, scope: unit:eng, target: 120, owner: Dana Reyes (VP Eng), direction: up}
  - metric: availability
    scope: service:checkout
    target: 0.999
    owner: Priya Nair
    direction: down
"""


def write(tmp_path: Path, text: str, name: str = "targets.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, known=KNOWN) -> str:
    with pytest.raises(ConfigError) as caught:
        load_targets(path, known)
    assert caught.value.exit_code == 2
    return str(caught.value)


def entry(**keys: object) -> str:
    """A targets file with one entry made of ``keys``, starting on line 2."""
    lines = ["targets:"]
    for i, (key, value) in enumerate(keys.items()):
        lines.append(f"  {'- ' if i == 0 else '  '}{key}: {value}")
    return "\n".join(lines) + "\n"


def up(target: float, amber: float = 0.1) -> Target:
    return Target("deployment_frequency", "org", target, "Dana", amber, "up", 3)


def down(target: float, amber: float = 0.1) -> Target:
    return Target("lead_time_for_changes", "org", target, "Dana", amber, "down", 3)


# -- loading -------------------------------------------------------------------------------


def test_a_good_file_loads_every_entry_with_its_line_and_defaults(tmp_path):
    path = write(tmp_path, GOOD)
    targets = load_targets(path, KNOWN)
    assert targets.path == path
    assert list(targets) == [
        Target("deployment_frequency", "org", 5.0, "Dana Reyes (VP Eng)", 0.1, "up", 3),
        Target("lead_time_for_changes", "team:payments", 48.0, "Sam Okafor", 0.25, "down", 8),
        Target("headcount", "unit:eng", 120.0, "Dana Reyes (VP Eng)", 0.1, "up", 13),
        Target("availability", "service:checkout", 0.999, "Priya Nair", 0.1, "down", 14),
    ]
    assert len(targets) == 4
    assert isinstance(targets.entries[0].target, float)


def test_without_known_metrics_any_name_is_accepted_when_direction_is_given(tmp_path):
    path = write(tmp_path, entry(metric="my_own_metric", scope="org", target=3, owner="Lee", direction="down"))
    assert list(load_targets(path)) == [Target("my_own_metric", "org", 3.0, "Lee", 0.1, "down", 2)]


def test_an_empty_targets_list_is_no_targets(tmp_path):
    assert len(load_targets(write(tmp_path, "targets: []\n"), KNOWN)) == 0
    assert len(load_targets(write(tmp_path, "targets:\n  # all commented out\n"), KNOWN)) == 0


def test_a_missing_or_empty_file_at_the_default_place_is_no_targets(tmp_path):
    missing = load_targets_if_present(tmp_path / "targets.yaml", KNOWN)
    assert len(missing) == 0 and missing.path is None
    assert missing.for_metric("deployment_frequency", "org") is None
    for text in ("", "\n  \n", "# targets come next quarter\n"):
        empty = load_targets_if_present(write(tmp_path, text), KNOWN)
        assert len(empty) == 0 and empty.path == tmp_path / "targets.yaml"


def test_a_file_at_the_default_place_with_content_must_be_right(tmp_path):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="Dana", colour="red"))
    with pytest.raises(ConfigError, match=r"targets\.yaml:2: unknown key 'colour'"):
        load_targets_if_present(path, KNOWN)
    assert len(load_targets_if_present(write(tmp_path, GOOD), KNOWN)) == 4


def test_a_named_file_must_exist_and_have_content(tmp_path):
    assert error_of(tmp_path / "q3.yaml") == f"{tmp_path / 'q3.yaml'}: targets file not found"
    path = write(tmp_path, "# nothing yet\n")
    assert error_of(path) == f"{path}: the targets file is empty; expected a list 'targets:' (see docs/targets.md)"


def test_the_default_place_is_next_to_the_warehouse():
    assert default_targets_path(Path("/data/org.duckdb")) == Path("/data/targets.yaml")
    assert default_targets_path(Path("org.duckdb")) == Path("targets.yaml")


def test_the_real_catalog_names_and_directions_are_accepted(tmp_path):
    known = {name: metric.good_direction for name, metric in catalog().items()}
    path = write(tmp_path, GOOD.replace("direction: down\n", ""))
    assert [t.direction for t in load_targets(path, known)] == ["up", "down", "up", "up"]
    team_size = write(tmp_path, entry(metric="team_size", scope="team:web", target=8, owner="Kim"), "t2.yaml")
    assert "team_size has no good direction" in error_of(team_size, known)


# -- errors, exactly -----------------------------------------------------------------------


def test_yaml_with_a_tab_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "targets:\n  - metric: deployment_frequency\n\tscope: org\n")
    assert error_of(path) == (
        f"{path}:3: not valid YAML (found character '\\t' that cannot start any token; indent with spaces, not tabs)"
    )


def test_bad_yaml_syntax_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "targets:\n  - metric: deployment_frequency\n    scope: [org\n    target: 5\n")
    assert error_of(path) == f"{path}:4: not valid YAML (expected ',' or ']', but got ':')"
    path = write(tmp_path, "targets:\n  - metric: deployment_frequency\n   scope: org\n")
    assert error_of(path) == f"{path}:3: not valid YAML (expected <block end>, but found '<block mapping start>')"


def test_the_top_of_the_file_must_be_a_targets_list(tmp_path):
    path = write(tmp_path, "- metric: deployment_frequency\n")
    assert error_of(path) == f"{path}:1: expected a mapping with a list 'targets:' (see docs/targets.md)"
    path = write(tmp_path, "\n\ntarget:\n  - metric: deployment_frequency\n")
    assert error_of(path) == f"{path}:3: expected a mapping with a list 'targets:' (see docs/targets.md)"
    path = write(tmp_path, "targets: []\nreviews: []\n")
    assert error_of(path) == (
        f"{path}:2: unknown key 'reviews' at the top of the file; expected only 'targets:' and 'owners:'"
    )
    path = write(tmp_path, "# q3\ntargets: deployment_frequency\n")
    assert error_of(path) == (f"{path}:2: 'targets' must be a list of entries such as '- metric: deployment_frequency'")


def test_an_entry_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "targets:\n  - metric: deployment_frequency\n    scope: org\n    target: 5\n"
                 "    owner: Dana\n  - deployment_frequency\n")  # fmt: skip
    assert error_of(path) == (
        f"{path}:6: expected a target (a mapping with metric, scope, target and owner), not 'deployment_frequency'"
    )


def test_unknown_keys_are_refused_with_the_closest_key(tmp_path):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, ownr="Dana"))
    assert error_of(path) == (
        f"{path}:2: unknown key 'ownr' (did you mean 'owner'?); "
        "a target takes metric, scope, target, owner, amber, direction and review"
    )
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="Dana", xyz=1))
    assert error_of(path) == (
        f"{path}:2: unknown key 'xyz'; a target takes metric, scope, target, owner, amber, direction and review"
    )


def test_a_key_given_twice_in_one_entry_is_refused(tmp_path):
    path = write(
        tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="Dana") + "    target: 6\n"
    )
    assert error_of(path) == f"{path}:2: 'target' is given twice in this target; keep one"


def test_missing_required_keys_are_all_named(tmp_path):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5))
    assert error_of(path) == f"{path}:2: missing 'owner'; every target needs metric, scope, target and owner"
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org"))
    assert (
        error_of(path) == f"{path}:2: missing 'target' and 'owner'; every target needs metric, scope, target and owner"
    )
    path = write(tmp_path, entry(amber=0.2))
    assert error_of(path) == (
        f"{path}:2: missing 'metric', 'scope', 'target' and 'owner'; every target needs metric, scope, target and owner"
    )


def test_a_misspelt_metric_gets_the_closest_name(tmp_path):
    text = "targets:\n" + "\n".join(
        [
            "  - metric: deployment_frequency",
            "    scope: org",
            "    target: 5",
            "    owner: Dana",
            "",
            "  - metric: lead_time_for_change",
            "    scope: org",
            "    target: 48",
            "    owner: Dana",
        ]
    )
    path = write(tmp_path, text)
    assert error_of(path) == (
        f"{path}:7: unknown metric 'lead_time_for_change'; did you mean 'lead_time_for_changes'? "
        "('quarterdeck metrics list' shows them all)"
    )
    path = write(tmp_path, entry(metric="velocity", scope="org", target=30, owner="Dana"))
    assert error_of(path) == f"{path}:2: unknown metric 'velocity' ('quarterdeck metrics list' shows them all)"
    path = write(tmp_path, entry(metric=12, scope="org", target=30, owner="Dana"))
    assert error_of(path) == f"{path}:2: 'metric' must be a metric name such as 'deployment_frequency', not 12"


@pytest.mark.parametrize("scope", ["squad:web", "'team:'", "Org", "organization", "[org]", "'team'", "'unit: '"])
def test_a_scope_must_be_one_of_the_four_forms(tmp_path, scope):
    path = write(tmp_path, entry(metric="deployment_frequency", scope=scope, target=5, owner="Dana"))
    shown = {"[org]": ["org"], "'team'": "team", "'team:'": "team:", "'unit: '": "unit: "}.get(scope, scope)
    assert error_of(path) == (
        f"{path}:2: 'scope' must be org, unit:<org unit id>, team:<team id> or service:<service id>, not {shown!r}"
    )


@pytest.mark.parametrize(("written", "shown"), [('"5"', "'5'"), ("yes", "True"), (".nan", "nan"), ("", "None")])
def test_a_target_must_be_a_finite_number(tmp_path, written, shown):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=written, owner="Dana"))
    assert error_of(path) == (
        f"{path}:2: 'target' must be a number in the metric's unit, such as 5 or 0.995, not {shown}"
    )


@pytest.mark.parametrize(("written", "shown"), [("1.5", "1.5"), ("-0.1", "-0.1"), ("10%", "'10%'"), ("", "None")])
def test_amber_must_be_a_share_from_0_to_1(tmp_path, written, shown):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="Dana", amber=written))
    assert error_of(path) == f"{path}:2: 'amber' must be a share of the target from 0 to 1, such as 0.1, not {shown}"


def test_amber_may_be_0_or_1(tmp_path):
    for amber in (0, 1):
        path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="D", amber=amber))
        assert load_targets(path, KNOWN).entries[0].amber == amber


@pytest.mark.parametrize(("written", "shown"), [("''", "''"), ("42", "42")])
def test_an_owner_must_be_named(tmp_path, written, shown):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner=written))
    assert error_of(path) == (
        f"{path}:2: 'owner' must name who answers for the target, such as 'Dana Reyes (VP Eng)', not {shown}"
    )


def test_a_metric_with_no_good_direction_needs_an_explicit_one(tmp_path):
    path = write(tmp_path, entry(metric="headcount", scope="org", target=120, owner="Dana"))
    assert error_of(path) == (
        f"{path}:2: headcount has no good direction (neither higher nor lower is better), so a target "
        "cannot judge it; add 'direction: up' or 'direction: down' to judge it anyway"
    )
    path = write(tmp_path, entry(metric="headcount", scope="org", target=120, owner="Dana", direction="neither"))
    assert error_of(path) == (
        f"{path}:2: 'direction' must be up (higher is better) or down (lower is better), not 'neither'"
    )
    path = write(tmp_path, entry(metric="headcount", scope="org", target=120, owner="Dana", direction="down"))
    assert load_targets(path, KNOWN).entries[0].direction == "down"


def test_direction_overrides_the_metric_and_is_required_when_metrics_are_unknown(tmp_path):
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="D", direction="down"))
    assert load_targets(path, KNOWN).entries[0].direction == "down"
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="D"))
    assert error_of(path, None) == (
        f"{path}:2: missing 'direction' (up or down): the good direction of deployment_frequency is not known here"
    )
    path = write(tmp_path, entry(metric="deployment_frequency", scope="org", target=5, owner="D", direction="Up"))
    assert error_of(path, None) == (
        f"{path}:2: 'direction' must be up (higher is better) or down (lower is better), not 'Up'"
    )


def test_the_same_metric_and_scope_twice_names_both_lines(tmp_path):
    text = (
        GOOD
        + "  # again, written differently\n"
        + entry(metric="lead_time_for_changes", scope="team:payments", target=40, owner="Sam").removeprefix(
            "targets:\n"
        )
    )
    path = write(tmp_path, text)
    assert error_of(path) == (
        f"{path}:20: a second target for lead_time_for_changes at scope team:payments "
        "(the first is on line 8); keep one"
    )
    # the same metric at another scope, or another metric at the same scope, is fine
    other = text.replace("scope: team:payments", "scope: team:search")
    assert len(load_targets(write(tmp_path, other), KNOWN)) == 5


def test_errors_are_config_errors_not_yaml_tracebacks(tmp_path):
    path = write(tmp_path, "targets: [\n")
    with pytest.raises(ConfigError) as caught:
        load_targets(path, KNOWN)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert str(caught.value) == f"{path}:2: not valid YAML (expected the node content, but found '<stream end>')"


# -- finding a target ----------------------------------------------------------------------


def test_a_target_is_found_only_at_exactly_its_scope(tmp_path):
    targets = load_targets(write(tmp_path, GOOD), KNOWN)
    org = targets.for_metric("deployment_frequency", "org")
    assert org is not None and org.line == 3
    assert targets.for_metric("deployment_frequency") is org
    assert targets.for_metric("lead_time_for_changes", "team:payments").line == 8
    assert targets.for_metric("lead_time_for_changes", " team : payments ").line == 8
    assert targets.for_metric("headcount", "unit:eng").line == 13
    assert targets.for_metric("availability", "service:checkout").line == 14


def test_teams_and_units_do_not_inherit_the_orgs_target(tmp_path):
    targets = load_targets(write(tmp_path, GOOD), KNOWN)
    assert targets.for_metric("deployment_frequency", "team:payments") is None
    assert targets.for_metric("deployment_frequency", "unit:eng") is None
    assert targets.for_metric("deployment_frequency", "service:checkout") is None
    assert targets.for_metric("lead_time_for_changes", "org") is None
    assert targets.for_metric("lead_time_for_changes", "team:search") is None
    assert targets.for_metric("change_failure_rate", "org") is None
    assert targets.for_metric("deployment_frequency", "nonsense") is None
    assert judge(10.0, targets.for_metric("deployment_frequency", "team:payments")) == "grey"


# -- colours -------------------------------------------------------------------------------


def test_up_at_and_around_the_boundaries():
    target = up(5, amber=0.1)  # amber edge 4.5
    assert target.amber_edge() == 4.5
    assert [judge(v, target) for v in (7, 5.01, 5, 4.99, 4.5, 4.49, 0)] == [
        "green",
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_down_at_and_around_the_boundaries():
    target = down(2, amber=0.25)  # amber edge 2.5
    assert target.amber_edge() == 2.5
    assert [judge(v, target) for v in (0, 1.99, 2, 2.01, 2.5, 2.51, 9)] == [
        "green",
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_the_default_amber_is_a_tenth_of_the_target(tmp_path):
    path = write(tmp_path, entry(metric="lead_time_for_changes", scope="org", target=10, owner="D"))
    target = load_targets(path, KNOWN).entries[0]
    assert (target.amber, target.amber_edge()) == (0.1, 11.0)
    assert [judge(v, target) for v in (10, 11, 11.01)] == ["green", "amber", "red"]


def test_a_zero_target_going_down_is_green_only_at_zero():
    for amber in (0.1, 1.0):
        target = down(0, amber)
        assert [judge(v, target) for v in (0, 1e-9, 0.5, 3)] == ["green", "red", "red", "red"]


def test_a_zero_target_going_up_is_green_from_zero():
    assert [judge(v, up(0)) for v in (2, 0, -1e-9)] == ["green", "green", "red"]


def test_amber_zero_and_one():
    assert [judge(v, up(5, amber=0)) for v in (5, 4.999)] == ["green", "red"]
    assert [judge(v, up(5, amber=1)) for v in (0, -0.1)] == ["amber", "red"]
    assert [judge(v, down(5, amber=1)) for v in (10, 10.1)] == ["amber", "red"]


def test_a_negative_target_moves_by_a_share_of_its_size():
    target = up(-10, amber=0.1)
    assert target.amber_edge() == -11
    assert [judge(v, target) for v in (-10, -11, -11.5)] == ["green", "amber", "red"]


def test_rounding_in_the_edge_does_not_turn_a_reached_edge_red():
    target = down(0.3, amber=0.1)
    assert 0.33 > 0.3 + 0.1 * 0.3  # the edge as computed is 0.32999999999999996
    assert [judge(v, target) for v in (0.3, 0.33, 0.3300001)] == ["green", "amber", "red"]
    assert judge(5 * (1 - 1e-12), up(5)) == "green"
    assert judge(5 * (1 - 1e-6), up(5)) == "amber"


def test_grey_without_a_target_or_a_value():
    assert judge(None, up(5)) == "grey"
    assert judge(float("nan"), up(5)) == "grey"
    assert judge(5.0, None) == "grey"
    assert judge(None, None) == "grey"
    assert judge(5.0, Targets().for_metric("deployment_frequency", "org")) == "grey"


# -- the guide's worked example ------------------------------------------------------------


def test_the_worked_example_of_the_guide_gives_the_colours_it_says(tmp_path):
    guide = (ROOT / "docs" / "targets.md").read_text(encoding="utf-8")
    section = guide.split("## A worked example", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert example is not None
    known = {name: metric.good_direction for name, metric in catalog().items()}
    targets = load_targets(write(tmp_path, example.group(1)), known)
    rows = [line.split("|")[1:5] for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    rows = [[cell.strip() for cell in row] for row in rows[1:]]  # without the header
    assert len(rows) == 13
    for metric, scope, value, colour in rows:
        number = None if value == "none" else float(value)
        assert judge(number, targets.for_metric(metric, scope)) == colour, (metric, scope, value)
