"""Generate a deterministic delivery and reliability data set for the `quarterdeck ingest`
commands of docs/delivery-inputs.md (deployments, incidents, CI runs, availability, SLOs)
and the org file that declares its services.

Usage:
    python scripts/make_delivery_data.py --out DIR [--services 200] [--years 5] [--seed 1] [--scale 1.0]

A front-end on ``quarterdeck.simulation.fixtures_delivery``, which writes the files (the
large ones in SQL, by DuckDB): the same arguments give the same bytes. Run with ``--help``
for what the data set contains.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from quarterdeck.simulation.fixtures_delivery import END, Plan, generate_delivery_fixture

DESCRIPTION = """\
Write a synthetic delivery and reliability data set (docs/delivery-inputs.md) into --out:

  org.yaml          divisions, teams (about one per 5 services) and every service with its
                    owning team and its one repository (docs/org-inputs.md)
  deployments.csv   1,000 deployments per service and year x scale (1,000,000 for 200
                    services over 5 years): production ~80% / staging ~20%; success ~90%,
                    failure ~7%, cancelled ~3%; weekdays and working hours mostly; more
                    deployments in later years; ~20% redeploy the service's previous commit
  incidents.csv     100 per service and year x scale: SEV1..SEV4; created <= acknowledged
                    <= resolved; ~10% still open (mostly SEV3/SEV4); ~30% name the
                    successful production deployment of their service that caused them
  ci_runs.csv       5,000 per service (repository) and year x scale: build, test, lint, e2e
                    and deploy workflows; queued <= started <= finished; success, failure,
                    cancelled (some before they started) and skipped runs
  availability.csv  good/total event counts of a quarter of the services (50 of 200) over the
                    last year, in 1-minute windows at scale 1 (windows of 1/scale minutes
                    below it): daily and weekly traffic cycles, a background error rate and
                    a few outages per service
  slos.csv          one availability SLO for each service in availability.csv
  manifest.json     the arguments, the row counts and a hash of this script (written last)

Timestamps are ISO 8601 with an offset: most +00:00, about 15% of deployment, incident and
CI rows in another zone (+01:00, +02:00, -05:00, +05:30...). The data ends on 2026-01-01
and starts --years before. Same arguments, same bytes.
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    ap.add_argument("--services", type=int, default=200, help="services in the org file (default 200)")
    ap.add_argument("--years", type=int, default=5, help="years of deployments, incidents, CI runs (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every row count (0.001: a test set)")
    args = ap.parse_args(argv)
    if args.services < 4:
        ap.error("--services must be at least 4")
    if not 1 <= args.years <= 50:
        ap.error("--years must be between 1 and 50")
    if not 0 < args.scale <= 10:
        ap.error("--scale must be above 0 and at most 10")
    if args.seed < 0:
        ap.error("--seed must not be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    plan = Plan.from_args(args.services, args.years, args.seed, args.scale)
    rows = generate_delivery_fixture(plan, args.out)
    print(f"{sum(rows.values()):,} rows in {time.perf_counter() - started:.1f} s, {plan.start} .. {END} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
