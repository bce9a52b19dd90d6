"""A survey report as rows (CSV, tables) and as JSON, for the CLI and the dashboard; a hidden
group's values are the word ``suppressed``, never a number."""

from __future__ import annotations

from typing import Any

from quarterdeck.metrics.survey import SurveyReport, theme_scores
from quarterdeck.metrics.survey_systems import ThemeBeside

SUPPRESSED = "suppressed"
GROUP_COLUMNS = ("group", "name", "kind", "parent", "headcount", "responses", "response_rate")
SCORE_COLUMNS = ("group", "name", "kind", "question", "theme", "answers", "mean", "favourable_share", "enps")
MOVE_COLUMNS = ("group", "theme", "before", "now", "change_points")
HISTORY_COLUMNS = ("survey", "taken_on", "group", "name", "theme", "favourable_share", "enps")


def shown_groups(report: SurveyReport, by: str) -> list[str]:
    """The organization, then its teams (``by`` team) or its units (``by`` unit)."""
    kinds = {"team": ("organization", "team"), "unit": ("organization", "unit")}[by]
    return [g.group_id for g in report.groups if g.kind in kinds]


def group_rows(report: SurveyReport, by: str, allowed: set[str] | None = None) -> list[tuple[Any, ...]]:
    rows = []
    for group_id in shown_groups(report, by):
        if allowed is not None and group_id not in allowed:
            continue
        g = report.group(group_id)
        hidden = g.responses is None
        rate = None if hidden or not g.headcount else g.responses / g.headcount
        rows.append((g.group_id, g.name, g.kind, g.parent, g.headcount,
                     SUPPRESSED if hidden else g.responses, SUPPRESSED if hidden else rate))  # fmt: skip
    return rows


def score_rows(report: SurveyReport, by: str, allowed: set[str] | None = None) -> list[tuple[Any, ...]]:
    rows = []
    themes = {q.question_id: q.theme for q in report.questions}
    for group_id in shown_groups(report, by):
        if allowed is not None and group_id not in allowed:
            continue
        g = report.group(group_id)
        for question in report.questions:
            if question.kind == "text":
                continue
            s = report.score(group_id, question.question_id)
            head = (g.group_id, g.name, g.kind, question.question_id, themes[question.question_id])
            if s.answers is None:
                rows.append((*head, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED))
            else:
                rows.append((*head, s.answers, _round(s.mean), _round(s.favourable), _round(s.enps)))
    return rows


def move_rows(report: SurveyReport, by: str, allowed: set[str] | None = None) -> list[tuple[Any, ...]]:
    groups = set(shown_groups(report, by))
    return [
        (m["group"], m["theme"], _round(m["before"]), _round(m["now"]), _round(m["change_points"]))
        for m in report.moves
        if m["group"] in groups and (allowed is None or m["group"] in allowed)
    ]


def report_json(report: SurveyReport, by: str, allowed: set[str] | None = None) -> dict[str, Any]:
    groups = shown_groups(report, by)
    return {
        "survey": report.survey_id,
        "taken_on": report.taken_on.isoformat(),
        "period": [report.period[0].isoformat(), report.period[1].isoformat()],
        "min_group_size": report.minimum,
        "by": by,
        "questions": [
            {
                "id": q.question_id,
                "text": q.text,
                "kind": q.kind,
                "theme": q.theme,
                "scale": list(q.scale) if q.scale else None,
                "reverse": q.reverse,
            }
            for q in report.questions
        ],
        "groups": [dict(zip(GROUP_COLUMNS, r, strict=True)) for r in group_rows(report, by, allowed)],
        "scores": [dict(zip(SCORE_COLUMNS, r, strict=True)) for r in score_rows(report, by, allowed)],
        "comments": [
            {"group": g, "question": q, "answers": texts}
            for (g, q), texts in sorted(report.comments.items())
            if g in groups and (allowed is None or g in allowed)
        ],
        "previous_survey": report.previous,
        "theme_moves": [dict(zip(MOVE_COLUMNS, r, strict=True)) for r in move_rows(report, by, allowed)],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def history_rows(reports: list[SurveyReport], by: str, allowed: set[str] | None = None) -> list[tuple[Any, ...]]:
    """Each survey's theme scores (mean favourable share of its Likert items) and eNPS per
    group shown, oldest survey first; a group suppressed in a survey has no row for it."""
    rows = []
    for report in reports:
        themes = theme_scores(report)
        enps = {s.group_id: s.enps for s in report.scores if s.enps is not None}
        for group_id in shown_groups(report, by):
            if allowed is not None and group_id not in allowed:
                continue
            name = report.group(group_id).name
            head = (report.survey_id, report.taken_on, group_id, name)
            rows += [(*head, theme, _round(v), None) for (g, theme), v in sorted(themes.items()) if g == group_id]
            if group_id in enps:
                rows.append((*head, "eNPS", None, _round(enps[group_id])))
    return rows


BESIDE_COLUMNS = ("theme", "metric", "unit", "n_teams", "correlation", "statement")
BESIDE_TEAM_COLUMNS = ("theme", "metric", "team", "favourable_share", "metric_value")


def beside_rows(found: list[ThemeBeside]) -> list[tuple[Any, ...]]:
    return [(b.theme, b.metric, b.unit, len(b.teams), _round(b.correlation), b.statement) for b in found]


def beside_team_rows(found: list[ThemeBeside], allowed: set[str] | None = None) -> list[tuple[Any, ...]]:
    return [
        (b.theme, b.metric, team, _round(share), _round(value))
        for b in found
        for team, share, value in b.teams
        if allowed is None or team in allowed
    ]


def beside_json(found: list[ThemeBeside], allowed: set[str] | None = None) -> list[dict[str, Any]]:
    """Each theme with its metric; the correlation is across every team shown (a team the
    reader may not see still counts in it, its own values are left out)."""
    return [
        dict(zip(BESIDE_COLUMNS, row, strict=True))
        | {
            "teams": [
                {"team": t, "favourable_share": _round(s), "metric_value": _round(v)}
                for t, s, v in b.teams
                if allowed is None or t in allowed
            ]
        }
        for b, row in zip(found, beside_rows(found), strict=True)
    ]
