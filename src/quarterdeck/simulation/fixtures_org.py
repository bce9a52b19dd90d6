"""A small, fixed synthetic organization for tests and benchmarks: the input files of
``quarterdeck ingest org`` (docs/org-inputs.md) with deliberate design problems, written by
``scripts/make_org_data.py`` (the committed data set tests/data/org is one run of it).

```python
generate_org_fixture(Path("out"), OrgOptions(people=300, months=24, seed=7))
```

Unlike the simulated organization of ``run.simulate`` (whose streams are ``Rng``), this one
draws everything from one ``random.Random(seed)`` with integer draws only, in a fixed order:
the same options give byte-identical files on every machine, and the committed data stays
what its golden tests were computed from.

Modules: ``fixtures_org_vocab`` (fixed words), ``fixtures_org_model`` (the records),
``fixtures_org_people`` / ``_build`` / ``_months`` / ``_reorg`` (the organization as it is
played), ``fixtures_org_files`` / ``_catalog`` / ``_readme`` (the files).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from quarterdeck.simulation.fixtures_org_catalog import write_catalog, write_codeowners
from quarterdeck.simulation.fixtures_org_files import (
    write_bad,
    write_identities,
    write_org_yaml,
    write_people_csv,
    write_workday_csv,
    write_workday_mapping,
)  # fmt: skip
from quarterdeck.simulation.fixtures_org_model import MonthStats, OrgOptions
from quarterdeck.simulation.fixtures_org_months import OrgMonths
from quarterdeck.simulation.fixtures_org_readme import snapshot_facts, write_readme
from quarterdeck.simulation.fixtures_org_vocab import FORMATS

__all__ = ["FORMATS", "Org", "OrgOptions", "OrgSummary", "generate_org_fixture"]


class Org(OrgMonths):
    """The organization: built (``build``), then played a month at a time (``simulate``)."""


@dataclass(frozen=True)
class OrgSummary:
    months: int
    first_rows: int
    last_rows: int
    people: int
    leavers: int


def generate_org_fixture(out: Path, options: OrgOptions) -> OrgSummary:
    """Write the data set of ``options`` into ``out`` (created when missing)."""
    formats = set(options.formats)
    out.mkdir(parents=True, exist_ok=True)
    if "people" in formats:
        (out / "hr").mkdir(exist_ok=True)
    if "workday" in formats:
        write_workday_mapping(out / "workday" / "mapping.yaml")
    org = Org(options.people, options.months, options.seed, date.fromisoformat(options.start))
    org.build()
    facts, extra = _play(org, out, formats)
    _write_extras(org, out, formats, extra)
    write_readme(out / "README.md", org, options, facts, extra)
    st = org.stats
    return OrgSummary(options.months, st[0].rows, st[-1].rows, len(org.people), sum(s.leavers for s in st))


def _play(org: Org, out: Path, formats: set[str]) -> tuple[dict, dict]:
    """Every month: simulated, then written; returns the README's facts of the first and
    last snapshot and the teams of the first month."""
    facts: dict = {}
    extra: dict = {}
    for m in range(org.months):
        st = org.simulate(m)
        rows = _snapshot(org, st)
        day = st.snapshot.isoformat()
        if "people" in formats:
            write_people_csv(out / "hr" / f"people-{day}.csv", rows)
        if m == 0:
            facts["first"] = snapshot_facts(rows, st.snapshot)
            extra["teams_first"] = [t.tid for t in org.teams if t.active and t.kind == "team"]
        if m == org.months - 1:
            facts["last"] = snapshot_facts(rows, st.snapshot)
        if "org" in formats and m in (0, org.reorg_month):
            write_org_yaml(out / f"org-{day}.yaml", org, st.snapshot)
        if "workday" in formats and m in (0, org.months - 1):
            write_workday_csv(out / "workday" / f"people-{day}.csv", rows)
        if m < org.months - 1:
            org.end_month()
    return facts, extra


def _snapshot(org: Org, st: MonthStats) -> list:
    rows = org.snapshot()
    st.rows = len(rows)
    st.active = sum(1 for p in rows if p.end is None or p.end > st.snapshot)
    return rows


def _write_extras(org: Org, out: Path, formats: set[str], extra: dict) -> None:
    """The files written once, from the last month: catalog, CODEOWNERS, identities, bad/."""
    nomgr = next(t for t in org.teams if t.special == "nomgr")
    extra["nomgr"] = nomgr.tid
    extra["nomgr_member"] = nomgr.members[0].pid
    extra["catalog"] = {"no_group_owner": []}
    extra["codeowners"] = {"by_id": ""}
    if "catalog" in formats:
        extra["catalog"] = write_catalog(out / "catalog-info.yaml", org)
    if "codeowners" in formats:
        extra["codeowners"] = write_codeowners(out / "CODEOWNERS", org)
    if "identities" in formats:
        write_identities(out / "identities.csv", org)
    if "bad" in formats:
        write_bad(out / "bad")
