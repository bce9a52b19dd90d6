"""A small hiring pipeline whose figures were worked out by hand (tests/test_hiring_metrics.py):
four requisitions (three positions of the teams platform and payments, one the positions lack)
and their candidates through the funnel, 2026-01 .. 2026-03."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_quarterdeck
from tests.money_files import warehouse_with_org, write

POSITIONS = """id,team,level,start_month,annual_cost,currency,status,opened
REQ-A,platform,L4,2026-03,100000,EUR,filled,2026-01-01
REQ-B,payments,L5,2026-05,120000,EUR,open,2026-02-01
REQ-C,platform,L5,2026-04,120000,EUR,filled,2026-01-15
"""
# a1 hired; a2 declines the offer; a3 rejected at applied; b1 in interview; b2 applied;
# b3 withdrew at screen; c1 hired; d1 (a requisition without position) at offer, skipping
# screen and interview.
HIRING = """requisition,candidate,stage,date,outcome,source
REQ-A,a1,applied,2026-01-10,,referral
REQ-A,a1,screen,2026-01-15,,
REQ-A,a1,interview,2026-01-25,,
REQ-A,a1,offer,2026-02-05,,
REQ-A,a1,hired,2026-02-10,hired,
REQ-A,a2,applied,2026-01-12,,inbound
REQ-A,a2,screen,2026-01-20,,
REQ-A,a2,interview,2026-02-01,,
REQ-A,a2,offer,2026-02-08,offer declined,
REQ-A,a3,applied,2026-01-20,rejected,agency
REQ-B,b1,applied,2026-02-05,,sourced
REQ-B,b1,screen,2026-02-10,,
REQ-B,b1,interview,2026-02-20,,
REQ-B,b2,applied,2026-02-06,,inbound
REQ-B,b3,applied,2026-02-03,,referral
REQ-B,b3,screen,2026-02-07,withdrew,
REQ-C,c1,applied,2026-01-20,,inbound
REQ-C,c1,screen,2026-01-30,,
REQ-C,c1,interview,2026-02-10,,
REQ-C,c1,offer,2026-02-20,,
REQ-C,c1,hired,2026-03-01,hired,
REQ-D,d1,applied,2026-02-15,,agency
REQ-D,d1,offer,2026-02-25,,agency
"""


def hiring_warehouse(folder: Path) -> Path:
    db = warehouse_with_org(folder)
    for kind, name, text in (("positions", "positions.csv", POSITIONS), ("hiring", "hiring.csv", HIRING)):
        done = run_quarterdeck("ingest", kind, str(write(folder, name, text)), "--db", str(db))
        assert done.returncode == 0, done.stderr
    return db
