"""The simulated deliveries (simulation/delivery*.py): the same seed gives the same files;
CI runs, deployments and incidents keep their order in time and name commits that exist;
and, end to end, the files read through the real import commands give the DORA numbers,
incidents and CI counts the simulator knows (truth/dora_monthly.csv, truth/incidents.csv)."""

from __future__ import annotations

import csv
import json
import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from quarterdeck.simulation.delivery import DeliveryParams, main_lines, plan_delivery
from quarterdeck.simulation.delivery_files import write_delivery_files
from quarterdeck.simulation.delivery_truth import write_delivery_truth
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.rng import Rng
from quarterdeck.simulation.run import SimulationParams, simulate_code
from tests.conftest import run_quarterdeck
from tests.warehouse_rows import query

SEED = 5
KINDS = (("deployments", "deployments.csv"), ("incidents", "incidents.ndjson"), ("ci-runs", "ci-runs.csv"),
         ("availability", "availability.csv"), ("slos", "slos.yaml"))  # fmt: skip


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """A small organization (12 engineers, one year), its deliveries planned and written."""
    out = tmp_path_factory.mktemp("delivery") / "org"
    made = simulate_code(SimulationParams(org=OrgParams(engineers=12, years=1)), SEED, out)
    delivery = plan_delivery(made, DeliveryParams(), Rng(SEED).child("delivery"))
    write_delivery_files(delivery, out)
    write_delivery_truth(delivery, made, out)
    return made, delivery, out


@pytest.fixture(scope="module")
def warehouse(simulated, tmp_path_factory) -> Path:
    """The simulated files read by the real commands, as a user would: git, org, delivery."""
    _, _, out = simulated
    db = tmp_path_factory.mktemp("warehouse") / "w.duckdb"
    org_files = sorted(str(p) for p in (out / "hr").glob("*.csv")) + sorted(
        str(p) for p in (out / "org").glob("*.yaml")
    )
    steps = [("git", str(out / "git")), ("org", *org_files)]
    steps += [(kind, str(out / "delivery" / name), "--strict") for kind, name in KINDS]  # no row may be refused
    for step in steps:
        result = run_quarterdeck("ingest", *step, "--db", str(db))
        assert result.returncode == 0, (step[0], result.stdout[-2000:], result.stderr[-2000:])
    return db


def metric(db: Path, name: str, made, by: str = "service") -> list[dict]:
    since, until = made.world.start, made.world.end - timedelta(days=1)
    args = ("metrics", "show", name, "--by", by, "--grain", "month", "--since", str(since), "--until", str(until))
    result = run_quarterdeck(*args, "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def truth(out: Path, name: str) -> list[dict]:
    with (out / "truth" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def monthly_truth(out: Path) -> dict[tuple[str, str], dict]:
    return {(row["service"], row["month"]): row for row in truth(out, "dora_monthly.csv")}


# -- determinism ---------------------------------------------------------------------------


def test_the_same_seed_gives_byte_identical_files_and_another_seed_others(simulated, tmp_path):
    made, _, out = simulated
    written = {}
    for name, seed in (("again", SEED), ("other", SEED + 1)):
        delivery = plan_delivery(made, DeliveryParams(), Rng(seed).child("delivery"))
        folder = tmp_path / name
        write_delivery_files(delivery, folder)
        write_delivery_truth(delivery, made, folder)
        written[name] = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.*"))}
    assert len(written["again"]) == 8
    for relative, content in written["again"].items():
        assert (out / relative).read_bytes() == content, relative
    assert written["other"]["delivery/deployments.csv"] != written["again"]["delivery/deployments.csv"]


# -- invariants ----------------------------------------------------------------------------


def test_ci_runs_are_queued_then_started_then_finished_for_each_push_and_merge(simulated):
    made, delivery, _ = simulated
    runs = delivery.ci_runs
    assert all(r.queued_at <= r.started_at <= r.finished_at for r in runs)
    assert len({r.run_id for r in runs}) == len(runs)
    merged = sum(1 for pulls in made.planned.values() for p in pulls if p.work.merge is not None)
    assert Counter(r.workflow for r in runs)["main"] == merged
    results = Counter(r.result for r in runs)
    assert 0.05 < results["failure"] / len(runs) < 0.15 and results["cancelled"] > 0


def test_every_deployed_commit_exists_and_releases_deploy_the_latest_merge(simulated):
    made, delivery, _ = simulated
    by_repository: dict[str, set[str]] = {}
    for deployment in delivery.deployments:
        for repository, sha in deployment.commits:
            assert len(sha) == 40
            by_repository.setdefault(repository, set()).add(sha)
    for repository, shas in sorted(by_repository.items()):
        path = made.written[repository].path
        for sha in sorted(shas):
            exists = subprocess.run(["git", "-C", str(path), "cat-file", "-e", f"{sha}^{{commit}}"], check=False)
            assert exists.returncode == 0, (repository, sha)
    # a release's staging deployment takes, in each repository, what git's default branch held then
    lines = main_lines(made)
    releases = [d for d in delivery.deployments if d.environment == "staging" and d.kind == "release"]
    for deployment in releases[:: max(1, len(releases) // 40)]:
        for repository, sha in deployment.commits:
            before = int(deployment.started_at.timestamp()) - 1
            tip = subprocess.run(
                ["git", "-C", str(made.written[repository].path), "rev-list", "-1", "--first-parent",
                 f"--before={before}", "main"],
                capture_output=True, text=True, check=True,
            ).stdout.strip() or made.written[repository].initial_sha  # fmt: skip
            assert sha == tip == lines[repository].shas[lines[repository].index_before(deployment.started_at)]


def test_incidents_follow_the_deployments_that_caused_them(simulated):
    _, delivery, _ = simulated
    deployments = {d.deployment_id: d for d in delivery.deployments}
    caused = [i for i in delivery.incidents if i.caused_by]
    assert caused and len(caused) < len(delivery.incidents)  # and some nobody deployed
    assert {i.link for i in caused} == {"deployment_id", "root_cause_sha", "none"}
    for incident in delivery.incidents:
        assert incident.acknowledged_at is None or incident.created_at <= incident.acknowledged_at
        assert incident.resolved_at is None or incident.created_at <= incident.resolved_at
        if incident.caused_by:
            cause = deployments[incident.caused_by]
            assert cause.environment == "production" and cause.finished_at < incident.created_at
            assert incident.service_id == cause.service_id
    kinds = Counter((d.environment, d.result, d.kind) for d in delivery.deployments)
    assert kinds["production", "failure", "release"] > 0 and kinds["production", "success", "rollback"] > 0


# -- end to end: the imported files give the truth -------------------------------------------


def test_deployment_frequency_and_change_failure_rate_equal_the_truth(simulated, warehouse):
    made, _, out = simulated
    expected = monthly_truth(out)
    frequency = metric(warehouse, "deployment_frequency", made)
    failure = metric(warehouse, "change_failure_rate", made)
    assert sum(int(r["deployments"]) for r in expected.values()) == sum(r["deployments"] for r in frequency) > 100
    assert {(r["group"], r["period_start"]): r["deployments"] for r in frequency} == {
        key: int(row["deployments"]) for key, row in expected.items() if key[0] in {r["group"] for r in frequency}
    }
    measured = {(r["group"], r["period_start"]): (r["deployments"], r["failed_deployments"]) for r in failure}
    assert measured == {
        key: (int(row["deployments"]), int(row["failed_deployments"]))
        for key, row in expected.items()
        if key[0] in {r["group"] for r in failure}
    }
    for row in failure:
        rate = expected[row["group"], row["period_start"]]["change_failure_rate"]
        assert row["change_failure_rate"] == (float(rate) if rate else None)
    assert sum(int(r["failed_deployments"]) for r in expected.values()) > 0


def test_incidents_and_time_to_restore_equal_the_truth(simulated, warehouse):
    made, _, out = simulated
    expected = monthly_truth(out)
    restore = metric(warehouse, "time_to_restore", made)
    assert sum(r["incidents"] for r in restore) == len(truth(out, "incidents.csv")) > 20
    for row in restore:
        known = expected[row["group"], row["period_start"]]
        assert (row["incidents"], row["resolved"]) == (int(known["incidents"]), int(known["resolved_incidents"]))
        median = known["time_to_restore_median_hours"]
        assert row["median_hours"] == (pytest.approx(float(median), rel=1e-12) if median else None)
    by_severity = Counter()
    for incident in truth(out, "incidents.csv"):
        by_severity[incident["service"], incident["created"][:7] + "-01", incident["severity"]] += 1
    counted = metric(warehouse, "incidents", made)
    assert {(r["group"], r["period_start"], r["severity"]): r["incidents"] for r in counted} == dict(by_severity)


def test_every_incident_is_attributed_as_the_truth_says_and_caused_ones_to_their_cause(simulated, warehouse):
    _, _, out = simulated
    links = dict(query(warehouse, "SELECT incident_id, deployment_id FROM incident_deployments"))
    incidents = truth(out, "incidents.csv")
    assert {i["incident"]: links.get(i["incident"], "") for i in incidents} == {
        i["incident"]: i["attributed_deployment"] for i in incidents
    }
    caused = [i for i in incidents if i["caused_by_deployment"]]
    assert caused and all(links[i["incident"]] == i["caused_by_deployment"] for i in caused)


def test_ci_runs_and_availability_read_back_as_written(simulated, warehouse):
    made, delivery, out = simulated
    expected = Counter()
    for run in delivery.ci_runs:  # pull requests opened in the last days go on after the window
        if run.queued_at.date() < made.world.end:
            expected[run.repository, run.queued_at.date().replace(day=1).isoformat(), run.result] += 1
    measured = Counter()
    for row in metric(warehouse, "ci_failure_rate", made, by="repository"):
        for result, column in (("success", "succeeded"), ("failure", "failed"), ("cancelled", "cancelled")):
            if row[column]:
                measured[row["group"], row["period_start"], result] += row[column]
    assert measured == expected
    with (out / "delivery" / "availability.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    served = metric(warehouse, "availability", made)
    assert sum(r["total"] for r in served) == sum(int(r["total"]) for r in rows)
    assert sum(r["good"] for r in served) == sum(int(r["good"]) for r in rows)
    assert query(warehouse, "SELECT count(*) FROM slos")[0][0] == len(made.world.services)
