"""Generate deterministic, realistic organization data for `quarterdeck ingest org`.

Usage:
    python scripts/make_org_data.py OUT_DIR [--people N] [--months M] [--seed S]
                                    [--start YYYY-MM-DD] [--formats FORMAT ...]

A front-end on ``quarterdeck.simulation.fixtures_org``, which writes the files: the same
arguments give byte-identical files on every machine. Run with ``--help`` for what the
data set contains.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from quarterdeck.simulation.fixtures_org import FORMATS, OrgOptions, generate_org_fixture
from quarterdeck.simulation.fixtures_org_model import month_end

DESCRIPTION = """\
Write a synthetic engineering organization as the input files `quarterdeck ingest org`
reads (see docs/org-inputs.md):

  hr/people-YYYY-MM-DD.csv   one canonical people CSV per month end (--months of them,
                             the first at the end of the month of --start)
  org-YYYY-MM-DD.yaml        team definitions and services, at the first month and at the
                             month of the reorg (halfway)
  catalog-info.yaml          a Backstage catalog mirroring the latest teams
  CODEOWNERS                 the CODEOWNERS file of the `monorepo` repository
  identities.csv             explicit identity -> person links
  workday/                   the first and last snapshot in a Workday-like export format,
                             with the column mapping (mapping.yaml)
  bad/                       small people CSVs with exactly one error each, and a README
                             giving each error's line and field
  README.md                  what is in the data set, the arguments, and exact facts

The organization: a VP of Engineering, 4-6 divisions with directors, senior engineering
managers over groups of teams, teams with engineering managers; headcount grows from
about 0.8*N to about N; every month hires, leavers (the export of their last month still
lists them with end_date), promotions, transfers and manager changes; raises every
April; one reorg halfway (a team split, two teams merged, a team moved to another
division). Deliberate design problems for the checks: managers with 1-3 and with 10-14
reports, one-person teams, teams above 9 people, a team without a manager, a 7-layer
management chain, people without a team.

Same arguments, same bytes. --people 10000 --months 60 is the benchmark data set.
"""


def parse_args(argv: list[str] | None) -> tuple[Path, OrgOptions]:
    ap = argparse.ArgumentParser(description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--people", type=int, default=300, help="headcount at the end (default 300; at least 100)")
    ap.add_argument("--months", type=int, default=24, help="monthly snapshots (default 24)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--start", default="2024-01-31", help="a date in the first month (default 2024-01-31)")
    ap.add_argument("--formats", nargs="+", default=list(FORMATS),
                    help=f"what to write besides README.md (default all): {' '.join(FORMATS)}")  # fmt: skip
    args = ap.parse_args(argv)
    formats = [f for item in args.formats for f in item.split(",") if f]
    if "all" in formats:
        formats = list(FORMATS)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown format(s): {', '.join(bad)}")
    if args.people < 100:
        ap.error("--people must be at least 100")
    if args.months < 1:
        ap.error("--months must be at least 1")
    try:
        start = month_end(date.fromisoformat(args.start)).isoformat()
    except ValueError:
        ap.error(f"--start is not a YYYY-MM-DD date: {args.start}")
    chosen = tuple(f for f in FORMATS if f in formats)
    return args.out_dir, OrgOptions(args.people, args.months, args.seed, start, chosen)


def main(argv: list[str] | None = None) -> int:
    out, options = parse_args(argv)
    started = time.perf_counter()
    made = generate_org_fixture(out, options)
    print(
        f"{made.months} snapshots, {made.first_rows} -> {made.last_rows} rows, {made.people} people,"
        f" {made.leavers} leavers, {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
