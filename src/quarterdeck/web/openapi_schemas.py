"""The schemas of the OpenAPI document's ``components``: what each JSON route answers with."""

from __future__ import annotations

from typing import Any

_VALUE = {"type": ["number", "string", "null"], "description": 'A string when hidden for privacy ("<5").'}
_SERIES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["month", "value"],
        "properties": {"month": {"type": "string", "format": "date"}, "value": _VALUE},
    },
}
_WINDOW = {
    "type": "object",
    "required": ["since", "until", "months"],
    "properties": {
        "since": {"type": "string", "format": "date"},
        "until": {"type": "string", "format": "date"},
        "months": {"type": "integer"},
        "data_ends": {
            "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
            "description": "The data's last day, when no until was given and the window follows the data.",
        },
    },
}

_STATUS = {"type": "string", "enum": ["green", "amber", "red", "grey"]}


def schemas() -> dict[str, Any]:
    tile = {
        "type": "object",
        "required": ["metric", "area", "title", "unit", "value", "status", "series"],
        "properties": {
            "metric": {"type": "string"},
            "area": {"type": "string"},
            "title": {"type": "string"},
            "unit": {"type": "string"},
            "good_direction": {"type": "string"},
            "value": _VALUE,
            "previous": _VALUE,
            "status": _STATUS,
            "target": {"type": ["number", "null"]},
            "owner": {"type": ["string", "null"]},
            "series": _SERIES,
            "problem": {"type": ["string", "null"]},
        },
    }
    view = {
        "type": "object",
        "required": ["metric", "title", "unit", "series", "columns", "rows", "sql", "status"],
        "properties": {
            "metric": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "unit": {"type": "string"},
            "good_direction": {"type": "string"},
            "statistic": {"type": "string"},
            "scope": {"type": "string"},
            "window": _WINDOW,
            "value": _VALUE,
            "status": _STATUS,
            "target": {"type": ["number", "null"]},
            "owner": {"type": "string"},
            "series": _SERIES,
            "units": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"unit": {"type": "string"}, "kind": {"type": "string"}, "value": _VALUE},
                },
            },
            "breakdown": {
                "type": "array",
                "items": {"type": "object", "properties": {"team": {"type": "string"}, "value": _VALUE}},
            },
            "grain": {"type": "string", "enum": ["month", "window"]},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "array"}},
            "sql": {"type": "string"},
        },
    }
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        "Scorecard": {
            "type": "object",
            "required": ["scope", "window", "tiles"],
            "properties": {"scope": {"type": "string"}, "window": _WINDOW, "tiles": {"type": "array", "items": tile}},
        },
        "Metrics": {
            "type": "object",
            "required": ["metrics"],
            "properties": {"metrics": {"type": "array", "items": {"type": "object"}}},
        },
        "MetricView": view,
        "MoneySummary": _money_schema(),
        "PeoplePages": {
            "type": "object",
            "required": ["pages"],
            "properties": {"pages": {"type": "array", "items": {"type": "object"}}},
        },
        "SuccessionDocument": {"type": "object", "description": "See docs/succession.md for the fields."},
        "TargetsDocument": {
            "type": "object",
            "required": ["data_end", "last_whole_month", "open_month", "targets"],
            "properties": {
                "data_end": {"type": "string", "format": "date"},
                "last_whole_month": {"type": ["string", "null"]},
                "open_month": {"type": ["string", "null"]},
                "targets": {"type": "array", "items": {"type": "object"}},
            },
            "description": "See docs/targets.md for the fields of each target.",
        },
        "StackDocument": {"type": "object", "description": "See docs/tech-stack.md for the fields."},
        "PeopleDocument": {
            "type": "object",
            "description": "See docs/ladders.md for the fields: a header and rows, as the CLI's --format json.",
        },
        "SurveyDocument": {"type": "object", "description": "See docs/surveys.md for the fields."},
        "BoardPack": {
            "type": "object",
            "required": ["title", "quarter", "start", "end", "scope", "sections", "explain"],
            "description": "See docs/board-pack.md for the fields.",
        },
        "PlanDocument": {
            "type": "object",
            "description": "See docs/plans.md, docs/decisions-build-vs-buy.md and docs/org-what-if.md for the fields.",
        },
    }


def _money_schema() -> dict[str, Any]:
    line = {
        "type": "object",
        "required": ["metric", "title", "unit", "value", "problem", "inputs", "explain", "series"],
        "properties": {
            "metric": {"type": "string"},
            "title": {"type": "string"},
            "unit": {"type": "string"},
            "value": _VALUE,
            "problem": {"type": ["string", "null"], "description": "Why there is no value."},
            "inputs": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The imports that would give the metric its missing inputs.",
            },
            "explain": {"type": "string", "description": "The command that prints its definition and SQL."},
            "series": _SERIES,
        },
    }
    return {
        "type": "object",
        "required": ["quarter", "since", "until", "scope", "metrics"],
        "properties": {
            "quarter": {"type": "string"},
            "since": {"type": "string", "format": "date"},
            "until": {"type": "string", "format": "date"},
            "scope": {"type": "string"},
            "data_ends": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
            "metrics": {"type": "array", "items": line},
        },
    }
