"""``quarterdeck survey --beside-metrics``: a theme's favourable share per team next to the
metric it speaks of over the survey's period (on-call beside incidents), and the correlation
across the teams shown, checked against the standard library's, through the real CLI."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.money_files import write
from tests.survey_files import MAPPING, ORG, export, ingest, organization

SERVICES = """services:
  - {id: search-api, name: Search API, owner: search}
  - {id: platform-api, name: Platform API, owner: platform}
  - {id: sre-tools, name: SRE tools, owner: sre}
  - {id: checkout-api, name: Checkout API, owner: checkout}
"""
ON_CALL = MAPPING.replace("theme: review", "theme: on-call")
# on-call (the "Reviews are quick" column here): search 3 of 6 favourable, platform 1 of 7, sre 5 of 5;
# checkout (4 respondents) is suppressed and so is payments (5: product minus search would give
# checkout back): both stay out of the correlation
ROWS = (
    [("search", "3", "Agree", "8", "")] * 3 + [("search", "3", "Disagree", "8", "")] * 3
    + [("platform", "3", "Strongly agree", "8", "")] + [("platform", "3", "Neutral", "8", "")] * 6
    + [("sre", "3", "Agree", "8", "")] * 5 + [("checkout", "3", "Strongly disagree", "8", "")] * 4
    + [("payments", "3", "Agree", "8", "")] * 5
)  # fmt: skip
INCIDENT = '{{"id": "{id}", "service": "{service}", "severity": "{severity}", "created_at": "{at}T10:00:00Z"}}\n'
INCIDENTS = {  # in the survey's quarter (April-June 2026): search 2, platform 4, sre 1, checkout 9
    "search-api": ["2026-04-02", "2026-06-30"],
    "platform-api": ["2026-04-10", "2026-05-01", "2026-05-02", "2026-06-01"],
    "sre-tools": ["2026-05-20"], "checkout-api": ["2026-05-05"] * 9,
}  # fmt: skip


def test_on_call_beside_incidents_per_team_with_the_correlation_across_teams_shown(tmp_path: Path) -> None:
    db = organization(tmp_path, ORG + SERVICES)
    lines = [
        INCIDENT.format(id=f"{service}-{n}", service=service, severity="SEV2" if n % 2 else "SEV3", at=day)
        for service, days in INCIDENTS.items()
        for n, day in enumerate(days)
    ]
    lines += [INCIDENT.format(id="late", service="sre-tools", severity="SEV1", at="2026-07-05")]  # after the quarter
    done = run_quarterdeck("ingest", "incidents", str(write(tmp_path, "inc.ndjson", "".join(lines))), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert ingest(db, write(tmp_path, "s.csv", export(ROWS)), write(tmp_path, "m.yaml", ON_CALL)).returncode == 0
    done = run_quarterdeck("survey", "--beside-metrics", "--format", "json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    on_call = next(t for t in json.loads(done.stdout) if t["theme"] == "on-call")
    assert on_call["metric"] == "incidents"
    pairs = {t["team"]: (t["favourable_share"], t["metric_value"]) for t in on_call["teams"]}
    assert pairs == {"search": (0.5, 2.0), "platform": (round(1 / 7, 4), 4.0), "sre": (1.0, 1.0)}  # not July's
    expected = statistics.correlation([0.5, 1 / 7, 1.0], [2.0, 4.0, 1.0])
    assert on_call["correlation"] == round(expected, 4)
    assert on_call["statement"].startswith("across 3 teams, a higher incidents goes with a lower favourable share")


def test_the_correlation_is_pearsons_r_worded_as_an_association() -> None:
    from quarterdeck.metrics.survey_systems import ThemeBeside, pearson

    pairs = [(0.5, 2.0), (1 / 7, 4.0), (1.0, 0.0), (0.2, 5.0)]
    r = pearson(pairs)
    assert r == statistics.correlation([a for a, _ in pairs], [b for _, b in pairs])
    found = ThemeBeside("on-call", "incidents", "incidents", [("t", a, b) for a, b in pairs], r)
    assert found.statement.startswith("across 4 teams, a higher incidents goes with a lower favourable share")
    assert found.statement.endswith("an association, not a cause")
    assert pearson(pairs[:2]) is None and pearson([(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]) is None
