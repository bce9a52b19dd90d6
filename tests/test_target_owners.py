"""The targets file's review cadence and ``owners:`` section: what loads, and every mistake a
ConfigError naming the file and line (a webhook URL written in the file is never echoed)."""

from __future__ import annotations

import pytest

from quarterdeck.config.target_owners import Owner
from quarterdeck.config.targets import load_targets
from quarterdeck.core.errors import ConfigError
from tests.test_targets import KNOWN, write

FILE = """\
targets:
  - metric: deployment_frequency
    scope: org
    target: 5
    owner: Dana Reyes (VP Eng)
  - metric: lead_time_for_changes
    scope: team:payments
    target: 48
    owner: Sam Okafor
    review: quarterly
owners:
  Dana Reyes (VP Eng):
    email: dana@example.com
    slack_webhook_env: QD_SLACK_DANA
  Sam Okafor:
    teams_webhook_env: QD_TEAMS_SAM
"""


def error_of(tmp_path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_targets(path, KNOWN)
    return str(caught.value).replace(str(path), "T")


def test_review_and_owners_load_with_their_defaults(tmp_path):
    targets = load_targets(write(tmp_path, FILE), KNOWN)
    assert [t.review for t in targets] == ["monthly", "quarterly"]
    assert targets.owners == {
        "Dana Reyes (VP Eng)": Owner("Dana Reyes (VP Eng)", "dana@example.com", "QD_SLACK_DANA", None, 13),
        "Sam Okafor": Owner("Sam Okafor", None, None, "QD_TEAMS_SAM", 16),
    }
    assert targets.owners["Dana Reyes (VP Eng)"].channels == ("email", "slack")


def test_a_file_without_owners_or_review_keeps_working(tmp_path):
    targets = load_targets(write(tmp_path, FILE.split("owners:")[0].replace("    review: quarterly\n", "")), KNOWN)
    assert targets.owners == {} and {t.review for t in targets} == {"monthly"}


def test_review_must_be_monthly_or_quarterly(tmp_path):
    assert error_of(tmp_path, FILE.replace("review: quarterly", "review: weekly")) == (
        "T:6: 'review' must be monthly or quarterly (how often the target is reviewed), not 'weekly'"
    )


@pytest.mark.parametrize(
    ("owners", "expected"),
    [
        ("owners: [dana]\n", "T:11: 'owners' must map each owner's name to their contacts, such as "
         "'Dana Reyes (VP Eng): {email: dana@example.com}'"),
        ("owners:\n  Sam Okafor: sam@example.com\n",
         "T:12: owner 'Sam Okafor' needs contacts: email, slack_webhook_env and/or teams_webhook_env"),
        ("owners:\n  Sam Okafor:\n    email:\n",
         "T:12: owner 'Sam Okafor' needs contacts: email, slack_webhook_env and/or teams_webhook_env"),
        ("owners:\n  42:\n    email: sam@example.com\n",
         "T:12: an owner under 'owners' must be a name as the targets' 'owner' gives it, not 42"),
        ("owners:\n  Sam Okafor:\n    mail: sam@example.com\n",
         "T:13: unknown key 'mail' for owner 'Sam Okafor'; an owner takes email, slack_webhook_env and "
         "teams_webhook_env"),
        ("owners:\n  Sam Okafor:\n    email: sam at example\n",
         "T:13: 'email' of owner 'Sam Okafor' must be one address such as dana@example.com, not 'sam at example'"),
        ("owners:\n  Sam Okafor:\n    email: a@b.com, c@d.com\n",
         "T:13: 'email' of owner 'Sam Okafor' must be one address such as dana@example.com, not 'a@b.com, c@d.com'"),
        ("owners:\n  Sam Okafor:\n    slack_webhook_env: slack-sam\n",
         "T:13: 'slack_webhook_env' of owner 'Sam Okafor' must be the name of an environment variable, such as "
         "QUARTERDECK_SLACK_DANA (letters, digits and _), not 'slack-sam'"),
        ("owners:\n  Sam Okafor:\n    email: sam@example.com\n    email: sam2@example.com\n",
         "T:12: 'email' is given twice for owner 'Sam Okafor'; keep one"),
        ("owners:\n  Sam Okafor: {email: s@example.com}\n  Sam Okafor: {email: t@example.com}\n",
         "T:11: owner 'Sam Okafor' is given twice under 'owners'; keep one"),
        ("owners:\n  Sam Okafr:\n    email: sam@example.com\n",
         "T:12: owner 'Sam Okafr' under 'owners' answers for no target; did you mean 'Sam Okafor'?"),
        ("owners:\n  Lee Park:\n    email: lee@example.com\n",
         "T:12: owner 'Lee Park' under 'owners' answers for no target; the targets' owners are "
         "Dana Reyes (VP Eng), Sam Okafor"),
    ],
)  # fmt: skip
def test_every_mistake_in_owners_names_the_line(tmp_path, owners, expected):
    assert error_of(tmp_path, FILE.split("owners:")[0] + owners) == expected


def test_a_webhook_url_in_the_file_is_refused_and_never_echoed(tmp_path):
    secret = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
    for key in ("slack_webhook_env", "teams_webhook_env"):
        text = FILE.split("owners:")[0] + f"owners:\n  Sam Okafor:\n    {key}: {secret}\n"
        message = error_of(tmp_path, text)
        assert message == (
            f"T:13: '{key}' of owner 'Sam Okafor' must be the NAME of an environment variable holding the "
            "webhook URL, not the URL itself (webhook URLs are secrets: keep them out of this file)"
        )
        assert "SECRET" not in message and "hooks.slack" not in message
