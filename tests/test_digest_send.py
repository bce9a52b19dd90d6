"""``quarterdeck digest send`` delivering to a real SMTP server on 127.0.0.1 (STARTTLS with a
trustme certificate, a login required) and to a webhook receiver on 127.0.0.1: each owner's
mail with the numbers of ``targets status --format json``, Slack's and Teams' payloads, a wrong
password or an untrusted certificate reported without the secret, one failure not stopping
the other owners."""

from __future__ import annotations

import json
import shutil

import pytest

from quarterdeck.core.formats import format_number
from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse, without_recorded_targets
from tests.digest_servers import PASSWORD, USER, smtp_server, webhook_receiver

TARGETS = """\
targets:
  - {metric: deployment_frequency, scope: org, target: 5, owner: Dana Reyes}
  - {metric: lead_time_for_changes, scope: org, target: 24, owner: Dana Reyes, review: quarterly}
  - {metric: change_failure_rate, scope: org, target: 0.1, owner: Sam Okafor, amber: 0.5}
  - {metric: deployment_frequency, scope: team:marketplace, target: 3, owner: Sam Okafor}
owners:
  Dana Reyes:
    email: dana@example.com
    slack_webhook_env: QD_SLACK_DANA
  Sam Okafor:
    email: sam@example.com
    teams_webhook_env: QD_TEAMS_SAM
"""
SLACK_PATH = "/services/T0/B0/slack-token-xyz"
TEAMS_PATH = "/webhookb2/teams-token-abc"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("digest")
    db = folder / "org.duckdb"
    shutil.copy(demo_warehouse(folder / "demo"), db)
    without_recorded_targets(db)
    (folder / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    done = run_quarterdeck("targets", "record", "--db", str(db))
    assert done.returncode == 0, done.stderr
    status = run_quarterdeck("targets", "status", "--db", str(db), "--format", "json")
    with smtp_server(folder) as smtp, webhook_receiver() as hooks:
        (folder / "quarterdeck.toml").write_text(
            f'[digest]\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp.port}\nfrom = "Quarterdeck <qd@example.com>"\n'
            "starttls = true\n"
        )
        yield folder, smtp, hooks, json.loads(status.stdout)


def send(world, *args: str, **env: str):
    folder, smtp, hooks, _ = world
    smtp.mailbox.received.clear()
    hooks.hooks.clear()
    base = {
        "SSL_CERT_FILE": str(smtp.ca_file),
        "QUARTERDECK_SMTP_USER": USER,
        "QUARTERDECK_SMTP_PASSWORD": PASSWORD,
        "QD_SLACK_DANA": hooks.base_url + SLACK_PATH,
        "QD_TEAMS_SAM": hooks.base_url + TEAMS_PATH,
    }
    base.update(env)
    return run_quarterdeck(
        "--db", str(folder / "org.duckdb"), "--config", str(folder / "quarterdeck.toml"), "digest", "send", *args,
        env={k: v for k, v in base.items() if v}, cwd=folder,
    )  # fmt: skip


def no_secrets(done) -> None:
    for text in (done.stdout, done.stderr):
        assert PASSWORD not in text and "slack-token-xyz" not in text and "teams-token-abc" not in text


def expected_line(t: dict) -> str:
    return (
        f"{t['title']} ({t['scope']}, {t['review']}), {t['period']}: {format_number(t['value'], t['unit'])} "
        f"against a target of {format_number(t['target'], t['unit'])} "
        f"(amber to {format_number(t['amber_edge'], t['unit'])}): {t['status'].upper()}; "
        f"missed {t['missed_in_a_row']} in a row, {t['missed_of_last_12']} of the last 12"
    )


def test_each_owner_gets_a_mail_and_a_webhook_with_the_numbers_of_targets_status(world):
    _, smtp, hooks, status = world
    done = send(world)
    assert done.returncode == 0, done.stderr
    no_secrets(done)
    assert status["last_whole_month"] == "2024-12"  # a quarter's last month: quarterly targets are due
    mails = {tuple(r.recipients): r for r in smtp.mailbox.received}
    assert sorted(mails) == [("dana@example.com",), ("sam@example.com",)]
    assert smtp.mailbox.logins == [(USER, True), (USER, True)]
    for owner, address in (("Dana Reyes", "dana@example.com"), ("Sam Okafor", "sam@example.com")):
        mail = mails[(address,)]
        assert mail.sender == "qd@example.com" and mail.message["To"] == address
        mine = [t for t in status["targets"] if t["owner"] == owner]
        counts = {s: sum(t["status"] == s for t in mine) for s in ("red", "amber", "green", "grey")}
        said = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        assert mail.message["Subject"] == f"Quarterdeck targets, 2024-12: {said} ({owner})"
        text, page = mail.part("plain"), mail.part("html")
        for t in mine:
            assert expected_line(t) in text
            assert f'<tr data-metric="{t["metric"]}">' in page
            previous = format_number(t["previous_value"], t["unit"])
            assert f"since {t['previous_period']}: {previous} → {format_number(t['value'], t['unit'])}" in text
        red = [t for t in mine if t["status"] == "red"]
        assert ("Red:" in text) == bool(red)
    slack = [h for h in hooks.hooks if h.path == SLACK_PATH]
    teams = [h for h in hooks.hooks if h.path == TEAMS_PATH]
    assert len(slack) == 1 and len(teams) == 1 and len(hooks.hooks) == 2
    assert slack[0].content_type == "application/json"
    assert slack[0].payload["text"] == mails[("dana@example.com",)].message["Subject"]
    assert [b["type"] for b in slack[0].payload["blocks"]] == ["header", "section", "section", "context"]
    dana = [t for t in status["targets"] if t["owner"] == "Dana Reyes"]
    assert all(expected_line(t) in slack[0].payload["blocks"][2]["text"]["text"] for t in dana)
    card = teams[0].payload["attachments"][0]
    assert teams[0].payload["type"] == "message" and card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and card["content"]["body"][0]["text"].endswith("(Sam Okafor)")
    texts = [b["text"] for b in card["content"]["body"]]
    assert all(any(expected_line(t) in x for x in texts) for t in status["targets"] if t["owner"] == "Sam Okafor")
    assert "sent to Dana Reyes: email dana@example.com" in done.stdout
    assert "sent to Dana Reyes: slack $QD_SLACK_DANA" in done.stdout


def test_only_the_named_owner_and_a_dry_run_sends_nothing(world):
    _, smtp, hooks, _ = world
    done = send(world, "--owner", "Sam Okafor")
    assert done.returncode == 0, done.stderr
    assert [r.recipients for r in smtp.mailbox.received] == [["sam@example.com"]]
    assert [h.path for h in hooks.hooks] == [TEAMS_PATH]
    done = send(world, "--dry-run")
    assert done.returncode == 0, done.stderr
    no_secrets(done)
    assert smtp.mailbox.received == [] and hooks.hooks == []
    assert "=== Dana Reyes" in done.stdout and "e-mail to dana@example.com by SMTP 127.0.0.1:" in done.stdout
    assert "slack webhook from $QD_SLACK_DANA (set)" in done.stdout
    assert "The data ends on 2025-01-10" in done.stdout
    unknown = send(world, "--owner", "Nobody")
    assert unknown.returncode == 2 and "its owners are Dana Reyes, Sam Okafor" in unknown.stderr


def test_a_wrong_password_names_the_server_not_the_password_and_the_rest_still_goes(world):
    _, smtp, hooks, _ = world
    wrong = "not-the-Pa55word-at-all"
    done = send(world, QUARTERDECK_SMTP_PASSWORD=wrong)
    assert done.returncode == 1
    assert wrong not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert (
        f"FAILED for Dana Reyes: email dana@example.com: the SMTP server 127.0.0.1:{smtp.port} refused the login "
        "of the user in QUARTERDECK_SMTP_USER (535" in done.stderr
    )
    assert smtp.mailbox.received == [] and (USER, False) in smtp.mailbox.logins
    assert sorted(h.path for h in hooks.hooks) == sorted([SLACK_PATH, TEAMS_PATH])  # the webhooks still went
    assert "2 deliveries failed; the others went." in done.stderr


def test_tls_is_refused_when_the_certificate_is_not_trusted(world, tmp_path):
    _, smtp, _, _ = world
    import trustme

    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    logins = len(smtp.mailbox.logins)
    done = send(world, "--owner", "Sam Okafor", SSL_CERT_FILE=str(other))
    assert done.returncode == 1
    no_secrets(done)
    assert f"the certificate of the SMTP server 127.0.0.1:{smtp.port} is not trusted" in done.stderr
    assert smtp.mailbox.received == [] and len(smtp.mailbox.logins) == logins  # no login offered in clear


def test_a_failing_webhook_or_a_missing_variable_fails_that_channel_only(world):
    _, smtp, hooks, _ = world
    done = send(world, QD_SLACK_DANA="", QD_TEAMS_SAM=hooks.base_url + "/broken" + TEAMS_PATH)
    assert done.returncode == 1
    no_secrets(done)
    assert "FAILED for Dana Reyes: slack $QD_SLACK_DANA: the environment variable QD_SLACK_DANA" in done.stderr
    assert "FAILED for Sam Okafor: teams $QD_TEAMS_SAM: the Teams webhook in QD_TEAMS_SAM (host 127.0.0.1) " \
        "answered 500" in done.stderr  # fmt: skip
    assert sorted(r.recipients[0] for r in smtp.mailbox.received) == ["dana@example.com", "sam@example.com"]
