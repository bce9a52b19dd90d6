"""Hand-built board packs and images for the tests of the pack's renderers and theme.

The packs are written out value by value here (no warehouse, no builder), so a renderer's test
knows exactly which texts, numbers and series each slide must hold."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from pathlib import Path

from quarterdeck.reports.board_model import BoardPack, Chart, Figure, Section, Sentence, Series, Table


def write_png(path: Path, rgb: tuple[int, int, int] = (11, 61, 145), size: tuple[int, int] = (40, 20)) -> Path:
    """A real PNG file of one colour (written by hand: zlib-compressed RGB rows)."""
    width, height = size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    )
    return path


DEPLOYS = Figure(
    key="deployment_frequency@org",
    label="Deployment frequency",
    value=4.25,
    text="4.25",
    unit="deploys/day",
    metric="deployment_frequency",
    scope="org",
    start=date(2025, 10, 1),
    end=date(2025, 12, 31),
    previous=3.4,
    year_ago=2.0,
    target=5.0,
    status="amber",
    command="quarterdeck metrics show deployment_frequency --since 2025-10-01 --until 2025-12-31",
)
LEAD_TIME = Figure(
    key="lead_time_for_changes@org",
    label="Lead time for changes",
    value=31.5,
    text="31.5",
    unit="hours",
    metric="lead_time_for_changes",
    scope="org",
    start=date(2025, 10, 1),
    end=date(2025, 12, 31),
    previous=42.0,
    year_ago=None,
    target=48.0,
    status="green",
    command="quarterdeck metrics show lead_time_for_changes --since 2025-10-01 --until 2025-12-31",
)
FAILURES = Figure(
    key="change_failure_rate@org",
    label="Change failure rate",
    value=0.21,
    text="21%",
    unit="",
    metric="change_failure_rate",
    scope="org",
    start=date(2025, 10, 1),
    end=date(2025, 12, 31),
    previous=0.12,
    status="red",
    command="quarterdeck metrics show change_failure_rate --since 2025-10-01 --until 2025-12-31",
)
HEADCOUNT = Figure(
    key="headcount@org",
    label="Headcount",
    value=212,
    text="212",
    unit="people",
    metric="headcount",
    scope="org",
    start=date(2025, 10, 1),
    end=date(2025, 12, 31),
    command="quarterdeck metrics show headcount --until 2025-12-31",
)

DEPLOY_SENTENCE = Sentence(
    "Deployment frequency rose 25% on the quarter, to 4.25 deploys a day; still short of the target of 5.",
    rule="mover_qoq",
    evidence=(DEPLOYS.key,),
)
LEAD_SENTENCE = Sentence(
    "Lead time for changes met its target of 48 hours: 31.5 hours.", rule="target_met", evidence=(LEAD_TIME.key,)
)
FAILURE_SENTENCE = Sentence(
    "Change failure rate missed its target: 21%, up from 12%.", rule="target_missed", evidence=(FAILURES.key,)
)

NOTES = """## Asks of the board

- Approve two platform hires in Q1 (**budget line 4**).
- Decide on the data-centre exit by March.

We will report on the *migration* next quarter.
"""

DEPLOY_CHART = Chart(
    title="Deployments per day by month",
    kind="column",
    categories=("2025-10", "2025-11", "2025-12"),
    series=(Series("Deploys/day", (3.9, 4.4, 4.45)),),
    unit="deploys/day",
)
LEAD_CHART = Chart(
    title="Lead time by month",
    kind="line",
    categories=("2025-10", "2025-11", "2025-12"),
    series=(Series("Lead time (h)", (36.0, None, 28.25)), Series("Target (h)", (48.0, 48.0, 48.0))),
    unit="hours",
)
HEADCOUNT_CHART = Chart(
    title="Headcount by team",
    kind="stacked_column",
    categories=("Payments", "Platform"),
    series=(Series("Engineers", (40.0, 31.0)), Series("Managers", (5.0, 4.0))),
)
SPEND_CHART = Chart(
    title="Spend against budget",
    kind="bar",
    categories=("Cloud", "Salaries"),
    series=(Series("Budget", (1.2, 8.0)), Series("Actual", (1.35, 7.9))),
    unit="M EUR",
)
INCIDENTS_TABLE = Table(
    title="Incidents of the quarter",
    columns=("Incident", "Severity", "Hours to restore"),
    rows=(("INC-101 checkout down", "SEV1", "3.5"), ("INC-117 slow search", "SEV2", "12.0")),
    note="From the incidents file.",
)


def long_table(rows: int) -> Table:
    return Table(
        title="Repositories by hotspot",
        columns=("Repository", "Changes"),
        rows=tuple((f"repo-{i:03d}", str(1000 - i)) for i in range(rows)),
    )


def delivery_section() -> Section:
    return Section(
        key="delivery",
        title="Delivery and reliability",
        figures=(DEPLOYS, LEAD_TIME, FAILURES),
        sentences=(DEPLOY_SENTENCE, LEAD_SENTENCE, FAILURE_SENTENCE),
        charts=(DEPLOY_CHART, LEAD_CHART),
        tables=(INCIDENTS_TABLE,),
    )


def people_section() -> Section:
    """Figures and a sentence only: no chart, no table."""
    return Section(
        key="people",
        title="People",
        figures=(HEADCOUNT,),
        sentences=(Sentence("Headcount is 212 people.", rule="level", evidence=(HEADCOUNT.key,)),),
    )


def sample_pack(**changes: object) -> BoardPack:
    """A Q4 2025 organization pack: delivery (figures, sentences, two charts, a table), people
    (a figure and a sentence only), money (charts only), and the user's notes."""
    values: dict[str, object] = {
        "title": "Engineering board pack",
        "quarter": "2025Q4",
        "start": date(2025, 10, 1),
        "end": date(2025, 12, 15),
        "scope": "org",
        "scope_name": "Acme Corp",
        "generated": date(2026, 1, 5),
        "open_window": "The data ends on 2025-12-15: the quarter's last 16 days are not in these numbers.",
        "sections": (
            delivery_section(),
            people_section(),
            Section(key="money", title="Money", charts=(HEADCOUNT_CHART, SPEND_CHART)),
        ),
        "notes_markdown": NOTES,
        "currency": "EUR",
    }
    values.update(changes)
    return BoardPack(**values)  # type: ignore[arg-type]
