"""Delivery and reliability files: deployments, incidents, CI runs, availability, SLOs."""

from quarterdeck.sources.frame import Resource, Source


def _files(kind: str, table: str, what: str) -> Source:
    """One kind of delivery file: its command is made by ``quarterdeck.cli.delivery``."""
    return Source(
        name=kind.replace("_", "-"),
        kind="file",
        summary=f"Import {what} from CSV, JSON or NDJSON files.",
        reader="",
        resources=(Resource(kind, table, "a record read again replaces the stored one (by id)"),),
        docs="docs/delivery-inputs.md",
        command="quarterdeck.cli.delivery:delivery_command",
    )


DEPLOYMENTS = _files("deployments", "deployments", "deployments")
INCIDENTS = _files("incidents", "incidents", "incidents")
CI_RUNS = _files("ci_runs", "ci_runs", "ci runs")
AVAILABILITY = _files("availability", "availability_windows", "availability")
SLOS = _files("slos", "slos", "slos")
