"""The OpenAPI 3.1 document of ``/api/v1/``: every route the dashboard's JSON and CSV take."""

from __future__ import annotations

from typing import Any

from quarterdeck import __version__
from quarterdeck.web.openapi_schemas import schemas

_EMPTY = {"type": "string", "maxLength": 0}  # an empty field, as an HTML form sends it: the default
_FILTERS = [
    {
        "name": "until",
        "in": "query",
        "required": False,
        "schema": {"anyOf": [{"type": "string", "format": "date"}, _EMPTY]},
        "description": "The window ends with this day's month (default: the last whole month of the data, "
        "whose last day the answer names in window.data_ends).",
    },
    {
        "name": "months",
        "in": "query",
        "required": False,
        "schema": {"anyOf": [{"type": "integer", "minimum": 3, "maximum": 36}, _EMPTY], "default": 12},
        "description": "Whole months in the window.",
    },
    {
        "name": "unit",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "An org unit's id: the unit and everything under it on each day (default: the whole "
        "organization; one scope of unit, team, service, repository).",
    },
    {
        "name": "team",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A team id, as the scope instead of a unit.",
    },
    {
        "name": "service",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A service id, as the scope instead of a team.",
    },
    {
        "name": "repository",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A repository's name, as the scope instead of a team.",
    },
    {
        "name": "scope",
        "in": "query",
        "required": False,
        "schema": {"anyOf": [{"type": "string", "pattern": "^(unit|team|service|repository):"}, _EMPTY]},
        "description": "KIND:ID, as the dashboard's scope picker sends it: the same as KIND=ID.",
    },
]
_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}, "description": "A metric."}
_ERROR = {
    "description": "A filter not understood (400), no such metric or team (404), "
    "a metric that cannot be computed (422)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_FORBIDDEN = {
    "description": "A scope outside one's access, or money (the Money area and the metrics about money) for "
    "someone who is not an admin or a leader",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_QUARTER = {
    "name": "quarter",
    "in": "query",
    "required": False,
    "schema": {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}-?[qQ][1-4]$"}, _EMPTY]},
    "description": "The quarter, such as 2026Q3 (default: the last whole quarter at the end of the data, or the "
    "last one ending on or before until).",
}
_GRAIN = {
    "name": "grain",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["month", "window"], "default": "month"},
    "description": "What the rows are: one per group and month, or (window) one per group for the whole window, "
    "each statistic over all of its events, as 'metrics show NAME --grain window'.",
}


_FILE = {
    "name": "file",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "A file directly in the plans folder (setting [plans] folder), such as plan.yaml.",
}


def _plans_file(summary: str, query: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A route that runs one file of the plans folder (admins and leaders)."""
    return {
        "get": {
            "summary": summary,
            "parameters": [_FILE, *(query or [])],
            "responses": {
                "200": {"description": "What the command gives for the file", **_json("PlanDocument")},
                "400": _ERROR,
                "403": _FORBIDDEN,
                "404": _ERROR,
                "422": _ERROR,
            },
        }
    }


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _csv(what: str) -> dict[str, Any]:
    return {"description": what, "content": {"text/csv": {"schema": {"type": "string"}}}}


def _metric_csv(summary: str, what: str) -> dict[str, Any]:
    """A CSV route of one metric: its name in the path, the filters, the usual errors."""
    responses = {"200": _csv(what), "400": _ERROR, "403": _FORBIDDEN, "404": _ERROR, "422": _ERROR}
    return {"get": {"summary": summary, "parameters": [_NAME, *_FILTERS], "responses": responses}}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Quarterdeck",
            "version": __version__,
            "description": "Org health metrics: the dashboard's numbers, as JSON and CSV.",
        },
        "paths": {
            "/api/v1/scorecard": {
                "get": {
                    "summary": "The org scorecard: every tile of the overview",
                    "parameters": _FILTERS,
                    "responses": {
                        "200": {"description": "The tiles", **_json("Scorecard")},
                        "400": _ERROR,
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/metrics": {
                "get": {
                    "summary": "The metrics there are",
                    "responses": {"200": {"description": "Metrics", **_json("Metrics")}},
                }
            },
            "/api/v1/metrics/{name}": {
                "get": {
                    "summary": "One metric: definition, series, breakdown by team, rows and SQL",
                    "parameters": [_NAME, *_FILTERS, _GRAIN],
                    "responses": {
                        "200": {"description": "The metric", **_json("MetricView")},
                        "400": _ERROR,
                        "403": _FORBIDDEN,
                        "404": _ERROR,
                        "422": _ERROR,
                    },
                }
            },
            "/api/v1/metrics/{name}/series.csv": _metric_csv("The metric's monthly series as CSV", "month, value"),
            "/api/v1/metrics/{name}/by-unit.csv": _metric_csv(
                "Each unit's value one level below the scope (the top units for the organization) as CSV",
                "unit, kind (unit or team), name, value",
            ),
            "/api/v1/metrics/{name}/by-team.csv": _metric_csv(
                "Each team's value in the window's last month as CSV", "team, name, value"
            ),
            "/api/v1/metrics/{name}/by-service.csv": _metric_csv(
                "Each service's value in the window's last month as CSV", "service, name, value"
            ),
            "/api/v1/scorecard.csv": {
                "get": {
                    "summary": "The overview's tiles as CSV",
                    "parameters": _FILTERS,
                    "responses": {"200": _csv("one row per tile"), "400": _ERROR, "404": _ERROR},
                }
            },
            "/api/v1/metrics/{name}/rows.csv": _metric_csv("The rows behind the metric as CSV", "the metric's columns"),
            "/api/v1/money": {
                "get": {
                    "summary": "The Money area: each money metric's value over one quarter, as 'quarterdeck money' "
                    "gives it (admins, and leaders for their unit)",
                    "parameters": [*_FILTERS, _QUARTER],
                    "responses": {
                        "200": {"description": "The quarter's money figures", **_json("MoneySummary")},
                        "400": _ERROR,
                        "403": _FORBIDDEN,
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/people/ladder": {
                "get": {
                    "summary": "The career ladder as 'quarterdeck ladder show --format json' gives it: scale, tracks, "
                    "HR levels and what each level expects (everyone signed in)",
                    "responses": {"200": {"description": "The ladder", **_json("PeopleDocument")}},
                }
            },
            "/api/v1/people/readiness": {
                "get": {
                    "summary": "Promotion readiness per person as 'quarterdeck ladder readiness --format json' gives "
                    "it (admins, and leaders for the people of their unit; members 403)",
                    "parameters": [_query("at", "The day, YYYY-MM-DD (default: the latest organization import).")],
                    "responses": {
                        "200": {"description": "Readiness per person", **_json("PeopleDocument")},
                        "400": _ERROR,
                        "403": _FORBIDDEN,
                    },
                }
            },
            "/api/v1/reports/board": {
                "get": {
                    "summary": "The quarter's board pack as data: sections, figures (each with its metric, scope, "
                    "window and the 'metrics show' command), sentences with their rules and evidence, as "
                    "'quarterdeck report board --format json' (admins any scope; leaders their unit; members 403)",
                    "parameters": [
                        _QUARTER,
                        _query(
                            "unit",
                            "A unit (id, name or alias); default: the organization (admins), the "
                            "leader's own unit (leaders).",
                        ),
                    ],
                    "responses": {
                        "200": {"description": "The board pack", **_json("BoardPack")},
                        "400": _ERROR,
                        "403": _FORBIDDEN,
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/plans": {
                "get": {
                    "summary": "The files of the plans folder, each with its kind, title, command and page "
                    "(admins and leaders)",
                    "responses": {
                        "200": {"description": "The plans folder", **_json("PlanDocument")},
                        "403": _FORBIDDEN,
                    },
                }
            },
            "/api/v1/people": {
                "get": {
                    "summary": "The people-program pages this server has, what each shows and whether the one "
                    "asking may open it",
                    "responses": {"200": {"description": "The People area's pages", **_json("PeoplePages")}},
                }
            },
            "/api/v1/plans/plan/{file}": _plans_file(
                "A plan as 'quarterdeck plan run FILE' gives it (10,000 draws, seed 0), with its scenarios side by "
                "side and its talent gaps (admins only)",
                [
                    _query("scenario", "A scenario of the plan (default: the plan as written)."),
                    _query("group", "The group of the charts and scenarios: org, a unit or a team."),
                ],
            ),
            "/api/v1/plans/decision/{file}": _plans_file(
                "A build-vs-buy decision as 'quarterdeck decide build-vs-buy FILE --format json' gives it"
            ),
            "/api/v1/plans/roi/{file}": _plans_file(
                "An initiatives file as 'quarterdeck decide roi FILE --format json' gives it (admins only)"
            ),
            "/api/v1/people/surveys": {
                "get": {
                    "summary": "A developer-experience survey as 'quarterdeck survey --format json' gives it, the "
                    "groups limited to those the reader may see; groups under [privacy] min_group_size, alone "
                    "or by difference, read 'suppressed'",
                    "parameters": [
                        _query("survey", "A survey's id (default: the latest)."),
                        _query("by", "team (default) or unit."),
                    ],
                    "responses": {
                        "200": {"description": "The survey's results", **_json("SurveyDocument")},
                        "400": _ERROR,
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/plans/org/{file}": _plans_file(
                "A proposed reorganization as 'quarterdeck org what-if FILE --format json' gives it",
                [
                    _query(
                        "at",
                        "The date the proposal is applied to, YYYY-MM-DD (default: the file's, else the "
                        "last day of the data).",
                    )
                ],
            ),
            "/api/v1/stack": {
                "get": {
                    "summary": "The tech stack read at HEAD, as 'quarterdeck stack' gives it: languages and "
                    "frameworks per team, version sprawl, the dependency licence mix with copyleft flagged, the "
                    "repositories off the standard stack and the unreadable manifests (everyone signed in: the "
                    "repositories they may see)",
                    "parameters": [_query("by", "team (default), repository or org.")],
                    "responses": {
                        "200": {"description": "The tech-stack inventory", **_json("StackDocument")},
                        "400": _ERROR,
                    },
                }
            },
            "/api/v1/people/succession": {
                "get": {
                    "summary": "Key roles, their successors, roles with no successor ready now, bench strength per "
                    "unit, as 'quarterdeck succession --format json' gives it (admins; leaders for their unit)",
                    "parameters": [
                        _query("at", "The date, YYYY-MM-DD (default: the last day of the data)."),
                        _query("unit", "Only the key roles of this unit's subtree (id, name or alias)."),
                    ],
                    "responses": {
                        "200": {"description": "The succession findings", **_json("SuccessionDocument")},
                        "400": _ERROR,
                        "403": _FORBIDDEN,
                    },
                }
            },
            "/api/v1/targets": {
                "get": {
                    "summary": "Every target the signed-in person may see: owner, latest recorded status, trend and "
                    "periods missed, as 'quarterdeck targets status --format json' gives them (docs/targets.md)",
                    "responses": {
                        "200": {"description": "The targets and where the data ends", **_json("TargetsDocument")}
                    },
                }
            },
            "/api/v1/people/hiring": {
                "get": {
                    "summary": "The hiring pipeline as 'quarterdeck hiring --format json' gives it: time to fill, "
                    "time in stage, conversion, offer acceptance, the pipeline per open position and the open "
                    "requisitions (admins, and leaders for their unit's requisitions)",
                    "parameters": [
                        _query("since", "First day counted, YYYY-MM-DD (default: 365 days before until)."),
                        _query("until", "Last day counted and the pipeline's day (default: the end of the data)."),
                        _query("by", "org, team, level or source (default: org)."),
                    ],
                    "responses": {
                        "200": {"description": "The hiring figures (docs/hiring.md)", **_json("PlanDocument")},
                        "400": _ERROR,
                        "403": _FORBIDDEN,
                    },
                }
            },
        },
        "components": {"schemas": schemas()},
    }
