"""The ``needs:`` section of a plan file (planning.needs): what it reads, and every mistake
named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.config.yaml_files import LineLoader, read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning.needs import ManagerNeed, SeniorityNeed, SkillNeed, Where, read_needs

PLAN = """name: Three-year plan
start: 2027Q1
needs:
  train_months_per_level: 4
  training_time: 25%
  skills:
    - team: payments
      skill: "  Kotlin   Multiplatform "
      level: advanced
      count: 3
      by: 2027Q3
      hire_level: ic3
    - {team: search, skill: Go, count: 1}
  seniority:
    - group: eng
      level: IC4
      share: 40%
      by: 2028q1
  managers:
    - group: org
      engineers_per_manager: 8
"""


def needs_of(tmp_path: Path, text: str):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    data = read_yaml(path, "plan file", LineLoader)
    return read_needs(data.get("needs"), str(path), data.key_lines.get("needs", 0)), str(path)


def test_the_needs_section_is_read_with_defaults_and_each_need_keeps_its_line(tmp_path: Path) -> None:
    needs, file = needs_of(tmp_path, PLAN)
    assert needs.skills == (
        SkillNeed("payments", "Kotlin Multiplatform", 4, 3, (2027, 3), Where(file, 7), "IC3"),
        SkillNeed("search", "Go", 3, 1, None, Where(file, 13)),
    )
    assert needs.seniority == (SeniorityNeed("eng", "IC4", 0.4, (2028, 1), Where(file, 15)),)
    assert needs.managers == (ManagerNeed("org", 8.0, None, Where(file, 20), "M1", "IC5"),)
    assert (needs.train_months_per_level, needs.training_time, needs.promotion_months) == (4.0, 0.25, 12.0)
    assert needs.skills[0].skill_key == "kotlin multiplatform"


def test_a_plan_without_needs_has_none(tmp_path: Path) -> None:
    needs, _ = needs_of(tmp_path, "name: x\n")
    assert not needs and needs.skills == ()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      level: advanced", "      level: guru",
         ":9: needs.skills[1].level: 'guru': expected a level from 1 to 5 or one of beginner"),
        ("      level: advanced", "      level: 6", ":9: needs.skills[1].level: 6: expected a level from 1 to 5"),
        ("      count: 3", "      count: 2.5", ":10: needs.skills[1].count: 2.5: expected a whole number above 0"),
        ("      count: 3", "      count: 0", ":10: needs.skills[1].count: 0: expected a whole number above 0"),
        ("      count: 3\n", "", ":7: needs.skills[1]: count is missing: expected a whole number above 0"),
        ("      by: 2027Q3", "      by: next year", ":11: needs.skills[1].by: 'next year': expected a quarter such as"),
        ("      hire_level: ic3", "      hire_level: senior", ":12: needs.skills[1].hire_level: 'senior': expected a"),
        ("      hire_level: ic3", "      colour: red", ":12: needs.skills[1]: unknown key 'colour'; expected team,"),
        ("    - {team: search, skill: Go, count: 1}", "    - search",
         ":13: needs.skills[2]: expected a mapping such as {team: payments"),
        ("    - {team: search, skill: Go, count: 1}", "    - {skill: Go, count: 1}",
         ":13: needs.skills[2]: team is missing: expected a name"),
        ("      share: 40%", "      share: 140%", ":17: needs.seniority[1].share: '140%': expected a share"),
        ("      share: 40%", "      share: 100%", ":17: needs.seniority[1].share: expected a share below 100%"),
        ("      level: IC4\n", "", ":15: needs.seniority[1]: level is missing: expected a level such as IC4"),
        ("      engineers_per_manager: 8", "      engineers_per_manager: -1",
         ":21: needs.managers[1].engineers_per_manager: -1: expected a number above 0"),
        ("  training_time: 25%", "  training_time: lots", ":5: needs.training_time: 'lots': expected a share"),
        ("  training_time: 25%", "  hobbies: 2", ":5: needs: unknown key 'hobbies'; expected train_months_per_level"),
    ],
)  # fmt: skip
def test_a_mistake_is_named_by_file_and_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in PLAN
    with pytest.raises(ConfigError) as caught:
        needs_of(tmp_path, PLAN.replace(old, new, 1))
    assert str(caught.value).startswith(str(tmp_path / "plan.yaml") + expected), str(caught.value)


def test_needs_that_are_not_a_mapping_or_a_kind_that_is_not_a_list_are_refused_at_their_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"plan.yaml:2: needs: expected a mapping with skills, seniority or managers"):
        needs_of(tmp_path, "name: x\nneeds: [kotlin]\n")
    with pytest.raises(ConfigError, match=r"plan.yaml:3: needs.skills: expected a list of needs"):
        needs_of(tmp_path, "name: x\nneeds:\n  skills: Kotlin\n")
