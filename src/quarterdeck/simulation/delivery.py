"""CI runs, deployments, incidents, availability and SLOs of the simulated organization,
planned from its pull requests and git histories (``run.simulate_code``).

```python
made = simulate_code(params, seed, out)
delivery = plan_delivery(made, DeliveryParams(), Rng(seed).child("delivery"))
write_delivery_files(delivery, out)       # delivery/*.csv, *.ndjson, slos.yaml
write_delivery_truth(delivery, made, out)  # truth/deployments.csv, incidents.csv, dora_monthly.csv
```

Each part draws from its own stream: ``ci/<repository>``, ``releases/<service>``,
``background/<service>``, ``availability/<service>``; the same seed gives the same files.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from quarterdeck.simulation.delivery_ci import MainLine, ci_runs, main_line
from quarterdeck.simulation.delivery_deploys import ServiceReleases, background_incidents
from quarterdeck.simulation.delivery_files import write_delivery_files
from quarterdeck.simulation.delivery_model import CiRun, Delivery, DeliveryParams, Deployment, Incident
from quarterdeck.simulation.delivery_truth import write_delivery_truth
from quarterdeck.simulation.model import Service, World
from quarterdeck.simulation.rng import Rng

if TYPE_CHECKING:  # run.py wires this module in: no import cycle at run time
    from quarterdeck.simulation.run import Simulated

__all__ = [
    "CiRun",
    "Delivery",
    "DeliveryParams",
    "Deployment",
    "Incident",
    "plan_delivery",
    "write_delivery_files",
    "write_delivery_truth",
]


def plan_delivery(made: Simulated, params: DeliveryParams, rng: Rng) -> Delivery:
    """The CI runs of every written repository, and the releases and incidents of every
    service, in time order; incidents numbered INC-00001... by creation."""
    world = made.world
    end = datetime.combine(world.end, time(0), UTC)
    lines = {name: main_line(made.planned.get(name, []), written) for name, written in sorted(made.written.items())}
    delivery = Delivery(world, params, availability_rng=rng.child("availability"))
    for name in sorted(made.written):
        runs = ci_runs(made.planned.get(name, []), made.written[name], lines[name], params, rng.child("ci", name))
        delivery.ci_runs.extend(runs)
    incidents: list[Incident] = []
    for service in world.services:
        start = service_start(world, service)
        service_lines = [lines[r] for r in sorted(service.repositories) if r in lines]
        if service_lines:
            releases = ServiceReleases(service, service_lines, params, rng.child("releases", service.service_id), end)
            releases.play(start)
            delivery.deployments.extend(releases.deployments)
            incidents.extend(releases.incidents)
        incidents.extend(background_incidents(service, start, end, params, rng.child("background", service.service_id)))
    delivery.ci_runs.sort(key=lambda r: (r.queued_at, r.run_id))
    delivery.deployments.sort(key=lambda d: (d.started_at, d.deployment_id))
    incidents.sort(key=lambda i: (i.created_at, i.service_id, i.title))
    delivery.incidents = [replace(i, incident_id=f"INC-{n:05d}") for n, i in enumerate(incidents, 1)]
    return delivery


def service_start(world: World, service: Service) -> date:
    """The first day the service exists: its owning team's creation (or the world's start)."""
    return max(world.start, world.team(service.owner_team_id).created)


def main_lines(made: Simulated) -> dict[str, MainLine]:
    """Each written repository's default branch over time (for tests and the truth)."""
    return {name: main_line(made.planned.get(name, []), w) for name, w in sorted(made.written.items())}
