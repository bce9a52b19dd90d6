"""The golden data set of the delivery and reliability metrics (docs/delivery-inputs.md and
docs/delivery-metrics.md): two real git repositories, an organization with services, and the
delivery files, every instant chosen so that each value tests/test_delivery_golden.py expects
can be worked out by hand from the timeline below.

All instants below are UTC; the files write many of them with other offsets (+01:00 before
and +02:00 after the Europe/Berlin change to summer time on Sunday 2026-03-29 at 01:00Z), and
one file (deployments-legacy.csv) writes naive Berlin wall-clock times, imported with
``--timezone Europe/Berlin``. Weeks of 2026: Mondays 03-02, 03-09, 03-16, 03-23, 03-30.

Organization (``ingest org``): teams eng > payments, platform; service ``checkout`` ("Checkout
Service", owner payments, repository ``shop``) and ``gateway`` ("API Gateway", owner platform,
repository ``gateway``), as of 2026-01-01. A second org file as of 2026-03-23 adds team
``edge`` and gives it ``gateway``: gateway events before 03-23 count for platform, from 03-23
for edge.

Repository ``shop`` (author time; commit time when it differs)::

    s1 02-20 09:00   s2 02-27 09:00 (written +01:00)          <- D1 deploys s2 (baseline)
    s3 03-02 12:00   s4 03-03 08:00                            <- D2
    s5 03-04 18:00                                             <- D3 (failed), D4 (staging), D5, D6 (redeploy)
      topic-squash: t1 03-07 10:00, t2 03-08 10:00 -> squashed into main as
    sq 03-09 09:00
      topic-rebase: r1 03-07 14:00, r2 03-08 16:00 (from s5), rebased onto sq with the
      committer date 03-09 15:00 and fast-forwarded:
    r1 author 03-07 14:00, commit 03-09 15:00
    r2 author 03-08 16:00, commit 03-09 15:00                 <- D7; D8 rolls back to s5
    s6 03-13 10:00
      topic-m: m1 03-14 09:00 (Bob), b1 03-14 12:00 (dependabot), merged --no-ff as
    M  03-15 09:00 (merge commit)                              <- D9 (after the rollback)
    s7 author 03-19 12:00 (a wrong clock), commit 03-17 08:00  <- D10 (negative lead time)
    s8 03-21 10:00                                             <- D11
    s9 03-28 22:30 (written 23:30+01:00)                       <- D12
    s10 03-31 12:00                                            <- D13

Repository ``gateway``: g1 03-01 08:00 <- GD1 (baseline); g2 03-20 09:00, g3 03-28 11:00 <- GD2.

Deployments (finish time; production and success unless said):

    D1  checkout 03-02 10:00 s2    first of (checkout, production, shop): ships nothing
    GD1 gateway  03-03 09:00 g1    naive "2026-03-03 10:00:00" Berlin (CET), environment "prod"
                                   (as GD2 and DX); first: ships nothing
    D2  checkout 03-04 12:00 s4    written 13:00+01:00; ships s3, s4
    D3  checkout 03-05 09:00 s5    result failed: not counted, not a predecessor
    D4  checkout 03-05 10:00 s5    staging: not counted
    D5  checkout 03-06 09:00 s5    ships s5
    D6  checkout 03-06 15:00 s5    redeploy: ships nothing, counts as a deployment
    D7  checkout 03-11 12:00 r2    ships sq, r1, r2 (t1, t2 never reach main)
    D8  checkout 03-12 08:00 s5    rollback: ships nothing
    D9  checkout 03-16 10:00 M     ships again sq, r1, r2 (first shipped by D7) and s6, m1, b1, M
    D10 checkout 03-18 10:00 s7    ships s7 (authored after D10 finished: -26 h)
    D14 checkout 03-20 10:00 s7    aborted: not counted
    D11 checkout 03-22 23:30 s8    written "2026-03-22 23:30:00+00": Monday 00:30 in Berlin
    D12 checkout 03-29 01:30 s9    written 03:30+02:00
    GD2 gateway  03-29 10:00 g3    naive "2026-03-29 12:00:00" Berlin (CEST); ships g2, g3
    D13 checkout 04-01 12:00 s10   written 14:00+02:00; two rows (repositories shop and gateway),
                                   one deployment
    DX  gateway  06-05 10:00       a commit no repository holds
    DJ1 checkout 06-01, DJ2 gateway 06-02: the valid rows of deployments-bad.csv (redeploys)

Incidents (created; acknowledged and resolved after it; link):

    INC-0  checkout SEV2     03-01 10:00  ack +5 m  res +4 h     before any deployment: unlinked
    INC-1  checkout SEV1     03-06 11:00  ack +15 m res +2 h     deployment_id D2 (inference: D5)
    INC-11 checkout medium   03-06 16:00  ack +30 m res +1 h     deployment_id D-NOPE (none): inferred D6
    INC-5  gateway  S2       03-10 09:00  ack +45 m res +2 h     inferred GD1, exactly 7 days after it
    INC-2  checkout P2       03-11 20:00  ack +30 m res +12.5 h  inferred D7
    INC-4  gateway  Priority 3 03-12 09:00 ack +20 m res +1.5 h  GD1 9 days before: unlinked
    INC-3  checkout critical 03-17 09:00  ack +5 m  res +6 h     root_cause_sha s4: D2 (inference: D9)
    INC-9  checkout low      03-18 12:00  ack +3 m  res +1 h     inferred D10
    INC-6  (no service) P1   03-22 23:30  ack +2 m  res +20 m    unlinked; Monday 00:30 in Berlin
    INC-12 gateway  SEV-1    03-27 12:00  ack +60 m open         GD1 24 days before: unlinked
    INC-7  sev1 checkout     03-29 00:30  ack +10 m res +1 h     inferred D11; written 01:30+01:00,
                                                                  resolved 03:30+02:00
    INC-8  checkout SEV2     03-30 06:00  open                   inferred D12
    INC-13 gateway  P3       03-31 00:00  open                   inferred GD2
    INC-10 checkout customer-impact 04-01 13:00 res +30 m        inferred D13 (no rank)
    INC-J1 checkout SEV3     06-10 (incidents-bad.csv)            deployment_id DJ1

CI runs (queued, started, finished): see CI_RUNS. Availability: checkout event counts per day
of March (100,000 a day; bad events 1,000 on 03-01, 100 on 03-05, 300 on 03-11, 100 on 03-29,
2,000 on 03-30); gateway probes, down 03-10 00:00-01:00 and 03-20 00:00-00:30. SLOs:
checkout-availability 99.9 % over 28 rolling days, checkout-tiers/strict 99.99 % and
checkout-tiers/relaxed 99 % over 1 rolling week, gateway-uptime 99.5 % over the calendar month.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, DEPENDABOT, Repo, git, git_env

BERLIN = "Europe/Berlin"

#: A commit that no ingested repository holds (deployment DX).
UNKNOWN_SHA = "0123456789abcdef0123456789abcdef01234567"


def _commit(repo: Repo, shas: dict[str, str], name: str, when: str, **kwargs) -> None:
    repo.write(f"{name}.txt", f"{name}\n")
    shas[name] = repo.commit(name, when, **kwargs)


def build_shop(path: Path) -> dict[str, str]:
    """The ``shop`` repository; returns the commits by name."""
    repo = Repo.create(path)
    shas: dict[str, str] = {}
    _commit(repo, shas, "s1", "2026-02-20T09:00:00+00:00")
    _commit(repo, shas, "s2", "2026-02-27T10:00:00+01:00")
    _commit(repo, shas, "s3", "2026-03-02T12:00:00+00:00")
    _commit(repo, shas, "s4", "2026-03-03T08:00:00+00:00")
    _commit(repo, shas, "s5", "2026-03-04T18:00:00+00:00")

    repo.checkout("topic-squash", create=True)
    _commit(repo, shas, "t1", "2026-03-07T10:00:00+00:00")
    _commit(repo, shas, "t2", "2026-03-08T10:00:00+00:00")
    repo.checkout("main")
    repo.checkout("topic-rebase", create=True)
    for name, when in (("r1", "2026-03-07T14:00:00+00:00"), ("r2", "2026-03-08T16:00:00+00:00")):
        repo.write(f"{name}.txt", f"{name}\n")
        shas[f"{name}_original"] = repo.commit(name, when)
    repo.checkout("main")

    # squash merge: one new commit on main carrying t1 and t2's changes
    repo.git("merge", "--squash", "-q", "topic-squash")
    shas["sq"] = repo.commit("squash topic-squash", "2026-03-09T09:00:00+00:00")

    # rebase merge: r1 and r2 replayed onto main (new commit time, author date kept), then
    # main fast-forwarded to them
    repo.checkout("topic-rebase")
    env = git_env(
        GIT_COMMITTER_NAME=ALICE.name,
        GIT_COMMITTER_EMAIL=ALICE.email,
        GIT_COMMITTER_DATE="2026-03-09T15:00:00+00:00",
    )
    git(repo.path, "rebase", "-q", "main", env=env)
    shas["r2"] = repo.head()
    shas["r1"] = repo.git("rev-parse", "HEAD~1").strip()
    repo.checkout("main")
    repo.git("merge", "-q", "--ff-only", "topic-rebase")

    _commit(repo, shas, "s6", "2026-03-13T10:00:00+00:00")
    repo.checkout("topic-m", create=True)
    _commit(repo, shas, "m1", "2026-03-14T09:00:00+00:00", author=BOB)
    _commit(repo, shas, "b1", "2026-03-14T12:00:00+00:00", author=DEPENDABOT)
    repo.checkout("main")
    shas["M"] = repo.merge("topic-m", message="merge topic-m", when="2026-03-15T09:00:00+00:00")
    _commit(repo, shas, "s7", "2026-03-19T12:00:00+00:00", commit_when="2026-03-17T08:00:00+00:00")
    _commit(repo, shas, "s8", "2026-03-21T10:00:00+00:00")
    _commit(repo, shas, "s9", "2026-03-28T23:30:00+01:00")
    _commit(repo, shas, "s10", "2026-03-31T12:00:00+00:00")

    # the rebase kept the author dates and set the commit dates
    dates = repo.git("log", "-1", "--format=%aI %cI", shas["r1"]).split()
    assert dates == ["2026-03-07T14:00:00+00:00", "2026-03-09T15:00:00+00:00"], dates
    first_parent = repo.git("rev-list", "--first-parent", "main").split()
    assert first_parent[:8] == [shas[n] for n in ("s10", "s9", "s8", "s7", "M", "s6", "r2", "r1")]
    assert first_parent[8:] == [shas[n] for n in ("sq", "s5", "s4", "s3", "s2", "s1")]
    return shas


def build_gateway(path: Path) -> dict[str, str]:
    repo = Repo.create(path)
    shas: dict[str, str] = {}
    _commit(repo, shas, "g1", "2026-03-01T08:00:00+00:00")
    _commit(repo, shas, "g2", "2026-03-20T10:00:00+01:00")
    _commit(repo, shas, "g3", "2026-03-28T12:00:00+01:00")
    return shas


ORG_2026_01_01 = """\
teams:
  - id: eng
    name: Engineering
  - id: payments
    name: Payments
    parent: eng
  - id: platform
    name: Platform
    parent: eng
services:
  - id: checkout
    name: Checkout Service
    owner: payments
    repositories: [shop]
  - id: gateway
    name: API Gateway
    owner: platform
    repositories: [gateway]
"""

ORG_2026_03_23 = """\
teams:
  - id: eng
    name: Engineering
  - id: payments
    name: Payments
    parent: eng
  - id: platform
    name: Platform
    parent: eng
  - id: edge
    name: Edge
    parent: eng
services:
  - id: checkout
    name: Checkout Service
    owner: payments
    repositories: [shop]
  - id: gateway
    name: API Gateway
    owner: edge
    repositories: [gateway]
"""

# `ingest org` of an org file alone (no people file) fails (a traceback in
# org_history.successors); one person makes the first snapshot importable.
PEOPLE_2026_01_01 = "id,name,team\nE1,Pat Example,payments\n"


def deployments_csv(s: dict[str, str]) -> str:
    """Column names in mixed case and an unknown column (``notes``, ignored; quoted on the last
    record)."""
    return f"""\
id,Service,environment,commit_sha,started_at,FINISHED_AT,result,repository,notes
D1,checkout,production,{s["s2"]},2026-03-02T09:50:00Z,2026-03-02T10:00:00Z,success,shop,first: a baseline
D2,CHECKOUT,production,{s["s4"]},2026-03-04T12:40:00+01:00,2026-03-04T13:00:00+01:00,success,shop,
D3,checkout,production,{s["s5"]},2026-03-05T08:50:00Z,2026-03-05T09:00:00Z,failed,shop,
D4,checkout,staging,{s["s5"]},2026-03-05T09:50:00Z,2026-03-05T10:00:00Z,success,shop,
D5,checkout,production,{s["s5"]},,2026-03-06T09:00:00Z,succeeded,shop,
D6,checkout,production,{s["s5"]},2026-03-06T14:50:00Z,2026-03-06T15:00:00Z,success,shop,redeploy
D7,Checkout Service,production,{s["r2"]},2026-03-11T11:30:00Z,2026-03-11T12:00:00Z,successful,shop,
D8,checkout,production,{s["s5"]},2026-03-12T07:55:00Z,2026-03-12T08:00:00Z,completed,shop,rollback
D9,checkout,production,{s["M"]},2026-03-16T09:45:00Z,2026-03-16T10:00:00Z,success,,
D10,checkout,production,{s["s7"]},2026-03-18T09:40:00Z,2026-03-18T10:00:00Z,success,shop,
D14,checkout,production,{s["s7"]},2026-03-20T09:50:00Z,2026-03-20T10:00:00Z,aborted,shop,
D11,checkout,production,{s["s8"]},2026-03-22 23:10:00+00,2026-03-22 23:30:00+00,passed,shop,
D12,checkout,Production,{s["s9"]},2026-03-29T03:10:00+02:00,2026-03-29T03:30:00+02:00,success,,
D13,checkout,production,{s["g3"]},2026-04-01T13:40:00+02:00,2026-04-01T14:00:00+02:00,ok,gateway,
D13,checkout,production,{s["s10"]},2026-04-01T13:45:00+02:00,2026-04-01T14:00:00+02:00,ok,shop,"a, b"
"""


def deployments_legacy_csv(s: dict[str, str]) -> str:
    """Naive Berlin wall-clock times, no repository column, environment ``prod`` (production)."""
    return f"""\
id,service,environment,commit_sha,finished_at,result
GD1,gateway,prod,{s["g1"]},2026-03-03 10:00:00,success
GD2,API Gateway,prod,{s["g3"]},2026-03-29 12:00:00,success
DX,gateway,prod,{UNKNOWN_SHA},2026-06-05 12:00:00,success
"""


def incidents(s: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"id": "INC-0", "service": "checkout", "severity": "SEV2", "created_at": "2026-03-01T10:00:00Z",
         "acknowledged_at": "2026-03-01T10:05:00Z", "resolved_at": "2026-03-01T14:00:00Z",
         "title": "before the first deployment"},
        {"id": "INC-1", "service": "checkout", "severity": "SEV1", "created_at": "2026-03-06T12:00:00+01:00",
         "acknowledged_at": "2026-03-06T12:15:00+01:00", "resolved_at": "2026-03-06T13:00:00Z",
         "deployment_id": "D2"},
        {"id": "INC-11", "service": "checkout", "severity": "medium", "created_at": "2026-03-06T16:00:00Z",
         "acknowledged_at": "2026-03-06T16:30:00Z", "resolved_at": "2026-03-06T17:00:00Z",
         "deployment_id": "D-NOPE"},
        {"id": "INC-5", "service": "API Gateway", "severity": "S2", "created_at": "2026-03-10T10:00:00+01:00",
         "acknowledged_at": "2026-03-10T09:45:00Z", "resolved_at": "2026-03-10T11:00:00Z"},
        {"id": "INC-2", "service": "checkout service", "severity": "P2", "created_at": "2026-03-11T20:00:00Z",
         "acknowledged_at": "2026-03-11T20:30:00Z", "resolved_at": "2026-03-12T08:30:00Z"},
        {"id": "INC-4", "service": "gateway", "severity": "Priority 3", "created_at": "2026-03-12T09:00:00Z",
         "acknowledged_at": "2026-03-12T09:20:00Z", "resolved_at": "2026-03-12T10:30:00Z"},
        {"id": "INC-3", "service": "checkout", "severity": "critical", "created_at": "2026-03-17T09:00:00Z",
         "acknowledged_at": "2026-03-17T09:05:00Z", "resolved_at": "2026-03-17T15:00:00Z",
         "root_cause_sha": s["s4"]},
        {"id": "INC-9", "service": "checkout", "severity": "low", "created_at": "2026-03-18T12:00:00Z",
         "acknowledged_at": "2026-03-18T12:03:00Z", "resolved_at": "2026-03-18T13:00:00Z"},
        {"id": "INC-6", "severity": "P1", "created_at": "2026-03-22T23:30:00Z",
         "acknowledged_at": "2026-03-22T23:32:00Z", "resolved_at": "2026-03-22T23:50:00Z",
         "title": "no service given"},
        {"id": "INC-12", "service": "gateway", "severity": "SEV-1", "created_at": "2026-03-27T12:00:00Z",
         "acknowledged_at": "2026-03-27T13:00:00Z"},
        {"id": "INC-7", "service": "checkout", "severity": "sev1", "created_at": "2026-03-29T01:30:00+01:00",
         "acknowledged_at": "2026-03-29T01:40:00+01:00", "resolved_at": "2026-03-29T03:30:00+02:00"},
        {"id": "INC-8", "service": "checkout", "severity": "SEV2", "created_at": "2026-03-30T08:00:00+02:00"},
        {"id": "INC-13", "service": "gateway", "severity": "P3", "created_at": "2026-03-31T00:00:00Z"},
        {"id": "INC-10", "service": "checkout", "severity": "customer-impact", "created_at": "2026-04-01T13:00:00Z",
         "resolved_at": "2026-04-01T13:30:00Z"},
    ]  # fmt: skip


#: id, repository, workflow, result, queued_at, started_at, finished_at (2026-, Z): queue and run
#: minutes C1 2/10, C2 5/15, C3 1/30, C4 10/1, C5 -/20 (no queue time), C6 0.5/2, C7 3/10,
#: C8 4/30, C9 6/10.
CI_RUNS = [
    ("C1", "shop", "build", "success", "03-03T10:00:00", "03-03T10:02:00", "03-03T10:12:00"),
    ("C2", "shop", "build", "failed", "03-03T11:00:00", "03-03T11:05:00", "03-03T11:20:00"),
    ("C3", "shop", "build", "success", "03-04T09:00:00", "03-04T09:01:00", "03-04T09:31:00"),
    ("C4", "shop", "build", "canceled", "03-04T12:00:00", "03-04T12:10:00", "03-04T12:11:00"),
    ("C5", "shop", "build", "success", None, "03-11T08:00:00", "03-11T08:20:00"),
    ("C6", "shop", "lint", "neutral", "03-05T09:00:00", "03-05T09:00:30", "03-05T09:02:30"),
    ("C7", "shop", "lint", "failure", "03-08T23:30:00", "03-08T23:33:00", "03-08T23:43:00"),
    ("C8", "gateway", "build", "passed", "03-06T10:00:00", "03-06T10:04:00", "03-06T10:34:00"),
    ("C9", "gateway", "build", "error", "03-10T10:00:00", "03-10T10:06:00", "03-10T10:16:00"),
]


def ci_runs(s: dict[str, str]) -> list[dict[str, str]]:
    runs = []
    for run_id, repository, workflow, result, *times in CI_RUNS:
        run = {"id": run_id, "repository": repository, "workflow": workflow, "result": result}
        for name, value in zip(("queued_at", "started_at", "finished_at"), times, strict=True):
            if value is not None:
                run[name] = f"2026-{value}Z"
        runs.append(run)
    runs[0]["commit_sha"] = s["s3"]
    runs[7]["commit_sha"] = s["g1"]
    return runs


#: Bad events of checkout per day of March (100,000 events a day).
BAD_EVENTS = {1: 1000, 5: 100, 11: 300, 29: 100, 30: 2000}


def _berlin_midnight_utc(day: int) -> str:
    """UTC midnight of 2026-03-DAY written as Berlin wall-clock time (+01:00, from 03-29 01:00Z +02:00)."""
    if day >= 30:
        return f"2026-03-{day:02d}T02:00:00+02:00"
    return f"2026-03-{day:02d}T01:00:00+01:00"


def availability_events_csv() -> str:
    lines = ["service,window_start,window_end,good,total"]
    for day in range(1, 32):
        end = _berlin_midnight_utc(day + 1) if day < 31 else "2026-04-01T00:00:00Z"
        lines.append(f"checkout,{_berlin_midnight_utc(day)},{end},{100000 - BAD_EVENTS.get(day, 0)},100000")
    return "\n".join(lines) + "\n"


AVAILABILITY_PROBES_CSV = """\
service,start,end,status
gateway,2026-02-28T00:00:00Z,2026-03-09T00:00:00Z,up
gateway,2026-03-09T00:00:00Z,2026-03-10T00:00:00Z,up
gateway,2026-03-10T00:00:00Z,2026-03-10T01:00:00Z,down
gateway,2026-03-10T01:00:00Z,2026-03-16T00:00:00Z,up
gateway,2026-03-16T00:00:00Z,2026-03-20T00:00:00Z,up
gateway,2026-03-20T00:00:00Z,2026-03-20T00:30:00Z,down
gateway,2026-03-20T00:30:00Z,2026-03-23T00:00:00Z,up
gateway,2026-03-23T00:00:00Z,2026-04-06T00:00:00Z,up
"""

SLOS_YAML = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - displayName: available
      target: 0.999
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
spec:
  description: not an SLO, ignored
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-tiers
spec:
  service: Checkout Service
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 1w
      isRolling: true
  objectives:
    - displayName: strict
      target: 0.9999
    - displayName: relaxed
      targetPercent: 99
"""

SLOS_CSV = """\
id,service,target,time_window,name,budgeting_method,rolling
gateway-uptime,API Gateway,99.5,1M,Gateway uptime,Timeslices,false
"""


def deployments_bad_csv(s: dict[str, str]) -> str:
    """Lines 2 and 8 are valid (redeploys in June, outside every window tested); the others are
    rejected: see BAD_ROWS."""
    return f"""\
id,service,environment,commit_sha,started_at,finished_at,result,repository
DJ1,checkout,production,{s["s10"]},,2026-06-01T10:00:00Z,success,shop
DB1,checkout,production,{s["s10"]},,2026-13-45T10:00:00Z,success,shop
DB2,checkout,production,{s["s10"]},2026-06-02T10:00:00Z,2026-06-02T09:00:00Z,success,shop
DB3,checkout,production,{s["s10"]},,2026-06-02T11:00:00Z,maybe,shop
DB4,billing,production,{s["s10"]},,2026-06-02T12:00:00Z,success,shop
DB5,checkout,production,{s["s10"]},,2026-06-03 10:00:00,success,shop
DJ2,gateway,production,{s["g3"]},,2026-06-02T10:00:00Z,success,gateway
DB6,checkout,production,{s["s10"]},,2026-06-04,success,shop
DB7,checkout,production,abc123,,2026-06-04T10:00:00Z,success,shop
DB8,checkout,production,{s["s10"]},,,success,shop
"""


INCIDENTS_BAD_CSV = """\
id,service,severity,created_at,acknowledged_at,resolved_at,deployment_id
IB1,billing,SEV1,2026-06-10T10:00:00Z,,,
IB2,checkout,SEV2,2026-06-10T10:00:00Z,,2026-06-10T09:00:00Z,
INC-J1,checkout,SEV3,2026-06-10T10:00:00Z,2026-06-10T10:10:00Z,2026-06-10T11:00:00Z,DJ1
IB3,checkout,SEV2,2026-06-11T10:00:00,,,
IB4,checkout,SEV2,,,,
"""

CI_BAD_CSV = """\
id,repository,workflow,queued_at,started_at,finished_at,result
CB1,shop,build,2026-06-01T10:00:00Z,2026-06-01T10:01:00Z,2026-06-01T10:05:00Z,exploded
CJ1,shop,build,2026-06-01T11:00:00Z,2026-06-01T11:01:00Z,2026-06-01T11:05:00Z,success
CB2,shop,build,2026-06-01T12:00:00Z,2026-06-01T11:59:00Z,2026-06-01T12:05:00Z,success
"""

AVAILABILITY_BAD_CSV = """\
service,window_start,window_end,good,total
checkout,2026-06-01T00:00:00Z,2026-06-02T00:00:00Z,1000,1000
checkout,2026-06-02T00:00:00Z,2026-06-03T00:00:00Z,1200,1000
billing,2026-06-02T00:00:00Z,2026-06-03T00:00:00Z,10,10
"""

#: file -> {line: the fields the problem may be reported on}. A finish before its start may be
#: reported on either field, a start before the queue time likewise.
BAD_ROWS: dict[str, dict[int, set[str]]] = {
    "deployments-bad.csv": {
        3: {"finished_at"},  # 2026-13-45: does not parse
        4: {"started_at", "finished_at"},  # finished 09:00 before started 10:00
        5: {"result"},  # "maybe"
        6: {"service"},  # billing: not in the org model
        7: {"finished_at"},  # naive, and no --timezone
        9: {"finished_at"},  # a date alone
        10: {"commit_sha"},  # not 40 hexadecimal digits
        11: {"finished_at"},  # required, missing
    },
    "incidents-bad.csv": {
        2: {"service"},  # billing
        3: {"resolved_at"},  # before created_at
        5: {"created_at"},  # naive, and no --timezone
        6: {"created_at"},  # required, missing
    },
    "ci-bad.csv": {
        2: {"result"},  # "exploded"
        4: {"queued_at", "started_at"},  # started 11:59 before queued 12:00
    },
    "availability-bad.csv": {
        3: {"good"},  # good 1200 above total 1000
        4: {"service"},  # billing
    },
}


@dataclass
class Golden:
    root: Path
    db: Path
    sha: dict[str, str]
    files: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)


def write_files(root: Path, sha: dict[str, str]) -> dict[str, Path]:
    texts = {
        "org-2026-01-01.yaml": ORG_2026_01_01,
        "people-2026-01-01.csv": PEOPLE_2026_01_01,
        "org-2026-03-23.yaml": ORG_2026_03_23,
        "deployments.csv": deployments_csv(sha),
        "deployments-legacy.csv": deployments_legacy_csv(sha),
        "incidents.ndjson": "".join(json.dumps(r) + "\n" for r in incidents(sha)),
        "ci-runs.json": json.dumps(ci_runs(sha), indent=1),
        "availability-events.csv": availability_events_csv(),
        "availability-probes.csv": AVAILABILITY_PROBES_CSV,
        "slos.yaml": SLOS_YAML,
        "slos.csv": SLOS_CSV,
        "deployments-bad.csv": deployments_bad_csv(sha),
        "incidents-bad.csv": INCIDENTS_BAD_CSV,
        "ci-bad.csv": CI_BAD_CSV,
        "availability-bad.csv": AVAILABILITY_BAD_CSV,
    }
    folder = root / "files"
    folder.mkdir()
    paths = {}
    for name, text in texts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def import_steps(golden: Golden) -> list[tuple[str, tuple[str, ...]]]:
    """Every import, in order, as (name, command-line arguments after ``--db DB``). Each kind's
    file of bad rows is imported with its good file, in the same command (exit status 3)."""
    f = {name: str(path) for name, path in golden.files.items()}
    repos = (str(golden.root / "shop"), str(golden.root / "gateway"))
    return [
        ("git", ("ingest", "git", *repos)),
        ("org", ("ingest", "org", f["org-2026-01-01.yaml"], f["people-2026-01-01.csv"], "--as-of", "2026-01-01")),
        ("org-2", ("ingest", "org", f["org-2026-03-23.yaml"], "--as-of", "2026-03-23")),
        ("deployments", ("ingest", "deployments", f["deployments.csv"], f["deployments-bad.csv"])),
        ("deployments-legacy", ("ingest", "deployments", f["deployments-legacy.csv"], "--timezone", BERLIN)),
        ("incidents", ("ingest", "incidents", f["incidents.ndjson"], f["incidents-bad.csv"])),
        ("ci-runs", ("ingest", "ci-runs", f["ci-runs.json"], f["ci-bad.csv"])),
        (
            "availability",
            ("ingest", "availability", *(f[n] for n in ("availability-events.csv", "availability-probes.csv"))),
        ),
        ("availability-bad", ("ingest", "availability", f["availability-bad.csv"])),
        ("slos", ("ingest", "slos", f["slos.yaml"], f["slos.csv"])),
    ]


def run_imports(golden: Golden, db: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    return {name: run_quarterdeck("--db", str(db), *args) for name, args in import_steps(golden)}


def build(root: Path) -> Golden:
    """Make the repositories and files under ROOT and import everything into ROOT/warehouse.duckdb."""
    sha = build_shop(root / "shop")
    sha.update(build_gateway(root / "gateway"))
    golden = Golden(root=root, db=root / "warehouse.duckdb", sha=sha)
    golden.files = write_files(root, sha)
    golden.imports = run_imports(golden, golden.db)
    return golden
