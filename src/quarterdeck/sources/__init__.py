"""The sources Quarterdeck reads: one package each, listed here once.

``BUILT_IN`` names each built-in source's package (its ``SOURCE`` is the declaration, see
:mod:`quarterdeck.sources.frame`). Other packages add sources through the entry point group
``quarterdeck.sources``: in their ``pyproject.toml``::

    [project.entry-points."quarterdeck.sources"]
    acme-ci = "acme_quarterdeck.source:SOURCE"

A third party's source goes through the same pipeline, project file, command and checks as
the built-in ones; it cannot replace a built-in one of the same name.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.frame import Declared, Source

ENTRY_POINT_GROUP = "quarterdeck.sources"

#: Every built-in source: name -> its package (whose ``SOURCE`` declares it), or
#: ``package:NAME`` when a package declares several.
BUILT_IN = {
    "git": "quarterdeck.sources.git",
    "org": "quarterdeck.sources.org",
    "deployments": "quarterdeck.sources.delivery:DEPLOYMENTS",
    "incidents": "quarterdeck.sources.delivery:INCIDENTS",
    "ci-runs": "quarterdeck.sources.delivery:CI_RUNS",
    "availability": "quarterdeck.sources.delivery:AVAILABILITY",
    "slos": "quarterdeck.sources.delivery:SLOS",
    "github": "quarterdeck.sources.github",
    "gitlab": "quarterdeck.sources.gitlab",
    "jira": "quarterdeck.sources.jira",
    "jenkins": "quarterdeck.sources.jenkins",
    "circleci": "quarterdeck.sources.circleci",
    "pagerduty": "quarterdeck.sources.pagerduty",
    "opsgenie": "quarterdeck.sources.opsgenie",
    "prometheus": "quarterdeck.sources.prometheus",
    "bitbucket": "quarterdeck.sources.bitbucket",
    "budget": "quarterdeck.sources.budget",
    "tools": "quarterdeck.sources.tools",
    "finance": "quarterdeck.sources.finance",
    "rates": "quarterdeck.sources.rates",
    "positions": "quarterdeck.sources.positions",
    "skills": "quarterdeck.sources.skills",
    "succession": "quarterdeck.sources.succession",
    "ladder": "quarterdeck.sources.ladder",
    "assessments": "quarterdeck.sources.assessments",
    "hiring": "quarterdeck.sources.hiring",
    "survey": "quarterdeck.sources.survey",
    "cloud-costs": "quarterdeck.sources.cloud_costs:CLOUD_COSTS",
    "cloud-allocation": "quarterdeck.sources.cloud_costs:CLOUD_ALLOCATION",
    "investment-rules": "quarterdeck.sources.investment_rules",
    "capitalization-policy": "quarterdeck.sources.capitalization_policy",
}


@cache
def declared() -> Declared:
    """Every source: the built-in ones, then those of installed packages' entry points."""
    found = Declared()
    for name, place in BUILT_IN.items():
        package, _, attribute = place.partition(":")
        _add(found, getattr(importlib.import_module(package), attribute or "SOURCE"), "built in", name)
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        where = f"entry point {point.name!r} ({point.value})"
        try:
            source = point.load()
        except Exception as exc:  # a third party's package that cannot be imported
            raise ConfigError(f"{where}: cannot be loaded: {type(exc).__name__}: {exc}") from None
        _add(found, source, where, point.name)
    return found


def _add(found: Declared, source: object, origin: str, name: str) -> None:
    if not isinstance(source, Source):
        raise ConfigError(f"{origin}: expected a quarterdeck.sources.frame.Source, not {type(source).__name__}")
    if source.name != name:
        raise ConfigError(f"{origin}: declares a source named {source.name!r}, registered as {name!r}")
    if source.name in found.sources:
        raise ConfigError(f"{origin}: a source named {source.name!r} exists already ({found.origins[source.name]})")
    found.sources[source.name] = source
    found.origins[source.name] = origin


def source_named(name: str) -> Source:
    """The declaration of a source; a name nobody declared raises ConfigError listing the known."""
    sources = declared().sources
    if name not in sources:
        raise ConfigError(f"unknown source type {name!r}: the sources are {', '.join(sources)}")
    return sources[name]


def reader_of(source: Source):
    """The reader of a source, imported now (each pulls in its client)."""
    module, function = source.reader.split(":")
    return getattr(importlib.import_module(module), function)
