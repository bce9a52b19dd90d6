"""Digests built from a hand-written history: review cadence (a quarterly target only in a
quarter's last month), what changed since the period before, red first, and the [digest]
settings' mistakes."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.config.digest_settings import read_digest_settings
from quarterdeck.config.target_owners import Owner
from quarterdeck.config.targets import Target, Targets, judge
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.target_status import TargetStatus, periods_of
from quarterdeck.reports.digest import build_digests
from quarterdeck.reports.digest_render import plain_text, slack_payload
from quarterdeck.store.target_history import MonthRecord

DEPLOYS = Target("deployment_frequency", "org", 5.0, "Dana", 0.1, "up", 2)
LEAD = Target("lead_time_for_changes", "org", 24.0, "Dana", 0.1, "down", 7, review="quarterly")
ENDS = date(2025, 1, 10)


def history(target: Target, values: dict[date, float]) -> list[MonthRecord]:
    return [
        MonthRecord(target.metric, target.scope, month, value, None, target.target, target.amber_edge(),
                    target.direction, target.owner, target.review, judge(value, target), ENDS)
        for month, value in sorted(values.items())
    ]  # fmt: skip


def statuses(last: date) -> list[TargetStatus]:
    deploys = {date(2024, m, 1): v for m, v in ((9, 5.2), (10, 4.6), (11, 4.4), (12, 4.3))}
    lead = {date(2024, m, 1): v for m, v in ((9, 20.0), (10, 30.0), (11, 25.0), (12, 26.0))}
    keep = {k: v for k, v in deploys.items() if k <= last}, {k: v for k, v in lead.items() if k <= last}
    return [
        TargetStatus(DEPLOYS, "Deployment frequency", "deploy days per week", history(DEPLOYS, keep[0])),
        TargetStatus(LEAD, "Lead time for changes", "hours", periods_of(history(LEAD, keep[1]), "quarterly")),
    ]


def test_a_quarterly_target_is_only_in_the_digest_of_a_quarters_last_month():
    targets = Targets((DEPLOYS, LEAD), None, {"Dana": Owner("Dana", "dana@example.com")})
    november = build_digests(statuses(date(2024, 11, 1)), targets, date(2024, 11, 1), ENDS)
    assert [line.metric for line in november[0].lines] == ["deployment_frequency"]
    december = build_digests(statuses(date(2024, 12, 1)), targets, date(2024, 12, 1), ENDS)
    lines = {line.metric: line for line in december[0].lines}
    assert sorted(lines) == ["deployment_frequency", "lead_time_for_changes"]
    lead = lines["lead_time_for_changes"]  # 2024Q3 ended at 20 h (green), 2024Q4 at 26 h: amber (edge 26.4)
    assert (lead.period, lead.previous_period, lead.status, lead.previous_status) == (
        "2024Q4",
        "2024Q3",
        "amber",
        "green",
    )
    assert lead.change == "2024Q3: 20.0 h → 26.0 h (+6.0 h), green → amber"
    deploys = lines["deployment_frequency"]  # 4.3 < edge 4.5: red; 4.6 amber, 4.4 red, 4.3 red
    assert (deploys.status, deploys.missed_in_a_row, deploys.missed_of_last_12) == ("red", 3, 3)
    assert deploys.change == "2024-11: 4.40 → 4.30 (−0.10), still red"
    assert [line.status for line in december[0].lines] == ["red", "amber"]  # red first
    assert december[0].subject == "Quarterdeck targets, 2024-12: 1 red, 1 amber (Dana)"
    text = plain_text(december[0])
    assert text.index("Red:") < text.index("Deployment frequency (org, monthly), 2024-12: 4.30 against a target of 5")
    assert slack_payload(december[0])["text"] == december[0].subject


def test_a_month_not_recorded_is_said_so_not_guessed():
    targets = Targets((DEPLOYS,), None, {})
    digest = build_digests(statuses(date(2024, 11, 1))[:1], targets, date(2024, 12, 1), ENDS)[0]
    line = digest.lines[0]
    assert (line.period, line.status, line.value) == (None, "grey", None) and digest.contacts is None
    assert "not recorded (run 'quarterdeck targets record')" in plain_text(digest)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("smtp_port = 'x'", "'smtp_port' must be a port number such as 587, not 'x'"),
        ("starttls = 'yes'", "'starttls' must be true or false, not 'yes'"),
        ("smtp_hots = 'mail'", "unknown key 'smtp_hots'; expected smtp_host, smtp_port, from, starttls, timeout"),
        ("timeout = 0", "'timeout' must be a number of seconds above 0, not 0"),
    ],
)
def test_digest_settings_mistakes_name_the_file_and_key(tmp_path, table, message):
    path = tmp_path / "quarterdeck.toml"
    path.write_text(f"[digest]\n{table}\n")
    with pytest.raises(ConfigError) as caught:
        read_digest_settings(path, {})
    assert str(caught.value) == f"{path}: [digest]: {message}"


def test_a_login_without_starttls_or_half_a_login_cannot_send(tmp_path):
    path = tmp_path / "quarterdeck.toml"
    path.write_text('[digest]\nsmtp_host = "mail.example.com"\nfrom = "qd@example.com"\nstarttls = false\n')
    login = {"QUARTERDECK_SMTP_USER": "bot", "QUARTERDECK_SMTP_PASSWORD": "pw-123456"}
    assert "the password would cross the network in clear text" in read_digest_settings(path, login).problem()
    assert read_digest_settings(path, {}).problem() is None  # a relay without a login may be plain
    half = read_digest_settings(path, {"QUARTERDECK_SMTP_USER": "bot"}).problem()
    assert half.startswith("QUARTERDECK_SMTP_PASSWORD is not set")


def test_a_share_moves_by_percentage_points():
    failures = Target("change_failure_rate", "org", 0.1, "Sam", 0.5, "down", 2)
    rows = history(failures, {date(2024, 11, 1): 0.0862, date(2024, 12, 1): 0.0968})
    status = TargetStatus(failures, "Change failure rate", "share of deployments", rows)
    line = build_digests([status], Targets((failures,)), date(2024, 12, 1), ENDS)[0].lines[0]
    assert line.change == "2024-11: 8.62 % → 9.68 % (+1.06 pp), still green"
